"""SDP CSV parsing and comparison: pure functions, no database."""

import codecs
import datetime as dt
from pathlib import Path

import pytest

from pandai.inmates.sdp_import import (
    Existing,
    Housing,
    RowStatus,
    SdpFileError,
    count,
    decode,
    parse,
    parse_date,
    plan,
    sniff_delimiter,
)

TODAY = dt.date(2024, 12, 31)
HEADER = "no_registrasi;nama;jenis_kelamin;status_hukum;tanggal_masuk;tanggal_lahir;nik;blok;kamar"
SAMPLE = Path(__file__).resolve().parents[3] / "samples" / "sdp-wbp-contoh.csv"


def csv_bytes(*rows, header=HEADER, sep=";", encoding="utf-8", bom=False):
    text = "\r\n".join([header.replace(";", sep), *(r.replace(";", sep) for r in rows)]) + "\r\n"
    data = text.encode(encoding)
    return (codecs.BOM_UTF8 + data) if bom else data


def one_row(row, **kwargs):
    sdp = parse(csv_bytes(row, **kwargs), today=TODAY)
    assert len(sdp.rows) == 1
    return sdp.rows[0]


GOOD = "AI.123/2024;Ahmad Fauzi;L;tahanan;05-02-2024;12-03-1990;3316011203900001;A;A-01"


def test_a_good_row():
    row = one_row(GOOD)
    assert row.errors == ()
    assert row.reg_no == "AI.123/2024"
    assert row.fields == {
        "full_name": "Ahmad Fauzi",
        "gender": "L",
        "legal_status": "tahanan",
        "admission_date": dt.date(2024, 2, 5),
        "birth_date": dt.date(1990, 3, 12),
        "nik": "3316011203900001",
    }
    assert (row.block, row.cell, row.line) == ("A", "A-01", 2)


def test_utf8_bom_is_removed_from_the_first_column_name():
    sdp = parse(csv_bytes(GOOD, bom=True), today=TODAY)
    assert sdp.encoding == "utf-8-sig"
    assert sdp.columns[0] == "no_registrasi"
    assert sdp.rows[0].reg_no == "AI.123/2024"


def test_windows_1252_names_with_cedilla_and_curly_quote():
    data = csv_bytes(
        "AI.1/2024;Muhammad Ridwan Ç;L;tahanan;01-02-2024;;;;",
        "AI.2/2024;Siti Nur’aini;P;tahanan;01-02-2024;;;;",
        encoding="cp1252",
    )
    assert b"\x92" in data and b"\xc7" in data  # really Windows-1252 bytes, not UTF-8
    sdp = parse(data, today=TODAY)
    assert sdp.encoding == "cp1252"
    assert [r.fields["full_name"] for r in sdp.rows] == ["Muhammad Ridwan Ç", "Siti Nur’aini"]
    assert all(r.errors == () for r in sdp.rows)


def test_utf16_with_bom():
    text = HEADER + "\r\n" + GOOD + "\r\n"
    sdp = parse(codecs.BOM_UTF16_LE + text.encode("utf-16-le"), today=TODAY)
    assert sdp.encoding == "utf-16" and sdp.rows[0].fields["full_name"] == "Ahmad Fauzi"


def test_undecodable_bytes_are_a_file_error():
    with pytest.raises(SdpFileError, match="tidak dapat dibaca"):
        decode(HEADER.encode() + b"\r\nAI.1;\x81\x8d\x8f;L\r\n")


def test_binary_file_is_a_file_error():
    with pytest.raises(SdpFileError, match="bukan CSV"):
        parse(b"PK\x03\x04\x00\x00 a zip file renamed .csv", today=TODAY)


@pytest.mark.parametrize("sep", [";", ",", "\t"])
def test_separator_is_sniffed(sep):
    sdp = parse(csv_bytes(GOOD, sep=sep), today=TODAY)
    assert sdp.delimiter == sep and sdp.rows[0].fields["full_name"] == "Ahmad Fauzi"


def test_comma_file_with_a_quoted_comma_in_a_name():
    header = HEADER.replace(";", ",")
    data = (header + '\nAI.1/2024,"Ridwan, S.H.",L,tahanan,01-02-2024,,,,\n').encode()
    row = parse(data, today=TODAY).rows[0]
    assert row.fields["full_name"] == "Ridwan, S.H." and row.errors == ()


def test_sniff_prefers_the_header_over_commas_in_data():
    assert sniff_delimiter("a;b;c\n1,5;2,5;3,5\n") == ";"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31-12-2024", dt.date(2024, 12, 31)),
        ("31/12/2024", dt.date(2024, 12, 31)),
        ("31.12.2024", dt.date(2024, 12, 31)),
        ("1-2-2024", dt.date(2024, 2, 1)),
        ("2024-12-31", dt.date(2024, 12, 31)),
        ("2024-12-31 00:00:00", dt.date(2024, 12, 31)),
    ],
)
def test_dates(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31-02-2024", "12-31-2024", "31-12-24", "2024/12/31", "kemarin"])
def test_bad_dates_are_row_errors(text):
    row = one_row(f"AI.1/2024;Budi;L;tahanan;{text};;;;")
    assert any("tanggal_masuk bukan tanggal" in e for e in row.errors)
    assert "admission_date" not in row.fields


@pytest.mark.parametrize(
    ("gender", "status", "expected"),
    [
        ("L", "tahanan", ("L", "tahanan")),
        ("p", "NARAPIDANA", ("P", "narapidana")),
        ("Perempuan", "Narapidana", ("P", "narapidana")),
        ("laki-laki", "Tahanan", ("L", "tahanan")),
    ],
)
def test_gender_and_legal_status(gender, status, expected):
    row = one_row(f"AI.1/2024;Budi;{gender};{status};01-02-2024;;;;")
    assert (row.fields["gender"], row.fields["legal_status"]) == expected


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ("AI.1/2024;Budi;X;tahanan;01-02-2024;;;;", "jenis_kelamin harus L atau P"),
        ("AI.1/2024;Budi;L;bebas;01-02-2024;;;;", "status_hukum harus tahanan atau narapidana"),
        ("AI.1/2024;;L;tahanan;01-02-2024;;;;", "nama kosong"),
        (";Budi;L;tahanan;01-02-2024;;;;", "no_registrasi kosong"),
        ("AI.1/2024;Budi;L;tahanan;;;;;", "tanggal_masuk kosong"),
        ("AI.1/2024;Budi;L;tahanan;01-02-2025;;;;", "tanggal_masuk di masa depan"),
        ("AI.1/2024;Budi;L;tahanan;01-02-2024;01-02-2024;;;", "tanggal_lahir harus sebelum"),
        ("AI.1/2024;Budi;L;tahanan;01-02-2024;;331601120390000;;", "NIK harus 16 angka"),
        ("AI.1/2024;Budi;L;tahanan;01-02-2024;;3,31601E+15;;", "diubah Excel"),
        ("AI.1/2024;Budi;L;tahanan;01-02-2024;;;A;", "blok dan kamar"),
        ("AI.1/2024;Budi;L;tahanan;01-02-2024", "jumlah kolom 5, seharusnya 9"),
    ],
)
def test_row_errors_say_why(cells, message):
    row = one_row(cells)
    assert any(message in e for e in row.errors), row.errors


def test_nik_with_excel_text_marker_is_accepted():
    row = one_row("AI.1/2024;Budi;L;tahanan;01-02-2024;;'3316011203900001;;")
    assert row.fields["nik"] == "3316011203900001" and row.errors == ()


def test_duplicate_reg_no_in_the_file_makes_every_copy_an_error():
    sdp = parse(
        csv_bytes(
            "AI.1/2024;Budi;L;tahanan;01-02-2024;;;;",
            "AI.2/2024;Eko;L;tahanan;01-02-2024;;;;",
            "ai.1/2024;Budi S;L;tahanan;01-02-2024;;;;",
        ),
        today=TODAY,
    )
    errors = [r.errors for r in sdp.rows]
    assert "baris 2, 4" in errors[0][0] and errors[2] == errors[0]
    assert errors[1] == ()


def test_missing_columns_are_a_file_error_naming_them():
    with pytest.raises(SdpFileError) as exc:
        parse(b"no_registrasi;nama;tanggal\nAI.1/2024;Budi;01-02-2024\n", today=TODAY)
    message = str(exc.value)
    assert "jenis_kelamin" in message and "status_hukum" in message and "tanggal_masuk" in message
    assert "Kolom wajib tidak ada" in message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "kosong"),
        (HEADER.encode() + b"\r\n", "tidak berisi baris data"),
        (HEADER.encode() + b";nama\r\n" + GOOD.encode() + b";x\r\n", "Kolom ganda"),
        (HEADER.replace(";blok;kamar", ";blok").encode() + b"\r\n", "blok dan kamar"),
    ],
)
def test_other_file_errors(data, message):
    with pytest.raises(SdpFileError, match=message):
        parse(data, today=TODAY)


def test_header_names_are_forgiving_and_unknown_columns_are_listed():
    header = "No. Registrasi;Nama Lengkap;JK;Status;Tgl. Masuk;Agama"
    sdp = parse(csv_bytes("AI.1/2024;Budi;L;tahanan;01-02-2024;Islam", header=header), today=TODAY)
    assert sdp.rows[0].errors == ()
    assert sdp.ignored_columns == ("Agama",)


def test_blank_lines_are_skipped():
    sdp = parse(
        csv_bytes(GOOD, "", ";;;;;;;;", "AI.2/2024;Eko;L;tahanan;01-02-2024;;;;"), today=TODAY
    )
    assert [r.line for r in sdp.rows] == [2, 5]


def test_the_shipped_sample_parses_without_errors():
    sdp = parse(SAMPLE.read_bytes(), today=dt.date(2026, 1, 1))
    assert sdp.delimiter == ";" and len(sdp.rows) == 10
    assert all(r.errors == () for r in sdp.rows)
    assert {r.block for r in sdp.rows} <= set("ABCDEF")


# --- Comparing with the registry ------------------------------------------------------------

HOUSING = Housing(
    blocks=frozenset({"A", "B", "F"}),
    cells={("A", "A-01"): 1, ("A", "A-02"): 2, ("B", "B-03"): 3},
)


def existing(pk=10, active=True, cell=("A", "A-01", 1), **fields):
    base = {
        "full_name": "Ahmad Fauzi",
        "alias": "",
        "nik": "3316011203900001",
        "gender": "L",
        "birth_date": dt.date(1990, 3, 12),
        "legal_status": "tahanan",
        "admission_date": dt.date(2024, 2, 5),
        "expected_release_date": None,
    }
    base.update(fields)
    return Existing(pk, active, base, cell[0], cell[1], cell[2])


def plan_one(row_text, current=None, housing=HOUSING):
    sdp = parse(csv_bytes(row_text), today=TODAY)
    known = {"AI.123/2024": current} if current else {}
    return plan(sdp, existing=known, housing=housing)[0]


def test_new_row():
    p = plan_one(GOOD)
    assert p.status == RowStatus.NEW and p.cell_pk == 1 and p.inmate_pk is None
    assert p.new_fields["full_name"] == "Ahmad Fauzi"


def test_unchanged_row():
    p = plan_one(GOOD, existing())
    assert p.status == RowStatus.UNCHANGED and p.changes == ()


def test_changed_row_lists_each_field_old_and_new():
    current = existing(full_name="Ahmad Fauzy", legal_status="narapidana", cell=("B", "B-03", 3))
    p = plan_one(GOOD, current)
    assert p.status == RowStatus.CHANGED
    assert {(c.field, c.old, c.new) for c in p.changes} == {
        ("full_name", "Ahmad Fauzy", "Ahmad Fauzi"),
        ("legal_status", "Narapidana", "Tahanan"),
        ("cell", "B / B-03", "A / A-01"),
    }
    assert p.new_fields == {"full_name": "Ahmad Fauzi", "legal_status": "tahanan"}
    assert p.cell_pk == 1


def test_empty_value_keeps_what_pandai_has():
    row = "AI.123/2024;Ahmad Fauzi;L;tahanan;05-02-2024;;;;"
    p = plan_one(row, existing())
    assert p.status == RowStatus.UNCHANGED


def test_cell_number_alone_finds_the_block_prefixed_cell():
    p = plan_one("AI.123/2024;Ahmad Fauzi;L;tahanan;05-02-2024;;;a;1")
    assert p.status == RowStatus.NEW and p.cell_pk == 1
    assert plan_one("AI.123/2024;Ahmad Fauzi;L;tahanan;05-02-2024;;;A;01", existing()).status == (
        RowStatus.UNCHANGED
    )


@pytest.mark.parametrize(
    ("block", "cell", "message"),
    [("Z", "Z-01", "blok Z tidak ada"), ("A", "A-99", "kamar A-99 tidak ada di blok A")],
)
def test_unknown_block_or_cell_is_an_error_never_created(block, cell, message):
    p = plan_one(f"AI.123/2024;Ahmad Fauzi;L;tahanan;05-02-2024;;;{block};{cell}")
    assert p.status == RowStatus.ERROR and any(message in e for e in p.errors)


def test_block_without_cells_says_the_cell_is_missing():
    p = plan_one("AI.123/2024;Ahmad Fauzi;L;tahanan;05-02-2024;;;F;F-01")
    assert any("kamar F-01 tidak ada di blok F" in e for e in p.errors)


def test_changes_to_a_released_inmate_are_an_error_but_unchanged_is_fine():
    released = existing(active=False, cell=("", "", None))
    p = plan_one("AI.123/2024;Ahmad Fauzi;L;narapidana;05-02-2024;;;;", released)
    assert p.status == RowStatus.ERROR and "tidak aktif" in p.errors[0]
    assert plan_one("AI.123/2024;Ahmad Fauzi;L;tahanan;05-02-2024;;;;", released).status == (
        RowStatus.UNCHANGED
    )


def test_count():
    sdp = parse(
        csv_bytes(GOOD, "AI.9/2024;Budi;L;tahanan;01-02-2024;;;;", "AI.8/2024;;L;x;;;;;"),
        today=TODAY,
    )
    plans = plan(sdp, existing={"AI.123/2024": existing()}, housing=HOUSING)
    assert count(plans) == {"baru": 1, "berubah": 0, "sama": 1, "galat": 1}

"""SDP CSV import: decode, parse and compare with the registry. Pure functions, no database.

The columns are documented in docs/sdp-import.md; samples/sdp-wbp-contoh.csv is an example.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pandai.inmates.models import Gender, LegalStatus

# CSV column -> Inmate field. Block and cell are handled apart (they name a Cell).
FIELD_OF_COLUMN = {
    "nama": "full_name",
    "alias": "alias",
    "nik": "nik",
    "jenis_kelamin": "gender",
    "tanggal_lahir": "birth_date",
    "status_hukum": "legal_status",
    "tanggal_masuk": "admission_date",
    "perkiraan_bebas": "expected_release_date",
}
REQUIRED_COLUMNS = ("no_registrasi", "nama", "jenis_kelamin", "status_hukum", "tanggal_masuk")
OPTIONAL_COLUMNS = ("alias", "nik", "tanggal_lahir", "perkiraan_bebas", "blok", "kamar")
# Other spellings seen in spreadsheets, after header_key().
COLUMN_ALIASES = {
    "no_reg": "no_registrasi",
    "noreg": "no_registrasi",
    "nomor_registrasi": "no_registrasi",
    "no_register": "no_registrasi",
    "nama_lengkap": "nama",
    "nama_wbp": "nama",
    "jk": "jenis_kelamin",
    "l_p": "jenis_kelamin",
    "kelamin": "jenis_kelamin",
    "tgl_lahir": "tanggal_lahir",
    "status": "status_hukum",
    "tgl_masuk": "tanggal_masuk",
    "tanggal_bebas": "perkiraan_bebas",
    "tgl_bebas": "perkiraan_bebas",
    "blok_hunian": "blok",
    "kamar_hunian": "kamar",
}
FIELD_LABELS = {
    "reg_no": gettext_lazy("no. registrasi"),
    "full_name": gettext_lazy("nama"),
    "alias": gettext_lazy("alias"),
    "nik": gettext_lazy("NIK"),
    "gender": gettext_lazy("jenis kelamin"),
    "birth_date": gettext_lazy("tanggal lahir"),
    "legal_status": gettext_lazy("status hukum"),
    "admission_date": gettext_lazy("tanggal masuk"),
    "expected_release_date": gettext_lazy("perkiraan bebas"),
    "cell": gettext_lazy("blok / kamar"),
}
MAX_ROWS = 20000
MAX_LENGTH = {"no_registrasi": 32, "nama": 150, "alias": 80}


class SdpFileError(ValueError):
    """The whole file is unusable; the message says why, for the user."""


class RowStatus(StrEnum):
    NEW = "baru"
    CHANGED = "berubah"
    UNCHANGED = "sama"
    ERROR = "galat"


@dataclass(frozen=True)
class SdpRow:
    line: int  # line in the file, header = 1
    reg_no: str
    fields: dict[str, Any]  # Inmate field -> value, only for non-empty cells
    block: str  # "" when not given
    cell: str
    errors: tuple[str, ...] = ()


@dataclass(frozen=True)
class SdpFile:
    encoding: str
    delimiter: str
    columns: tuple[str, ...]
    ignored_columns: tuple[str, ...]
    rows: tuple[SdpRow, ...]


@dataclass(frozen=True)
class Existing:
    """What the registry holds for one registration number."""

    pk: int
    active: bool
    fields: dict[str, Any]
    block: str
    cell: str
    cell_pk: int | None = None


@dataclass(frozen=True)
class Housing:
    blocks: frozenset[str]
    cells: Mapping[tuple[str, str], int]  # (block code, cell code) -> Cell pk


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str

    @property
    def label(self) -> str:
        return str(FIELD_LABELS.get(self.field, self.field))


@dataclass(frozen=True)
class RowPlan:
    row: SdpRow
    status: RowStatus
    changes: tuple[Change, ...] = ()
    errors: tuple[str, ...] = ()
    inmate_pk: int | None = None
    cell_pk: int | None = None
    new_fields: dict[str, Any] = field(default_factory=dict)  # fields to write (no cell)


# --- Decoding ------------------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise SdpFileError(_("Berkas UTF-16 ini rusak.")) from exc
    if b"\x00" in data:
        raise SdpFileError(_("Berkas ini bukan CSV teks. Simpan dari Excel sebagai CSV."))
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise SdpFileError(_("Berkas bertanda UTF-8 tetapi isinya bukan UTF-8.")) from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise SdpFileError(
            _("Huruf dalam berkas tidak dapat dibaca. Simpan sebagai CSV UTF-8 lalu unggah lagi.")
        ) from exc


def header_key(text: str) -> str:
    """'No. Registrasi' -> 'no_registrasi'."""
    key = re.sub(r"[^0-9a-z]+", "_", text.strip().lower()).strip("_")
    return COLUMN_ALIASES.get(key, key)


def sniff_delimiter(text: str) -> str:
    """Semicolon (Excel in Indonesian locale), comma or tab: whichever splits the header most;
    csv.Sniffer is asked only when the header does not decide."""
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    counts = {d: header.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] and list(counts.values()).count(counts[best]) == 1:
        return best
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=";,\t").delimiter
    except csv.Error:
        return ","


# --- Values --------------------------------------------------------------------------------

_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")


def parse_date(text: str) -> dt.date:
    """31-12-2024, 31/12/2024, 31.12.2024 or 2024-12-31; ValueError otherwise."""
    if m := _DMY.match(text):
        day, month, year = (int(g) for g in m.groups())
    elif m := _ISO.match(text):
        year, month, day = (int(g) for g in m.groups())
    else:
        raise ValueError(text)
    return dt.date(year, month, day)


def _clean(text: str | None) -> str:
    return " ".join((text or "").replace("\u00a0", " ").split())


def normalise_reg_no(text: str) -> str:
    return _clean(text).upper()


def _gender(text: str) -> str:
    value = text.strip().lower()
    if value in {"l", "laki-laki", "laki laki", "pria"}:
        return Gender.MALE
    if value in {"p", "perempuan", "wanita"}:
        return Gender.FEMALE
    raise ValueError(text)


def _legal_status(text: str) -> str:
    value = text.strip().lower()
    if value in {"tahanan"}:
        return LegalStatus.REMAND
    if value in {"narapidana", "napi"}:
        return LegalStatus.CONVICTED
    raise ValueError(text)


def _nik(text: str) -> str:
    value = text.strip().lstrip("'").replace(" ", "")
    if re.fullmatch(r"\d+(?:[.,]\d+)?[eE]\+?\d+", value):
        raise ValueError(_("NIK rusak karena diubah Excel menjadi angka (%(v)s).") % {"v": text})
    if not re.fullmatch(r"\d{16}", value):
        raise ValueError(_("NIK harus 16 angka (tertulis: %(v)s).") % {"v": text})
    return value


def _row_values(raw: dict[str, str], today: dt.date) -> tuple[dict[str, Any], list[str]]:
    values: dict[str, Any] = {}
    errors: list[str] = []
    for column, name in FIELD_OF_COLUMN.items():
        text = _clean(raw.get(column))
        if not text:
            if column in REQUIRED_COLUMNS:
                errors.append(_("%(col)s kosong.") % {"col": column})
            continue
        if column in MAX_LENGTH and len(text) > MAX_LENGTH[column]:
            errors.append(
                _("%(col)s terlalu panjang (maksimum %(n)d huruf).")
                % {"col": column, "n": MAX_LENGTH[column]}
            )
            continue
        try:
            if name in {"birth_date", "admission_date", "expected_release_date"}:
                values[name] = parse_date(text)
            elif name == "gender":
                values[name] = _gender(text)
            elif name == "legal_status":
                values[name] = _legal_status(text)
            elif name == "nik":
                values[name] = _nik(text)
            else:
                values[name] = text
        except ValueError as exc:
            errors.append(_value_error(column, text, exc))
    admitted = values.get("admission_date")
    born = values.get("birth_date")
    release = values.get("expected_release_date")
    if admitted and admitted > today:
        errors.append(_("tanggal_masuk di masa depan."))
    if born and born >= (admitted or today):
        errors.append(_("tanggal_lahir harus sebelum tanggal_masuk."))
    if admitted and release and release < admitted:
        errors.append(_("perkiraan_bebas sebelum tanggal_masuk."))
    return values, errors


def _value_error(column: str, text: str, exc: ValueError) -> str:
    if column == "nik":
        return str(exc)
    if column == "jenis_kelamin":
        return _("jenis_kelamin harus L atau P (tertulis: %(v)s).") % {"v": text}
    if column == "status_hukum":
        return _("status_hukum harus tahanan atau narapidana (tertulis: %(v)s).") % {"v": text}
    return _("%(col)s bukan tanggal yang benar: %(v)s (pakai 31-12-2024).") % {
        "col": column,
        "v": text,
    }


# --- Parsing -------------------------------------------------------------------------------


def parse_text(text: str, *, today: dt.date, encoding: str = "utf-8") -> SdpFile:
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise SdpFileError(_("Berkas kosong."))
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise SdpFileError(_("Baris judul kolom tidak dapat dibaca.")) from exc
    columns = [header_key(h) for h in header]
    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)
    doubled = sorted({c for c in columns if c and columns.count(c) > 1})
    if doubled:
        raise SdpFileError(_("Kolom ganda: %(cols)s.") % {"cols": ", ".join(doubled)})
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise SdpFileError(
            _("Kolom wajib tidak ada: %(missing)s. Kolom yang terbaca: %(found)s.")
            % {"missing": ", ".join(missing), "found": ", ".join(h.strip() for h in header)}
        )
    if ("blok" in columns) != ("kamar" in columns):
        raise SdpFileError(_("Kolom blok dan kamar harus ada bersama-sama."))
    rows: list[SdpRow] = []
    try:
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise SdpFileError(_("Terlalu banyak baris (maksimum %(n)d).") % {"n": MAX_ROWS})
            rows.append(_parse_row(reader.line_num, cells, columns, today))
    except csv.Error as exc:
        raise SdpFileError(
            _("Berkas CSV rusak di baris %(line)d: %(err)s") % {"line": reader.line_num, "err": exc}
        ) from exc
    if not rows:
        raise SdpFileError(_("Berkas tidak berisi baris data."))
    return SdpFile(
        encoding=encoding,
        delimiter=delimiter,
        columns=tuple(c for c in columns if c in known),
        ignored_columns=tuple(
            h.strip() for h, c in zip(header, columns, strict=True) if c not in known
        ),
        rows=tuple(_mark_duplicates(rows)),
    )


def parse(data: bytes, *, today: dt.date) -> SdpFile:
    text, encoding = decode(data)
    return parse_text(text, today=today, encoding=encoding)


def _parse_row(line: int, cells: list[str], columns: list[str], today: dt.date) -> SdpRow:
    errors: list[str] = []
    if len(cells) != len(columns):
        errors.append(
            _("jumlah kolom %(got)d, seharusnya %(want)d.")
            % {"got": len(cells), "want": len(columns)}
        )
    raw = {c: v for c, v in zip(columns, cells, strict=False) if c}
    reg_no = normalise_reg_no(raw.get("no_registrasi", ""))
    if not reg_no:
        errors.append(_("no_registrasi kosong."))
    elif len(reg_no) > MAX_LENGTH["no_registrasi"]:
        errors.append(_("no_registrasi terlalu panjang."))
    values, value_errors = _row_values(raw, today)
    errors.extend(value_errors)
    block, cell = _clean(raw.get("blok")).upper(), _clean(raw.get("kamar")).upper()
    if bool(block) != bool(cell):
        errors.append(_("blok dan kamar harus diisi bersama-sama."))
    return SdpRow(line, reg_no, values, block, cell, tuple(errors))


def _mark_duplicates(rows: list[SdpRow]) -> list[SdpRow]:
    lines: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        if row.reg_no:
            lines[row.reg_no].append(row.line)
    out = []
    for row in rows:
        seen = lines.get(row.reg_no, [])
        if len(seen) > 1:
            message = _("no_registrasi %(reg)s muncul lebih dari sekali (baris %(lines)s).") % {
                "reg": row.reg_no,
                "lines": ", ".join(str(n) for n in seen),
            }
            row = SdpRow(
                row.line, row.reg_no, row.fields, row.block, row.cell, (*row.errors, message)
            )
        out.append(row)
    return out


# --- Comparing with the registry -----------------------------------------------------------


def display(name: str, value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    if name == "gender":
        return str(Gender(value).label)
    if name == "legal_status":
        return str(LegalStatus(value).label)
    return str(value)


def resolve_cell(housing: Housing, block: str, cell: str) -> int:
    """The Cell pk for a (blok, kamar) pair; '1' or '01' in block A also finds 'A-01'."""
    for code in (cell, f"{block}-{cell.zfill(2)}" if cell.isdigit() else cell):
        if (block, code) in housing.cells:
            return housing.cells[(block, code)]
    if block not in housing.blocks:
        raise ValueError(_("blok %(b)s tidak ada di UPT ini.") % {"b": block})
    raise ValueError(_("kamar %(c)s tidak ada di blok %(b)s.") % {"c": cell, "b": block})


def plan_row(row: SdpRow, existing: Existing | None, housing: Housing) -> RowPlan:
    errors = list(row.errors)
    cell_pk = None
    if row.block and row.cell:
        try:
            cell_pk = resolve_cell(housing, row.block, row.cell)
        except ValueError as exc:
            errors.append(str(exc))
    if errors:
        return RowPlan(row, RowStatus.ERROR, errors=tuple(errors))
    if existing is None:
        return RowPlan(row, RowStatus.NEW, cell_pk=cell_pk, new_fields=dict(row.fields))
    # An empty cell in the file keeps what Pandai holds; only given values are compared.
    new_fields = {
        name: value for name, value in row.fields.items() if existing.fields.get(name) != value
    }
    changes = [
        Change(name, display(name, existing.fields.get(name)), display(name, value))
        for name, value in new_fields.items()
    ]
    if cell_pk is not None and cell_pk != existing.cell_pk:
        old = f"{existing.block} / {existing.cell}" if existing.cell else "–"
        changes.append(Change("cell", old, f"{row.block} / {row.cell}"))
    else:
        cell_pk = None
    if not changes:
        return RowPlan(row, RowStatus.UNCHANGED, inmate_pk=existing.pk)
    if not existing.active:
        message = _(
            "WBP %(reg)s sudah tidak aktif (bebas/mutasi); datanya tidak diubah lewat impor."
        )
        return RowPlan(
            row, RowStatus.ERROR, tuple(changes), (message % {"reg": row.reg_no},), existing.pk
        )
    return RowPlan(row, RowStatus.CHANGED, tuple(changes), (), existing.pk, cell_pk, new_fields)


def plan(sdp: SdpFile, *, existing: Mapping[str, Existing], housing: Housing) -> list[RowPlan]:
    return [plan_row(row, existing.get(row.reg_no), housing) for row in sdp.rows]


def count(plans: list[RowPlan]) -> dict[str, int]:
    counts = {status.value: 0 for status in RowStatus}
    for p in plans:
        counts[p.status.value] += 1
    return counts


def errors_summary(n: int) -> str:
    return ngettext("Ada %(n)d baris galat.", "Ada %(n)d baris galat.", n) % {"n": n}

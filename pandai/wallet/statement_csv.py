"""The bank's daily statement (rekening koran) as CSV: decode, find the columns, read each
line. Pure functions, no database. Columns are documented in docs/virtual-accounts.md.

A file with any unreadable line is refused whole (StatementFileError, listing the lines), so
a reconciliation never rests on a half-read statement.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from pandai.core.money import MoneyError, parse_rp
from pandai.inmates.sdp_import import SdpFileError, decode, parse_date, sniff_delimiter

REQUIRED_COLUMNS = ("referensi", "no_va", "jumlah")
OPTIONAL_COLUMNS = ("tanggal", "nama_pengirim", "db_cr", "keterangan")
COLUMN_ALIASES = {
    "ref": "referensi",
    "reference": "referensi",
    "no_referensi": "referensi",
    "no_ref": "referensi",
    "nomor_referensi": "referensi",
    "va": "no_va",
    "nomor_va": "no_va",
    "va_number": "no_va",
    "virtual_account": "no_va",
    "rekening_virtual": "no_va",
    "nominal": "jumlah",
    "amount": "jumlah",
    "kredit": "jumlah",
    "mutasi": "jumlah",
    "tgl": "tanggal",
    "tanggal_transaksi": "tanggal",
    "waktu": "tanggal",
    "pengirim": "nama_pengirim",
    "payer_name": "nama_pengirim",
    "nama": "nama_pengirim",
    "jenis": "db_cr",
    "d_k": "db_cr",
    "dk": "db_cr",
    "tipe": "db_cr",
    "deskripsi": "keterangan",
    "berita": "keterangan",
}
CREDIT_MARKS = {"", "cr", "c", "k", "kredit", "credit"}
DEBIT_MARKS = {"db", "d", "debit", "debet"}
MAX_LINES = 20000
MAX_ERRORS_SHOWN = 10
_REF = re.compile(r"^[A-Za-z0-9._:/-]{1,64}$")
_TIME = re.compile(r"^(?P<date>\S+)(?:[ T](?P<h>\d{1,2})[:.](?P<m>\d{2})(?::\d{2})?)?$")


class StatementFileError(ValueError):
    """The file cannot be used; the message says why, for the officer."""


@dataclass(frozen=True)
class StatementLine:
    line: int  # line in the file, header = 1
    ref: str
    va_number: str
    amount_rp: int
    payer_name: str = ""
    when: str = ""  # as written (date/time), shown back to the officer


@dataclass(frozen=True)
class StatementFile:
    encoding: str
    delimiter: str
    lines: tuple[StatementLine, ...]
    debits_ignored: int


def header_key(text: str) -> str:
    key = re.sub(r"[^0-9a-z]+", "_", text.strip().lower()).strip("_")
    return COLUMN_ALIASES.get(key, key)


def _clean(text: str | None) -> str:
    return " ".join((text or "").replace("\u00a0", " ").split())


def _amount(text: str) -> int:
    value = text.replace(" ", "")
    if value.startswith("+"):
        value = value[1:]
    amount = parse_rp(value)
    if amount <= 0:
        raise MoneyError(text)
    return amount


def _when(text: str) -> str:
    """Check a date or date-time cell (31-12-2024, 31/12/2024 14:05, 2024-12-31 14:05:00)."""
    match = _TIME.match(text)
    if match is None:
        raise ValueError(text)
    parse_date(match.group("date"))
    if match.group("h") is not None:
        dt.time(int(match.group("h")), int(match.group("m")))
    return text


def _read_line(number: int, raw: dict[str, str]) -> tuple[StatementLine | None, list[str]]:
    errors: list[str] = []
    mark = _clean(raw.get("db_cr")).lower()
    if mark in DEBIT_MARKS:
        return None, []
    if mark not in CREDIT_MARKS:
        errors.append(_("kolom db_cr harus CR atau DB (tertulis: %(v)s)") % {"v": mark})
    ref = _clean(raw.get("referensi"))
    if not _REF.match(ref):
        errors.append(_("referensi kosong atau berisi tanda yang tidak sah"))
    va_number = _clean(raw.get("no_va")).replace(" ", "").lstrip("'")
    if not va_number.isdigit() or len(va_number) > 32:
        errors.append(_("no_va harus angka (tertulis: %(v)s)") % {"v": va_number})
    amount = 0
    try:
        amount = _amount(_clean(raw.get("jumlah")))
    except MoneyError:
        errors.append(
            _("jumlah harus rupiah bulat lebih dari nol (tertulis: %(v)s)")
            % {"v": _clean(raw.get("jumlah"))}
        )
    when = _clean(raw.get("tanggal"))
    if when:
        try:
            when = _when(when)
        except ValueError:
            errors.append(_("tanggal tidak terbaca (tertulis: %(v)s)") % {"v": when})
    if errors:
        return None, errors
    return StatementLine(
        number, ref, va_number, amount, _clean(raw.get("nama_pengirim"))[:120], when
    ), []


def parse_statement(data: bytes) -> StatementFile:
    """Read a statement CSV (UTF-8 with or without BOM, UTF-16, or Windows-1252; semicolons,
    commas or tabs). Raises StatementFileError for anything unusable."""
    if not data.strip():
        raise StatementFileError(_("Berkas kosong."))
    try:
        text, encoding = decode(data)
    except SdpFileError as exc:
        raise StatementFileError(str(exc)) from exc
    text = text.lstrip("\ufeff")
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise StatementFileError(_("Berkas CSV rusak: %(e)s") % {"e": exc}) from exc
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise StatementFileError(_("Berkas kosong."))
    header = [header_key(h) for h in rows[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise StatementFileError(
            _("Kolom wajib tidak ada: %(cols)s. Kolom yang terbaca: %(found)s.")
            % {"cols": ", ".join(missing), "found": ", ".join(h for h in header if h) or "-"}
        )
    if len(rows) - 1 > MAX_LINES:
        raise StatementFileError(_("Terlalu banyak baris (maksimum %(n)d).") % {"n": MAX_LINES})
    if len(rows) == 1:
        raise StatementFileError(_("Berkas hanya berisi judul kolom, tanpa transaksi."))
    lines: list[StatementLine] = []
    problems: list[str] = []
    debits = 0
    seen: dict[str, int] = {}
    for index, cells in enumerate(rows[1:], start=2):
        if len(cells) > len(header):
            problems.append(_("baris %(n)d: kolom lebih banyak dari judul") % {"n": index})
            continue
        raw = dict(zip(header, cells, strict=False))
        line, errors = _read_line(index, raw)
        if errors:
            problems.append(_("baris %(n)d: ") % {"n": index} + "; ".join(errors))
        elif line is None:
            debits += 1
        elif line.ref in seen:
            problems.append(
                _("baris %(n)d: referensi %(ref)s sudah ada di baris %(first)d")
                % {"n": index, "ref": line.ref, "first": seen[line.ref]}
            )
        else:
            seen[line.ref] = index
            lines.append(line)
    if problems:
        shown = problems[:MAX_ERRORS_SHOWN]
        more = len(problems) - len(shown)
        tail = _(" (dan %(n)d baris lain)") % {"n": more} if more else ""
        raise StatementFileError(
            _("Berkas ditolak, tidak ada yang disimpan. Perbaiki: %(list)s%(tail)s.")
            % {"list": " | ".join(shown), "tail": tail}
        )
    return StatementFile(encoding, delimiter, tuple(lines), debits)

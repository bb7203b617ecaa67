"""Catalogue files in and out: read a CSV or XLSX upload into rows, check each row, compare it
with the catalogue, and write the catalogue as CSV or XLSX. Pure functions, no database.

Columns and rules are documented in docs/shop-catalogue-import.md; samples/katalog-koperasi.csv
is an example.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pandai.core.money import MoneyError, parse_rp
from pandai.core.xlsx import safe_cell, xlsx_bytes
from pandai.inmates.sdp_import import SdpFileError, decode, sniff_delimiter
from pandai.shop.services.catalogue import (
    MAX_LIMIT,
    MAX_PRICE_RP,
    SKU_RE,
    gtin_ok,
    normalise_barcode,
    normalise_sku,
)

COLUMNS = (
    "sku",
    "barcode",
    "name",
    "category",
    "unit",
    "price",
    "cost",
    "min_stock",
    "limit_per_day",
    "limit_per_week",
    "essential",
    "active",
)
REQUIRED_COLUMNS = ("sku", "name", "category", "price")
COLUMN_ALIASES = {
    "kode": "sku",
    "kode_barang": "sku",
    "barcodes": "barcode",
    "nama": "name",
    "nama_barang": "name",
    "kategori": "category",
    "satuan": "unit",
    "harga": "price",
    "harga_jual": "price",
    "harga_pokok": "cost",
    "stok_minimum": "min_stock",
    "batas_per_hari": "limit_per_day",
    "batas_per_minggu": "limit_per_week",
    "pokok": "essential",
    "kebutuhan_pokok": "essential",
    "aktif": "active",
}
FIELD_LABELS = {
    "barcodes": gettext_lazy("barcode"),
    "name": gettext_lazy("nama"),
    "category": gettext_lazy("kategori"),
    "unit": gettext_lazy("satuan"),
    "price_rp": gettext_lazy("harga jual"),
    "cost_rp": gettext_lazy("harga pokok"),
    "min_stock": gettext_lazy("stok minimum"),
    "limit_per_day": gettext_lazy("batas per hari"),
    "limit_per_week": gettext_lazy("batas per minggu"),
    "essential": gettext_lazy("kebutuhan pokok"),
    "is_active": gettext_lazy("aktif"),
}
MAX_ROWS = 5000
MAX_COLUMNS = 40
YES = {"ya", "y", "yes", "1", "true", "benar", "aktif", "x"}
NO = {"tidak", "t", "no", "n", "0", "false", "salah", "nonaktif", "tidak aktif"}
# A cell that a spreadsheet would run as a formula; written with a leading apostrophe.


class CatalogueFileError(ValueError):
    """The whole file is unusable; the message says why, for the user."""


class RowStatus(StrEnum):
    NEW = "baru"
    CHANGED = "berubah"
    UNCHANGED = "sama"
    ERROR = "galat"


@dataclass(frozen=True)
class Table:
    format: str  # "csv" or "xlsx"
    encoding: str
    delimiter: str
    rows: list[list[str]]  # header first


@dataclass(frozen=True)
class CatalogueRow:
    line: int
    sku: str
    values: dict[str, Any]  # product field -> value, only for cells that say something
    category: str
    errors: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExistingProduct:
    pk: int
    values: dict[str, Any]  # same keys as CatalogueRow.values; "category" is the name


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
    row: CatalogueRow
    status: RowStatus
    changes: tuple[Change, ...] = ()
    errors: tuple[str, ...] = ()
    product_pk: int | None = None
    new_category: bool = False
    values: dict[str, Any] = field(default_factory=dict)  # the full product after applying


# --- reading files -----------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    """An XLSX cell as the text a user would have typed: 3500.0 -> '3500'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise CatalogueFileError(
            _("Berkas XLSX rusak atau bukan XLSX. Simpan ulang dari Excel lalu unggah lagi.")
        ) from exc
    try:
        sheet = book.worksheets[0]
        rows: list[list[str]] = []
        for values in sheet.iter_rows(values_only=True):
            if len(values) > MAX_COLUMNS and any(v is not None for v in values[MAX_COLUMNS:]):
                raise CatalogueFileError(
                    _("Terlalu banyak kolom (maksimum %(n)d).") % {"n": MAX_COLUMNS}
                )
            cells = [_cell_text(v) for v in values[:MAX_COLUMNS]]
            if rows and not any(c.strip() for c in cells):
                continue
            if len(rows) > MAX_ROWS:
                raise CatalogueFileError(
                    _("Terlalu banyak baris (maksimum %(n)d).") % {"n": MAX_ROWS}
                )
            rows.append(cells)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise CatalogueFileError(_("Lembar kerja XLSX tidak dapat dibaca.")) from exc
    finally:
        book.close()
    if rows:
        # read-only sheets pad every row to the widest one; the header ends at its last name
        while rows[0] and not rows[0][-1].strip():
            rows[0].pop()
    return Table("xlsx", "xlsx", "", rows)


def read_csv(data: bytes) -> Table:
    try:
        text, encoding = decode(data)
    except SdpFileError as exc:
        raise CatalogueFileError(str(exc)) from exc
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise CatalogueFileError(_("Berkas kosong."))
    delimiter = sniff_delimiter(text)
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for cells in reader:
            if rows and not any(c.strip() for c in cells):
                continue
            if len(rows) > MAX_ROWS:
                raise CatalogueFileError(
                    _("Terlalu banyak baris (maksimum %(n)d).") % {"n": MAX_ROWS}
                )
            if len(cells) > MAX_COLUMNS:
                raise CatalogueFileError(
                    _("Terlalu banyak kolom (maksimum %(n)d).") % {"n": MAX_COLUMNS}
                )
            rows.append(cells)
    except csv.Error as exc:
        raise CatalogueFileError(
            _("Berkas CSV rusak di baris %(line)d: %(err)s") % {"line": reader.line_num, "err": exc}
        ) from exc
    return Table("csv", encoding, delimiter, rows)


def read_table(data: bytes, filename: str) -> Table:
    """CSV (UTF-8 with or without BOM, Windows-1252; `;`, `,` or tab) or XLSX (its first
    sheet), decided by the content, not the name."""
    if data.startswith(b"PK\x03\x04"):
        return read_xlsx(data)
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise CatalogueFileError(
            _("Berkas XLSX rusak atau bukan XLSX. Simpan ulang dari Excel lalu unggah lagi.")
        )
    if filename.lower().endswith(".xls") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise CatalogueFileError(
            _("Format Excel lama (.xls) tidak didukung. Simpan sebagai .xlsx atau CSV.")
        )
    return read_csv(data)


# --- checking rows -----------------------------------------------------------------------------


def header_key(text: str) -> str:
    key = re.sub(r"[^0-9a-z]+", "_", text.strip().lower()).strip("_")
    return COLUMN_ALIASES.get(key, key)


def _clean(text: str | None) -> str:
    value = " ".join((text or "").replace("\u00a0", " ").split())
    # An apostrophe that an export put before a formula-like text is not part of the value.
    if value.startswith("'") and value[1:2] in {"=", "+", "-", "@"}:
        value = value[1:]
    return value


def _whole(text: str, column: str, *, minimum: int, maximum: int) -> int:
    value = text.replace(".", "") if re.fullmatch(r"\d{1,3}(\.\d{3})+", text) else text
    if not re.fullmatch(r"\d+", value):
        raise ValueError(
            _("%(col)s harus bilangan bulat (tertulis: %(v)s).") % {"col": column, "v": text}
        )
    number = int(value)
    if not minimum <= number <= maximum:
        raise ValueError(
            _("%(col)s harus antara %(lo)d dan %(hi)d (tertulis: %(v)s).")
            % {"col": column, "lo": minimum, "hi": maximum, "v": text}
        )
    return number


def _money(text: str, column: str, *, positive: bool) -> int:
    try:
        amount = parse_rp(text)
    except MoneyError as exc:
        raise ValueError(
            _("%(col)s harus rupiah bulat, mis. 3500 atau 3.500 (tertulis: %(v)s).")
            % {"col": column, "v": text}
        ) from exc
    if positive and amount <= 0:
        raise ValueError(_("%(col)s harus lebih dari 0.") % {"col": column})
    if amount > MAX_PRICE_RP:
        raise ValueError(_("%(col)s terlalu besar.") % {"col": column})
    return amount


def _flag(text: str, column: str) -> bool:
    value = text.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValueError(
        _("%(col)s harus ya atau tidak (tertulis: %(v)s).") % {"col": column, "v": text}
    )


def _barcodes(text: str) -> tuple[str, ...]:
    codes = tuple(normalise_barcode(c) for c in text.split("|") if c.strip())
    for code in codes:
        if re.fullmatch(r"\d+(?:[.,]\d+)?[eE]\+?\d+", code):
            raise ValueError(
                _(
                    "barcode rusak karena diubah Excel menjadi angka (%(v)s). Format kolomnya "
                    "sebagai teks."
                )
                % {"v": code}
            )
        if not re.fullmatch(r"[0-9A-Za-z.\-/+]{3,64}", code):
            raise ValueError(_("barcode %(v)s tidak sah.") % {"v": code})
        if not gtin_ok(code):
            raise ValueError(
                _("barcode %(v)s salah: angka pemeriksanya tidak cocok.") % {"v": code}
            )
    if len(set(codes)) != len(codes):
        raise ValueError(_("barcode yang sama ditulis dua kali."))
    return codes


def _row_values(raw: Mapping[str, str]) -> tuple[dict[str, Any], list[str]]:
    values: dict[str, Any] = {}
    errors: list[str] = []
    parsers: dict[str, tuple[str, Any]] = {
        "barcode": ("barcodes", _barcodes),
        "name": ("name", lambda t: t),
        "unit": ("unit", lambda t: t),
        "price": ("price_rp", lambda t: _money(t, "price", positive=True)),
        "cost": ("cost_rp", lambda t: _money(t, "cost", positive=False)),
        "min_stock": ("min_stock", lambda t: _whole(t, "min_stock", minimum=0, maximum=1_000_000)),
        "limit_per_day": (
            "limit_per_day",
            lambda t: _whole(t, "limit_per_day", minimum=1, maximum=MAX_LIMIT),
        ),
        "limit_per_week": (
            "limit_per_week",
            lambda t: _whole(t, "limit_per_week", minimum=1, maximum=MAX_LIMIT),
        ),
        "essential": ("essential", lambda t: _flag(t, "essential")),
        "active": ("is_active", lambda t: _flag(t, "active")),
    }
    for column, (name, parse) in parsers.items():
        if column not in raw:
            continue
        text = _clean(raw[column])
        if not text:
            if column in ("limit_per_day", "limit_per_week"):
                values[name] = None  # blank = no limit, so an export re-imports unchanged
            elif column in REQUIRED_COLUMNS:
                errors.append(_("%(col)s kosong.") % {"col": column})
            continue
        try:
            values[name] = parse(text)
        except ValueError as exc:
            errors.append(str(exc))
    if len(values.get("name", "")) > 120:
        errors.append(_("name terlalu panjang (maksimum 120 huruf)."))
    if len(values.get("unit", "")) > 20:
        errors.append(_("unit terlalu panjang (maksimum 20 huruf)."))
    day, week = values.get("limit_per_day"), values.get("limit_per_week")
    if day is not None and week is not None and week < day:
        errors.append(_("limit_per_week lebih kecil dari limit_per_day."))
    return values, errors


def parse_rows(rows: Sequence[Sequence[str]]) -> tuple[list[CatalogueRow], tuple[str, ...]]:
    """(rows, ignored column names); CatalogueFileError when the header is unusable."""
    if not rows or not any(c.strip() for c in rows[0]):
        raise CatalogueFileError(_("Berkas kosong."))
    header = list(rows[0])
    columns = [header_key(h) for h in header]
    doubled = sorted({c for c in columns if c and columns.count(c) > 1})
    if doubled:
        raise CatalogueFileError(_("Kolom ganda: %(cols)s.") % {"cols": ", ".join(doubled)})
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise CatalogueFileError(
            _("Kolom wajib tidak ada: %(missing)s. Kolom yang terbaca: %(found)s.")
            % {"missing": ", ".join(missing), "found": ", ".join(h.strip() for h in header)}
        )
    out: list[CatalogueRow] = []
    for index, cells in enumerate(rows[1:], start=2):
        if not any(str(c).strip() for c in cells):
            continue
        errors: list[str] = []
        if len(cells) > len(columns) and any(str(c).strip() for c in cells[len(columns) :]):
            errors.append(
                _("jumlah kolom %(got)d, seharusnya %(want)d.")
                % {"got": len(cells), "want": len(columns)}
            )
        raw = {c: str(v) for c, v in zip(columns, cells, strict=False) if c in COLUMNS}
        sku = normalise_sku(_clean(raw.get("sku")))
        if not sku:
            errors.append(_("sku kosong."))
        elif not SKU_RE.match(sku):
            errors.append(_("sku %(v)s tidak sah (huruf, angka, . _ / -; maks. 40).") % {"v": sku})
        values, value_errors = _row_values(raw)
        errors.extend(value_errors)
        category = _clean(raw.get("category"))
        if not category:
            errors.append(_("category kosong."))
        elif len(category) > 80:
            errors.append(_("category terlalu panjang (maksimum 80 huruf)."))
        out.append(CatalogueRow(index, sku, values, category, tuple(errors)))
    if not out:
        raise CatalogueFileError(_("Berkas tidak berisi baris data."))
    ignored = tuple(h.strip() for h, c in zip(header, columns, strict=True) if c not in COLUMNS)
    return _mark_duplicates(out), ignored


def _mark_duplicates(rows: list[CatalogueRow]) -> list[CatalogueRow]:
    skus: dict[str, list[int]] = defaultdict(list)
    codes: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        if row.sku:
            skus[row.sku].append(row.line)
        for code in row.values.get("barcodes", ()):
            codes[code].append(row.line)
    out = []
    for row in rows:
        extra = []
        if len(skus.get(row.sku, [])) > 1:
            extra.append(
                _("sku %(sku)s muncul lebih dari sekali (baris %(lines)s).")
                % {"sku": row.sku, "lines": ", ".join(map(str, skus[row.sku]))}
            )
        for code in row.values.get("barcodes", ()):
            if len(codes[code]) > 1:
                extra.append(
                    _("barcode %(code)s dipakai beberapa baris (%(lines)s).")
                    % {"code": code, "lines": ", ".join(map(str, codes[code]))}
                )
        out.append(
            CatalogueRow(row.line, row.sku, row.values, row.category, (*row.errors, *extra))
            if extra
            else row
        )
    return out


# --- comparing with the catalogue ---------------------------------------------------------------

DEFAULTS: dict[str, Any] = {
    "barcodes": (),
    "unit": "pcs",
    "cost_rp": 0,
    "min_stock": 0,
    "limit_per_day": None,
    "limit_per_week": None,
    "essential": False,
    "is_active": True,
}


def display(name: str, value: Any) -> str:
    if value is None or value == "" or value == ():
        return "–"
    if isinstance(value, bool):
        return str(_("ya") if value else _("tidak"))
    if name in ("price_rp", "cost_rp"):
        from pandai.core.money import format_rp

        return format_rp(value)
    if isinstance(value, tuple | list):
        return " | ".join(value)
    return str(value)


def plan_row(
    row: CatalogueRow,
    existing: ExistingProduct | None,
    categories: Mapping[str, str],
    barcode_owner: Mapping[str, str],
) -> RowPlan:
    """`categories`: lower-case name -> name as stored; `barcode_owner`: code -> SKU using it."""
    errors = list(row.errors)
    for code in row.values.get("barcodes", ()):
        owner = barcode_owner.get(code)
        if owner is not None and owner != row.sku:
            errors.append(
                _("barcode %(code)s sudah dipakai barang %(sku)s.") % {"code": code, "sku": owner}
            )
    if errors:
        return RowPlan(row, RowStatus.ERROR, errors=tuple(errors))
    stored_category = categories.get(row.category.lower())
    category = stored_category or row.category
    new_category = stored_category is None
    if existing is None:
        values = {**DEFAULTS, **row.values, "category": category}
        if "name" not in row.values:
            return RowPlan(row, RowStatus.ERROR, errors=(_("name kosong."),))
        return RowPlan(row, RowStatus.NEW, new_category=new_category, values=values)
    # A cell left blank keeps what the catalogue holds (limits: blank = no limit).
    values = {**existing.values, **row.values, "category": category}
    changes = tuple(
        Change(name, display(name, existing.values.get(name)), display(name, value))
        for name, value in values.items()
        if existing.values.get(name) != value
    )
    day, week = values.get("limit_per_day"), values.get("limit_per_week")
    if day is not None and week is not None and week < day:
        return RowPlan(
            row, RowStatus.ERROR, changes, (_("limit_per_week lebih kecil dari limit_per_day."),)
        )
    if not changes:
        return RowPlan(row, RowStatus.UNCHANGED, product_pk=existing.pk, values=values)
    return RowPlan(row, RowStatus.CHANGED, changes, (), existing.pk, new_category, values)


def plan(
    rows: Iterable[CatalogueRow],
    *,
    existing: Mapping[str, ExistingProduct],
    categories: Mapping[str, str],
    barcode_owner: Mapping[str, str],
) -> list[RowPlan]:
    return [plan_row(r, existing.get(r.sku), categories, barcode_owner) for r in rows]


def count(plans: Iterable[RowPlan]) -> dict[str, int]:
    counts = {status.value: 0 for status in RowStatus}
    for p in plans:
        counts[p.status.value] += 1
    return counts


# --- writing files -----------------------------------------------------------------------------


def export_rows(products: Iterable[Mapping[str, Any]]) -> list[list[Any]]:
    """The header and one row per product (dicts with the ExistingProduct value keys + sku)."""
    out: list[list[Any]] = [list(COLUMNS)]
    for p in products:
        out.append(
            [
                safe_cell(p["sku"]),
                safe_cell("|".join(p["barcodes"])),
                safe_cell(p["name"]),
                safe_cell(p["category"]),
                safe_cell(p["unit"]),
                p["price_rp"],
                p["cost_rp"],
                p["min_stock"],
                "" if p["limit_per_day"] is None else p["limit_per_day"],
                "" if p["limit_per_week"] is None else p["limit_per_week"],
                "ya" if p["essential"] else "tidak",
                "ya" if p["is_active"] else "tidak",
            ]
        )
    return out


def write_csv(rows: list[list[Any]]) -> bytes:
    """UTF-8 with BOM and `;` so Excel in an Indonesian locale opens it in columns."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_xlsx(rows: list[list[Any]], *, title: str) -> bytes:
    """The first row is the header. Text cells stay text (barcodes with leading zeros);
    numbers stay numbers (see core.xlsx)."""
    return xlsx_bytes([(title, rows[0] if rows else [], rows[1:])])

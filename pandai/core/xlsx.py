"""XLSX workbooks written the one safe way (openpyxl, write-only): text that a spreadsheet
would run as a formula is written with a leading apostrophe, instants are written as the
site's wall-clock time, and a download is streamed from a temporary file, not held in memory."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from collections.abc import Callable, Iterable, Sequence
from typing import IO, TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.http import FileResponse, HttpRequest
from django.utils.functional import Promise
from openpyxl import Workbook

if TYPE_CHECKING:
    from pandai.core.http import PandaiRequest

# A cell starting with one of these is a formula (or DDE) to Excel, LibreOffice and Sheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Sheet = tuple[str, Sequence[Any], Iterable[Sequence[Any]]]  # title, header, rows


def safe_cell(value: Any, tz: ZoneInfo | None = None) -> Any:
    """A value as a spreadsheet cell: formula-looking text gets a leading apostrophe (so
    `=HYPERLINK(…)` stays text), lazy text becomes text, an aware instant becomes naive in
    `tz` (spreadsheets have no time zones); numbers, dates and booleans stay as they are."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_START) else value
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(tz).replace(tzinfo=None) if tz else value.replace(tzinfo=None)
    return value


def write_workbook(sheets: Iterable[Sheet], out: IO[bytes], *, tz: ZoneInfo | None = None) -> None:
    book = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title=str(title)[:31])
        sheet.append([safe_cell(h) for h in header])
        for row in rows:
            sheet.append([safe_cell(v, tz) for v in row])
    book.save(out)


def xlsx_bytes(sheets: Iterable[Sheet], *, tz: ZoneInfo | None = None) -> bytes:
    out = io.BytesIO()
    write_workbook(sheets, out, tz=tz)
    return out.getvalue()


def xlsx_response(
    filename: str,
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    title: str,
    tz: ZoneInfo | None = None,
    more: Iterable[Sheet] = (),
) -> FileResponse:
    """A download of one sheet (plus `more` sheets), streamed from a temporary file."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the response when sent)
    write_workbook([(title, header, rows), *more], spool, tz=tz)
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )


def wants_xlsx(request: HttpRequest) -> bool:
    """A list page asked for its XLSX download (`?format=xlsx`, see the `xlsx_link` tag)."""
    return request.GET.get("format") == "xlsx"


Column = tuple[Any, Callable[[Any], Any]]  # header, value of one object


def list_xlsx(
    request: PandaiRequest, *, name: str, columns: Sequence[Column], objects: Iterable[Any]
) -> FileResponse:
    """A list page's download: the same objects the page filtered (all of them, not one page),
    one row each, instants in the acting site's time zone."""
    site = request.site
    tz = ZoneInfo(site.time_zone)
    today = dt.datetime.now(tz).date()
    return xlsx_response(
        f"{name}-{site.code}-{today:%Y%m%d}.xlsx",
        [label for label, _value in columns],
        ([value(obj) for _label, value in columns] for obj in objects),
        title=name,
        tz=tz,
    )

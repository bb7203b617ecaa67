"""The look every Pandai PDF shares (reportlab): colours, paragraph styles, escaping, and the
ruled table with a shaded header row."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.platypus import Table, TableStyle

BRAND = colors.HexColor("#0b5d7a")
LINE = colors.HexColor("#d6dbe3")
SHADE = colors.HexColor("#eef1f5")
BAD = colors.HexColor("#b3261e")


def pdf_styles() -> dict[str, ParagraphStyle]:
    """site / title (headings), h (section), text, cell (in tables), mono, small (footers)."""
    base = getSampleStyleSheet()
    return {
        "site": ParagraphStyle("site", parent=base["Title"], fontSize=14, textColor=BRAND),
        "title": ParagraphStyle("title", parent=base["Heading2"], fontSize=12, spaceAfter=2),
        "h": ParagraphStyle("h", parent=base["Heading3"], fontSize=10.5, spaceBefore=8),
        "text": ParagraphStyle("text", parent=base["Normal"], fontSize=9, leading=12),
        "cell": ParagraphStyle("cell", parent=base["Normal"], fontSize=8, leading=10),
        "mono": ParagraphStyle("mono", parent=base["Code"], fontSize=8.5, leading=11),
        "small": ParagraphStyle("small", parent=base["Normal"], fontSize=7, textColor=colors.grey),
    }


def esc(text: object) -> str:
    """Text for a reportlab Paragraph (its mini-markup treats <, > and & specially)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def grid_table(
    rows: Sequence[Sequence[object]],
    widths: list[float],
    *,
    font_size: float = 8.5,
    right_from: int | None = 1,
    totals: bool = False,
) -> Table:
    """A table with a bold shaded header row repeated on each page and a rule under each row;
    columns from `right_from` on are right-aligned (figures); `totals` makes the last row bold."""
    table = Table(rows, colWidths=widths, repeatRows=1)
    style: list[tuple[object, ...]] = [
        ("FONT", (0, 0), (-1, -1), "Helvetica", font_size),
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", font_size),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, LINE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if right_from is not None:
        style.append(("ALIGN", (right_from, 0), (-1, -1), "RIGHT"))
    if totals:
        style.append(("FONT", (0, -1), (-1, -1), "Helvetica-Bold", font_size))
    table.setStyle(TableStyle(style))
    return table

"""The printable statement (mutasi rekening): an A4 PDF with the site's header, the inmate,
the period, the opening balance, one row per movement, the totals and the closing balance."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import BaseDocTemplate

from pandai.core.models import User
from pandai.core.money import format_rp
from pandai.core.pdf import LINE, SHADE, esc, pdf_styles
from pandai.wallet.statements import PlainStatement

_esc = esc
_styles = pdf_styles


def render_statement_pdf(*, statement: PlainStatement, printed_by: User, now: dt.datetime) -> bytes:
    inmate = statement.inmate
    site = inmate.site
    tz = ZoneInfo(site.time_zone)
    s = _styles()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
        title=f"Mutasi rekening {inmate.reg_no}",
        author="Pandai",
    )
    period = f"{statement.start:%d-%m-%Y} – {statement.end:%d-%m-%Y}"
    story: list[object] = [
        Paragraph(_esc(site.name), s["site"]),
        Paragraph(_esc(site.address or ""), s["small"]),
        Spacer(1, 3 * mm),
        Paragraph(_("Mutasi rekening Kartu Pandai"), s["title"]),
        Paragraph(
            f"<b>{_esc(inmate.full_name)}</b> · {_esc(inmate.reg_no)} · "
            f"{_esc(statement.kind_label)}<br/>{_('Periode')}: {period}",
            s["text"],
        ),
        Spacer(1, 4 * mm),
    ]
    header: list[object] = [
        _("Tanggal"),
        _("Keterangan"),
        pgettext("uang", "Masuk"),
        pgettext("uang", "Keluar"),
        _("Saldo"),
    ]
    rows: list[list[object]] = [header]
    rows.append(
        [
            "",
            Paragraph(f"<b>{_('Saldo awal')}</b>", s["cell"]),
            "",
            "",
            format_rp(statement.opening_rp),
        ]
    )
    for line in statement.lines:
        words = _esc(line.words)
        if line.reference:
            words += f"<br/><font size=6 color='grey'>{_esc(line.reference)}</font>"
        rows.append(
            [
                line.at.astimezone(tz).strftime("%d-%m-%Y %H:%M"),
                Paragraph(words, s["cell"]),
                format_rp(line.in_rp) if line.in_rp else "",
                format_rp(line.out_rp) if line.out_rp else "",
                format_rp(line.balance_rp),
            ]
        )
    if not statement.lines:
        rows.append(["", Paragraph(_("Tidak ada mutasi pada periode ini."), s["cell"]), "", "", ""])
    rows.append(
        [
            "",
            Paragraph(f"<b>{_('Jumlah')}</b>", s["cell"]),
            format_rp(statement.total_in_rp),
            format_rp(statement.total_out_rp),
            "",
        ]
    )
    rows.append(
        [
            "",
            Paragraph(f"<b>{_('Saldo akhir')}</b>", s["cell"]),
            "",
            "",
            format_rp(statement.closing_rp),
        ]
    )
    table = Table(rows, colWidths=[28 * mm, 78 * mm, 24 * mm, 24 * mm, 26 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
                ("FONT", (0, 1), (-1, -1), "Helvetica", 8),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("BACKGROUND", (0, -2), (-1, -1), SHADE),
                ("ALIGN", (2, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, LINE),
            ]
        )
    )
    story += [
        table,
        Spacer(1, 6 * mm),
        Paragraph(
            _("Dicetak %(at)s oleh %(who)s. Semua jumlah dalam rupiah.")
            % {"at": now.astimezone(tz).strftime("%d-%m-%Y %H:%M"), "who": _esc(str(printed_by))},
            s["small"],
        ),
    ]

    def footer(canvas: Canvas, document: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.setFillColor(colors.grey)
        text = f"Pandai · {site.name} · {inmate.reg_no} · {_('hal.')} {document.page}"
        canvas.drawRightString(A4[0] - 15 * mm, 10 * mm, text)
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()

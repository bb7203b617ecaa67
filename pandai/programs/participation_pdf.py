"""The participation record as an A4 PDF: evidence of programme participation for the SPPN
assessment and remission / parole files, signed by the programme officer and the official."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from pandai.core.models import User
from pandai.core.money import format_rp
from pandai.core.pdf import esc, grid_table, pdf_styles
from pandai.inmates.models import LegalStatus
from pandai.programs.models import CODE_RULES, AttendanceCode, ProgrammeKind
from pandai.programs.selectors import Participation

_esc = esc
_styles = pdf_styles


def _table(rows: list[list[object]], widths: list[float]) -> Table:
    return grid_table(rows, widths, font_size=8, right_from=2)


def _day(value: dt.date | None, fallback: str) -> str:
    return value.strftime("%d-%m-%Y") if value else fallback


def _pct(value: float | None) -> str:
    return f"{value:.1f}%".replace(".", ",") if value is not None else "–"


def render_participation_pdf(*, record: Participation, printed_by: User, now: dt.datetime) -> bytes:
    inmate = record.inmate
    site = inmate.site
    s = _styles()
    tz = ZoneInfo(site.time_zone)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=14 * mm,
        bottomMargin=16 * mm,
        title=f"Keikutsertaan program {inmate.reg_no}",
        author="Pandai",
    )
    width = A4[0] - 30 * mm
    period = _("seluruh masa pembinaan")
    if record.start or record.end:
        period = f"{_day(record.start, '…')} – {_day(record.end, '…')}"
    block = inmate.block
    facts = [
        [_("Nama"), inmate.full_name],
        [_("No. registrasi"), inmate.reg_no],
        [_("Status hukum"), LegalStatus(inmate.legal_status).label],
        [_("Blok / kamar"), str(inmate.cell) if block else "–"],
        [_("Periode"), period],
    ]
    fact_table = Table(facts, colWidths=[width * 0.25, width * 0.75])
    fact_table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "Helvetica", 9)]))
    story: list[Flowable] = [
        Paragraph(_esc(site.name), s["site"]),
        Paragraph(_("Catatan keikutsertaan program pembinaan"), s["text"]),
        Spacer(1, 3 * mm),
        fact_table,
        Paragraph(_("Program yang diikuti"), s["h"]),
    ]
    header: list[object] = [
        _("Program"),
        _("Status"),
        _("Hadir"),
        _("Sakit/izin"),
        _("Menolak"),
        _("Kehadiran"),
        _("Premi"),
    ]
    rows: list[list[object]] = [header]
    for p in record.programmes:
        excused = p.by_code.get(AttendanceCode.SICK, 0) + p.by_code.get(AttendanceCode.EXCUSED, 0)
        kind = ProgrammeKind(p.programme.kind).label
        since = _day(p.first_day, "–")
        until = _day(p.last_day, _("sekarang"))
        rows.append(
            [
                Paragraph(
                    f"<b>{_esc(p.programme.name)}</b><br/>{_esc(kind)} · {since} – {until}",
                    s["cell"],
                ),
                Paragraph(_esc(p.status), s["cell"]),
                str(p.attended),
                str(excused),
                str(p.against),
                _pct(p.rate_pct),
                format_rp(p.premi_rp),
            ]
        )
    rows.append(
        [
            _("Jumlah"),
            "",
            str(record.attended),
            "",
            str(record.against),
            _pct(record.rate_pct),
            format_rp(record.premi_rp),
        ]
    )
    widths = [0.34, 0.12, 0.08, 0.1, 0.09, 0.11, 0.16]
    story.append(_table(rows, [width * w for w in widths]))
    against = ", ".join(
        str(AttendanceCode(code).label).lower()
        for code, r in CODE_RULES.items()
        if r.counts_against
    )
    story += [
        Spacer(1, 2 * mm),
        Paragraph(
            _(
                "Tingkat kehadiran = hadir ÷ (hadir + ketidakhadiran yang dihitung: %(codes)s). "
                "Sakit, izin, tidak diperlukan dan sesi dibatalkan tidak mengurangi."
            )
            % {"codes": against},
            s["small"],
        ),
        Spacer(1, 12 * mm),
        _table(
            [
                [_("Petugas pembinaan"), _("Mengetahui")],
                ["\n\n\n" + printed_by.display_name, "\n\n\n"],
            ],
            [width / 2] * 2,
        ),
        Spacer(1, 4 * mm),
        Paragraph(
            _("Dicetak %(at)s oleh %(who)s")
            % {"at": f"{now.astimezone(tz):%d-%m-%Y %H:%M}", "who": _esc(printed_by.display_name)},
            s["small"],
        ),
    ]
    doc.build(story)
    return out.getvalue()

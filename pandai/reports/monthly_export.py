"""The monthly report's lines (one measure a line, one column a site) and its two files: an
XLSX workbook (the summary and the programmes' attendance) and an A4 landscape PDF."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

from pandai.core.models import User
from pandai.core.money import format_rp
from pandai.core.pdf import esc, grid_table, pdf_styles
from pandai.core.xlsx import Sheet, xlsx_bytes
from pandai.reports.monthly import MonthlyFigures

F = MonthlyFigures
# (label, value of one site's figures, kind: "n" a count, "rp" rupiah, "pct" a percentage)
LINES: list[tuple[str | Promise, Callable[[F], int | None], str]] = [
    (_l("Titipan di loket (transaksi)"), lambda f: f.deposits_counter.count, "n"),
    (_l("Titipan di loket (nilai)"), lambda f: f.deposits_counter.amount_rp, "rp"),
    (_l("Transfer bank ke VA (transaksi)"), lambda f: f.deposits_bank.count, "n"),
    (_l("Transfer bank ke VA (nilai)"), lambda f: f.deposits_bank.amount_rp, "rp"),
    (_l("Total setoran untuk WBP"), lambda f: f.deposits.amount_rp, "rp"),
    (_l("Struk koperasi"), lambda f: f.sales.count, "n"),
    (_l("Penjualan koperasi bersih"), lambda f: f.sales.amount_rp, "rp"),
    (_l("Saldo belanja WBP (akhir periode)"), lambda f: f.inmates_spendable_rp, "rp"),
    (_l("Tabungan WBP (akhir periode)"), lambda f: f.inmates_savings_rp, "rp"),
    (_l("Titipan tertahan (akhir periode)"), lambda f: f.inmates_held_rp, "rp"),
    (_l("Dana WBP yang dipegang UPT"), lambda f: f.inmates_total_rp, "rp"),
    (_l("Pengaduan diterima"), lambda f: f.answers.received, "n"),
    (_l("Pengaduan dijawab"), lambda f: f.answers.answered, "n"),
    (_l("Dijawab tepat waktu (%)"), lambda f: f.answers.on_time_pct, "pct"),
    (_l("Pelapor puas (%)"), lambda f: f.answers.satisfied_pct, "pct"),
    (_l("Sosialisasi terlaksana"), lambda f: f.sessions_held, "n"),
    (_l("Kehadiran sosialisasi"), lambda f: f.session_attendance, "n"),
    (_l("Janji dibuat dalam sosialisasi"), lambda f: f.promises_made, "n"),
    (_l("Janji yang sudah selesai"), lambda f: f.promises_done, "n"),
    (_l("Kehadiran program pembinaan (%)"), lambda f: f.attendance_pct, "pct"),
    (_l("Kehadiran program (hadir)"), lambda f: f.attended, "n"),
    (_l("Premi dibukukan (kali)"), lambda f: f.premi_runs, "n"),
    (_l("Premi dibayarkan"), lambda f: f.premi_rp, "rp"),
]


def shown(value: int | None, kind: str) -> str:
    if value is None:
        return "–"
    if kind == "rp":
        return format_rp(value)
    return f"{value}%" if kind == "pct" else f"{value:,}".replace(",", ".")


def summary_rows(reports: list[MonthlyFigures]) -> tuple[list[str], list[list[Any]]]:
    """Header (measure, then one column a site) and one row a measure, as raw numbers."""
    header = [_("Ukuran"), *(f"{f.site.name} ({f.site.code})" for f in reports)]
    rows = [[str(label), *(value(f) for f in reports)] for label, value, _kind in LINES]
    return header, rows


def attendance_rows(reports: list[MonthlyFigures]) -> tuple[list[str], list[list[Any]]]:
    header = [_("UPT"), _("Program"), _("Sesi"), _("Hadir"), _("Seharusnya"), _("Kehadiran (%)")]
    rows = [
        [f.site.code, p.name, p.sessions, p.attended, p.expected, p.rate_pct]
        for f in reports
        for p in f.attendance
    ]
    return header, rows


def monthly_xlsx(reports: list[MonthlyFigures], month: dt.date) -> bytes:
    header, rows = summary_rows(reports)
    sheets: list[Sheet] = [
        (_("Laporan %(m)s") % {"m": f"{month:%Y-%m}"}, header, rows),
        (_("Kehadiran program"), *attendance_rows(reports)),
    ]
    return xlsx_bytes(sheets)


def monthly_pdf(
    reports: list[MonthlyFigures], month: dt.date, *, printed_by: User, now: dt.datetime
) -> bytes:
    s = pdf_styles()
    out = io.BytesIO()
    size = landscape(A4)
    margin = 12 * mm
    doc = SimpleDocTemplate(
        out,
        pagesize=size,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=f"Laporan bulanan {month:%Y-%m}",
        author="Pandai",
    )
    width = size[0] - 2 * margin
    rows: list[list[object]] = [[_("Ukuran"), *(esc(f.site.code) for f in reports)]]
    for label, value, kind in LINES:
        rows.append([str(label), *(shown(value(f), kind) for f in reports)])
    first = width * 0.34
    other = (width - first) / max(len(reports), 1)
    story: list[Flowable] = [
        Paragraph(_("Laporan bulanan untuk Kanwil — %(m)s") % {"m": f"{month:%m-%Y}"}, s["site"]),
        Paragraph(
            ", ".join(
                f"{esc(f.site.code)}: {esc(f.site.name)} ({f.month:%d-%m}–{f.end:%d-%m-%Y})"
                for f in reports
            ),
            s["text"],
        ),
        Spacer(1, 3 * mm),
        grid_table(rows, [first] + [other] * len(reports), font_size=8),
        Spacer(1, 3 * mm),
        Paragraph(_("Kehadiran program pembinaan"), s["h"]),
    ]
    header_a, rows_a = attendance_rows(reports)
    if rows_a:
        table = [header_a] + [[*r[:5], shown(r[5], "pct")] for r in rows_a]
        story.append(grid_table(table, [width * 0.1, width * 0.4] + [width * 0.125] * 4))
    else:
        story.append(Paragraph(_("Tidak ada kehadiran program yang tercatat."), s["text"]))
    story += [
        Spacer(1, 4 * mm),
        Paragraph(
            _("Dicetak %(at)s oleh %(who)s · Pandai")
            % {"at": f"{now:%d-%m-%Y %H:%M}", "who": esc(printed_by.display_name)},
            s["small"],
        ),
    ]
    doc.build(story)
    return out.getvalue()

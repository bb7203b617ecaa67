"""The daily closing as an A4 PDF: movements by channel, counter shifts, the trial balance,
the inmates' money, and the audit chain's last hash of the day printed in full (so the chain
is anchored on paper, signed by the officials)."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table

from pandai.core.models import User
from pandai.core.money import format_rp
from pandai.core.pdf import esc, grid_table, pdf_styles
from pandai.wallet.closing import ClosingFigures, Movement

_esc = esc
_styles = pdf_styles


def _table(rows: list[list[object]], widths: list[float], totals: bool = False) -> Table:
    return grid_table(rows, widths, totals=totals)


def _movement_rows(f: ClosingFigures) -> list[list[object]]:
    lines: list[tuple[str, Movement]] = [
        (_("Titipan tunai di loket"), f.deposits_counter),
        (_("Transfer bank ke VA"), f.deposits_bank),
        (_("Dari suspense ke WBP"), f.deposits_from_suspense),
        (_("Total setoran masuk ke WBP"), f.deposits_total),
        (_("Bank masuk ke suspense (VA tidak dikenal)"), f.suspense_in),
        (_("Suspense dikembalikan ke pengirim"), f.suspense_returned),
        (_("Belanja koperasi"), f.purchases),
        (_("Pengembalian belanja"), f.refunds),
        (_("Premi (termasuk bagian tabungan)"), f.premi),
        (_("Pembayaran saat bebas"), f.payouts),
        (_("Pembatalan (koreksi)"), f.reversals),
        (_("Penyesuaian"), f.adjustments),
        (_("Pindah saldo karena mutasi"), f.site_transfers),
    ]
    rows: list[list[object]] = [[_("Jenis"), _("Jumlah transaksi"), _("Nilai")]]
    rows += [[label, str(m.count), format_rp(m.amount_rp)] for label, m in lines]
    return rows


def _shift_rows(f: ClosingFigures) -> list[list[object]]:
    tz = ZoneInfo(f.site.time_zone)
    rows: list[list[object]] = [
        [_("Loket / petugas"), _("Kas awal"), _("Seharusnya"), _("Dihitung"), _("Selisih")]
    ]
    for s in f.shifts or []:
        when = f"{s.opened_at.astimezone(tz):%H:%M}–" + (
            f"{s.closed_at.astimezone(tz):%H:%M}" if s.closed_at else _("masih buka")
        )

        def rp(value: int | None) -> str:
            return format_rp(value) if value is not None else "–"

        rows.append(
            [
                f"{s.counter} · {s.officer} ({when})",
                format_rp(s.opening_cash_rp),
                rp(s.expected_cash_rp),
                rp(s.counted_cash_rp),
                rp(s.difference_rp),
            ]
        )
    return rows


def render_closing_pdf(*, figures: ClosingFigures, printed_by: User, now: dt.datetime) -> bytes:
    f = figures
    s = _styles()
    tz = ZoneInfo(f.site.time_zone)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=14 * mm,
        bottomMargin=16 * mm,
        title=f"Penutupan harian {f.site.code} {f.day:%Y-%m-%d}",
        author="Pandai",
    )
    width = A4[0] - 30 * mm
    story: list[Flowable] = [
        Paragraph(_esc(f.site.name), s["site"]),
        Paragraph(
            _("Laporan penutupan harian Kartu Pandai — %(day)s") % {"day": f"{f.day:%d-%m-%Y}"},
            s["text"],
        ),
        Spacer(1, 3 * mm),
        Paragraph(_("Perputaran uang hari ini"), s["h"]),
        _table(_movement_rows(f), [width * 0.55, width * 0.2, width * 0.25]),
    ]
    if f.shifts is not None:
        story += [Paragraph(_("Shift loket (hasil kas)"), s["h"])]
        if f.shifts:
            story.append(_table(_shift_rows(f), [width * 0.4] + [width * 0.15] * 4))
        else:
            story.append(Paragraph(_("Tidak ada shift loket hari ini."), s["text"]))
    tb: list[list[object]] = [[_("Rekening"), _("Debit"), _("Kredit")]]
    for row in f.trial_balance:
        tb.append([row.label, format_rp(row.debit_side_rp), format_rp(row.credit_side_rp)])
    tb.append([_("Jumlah"), format_rp(f.total_debits_rp), format_rp(f.total_credits_rp)])
    colour = "#1b5e20" if f.balanced else "#b3261e"
    story += [
        Paragraph(_("Neraca saldo pada akhir hari"), s["h"]),
        _table(tb, [width * 0.5, width * 0.25, width * 0.25], totals=True),
        Paragraph(
            f'<font color="{colour}"><b>'
            + _("Selisih debit − kredit: %(d)s") % {"d": format_rp(f.trial_balance_difference_rp)}
            + "</b></font>",
            s["text"],
        ),
        Paragraph(_("Dana WBP yang dipegang UPT"), s["h"]),
        _table(
            [
                [_("Bagian"), _("Saldo")],
                [_("Saldo belanja"), format_rp(f.inmate_spendable_rp)],
                [_("Tabungan"), format_rp(f.inmate_savings_rp)],
                [_("Titipan tertahan"), format_rp(f.inmate_held_rp)],
                [_("Jumlah dana WBP"), format_rp(f.inmates_total_rp)],
            ],
            [width * 0.6, width * 0.4],
            totals=True,
        ),
        Paragraph(_("Jejak audit"), s["h"]),
        Paragraph(
            _("Hash terakhir rantai audit sebelum akhir hari (urutan #%(seq)d):")
            % {"seq": f.audit_seq},
            s["text"],
        ),
        Paragraph(f.audit_hash, s["mono"]),
        Spacer(1, 12 * mm),
        _table(
            [
                [_("Dibuat oleh"), _("Diperiksa oleh"), _("Mengetahui")],
                ["\n\n\n" + printed_by.display_name, "\n\n\n", "\n\n\n"],
            ],
            [width / 3] * 3,
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

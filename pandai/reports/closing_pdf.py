"""The daily closing as one signed A4 page: the day's movements and balances, the counter and
till shifts, the audit chain's last hash of the day in full and as a QR code, and room for the
treasurer's and the head's signatures. Drawn from a `ClosingSheet`: for a closed day the
stored snapshot, so a re-print shows exactly what was signed."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import qrcode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, Paragraph, SimpleDocTemplate, Spacer, Table

from pandai.core.models import Role, User
from pandai.core.money import format_rp
from pandai.core.pdf import BAD, esc, grid_table, pdf_styles
from pandai.reports.closing import ClosingSheet
from pandai.reports.models import DayClosing

MARGIN = 12 * mm
WIDTH = A4[0] - 2 * MARGIN
# Shifts listed one per row before the rest are summed into one line (the sheet stays one page).
SHIFT_ROWS = (8, 4, 2)
FONT = 7.5
T = TypeVar("T")


def _rp(value: Any) -> str:
    return format_rp(int(value)) if value is not None else "–"


def _hhmm(iso: str | None) -> str:
    return dt.datetime.fromisoformat(iso).strftime("%H:%M") if iso else _("buka")


def _qr(text: str, size: float) -> Image:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=6, border=1)
    code.add_data(text)
    code.make(fit=True)
    png = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(png)
    png.seek(0)
    return Image(png, width=size, height=size)


def _money_tables(sheet: ClosingSheet) -> Table:
    f = sheet.figures
    """Movements on the left; the trial balance and the inmates' money on the right."""
    left_w, right_w = WIDTH * 0.52, WIDTH * 0.46
    moves: list[list[object]] = [[_("Perputaran uang hari ini"), _("Trx"), _("Nilai")]]
    moves += [[m.label, str(m.count), _rp(m.amount_rp)] for m in sheet.movements]
    balance: list[list[object]] = [[_("Neraca saldo akhir hari"), _("Debit"), _("Kredit")]]
    balance += [[r.label, _rp(r.debit_side_rp), _rp(r.credit_side_rp)] for r in f.trial_balance]
    balance.append([_("Jumlah"), _rp(f.total_debits_rp), _rp(f.total_credits_rp)])
    inmates: list[list[object]] = [
        [_("Dana WBP yang dipegang UPT"), _("Saldo")],
        [_("Saldo belanja"), _rp(f.inmate_spendable_rp)],
        [_("Tabungan"), _rp(f.inmate_savings_rp)],
        [_("Titipan tertahan"), _rp(f.inmate_held_rp)],
        [_("Jumlah dana WBP"), _rp(f.inmates_total_rp)],
    ]
    right = Table(
        [
            [
                grid_table(
                    balance,
                    [right_w * 0.5, right_w * 0.25, right_w * 0.25],
                    font_size=FONT,
                    totals=True,
                )
            ],
            [Spacer(1, 2 * mm)],
            [grid_table(inmates, [right_w * 0.6, right_w * 0.4], font_size=FONT, totals=True)],
        ],
        colWidths=[right_w],
        style=[("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)],
    )
    left = grid_table(moves, [left_w * 0.62, left_w * 0.1, left_w * 0.28], font_size=FONT)
    return Table(
        [[left, right]],
        colWidths=[left_w + WIDTH * 0.02, right_w],
        style=[
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ],
    )


def _capped(
    header: Sequence[object],
    items: Sequence[T],
    limit: int,
    row: Callable[[T], list[object]],
    sums: Callable[[Sequence[T]], list[object]],
) -> list[list[object]]:
    """The header, a row for each of the first `limit` items, and one line summing the rest."""
    rows: list[list[object]] = [[str(h) for h in header]]
    rows += [row(item) for item in items[:limit]]
    rest = items[limit:]
    if rest:
        rows.append([_("%(n)d shift lainnya") % {"n": len(rest)}, *sums(rest)])
    return rows


COUNTER_HEADER = [
    _l("Loket · petugas (jam)"),
    _l("Kas awal"),
    _l("Titipan"),
    _l("Seharusnya"),
    _l("Dihitung"),
    _l("Selisih"),
]


def _counter_rows(sheet: ClosingSheet, limit: int) -> list[list[object]]:
    tz = ZoneInfo(sheet.figures.site.time_zone)

    def hhmm(moment: dt.datetime | None) -> str:
        return f"{moment.astimezone(tz):%H:%M}" if moment else _("buka")

    return _capped(
        COUNTER_HEADER,
        sheet.figures.shifts or [],
        limit,
        lambda s: [
            f"{s.counter} · {s.officer} ({hhmm(s.opened_at)}–{hhmm(s.closed_at)})",
            *map(_rp, (s.opening_cash_rp, s.deposits_rp, s.expected_cash_rp)),
            *map(_rp, (s.counted_cash_rp, s.difference_rp)),
        ],
        lambda rest: [
            _rp(sum(s.opening_cash_rp for s in rest)),
            _rp(sum(s.deposits_rp or 0 for s in rest)),
            "",
            "",
            _rp(sum(s.difference_rp or 0 for s in rest)),
        ],
    )


SHOP_FIGURES = ("sales_rp", "returns_rp", "net_rp", "ledger_net_rp")
SHOP_HEADER = [
    _l("Shift kasir · terminal (jam)"),
    _l("Struk"),
    _l("Penjualan"),
    _l("Retur"),
    _l("Bersih"),
    _l("Buku besar"),
]


def _shop_rows(sheet: ClosingSheet, limit: int) -> list[list[object]]:
    return _capped(
        SHOP_HEADER,
        sheet.shop_shifts,
        limit,
        lambda s: [
            f"{s['number']} · {s['cashier']} · {s['terminal']} "
            f"({_hhmm(s['opened_at'])}–{_hhmm(s['closed_at'])})",
            str(s["receipts"]),
            *(_rp(s[key]) for key in SHOP_FIGURES[:3]),
            _rp(s["ledger_net_rp"]) + ("" if s["matches"] is not False else " ≠"),
        ],
        lambda rest: [
            str(sum(int(s["receipts"]) for s in rest)),
            *(_rp(sum(int(s[key]) for s in rest)) for key in SHOP_FIGURES),
        ],
    )


def _is_head(user: User, closing: DayClosing) -> bool:
    return user.memberships.filter(site_id=closing.site_id, role=Role.HEAD).exists()


def _signatures(closing: DayClosing | None) -> Table:
    """The two signers' names under their boxes: the head's under the head's, whoever closed
    or countersigned; the other under the treasurer's."""
    treasurer = head = ""
    if closing is not None:
        signers = [u for u in (closing.closed_by, closing.countersigned_by) if u is not None]
        heads = [u for u in signers if _is_head(u, closing)]
        if heads:
            head = heads[-1].display_name
        others = [u for u in signers if u.display_name != head]
        treasurer = others[0].display_name if others else ""
    half = WIDTH / 2
    return grid_table(
        [
            [_("Bendahara / pejabat keuangan"), _("Kepala UPT (Karutan / Kalapas)")],
            ["\n\n\n\n" + treasurer, "\n\n\n\n" + head],
        ],
        [half, half],
        right_from=None,
    )


def _story(
    sheet: ClosingSheet,
    closing: DayClosing | None,
    printed_by: User,
    now: dt.datetime,
    limit: int,
) -> list[Flowable]:
    s = pdf_styles()
    f = sheet.figures
    tz = ZoneInfo(f.site.time_zone)
    if closing is not None:
        status = _("DITUTUP oleh %(who)s pada %(at)s") % {
            "who": esc(closing.closed_by.display_name),
            "at": f"{closing.closed_at.astimezone(tz):%d-%m-%Y %H:%M}",
        }
        if closing.countersigned_by is not None and closing.countersigned_at is not None:
            status += " · " + _("ditandatangani %(who)s pada %(at)s") % {
                "who": esc(closing.countersigned_by.display_name),
                "at": f"{closing.countersigned_at.astimezone(tz):%d-%m-%Y %H:%M}",
            }
        status = f"<b>{status}</b>"
    else:
        status = (
            f'<font color="{BAD.hexval().replace("0x", "#")}"><b>'
            + _("SEMENTARA — hari ini belum ditutup; angka masih bisa berubah.")
            + "</b></font>"
        )
    colour = "#1b5e20" if f.balanced else "#b3261e"
    balance_note = (
        f'<font color="{colour}"><b>'
        + _("Selisih debit − kredit: %(d)s") % {"d": _rp(f.trial_balance_difference_rp)}
        + "</b></font>"
    )
    story: list[Flowable] = [
        Paragraph(esc(sheet.site_name), s["site"]),
        Paragraph(
            _("Lembar penutupan harian Kartu Pandai — %(day)s") % {"day": f"{f.day:%d-%m-%Y}"},
            s["title"],
        ),
        Paragraph(status, s["text"]),
        Spacer(1, 2 * mm),
        _money_tables(sheet),
        Paragraph(balance_note, s["text"]),
        Paragraph(_("Shift loket (hasil kas)"), s["h"]),
    ]
    if f.shifts:
        widths = [WIDTH * 0.4] + [WIDTH * 0.12] * 5
        story.append(grid_table(_counter_rows(sheet, limit), widths, font_size=FONT))
    else:
        story.append(Paragraph(_("Tidak ada shift loket hari ini."), s["text"]))
    story.append(Paragraph(_("Shift kasir koperasi (laporan Z)"), s["h"]))
    if sheet.shop_shifts:
        widths = [WIDTH * 0.44, WIDTH * 0.08] + [WIDTH * 0.12] * 4
        story.append(grid_table(_shop_rows(sheet, limit), widths, font_size=FONT))
    else:
        story.append(Paragraph(_("Tidak ada shift kasir hari ini."), s["text"]))
    qr_size = 28 * mm
    anchor = Table(
        [
            [
                [
                    Paragraph(_("Jangkar rantai audit"), s["h"]),
                    Paragraph(
                        _(
                            "Hash terakhir rantai audit sebelum akhir hari (urutan #%(seq)d). "
                            "Bila satu baris jejak audit diubah kemudian, hash ini tidak akan "
                            "cocok lagi."
                        )
                        % {"seq": f.audit_seq},
                        s["text"],
                    ),
                    Paragraph(f.audit_hash, s["mono"]),
                ],
                _qr(f.audit_hash, qr_size),
            ]
        ],
        colWidths=[WIDTH - qr_size - 4 * mm, qr_size + 4 * mm],
        style=[
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ],
    )
    story += [
        anchor,
        Spacer(1, 3 * mm),
        _signatures(closing),
        Spacer(1, 2 * mm),
        Paragraph(
            _("Dicetak %(at)s oleh %(who)s · Pandai")
            % {"at": f"{now.astimezone(tz):%d-%m-%Y %H:%M}", "who": esc(printed_by.display_name)},
            s["small"],
        ),
    ]
    return story


def render_closing_sheet_pdf(
    *, sheet: ClosingSheet, closing: DayClosing | None, printed_by: User, now: dt.datetime
) -> bytes:
    """One A4 page; with many shifts the longest lists are cut and summed until it fits."""
    pdf = b""
    for limit in SHIFT_ROWS:
        out = io.BytesIO()
        f = sheet.figures
        doc = SimpleDocTemplate(
            out,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=f"Penutupan harian {f.site.code} {f.day:%Y-%m-%d}",
            author="Pandai",
        )
        doc.build(_story(sheet, closing, printed_by, now, limit))
        pdf = out.getvalue()
        if doc.page == 1:
            break
    return pdf

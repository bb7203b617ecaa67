"""The daily closing sheet of one site and day: the figures as a JSON snapshot (what a closed
day keeps forever) and the sheet read back from a snapshot (what the page and the one-page PDF
show). An open day's sheet is a snapshot made now; a closed day's is the stored one, never
recomputed, so a later correction of the ledger cannot change a signed day.

The money figures come from wallet's `closing_figures`; the shop's till shifts of the day and
their Z-reports from shop's report selectors.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pandai.core.calendar import site_day_bounds
from pandai.core.models import Site
from pandai.reports.models import DayClosing
from pandai.shop.report_selectors import Period
from pandai.shop.report_selectors_stock import shifts as shop_shift_table
from pandai.wallet.closing import (
    ClosingFigures,
    Movement,
    ShiftResult,
    TrialBalanceRow,
    closing_figures,
)
from pandai.wallet.models import AccountKind

SNAPSHOT_VERSION = 1

# The movement lines of the sheet in print order: (key in the snapshot, label).
MOVEMENT_LINES: list[tuple[str, str | Promise]] = [
    ("deposits_counter", _("Titipan tunai di loket")),
    ("deposits_bank", _("Transfer bank ke VA")),
    ("deposits_from_suspense", _("Dari suspense ke WBP")),
    ("deposits_total", _("Total setoran masuk ke WBP")),
    ("suspense_in", _("Bank masuk ke suspense (VA tidak dikenal)")),
    ("suspense_returned", _("Suspense dikembalikan ke pengirim")),
    ("purchases", _("Belanja koperasi")),
    ("refunds", _("Pengembalian belanja")),
    ("premi", _("Premi (termasuk bagian tabungan)")),
    ("payouts", _("Pembayaran saat bebas")),
    ("reversals", _("Pembatalan (koreksi)")),
    ("adjustments", _("Penyesuaian")),
    ("site_transfers", _("Pindah saldo karena mutasi")),
]
TOTAL_LINES = {"deposits_total"}


def _local(moment: dt.datetime | None, tz: ZoneInfo) -> str | None:
    return moment.astimezone(tz).isoformat() if moment else None


def _movement(m: Movement) -> list[int]:
    return [m.count, m.amount_rp]


def _counter_shifts(f: ClosingFigures, tz: ZoneInfo) -> list[dict[str, Any]]:
    return [
        {
            "counter": s.counter,
            "officer": s.officer,
            "opened_at": _local(s.opened_at, tz),
            "closed_at": _local(s.closed_at, tz),
            "opening_cash_rp": s.opening_cash_rp,
            "deposits_rp": s.deposits_rp,
            "payouts_rp": s.payouts_rp,
            "expected_cash_rp": s.expected_cash_rp,
            "counted_cash_rp": s.counted_cash_rp,
            "difference_rp": s.difference_rp,
            "difference_reason": s.difference_reason,
        }
        for s in f.shifts or []
    ]


def _shop_shifts(site: Site, day: dt.date) -> list[dict[str, Any]]:
    """The tills' shifts opened in the day with their Z-report figures (a shift still open is
    counted up to now and marked open)."""
    table = shop_shift_table(Period(site=site, start=day, end=day))
    out = []
    for row in table.rows:
        number, cashier, terminal, opened, closed, receipts, sales, voids, returns, net, ledger = (
            row[:11]
        )
        out.append(
            {
                "number": number,
                "cashier": cashier,
                "terminal": terminal,
                "opened_at": opened.isoformat(timespec="seconds") if opened else None,
                "closed_at": closed.isoformat(timespec="seconds") if closed else None,
                "receipts": receipts,
                "sales_rp": sales,
                "voids_rp": voids,
                "returns_rp": returns,
                "net_rp": net,
                "ledger_net_rp": ledger,
                "matches": row[11],
            }
        )
    return out


def closing_snapshot(*, site: Site, day: dt.date) -> dict[str, Any]:
    """Every figure of the day's closing sheet as plain JSON (the stored form of a closed day)."""
    f = closing_figures(site=site, day=day)
    tz = ZoneInfo(site.time_zone)
    return {
        "version": SNAPSHOT_VERSION,
        "site": {"code": site.code, "name": site.name, "time_zone": site.time_zone},
        "day": day.isoformat(),
        "movements": {key: _movement(getattr(f, key)) for key, _label in MOVEMENT_LINES},
        "premi_savings": _movement(f.premi_savings),
        "trial_balance": [
            {"kind": row.kind, "debits_rp": row.debits_rp, "credits_rp": row.credits_rp}
            for row in f.trial_balance
        ],
        "stored_debits_rp": f.stored_debits_rp,
        "stored_credits_rp": f.stored_credits_rp,
        "counter_shifts": _counter_shifts(f, tz),
        "shop_shifts": _shop_shifts(site, day),
        "audit_seq": f.audit_seq,
        "audit_hash": f.audit_hash,
    }


@dataclass(frozen=True)
class SheetLine:
    label: str
    count: int
    amount_rp: int
    total: bool = False


@dataclass
class ClosingSheet:
    """A day's sheet read back from its snapshot: the wallet's figures as they were (the same
    object the office page shows, so every total and balance is computed in one place), the
    site's name as it was, and the till shifts with their Z-reports."""

    figures: ClosingFigures
    site_name: str
    shop_shifts: list[dict[str, Any]]

    @property
    def movements(self) -> list[SheetLine]:
        return [
            SheetLine(str(label), m.count, m.amount_rp, total=key in TOTAL_LINES)
            for key, label in MOVEMENT_LINES
            for m in [getattr(self.figures, key)]
        ]


def _kind_label(kind: str) -> str:
    try:
        return str(AccountKind(kind).label)
    except ValueError:
        return kind


def _instant(iso: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(iso) if iso else None


def _shift(row: dict[str, Any]) -> ShiftResult:
    opened = _instant(row["opened_at"])
    assert opened is not None
    return ShiftResult(
        **{**row, "opened_at": opened, "closed_at": _instant(row["closed_at"])},
    )


def sheet_from_snapshot(data: dict[str, Any], *, site: Site) -> ClosingSheet:
    """The sheet of `site`'s snapshot `data` (a closed day's stored figures, or a live one)."""
    day = dt.date.fromisoformat(data["day"])
    start, end = site_day_bounds(site, day)
    figures = ClosingFigures(site=site, day=day, start=start, end=end)
    for key, (count, amount_rp) in data["movements"].items():
        if key != "deposits_total":  # a sum of three lines, computed again
            setattr(figures, key, Movement(int(count), int(amount_rp)))
    figures.premi_savings = Movement(*map(int, data["premi_savings"]))
    figures.trial_balance = [
        TrialBalanceRow(
            row["kind"], _kind_label(row["kind"]), int(row["debits_rp"]), int(row["credits_rp"])
        )
        for row in data["trial_balance"]
    ]
    figures.stored_debits_rp = int(data["stored_debits_rp"])
    figures.stored_credits_rp = int(data["stored_credits_rp"])
    figures.shifts = [_shift(row) for row in data["counter_shifts"]]
    figures.audit_seq = int(data["audit_seq"])
    figures.audit_hash = data["audit_hash"]
    return ClosingSheet(
        figures=figures, site_name=data["site"]["name"], shop_shifts=data["shop_shifts"]
    )


def day_closing_of(*, site: Site, day: dt.date) -> DayClosing | None:
    """The recorded closing of the site's day, if the day has been closed."""
    return (
        DayClosing.objects.filter(site=site, day=day)
        .select_related("closed_by", "countersigned_by")
        .first()
    )


def day_closings(*, site: Site, month: dt.date | None = None) -> QuerySet[DayClosing]:
    """The site's closed days, newest first (of one month when `month` is given)."""
    closings = (
        DayClosing.objects.filter(site=site)
        .select_related("site", "closed_by", "countersigned_by")
        .order_by("-day")
    )
    if month is not None:
        closings = closings.filter(day__year=month.year, day__month=month.month)
    return closings


def closing_sheet(*, site: Site, day: dt.date) -> tuple[ClosingSheet, DayClosing | None]:
    """The stored sheet of a closed day (its snapshot, never recomputed), or the live sheet of
    an open day."""
    closing = day_closing_of(site=site, day=day)
    data = closing.figures if closing is not None else closing_snapshot(site=site, day=day)
    return sheet_from_snapshot(data, site=site), closing

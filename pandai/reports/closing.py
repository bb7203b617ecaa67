"""The daily closing sheet of one site and day: the figures as a JSON snapshot (what a closed
day keeps forever) and the sheet read back from a snapshot (what the page and the one-page PDF
show). An open day's sheet is a snapshot made now; a closed day's is the stored one, never
recomputed, so a later correction of the ledger cannot change a signed day.

The money figures come from wallet's `closing_figures`; the shop's till shifts of the day and
their Z-reports from shop's report selectors.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pandai.core.models import Site
from pandai.shop.report_selectors import Period
from pandai.shop.report_selectors_stock import shifts as shop_shift_table
from pandai.wallet.closing import ClosingFigures, Movement, closing_figures
from pandai.wallet.models import DEBIT_NORMAL_KINDS, AccountKind

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
    return moment.astimezone(tz).isoformat(timespec="seconds") if moment else None


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


@dataclass(frozen=True)
class BalanceLine:
    kind: str
    label: str
    debit_side_rp: int
    credit_side_rp: int
    balance_rp: int


@dataclass
class ClosingSheet:
    """The sheet as the page and the PDF show it, read from a snapshot."""

    site_code: str
    site_name: str
    time_zone: str
    day: dt.date
    movements: list[SheetLine]
    premi_savings_rp: int
    trial_balance: list[BalanceLine]
    stored_difference_rp: int
    counter_shifts: list[dict[str, Any]]
    shop_shifts: list[dict[str, Any]]
    audit_seq: int
    audit_hash: str
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def total_debits_rp(self) -> int:
        return sum(row.debit_side_rp for row in self.trial_balance)

    @property
    def total_credits_rp(self) -> int:
        return sum(row.credit_side_rp for row in self.trial_balance)

    @property
    def trial_balance_difference_rp(self) -> int:
        return self.total_debits_rp - self.total_credits_rp

    @property
    def balanced(self) -> bool:
        return self.trial_balance_difference_rp == 0 and self.stored_difference_rp == 0

    def balance_of(self, kind: str) -> int:
        return sum(row.balance_rp for row in self.trial_balance if row.kind == kind)

    @property
    def inmate_spendable_rp(self) -> int:
        return self.balance_of(AccountKind.SPENDABLE)

    @property
    def inmate_savings_rp(self) -> int:
        return self.balance_of(AccountKind.SAVINGS)

    @property
    def inmate_held_rp(self) -> int:
        return self.balance_of(AccountKind.HELD)

    @property
    def inmates_total_rp(self) -> int:
        return self.inmate_spendable_rp + self.inmate_savings_rp + self.inmate_held_rp

    def movement(self, key: str) -> SheetLine:
        return self.movements[[k for k, _label in MOVEMENT_LINES].index(key)]

    @property
    def shop_net_rp(self) -> int:
        return sum(int(s["net_rp"]) for s in self.shop_shifts)

    @property
    def shops_match(self) -> bool:
        return all(s["matches"] is not False for s in self.shop_shifts)


def _kind_label(kind: str) -> str:
    try:
        return str(AccountKind(kind).label)
    except ValueError:
        return kind


def sheet_from_snapshot(data: dict[str, Any]) -> ClosingSheet:
    movements = data["movements"]
    trial_balance = []
    for row in data["trial_balance"]:
        debits, credits = int(row["debits_rp"]), int(row["credits_rp"])
        kind = row["kind"]
        trial_balance.append(
            BalanceLine(
                kind=kind,
                label=_kind_label(kind),
                debit_side_rp=max(debits - credits, 0),
                credit_side_rp=max(credits - debits, 0),
                balance_rp=debits - credits if kind in DEBIT_NORMAL_KINDS else credits - debits,
            )
        )
    return ClosingSheet(
        site_code=data["site"]["code"],
        site_name=data["site"]["name"],
        time_zone=data["site"]["time_zone"],
        day=dt.date.fromisoformat(data["day"]),
        movements=[
            SheetLine(
                str(label),
                int(movements[key][0]),
                int(movements[key][1]),
                total=key in TOTAL_LINES,
            )
            for key, label in MOVEMENT_LINES
        ],
        premi_savings_rp=int(data["premi_savings"][1]),
        trial_balance=trial_balance,
        stored_difference_rp=int(data["stored_debits_rp"]) - int(data["stored_credits_rp"]),
        counter_shifts=data["counter_shifts"],
        shop_shifts=data["shop_shifts"],
        audit_seq=int(data["audit_seq"]),
        audit_hash=data["audit_hash"],
    )

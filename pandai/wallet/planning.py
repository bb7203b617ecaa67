"""Building the transfers of one inmate's batch from locked balances, keeping the cap rules:

- SPENDABLE never ends a batch above the site's cap: money that would pass it goes to HELD;
- HELD money moves to SPENDABLE as soon as there is room, oldest lot first (a lot = one
  transfer that credited HELD; HELD debits consume lots in order, so each release names the
  lot it comes from in `origin`), and before any new money takes that room.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pandai.wallet.accounts import InmateAccounts
from pandai.wallet.models import Account, AccountStatus, Transfer, TransferKind
from pandai.wallet.posting import TransferSpec
from pandai.wallet.rules import Rules


class Plan:
    """Transfers for one batch, with the projected posted balances of the inmate's accounts."""

    def __init__(self, accounts: InmateAccounts, rules: Rules) -> None:
        self.accounts = accounts
        self.rules = rules
        self.specs: list[TransferSpec] = []
        self.balance = {a.pk: a.balance_rp for a in accounts.all()}

    def add(self, spec: TransferSpec) -> TransferSpec:
        self.specs.append(spec)
        if not spec.hold:
            if spec.debit.pk in self.balance:
                self.balance[spec.debit.pk] -= spec.amount_rp
            if spec.credit.pk in self.balance:
                self.balance[spec.credit.pk] += spec.amount_rp
        return spec

    @property
    def spendable(self) -> Account:
        return self.accounts.spendable

    @property
    def held(self) -> Account:
        return self.accounts.held

    def room(self) -> int:
        return max(0, self.rules.cap_rp - self.balance[self.spendable.pk])

    def release_held(self, reference: str = "") -> int:
        """Move HELD money into the room SPENDABLE has, oldest lot first. Returns the amount."""
        spendable, held = self.spendable, self.held
        if spendable.status == AccountStatus.CLOSED or held.status != AccountStatus.OPEN:
            return 0
        amount = min(self.room(), self.balance[held.pk])
        if amount <= 0:
            return 0
        for lot, part in self._lots(amount):
            self.add(
                TransferSpec(
                    debit=held,
                    credit=spendable,
                    amount_rp=part,
                    kind=TransferKind.HELD_RELEASE,
                    origin=lot,
                    reference=reference or f"held:{lot.pk}",
                )
            )
        return amount

    def _lots(self, amount: int) -> list[tuple[Transfer, int]]:
        held = self.held
        planned_debits = sum(
            s.amount_rp for s in self.specs if s.debit.pk == held.pk and not s.hold
        )
        consumed = held.debits_posted + planned_debits
        lots = Transfer.objects.filter(credit_account=held, state="posted").only("id", "amount_rp")
        out: list[tuple[Transfer, int]] = []
        for lot in lots.order_by("pk").iterator():
            if consumed >= lot.amount_rp:
                consumed -= lot.amount_rp
                continue
            part = min(lot.amount_rp - consumed, amount)
            consumed = 0
            out.append((lot, part))
            amount -= part
            if amount == 0:
                break
        if amount:
            raise RuntimeError("HELD lots do not cover the HELD balance")
        return out

    def credit_inmate(
        self,
        *,
        source: Account,
        amount_rp: int,
        kind: str,
        reference: str = "",
        origin: Transfer | None = None,
        limit_day: dt.date | None = None,
        **extra: Any,
    ) -> None:
        """Credit new money: older HELD money takes the room first, then this money up to the
        cap, the rest to HELD. With `limit_day` the credit gives spending limit back."""
        self.release_held()
        to_spendable = min(self.room(), amount_rp)
        parts = [(self.spendable, to_spendable), (self.held, amount_rp - to_spendable)]
        for account, part in parts:
            if part <= 0:
                continue
            limit: dict[str, Any] = {}
            if limit_day is not None:
                limit = {
                    "limit_account": self.spendable,
                    "limit_day": limit_day,
                    "limit_delta_rp": -part,
                }
            self.add(
                TransferSpec(
                    debit=source,
                    credit=account,
                    amount_rp=part,
                    kind=kind,
                    reference=reference,
                    origin=origin,
                    **limit,
                    **extra,
                )
            )

    def sweep_over_cap(self, reference: str = "") -> int:
        """Move whatever SPENDABLE holds above the cap to HELD (after a reversal, a lower cap)."""
        # Never sweep money reserved by pending holds (it would overdraw the account).
        available = self.balance[self.spendable.pk] - self.spendable.debits_pending
        excess = min(self.balance[self.spendable.pk] - self.rules.cap_rp, available)
        if excess <= 0 or self.held.status == AccountStatus.CLOSED:
            return 0
        self.add(
            TransferSpec(
                debit=self.spendable,
                credit=self.held,
                amount_rp=excess,
                kind=TransferKind.CAP_OVERFLOW,
                reference=reference,
            )
        )
        return excess

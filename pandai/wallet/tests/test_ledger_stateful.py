"""Property test: random sequences of ledger operations against a simple in-memory model.

After every step all invariants hold (pandai.wallet.checks) and every inmate's balances and
remaining limits equal the model's; every refusal has the model's error code and changes
nothing. The clock is injected and crosses days and month ends in the site's time zone.
Examples: HYPOTHESIS_PROFILE=ci -> 200, dev -> 30 (see pandai/conftest.py).
"""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from pandai.core.tests.factories import SiteFactory, StaffFactory
from pandai.inmates.tests.factories import InmateFactory
from pandai.wallet import selectors, services
from pandai.wallet.checks import run_checks
from pandai.wallet.errors import LedgerError
from pandai.wallet.models import Account, AccountKind, LedgerSettings, Transfer
from pandai.wallet.tests.conftest import ledger_snapshot
from pandai.wallet.tests.ledger_model import (
    Deposit,
    Hold,
    Limits,
    ModelMixin,
    Sale,
    Wbp,
)

AMOUNTS = st.one_of(
    st.sampled_from([1, 1_000, 5_000, 12_500, 25_000, 40_000, 75_000, 120_000]),
    st.integers(min_value=1, max_value=260_000),
)
TICKS = st.sampled_from(
    [
        dt.timedelta(minutes=30),
        dt.timedelta(hours=5),
        dt.timedelta(hours=13),
        dt.timedelta(days=3),
        dt.timedelta(days=17),
    ]
)
N_INMATES = 2


class LedgerMachine(ModelMixin, RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.keys = itertools.count(1)
        self.last: tuple | None = None

    def teardown(self) -> None:
        try:
            if hasattr(self, "site"):
                assert run_checks(site=self.site, audit=True) == []
        finally:
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)

    # --- setup -------------------------------------------------------------------------
    @initialize(
        tz=st.sampled_from(["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"]),
        cap=st.sampled_from([100_000, 300_000, 1_000_000]),
        daily=st.sampled_from([None, 30_000, 90_000]),
        monthly=st.sampled_from([None, 150_000, 500_000]),
        pct=st.sampled_from([0, 20, 35]),
        start=st.datetimes(min_value=dt.datetime(2025, 1, 27), max_value=dt.datetime(2025, 2, 1)),
    )
    def setup(self, tz, cap, daily, monthly, pct, start):
        self.site = SiteFactory(time_zone=tz)
        self.tz = ZoneInfo(tz)
        LedgerSettings.objects.create(
            site=self.site,
            balance_cap_rp=cap,
            daily_limit_rp=daily,
            monthly_limit_rp=monthly,
            savings_share_pct=pct,
        )
        self.rules = Limits(cap, daily, monthly, pct)
        self.now = start.replace(tzinfo=dt.UTC)
        self.officer = StaffFactory(site=self.site, roles=["counter_officer"])
        self.head = StaffFactory(site=self.site, roles=["head"])
        self.drawer = services.counter_account(site=self.site, counter="L1")
        self.inmates = [InmateFactory(site=self.site) for _ in range(N_INMATES)]
        self.model = [Wbp() for _ in range(N_INMATES)]
        self.holds: list[Hold] = []
        self.sales: list[Sale] = []
        self.deposits: list[Deposit] = []

    def attempt(self, expected_error: str | None, call):
        """Run `call`; it must fail with `expected_error` (changing nothing) or succeed."""
        if expected_error is None:
            return call()
        before = ledger_snapshot()
        with pytest.raises(LedgerError) as err:
            call()
        assert err.value.code == expected_error, (err.value.code, err.value.message)
        assert ledger_snapshot() == before
        return None

    # --- rules ---------------------------------------------------------------------------
    @rule(who=st.integers(0, N_INMATES - 1), amount=AMOUNTS, bank=st.booleans())
    def deposit(self, who, amount, bank):
        source = self.drawer
        if bank:
            source = services.system_account(site=self.site, kind=AccountKind.BANK_CLEARING)
        kwargs = dict(
            inmate=self.inmates[who],
            amount_rp=amount,
            source=source,
            actor=self.officer,
            idempotency_key=self.key(),
            now=self.now,
        )
        error = self.closed_or_frozen(who, debit=False)
        result = self.attempt(error, lambda: services.deposit_credit(**kwargs))
        if result is not None:
            spend_part, held_part = self.credit(who, amount)
            for t in result.transfers:
                into = "spend" if t.credit_account.kind == AccountKind.SPENDABLE else "held"
                self.deposits.append(Deposit(t, who, t.amount_rp, into))
            assert [t.amount_rp for t in result.transfers if t.kind == "deposit"] == [
                p for p in (spend_part, held_part) if p
            ]
            self.last = ("deposit", kwargs)

    @rule(who=st.integers(0, N_INMATES - 1), amount=AMOUNTS)
    def purchase(self, who, amount):
        m = self.model[who]
        kwargs = dict(
            inmate=self.inmates[who],
            amount_rp=amount,
            actor=self.officer,
            idempotency_key=self.key(),
            now=self.now,
        )
        error = self.closed_or_frozen(who, debit=True)
        if error is None and m.spend - m.pending < amount:
            error = "insufficient_funds"
        error = error or self.limit_error(who, amount)
        result = self.attempt(error, lambda: services.purchase(**kwargs))
        if result is not None:
            m.spend -= amount
            self.release(who)
            self.rules.entries.append([who, self.today(), amount, None])
            self.sales.append(Sale(result.transfers[0], who, amount, self.today()))
            self.last = ("purchase", kwargs)

    @precondition(lambda self: self.sales)
    @rule(index=st.integers(0, 10**6), amount=AMOUNTS)
    def refund(self, index, amount):
        sale = self.sales[index % len(self.sales)]
        amount = min(amount, sale.amount)
        left = 0 if sale.reversed else sale.amount - sale.refunded
        error = "refund_too_much" if amount > left else self.closed_or_frozen(sale.who, False)
        result = self.attempt(
            error,
            lambda: services.refund(
                inmate=self.inmates[sale.who],
                amount_rp=amount,
                purchase=sale.transfer,
                idempotency_key=self.key(),
                actor=self.officer,
                now=self.now,
            ),
        )
        if result is not None:
            sale.refunded += amount
            self.credit(sale.who, amount)
            self.rules.entries.append([sale.who, sale.day, -amount, None])

    @rule(
        who=st.integers(0, N_INMATES - 1),
        amount=AMOUNTS,
        ttl=st.sampled_from([dt.timedelta(hours=1), dt.timedelta(days=2)]),
    )
    def hold(self, who, amount, ttl):
        m = self.model[who]
        error = self.closed_or_frozen(who, debit=True)
        if error is None and m.spend - m.pending < amount:
            error = "insufficient_funds"
        error = error or self.limit_error(who, amount)
        result = self.attempt(
            error,
            lambda: services.hold_create(
                inmate=self.inmates[who],
                amount_rp=amount,
                idempotency_key=self.key(),
                actor=self.officer,
                expires_at=self.now + ttl,
                now=self.now,
            ),
        )
        if result is not None:
            m.pending += amount
            hold = Hold(result.transfers[0].pk, who, amount, self.now + ttl, self.today())
            self.holds.append(hold)
            self.rules.entries.append([who, self.today(), amount, hold])

    def _resolve(self, hold: Hold, state: str) -> None:
        hold.state = state
        self.model[hold.who].pending -= hold.amount
        self.rules.entries = [e for e in self.rules.entries if e[3] is not hold]

    @precondition(lambda self: self.holds)
    @rule(index=st.integers(0, 10**6), part=st.sampled_from([None, 1, 2, 3]))
    def hold_post(self, index, part):
        hold = self.holds[index % len(self.holds)]
        amount = hold.amount if part is None else max(1, hold.amount * part // 3)
        if hold.state != "pending":
            error = "hold_resolved"
        elif self.now >= hold.expires:
            error = "hold_expired"
        else:
            error = self.closed_or_frozen(hold.who, debit=True)
        result = self.attempt(
            error,
            lambda: services.hold_post(
                hold=Transfer.objects.get(pk=hold.pk),
                actor=self.officer,
                amount_rp=None if part is None else amount,
                idempotency_key=self.key(),
                now=self.now,
            ),
        )
        if result is not None:
            self._resolve(hold, "posted")
            self.model[hold.who].spend -= amount
            self.release(hold.who)
            self.rules.entries.append([hold.who, hold.day, amount, None])
            self.sales.append(Sale(result.transfers[0], hold.who, amount, hold.day))

    @precondition(lambda self: self.holds)
    @rule(index=st.integers(0, 10**6))
    def hold_void(self, index):
        hold = self.holds[index % len(self.holds)]
        error = "hold_resolved" if hold.state != "pending" else None
        result = self.attempt(
            error,
            lambda: services.hold_void(
                hold=Transfer.objects.get(pk=hold.pk),
                actor=self.officer,
                idempotency_key=self.key(),
                now=self.now,
            ),
        )
        if result is not None:
            self._resolve(hold, "voided")

    @rule(step=TICKS)
    def tick(self, step):
        self.now += step

    @rule()
    def expire(self):
        expired = services.holds_expire(now=self.now, site=self.site)
        due = [h for h in self.holds if h.state == "pending" and h.expires <= self.now]
        assert expired == len(due)
        for hold in due:
            self._resolve(hold, "expired")

    @precondition(lambda self: self.sales or self.deposits)
    @rule(index=st.integers(0, 10**6), sale=st.booleans())
    def reverse(self, index, sale):
        if self.sales and (sale or not self.deposits):
            target = self.sales[index % len(self.sales)]
            m = self.model[target.who]
            if target.reversed:
                error = "already_reversed"
            elif target.refunded:
                error = "already_refunded"
            else:
                error = self.closed_or_frozen(target.who, debit=False)
            if error is None:
                # Money above the cap moves to HELD, except what pending holds reserve.
                after = m.spend + target.amount
                excess = max(0, min(after - self.rules.cap, after - m.pending))
                if after - excess > self.rules.cap:
                    error = "over_cap"
        else:
            target = self.deposits[index % len(self.deposits)]
            m = self.model[target.who]
            if target.reversed:
                error = "already_reversed"
            else:
                error = self.closed_or_frozen(target.who, debit=target.into == "spend")
            if error is None:
                short = m.spend - m.pending if target.into == "spend" else m.held
                error = "insufficient_funds" if short < target.amount else None
        result = self.attempt(
            error,
            lambda: services.transfer_reverse(
                transfer=target.transfer,
                actor=self.head,
                reason="uji",
                idempotency_key=self.key(),
                now=self.now,
            ),
        )
        if result is None:
            return
        target.reversed = True
        if isinstance(target, Sale):
            m.spend += target.amount
            excess = min(m.spend - self.rules.cap, m.spend - m.pending)
            if excess > 0:
                m.spend -= excess
                m.held += excess
            self.rules.entries.append([target.who, target.day, -target.amount, None])
        elif target.into == "spend":
            m.spend -= target.amount
        else:
            m.held -= target.amount
        self.release(target.who)

    @rule(who=st.integers(0, N_INMATES - 1), amount=AMOUNTS)
    def premi(self, who, amount):
        error = self.closed_or_frozen(who, debit=False)
        kwargs = dict(
            inmate=self.inmates[who],
            amount_rp=amount,
            idempotency_key=self.key(),
            actor=self.officer,
            now=self.now,
        )
        result = self.attempt(error, lambda: services.premi_credit(**kwargs))
        if result is not None:
            savings = amount * self.rules.pct // 100
            if amount - savings:
                self.credit(who, amount - savings)
            self.model[who].savings += savings
            self.last = ("premi", kwargs)

    @rule(who=st.integers(0, N_INMATES - 1))
    def freeze_toggle(self, who):
        m = self.model[who]
        if m.closed:
            return
        account = services.inmate_accounts_open(inmate=self.inmates[who]).spendable
        if m.frozen:
            services.account_unfreeze(account=account, actor=self.head, reason="selesai")
        else:
            services.account_freeze(account=account, actor=self.head, reason="periksa")
        m.frozen = not m.frozen

    @rule(who=st.integers(0, N_INMATES - 1))
    def release_inmate(self, who):
        m = self.model[who]
        # A frozen SPENDABLE can't pay out (an empty one just closes).
        error = "account_frozen" if m.frozen and not m.closed and m.spend > 0 else None
        result = self.attempt(
            error,
            lambda: services.release_payout(
                inmate=self.inmates[who],
                method="cash",
                counter_account=self.drawer,
                actor=self.officer,
                now=self.now,
            ),
        )
        if result is None:
            return
        if m.closed:
            assert result.result.replayed
            return
        assert result.total_rp == m.spend + m.savings + m.held
        for hold in self.holds:
            if hold.who == who and hold.state == "pending":
                self._resolve(hold, "voided")
        self.model[who] = Wbp(closed=True)
        self.inmates[who].refresh_from_db()

    @precondition(lambda self: self.last is not None)
    @rule(change=st.booleans())
    def retry(self, change):
        name, kwargs = self.last
        call = {
            "deposit": services.deposit_credit,
            "purchase": services.purchase,
            "premi": services.premi_credit,
        }[name]
        if change:
            changed = {**kwargs, "amount_rp": kwargs["amount_rp"] + 1}
            self.attempt("idempotency_conflict", lambda: call(**changed))
        else:
            before = ledger_snapshot()
            assert call(**kwargs).replayed
            assert ledger_snapshot() == before

    # --- invariants ----------------------------------------------------------------------
    @invariant()
    def ledger_holds(self):
        if not hasattr(self, "site"):
            return
        assert run_checks(site=self.site, audit=False) == []
        for who, inmate in enumerate(self.inmates):
            m = self.model[who]
            b = selectors.balances(inmate=inmate)
            assert (b.spendable_rp, b.pending_rp, b.savings_rp, b.held_rp) == (
                m.spend,
                m.pending,
                m.savings,
                m.held,
            ), who
            limits = selectors.limits_remaining(inmate=inmate, now=self.now)
            assert (limits.spent_today_rp, limits.spent_month_rp) == self.spent(who)
        shop = Account.objects.filter(site=self.site, kind=AccountKind.SHOP_SALES).first()
        if shop is not None:
            assert shop.balance_rp >= 0


@pytest.mark.django_db
def test_ledger_against_a_model():
    # max_examples comes from the active profile; 30 steps reach month ends and expiries.
    run_state_machine_as_test(LedgerMachine, settings=settings(stateful_step_count=30))

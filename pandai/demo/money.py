"""Demo money: a week of counter shifts with family deposits, shop purchases and premi at
Blora, all through the wallet's services, and today's shift left open for the `loket` login."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from pandai.demo.context import DemoContext
from pandai.demo.names import FEMALE_FIRST, FEMALE_LAST, MALE_FIRST, MALE_LAST
from pandai.wallet import services
from pandai.wallet.counter import counter_create, shift_close, shift_open, shift_totals
from pandai.wallet.counter_deposits import Depositor, counter_deposit
from pandai.wallet.errors import LedgerError
from pandai.wallet.models_counter import Relationship

DAYS = 7
FAMILY = (Relationship.MOTHER, Relationship.WIFE, Relationship.SIBLING, Relationship.FATHER)


def _at(ctx: DemoContext, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZoneInfo(ctx.home.time_zone))


def load_money(ctx: DemoContext) -> None:
    rng = ctx.rng("money")
    site = ctx.home
    officer, head = ctx.staff["loket"], ctx.staff["karutan"]
    cashier = ctx.staff["kasir"]
    counter = counter_create(site=site, code="LOKET-1", name="Loket titipan depan", actor=head)
    inmates = [i for i in ctx.inmates["BLR"] if i.site_id == site.pk]
    funded: list = []
    for offset in range(DAYS, -1, -1):
        day = ctx.today - dt.timedelta(days=offset)
        shift = shift_open(
            counter=counter, officer=officer, opening_cash_rp=200_000, now=_at(ctx, day, 8)
        )
        for n, inmate in enumerate(rng.sample(inmates, k=min(len(inmates), 28))):
            relationship = rng.choice(FAMILY)
            female = relationship in (Relationship.MOTHER, Relationship.WIFE)
            first = rng.choice(FEMALE_FIRST if female else MALE_FIRST)
            last = rng.choice(FEMALE_LAST if female else MALE_LAST)
            counter_deposit(
                shift=shift,
                inmate=inmate,
                amount_rp=rng.choice((50_000, 100_000, 150_000, 200_000, 250_000)),
                depositor=Depositor(
                    name=f"{first} {last}",
                    nik=f"3316{rng.randrange(10**11, 10**12)}",
                    relationship=relationship,
                    phone=f"08{rng.randrange(10**9, 10**10)}",
                ),
                form_key=f"demo-{day.isoformat()}-{n}",
                actor=officer,
                now=_at(ctx, day, 9, n),
            )
            funded.append(inmate)
        if offset:  # past days are closed and balanced; today's shift stays open
            expected = shift_totals(shift=shift).expected_rp
            shift_close(shift=shift, actor=officer, counted_cash_rp=expected, now=_at(ctx, day, 15))
        for n, inmate in enumerate(rng.sample(funded, k=min(len(funded), 20))):
            try:
                services.purchase(
                    inmate=inmate,
                    amount_rp=rng.choice((6_000, 12_500, 18_000, 25_000, 32_000)),
                    idempotency_key=f"demo-sale-{day.isoformat()}-{n}",
                    actor=cashier,
                    reference="demo",
                    now=_at(ctx, day, 11, n),
                )
            except LedgerError:
                continue  # e.g. a restricted or short account: the demo just skips it
    for n, inmate in enumerate(rng.sample(inmates, k=min(len(inmates), 12))):
        services.premi_credit(
            inmate=inmate,
            amount_rp=75_000,
            idempotency_key=f"demo-premi-{n}",
            actor=ctx.staff["pembinaan"],
            reference="premi dapur",
            now=_at(ctx, ctx.today - dt.timedelta(days=1), 16),
        )

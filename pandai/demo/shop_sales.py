"""Demo: a few days at Blora's koperasi till, sold through the shop's checkout (card, PIN,
basket rules, stock, ledger, receipt), so the reports and the Z-reports have data.

One POS device ("Kasir koperasi 1"); for each of the last DAYS days the cashier 'kasir' opens
a shift in the morning, sells to inmates who have money on their card, and closes it with
its Z-report in the afternoon; today's shift stays open (the POS is ready to sell). A basket
the shop's rules refuse (a Register F restriction, a product limit, a short balance) is simply
not sold, as at the till.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from pandai.core import services as core_services
from pandai.core.models import Site
from pandai.demo.context import DemoContext
from pandai.inmates.models import Card, CardStatus
from pandai.shop.errors import ShopError
from pandai.shop.models import Product
from pandai.shop.services import CartLine, checkout, shift_close, shift_open
from pandai.wallet import selectors as wallet_selectors

DAYS = 3  # closed days before today
SALES_PER_DAY = 24


def _at(site: Site, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZoneInfo(site.time_zone))


def load_shop_sales(ctx: DemoContext) -> None:
    rng = ctx.rng("shop_sales")
    site = ctx.home
    cashier = ctx.staff["kasir"]
    terminal, _token = core_services.device_register(
        site=site, kind="pos", name="Kasir koperasi 1", actor=ctx.staff["admin"]
    )
    products = list(Product.objects.filter(site=site, is_active=True).order_by("pk"))
    cards = dict(
        Card.objects.filter(inmate__site=site, status=CardStatus.ACTIVE).values_list(
            "inmate_id", "uid"
        )
    )
    shoppers = [
        i
        for i in ctx.inmates.get(site.code, [])
        if i.site_id == site.pk and i.pk in cards and i.pk in ctx.pins
    ]
    sold = 0
    for offset in range(DAYS, -1, -1):
        day = ctx.today - dt.timedelta(days=offset)
        shift = shift_open(terminal=terminal, cashier=cashier, now=_at(site, day, 8))
        for n in range(SALES_PER_DAY):
            inmate = rng.choice(shoppers)
            if wallet_selectors.balances(inmate=inmate).available_rp < 20_000:
                continue
            basket = rng.sample(products, k=rng.randint(1, 4))
            lines = [CartLine(p.pk, rng.choice((1, 1, 1, 2))) for p in basket]
            try:
                checkout(
                    site=site,
                    card_uid=cards[inmate.pk],
                    pin=ctx.pins[inmate.pk],
                    lines=lines,
                    idempotency_key=f"demo-pos-{day.isoformat()}-{n}",
                    cashier=cashier,
                    terminal=terminal,
                    shift=shift,
                    now=_at(site, day, 9 + n * 5 // SALES_PER_DAY, (n * 7) % 60),
                )
            except ShopError:
                continue  # refused by a rule of the shop or the ledger: nothing was sold
            sold += 1
        if offset:
            shift_close(shift=shift, actor=cashier, now=_at(site, day, 15))
    ctx.log(f"    {sold} sales at {terminal.name} over {DAYS + 1} days")

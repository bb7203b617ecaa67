"""The demo loader: the list of steps and the runner.

Each area of Pandai adds its demo data as one function `load_<area>(ctx: DemoContext)` in its
own module of this package and appends it to STEPS; a step finds what earlier steps made in
`ctx` (sites, staff by username, active inmates by site code).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from pandai.core.calendar import site_today
from pandai.demo import money, programs, registry, shop, shop_sales, staff, townhall
from pandai.demo.context import DemoContext, Step

STEPS: list[tuple[str, Step]] = [
    ("sites and staff", staff.load_sites_and_staff),
    ("inmates", registry.load_inmates),
    ("shop catalogue and stock", shop.load_shop),
    ("money", money.load_money),
    ("shop sales at the till", shop_sales.load_shop_sales),
    ("programmes and premi", programs.load_programs),
    ("sosialisasi", townhall.load_townhall),
]


def demo_load(*, inmate_count: int = 300, log: Callable[[str], None] = print) -> DemoContext:
    """Build the whole demo in one transaction: either all of it is there or none."""
    ctx = DemoContext(inmate_count=inmate_count, log=log)
    with transaction.atomic():
        for name, step in STEPS:
            step(ctx)
            if ctx.sites and "BLR" in ctx.sites:
                ctx.today = site_today(ctx.home)
            log(f"  {name}: ok")
    return ctx

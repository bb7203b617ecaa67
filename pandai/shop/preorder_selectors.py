"""Reads of the pre-orders from the blocks: an inmate's open orders (the kiosk), the shop's
list by block with a status filter, and the packing list of a block."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from pandai.core.models import Site
from pandai.inmates.models import Block, Inmate
from pandai.shop.models import PreOrder, PreOrderLine, PreOrderStatus
from pandai.wallet import clock


def orders_for_site(
    *, site: Site, status: str = "", block_id: int | None = None
) -> QuerySet[PreOrder]:
    """The site's orders, oldest deadline first, with inmate, cell and block for the list."""
    orders = PreOrder.objects.filter(site=site).select_related("inmate__cell__block")
    if status:
        orders = orders.filter(status=status)
    if block_id:
        orders = orders.filter(inmate__cell__block_id=block_id)
    return orders.order_by("expires_at", "pk")


def open_orders_of(*, inmate: Inmate, now: dt.datetime | None = None) -> list[PreOrder]:
    """The inmate's orders still waiting for delivery (for the kiosk): their lines, total and
    deadline. An order past its deadline is left out even before shop_tick closes it."""
    now = now or clock.now()
    return list(
        PreOrder.objects.filter(inmate=inmate, status=PreOrderStatus.OPEN, expires_at__gt=now)
        .prefetch_related(Prefetch("lines", queryset=PreOrderLine.objects.order_by("name")))
        .order_by("created_at", "pk")
    )


@dataclass
class PackingBlock:
    block: Block | None
    orders: list[PreOrder] = field(default_factory=list)
    # (product name, total quantity) over every order of the block, to pick the goods once.
    totals: list[tuple[str, int]] = field(default_factory=list)

    @property
    def total_rp(self) -> int:
        return sum(order.total_rp for order in self.orders)


def packing_list(
    *, site: Site, block_id: int | None = None, now: dt.datetime | None = None
) -> list[PackingBlock]:
    """Open orders grouped by block (inmates by cell and name), with what to pick per block."""
    now = now or clock.now()
    orders = (
        orders_for_site(site=site, status=PreOrderStatus.OPEN, block_id=block_id)
        .filter(expires_at__gt=now)
        .prefetch_related(Prefetch("lines", queryset=PreOrderLine.objects.order_by("name")))
        .order_by("inmate__cell__block__name", "inmate__cell__code", "inmate__full_name", "pk")
    )
    blocks: dict[int | None, PackingBlock] = {}
    for order in orders:
        block = order.inmate.block
        key = block.pk if block else None
        blocks.setdefault(key, PackingBlock(block=block)).orders.append(order)
    for entry in blocks.values():
        picked: dict[str, int] = {}
        for order in entry.orders:
            for line in order.lines.all():
                picked[line.name] = picked.get(line.name, 0) + line.quantity
        entry.totals = sorted(picked.items())
    return list(blocks.values())


def blocks_of(*, site: Site) -> QuerySet[Block]:
    return Block.objects.filter(site=site).order_by("name")

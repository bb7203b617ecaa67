"""The stock ledger's primitives: apply a signed move to a product's on-hand count
(`stock_move`), or take a whole basket out at once (`stock_take`).

`Product.on_hand` changes only here, in the same transaction as the StockMove row that
records why, so the count always equals the sum of the moves (`stock_check` verifies it).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from pandai.core.models import Site, User
from pandai.shop import sql as shop_sql
from pandai.shop.errors import ShopError
from pandai.shop.models import Product, StockMove


def stock_move(
    *,
    product: Product,
    kind: str,
    quantity: int,
    actor: User | None,
    now: dt.datetime | None = None,
    unit_cost_rp: int | None = None,
    supplier: str = "",
    reason: str = "",
    reference: str = "",
) -> StockMove:
    """Add `quantity` (signed) to the product's stock and record the move. Call it inside the
    caller's transaction. A move out that would leave less than zero is refused with
    `out_of_stock` (the UPDATE's own condition decides, so two tills selling the last unit at
    once cannot both win: on PostgreSQL the second waits for the first's row lock and then
    re-checks; on SQLite transactions are serialised)."""
    if quantity == 0:
        raise ShopError("quantity_invalid", _("Jumlah tidak boleh nol."))
    needed = -quantity if quantity < 0 else 0
    changed = Product.objects.filter(pk=product.pk, on_hand__gte=needed).update(
        on_hand=F("on_hand") + quantity
    )
    if not changed:
        left = Product.objects.filter(pk=product.pk).values_list("on_hand", flat=True).first()
        raise ShopError(
            "out_of_stock",
            _("Stok %(name)s tidak cukup: tersisa %(left)d, diminta %(asked)d.")
            % {"name": product.name, "left": left or 0, "asked": needed},
            product=product.pk,
            left=left or 0,
        )
    product.refresh_from_db(fields=["on_hand"])
    return StockMove.objects.create(
        site_id=product.site_id,
        product=product,
        kind=kind,
        quantity=quantity,
        unit_cost_rp=product.cost_rp if unit_cost_rp is None else unit_cost_rp,
        supplier=supplier,
        reason=reason,
        reference=reference,
        actor=actor,
        created_at=now or timezone.now(),
    )


def stock_take(
    *,
    items: list[tuple[Product, int]],
    kind: str,
    actor: User | None,
    now: dt.datetime,
    reference: str = "",
) -> None:
    """Take several products out of stock at once (a pre-order's delivery): the rows are
    locked in id order (no two tills wait on each other in a circle), checked, changed and
    recorded in fixed statements (`pandai.shop.sql`). Refused with `out_of_stock` for the
    first product that is short; the caller's transaction then writes nothing."""
    wanted = {product.pk: (product, qty) for product, qty in items}
    if any(qty <= 0 for _product, qty in wanted.values()):
        raise ShopError("quantity_invalid", _("Jumlah tidak boleh nol."))
    on_hand = shop_sql.stock_lock(sorted(wanted))
    for pk, (product, qty) in sorted(wanted.items()):
        left = on_hand.get(pk, 0)
        if left < qty:
            raise ShopError(
                "out_of_stock",
                _("Stok %(name)s tidak cukup: tersisa %(left)d, diminta %(asked)d.")
                % {"name": product.name, "left": left, "asked": qty},
                product=pk,
                left=left,
            )
    site_ids = {product.site_id for product, _qty in wanted.values()}
    for site_id in sorted(site_ids):
        shop_sql.stock_out(
            site_id=site_id,
            items=[
                (pk, qty, product.cost_rp)
                for pk, (product, qty) in sorted(wanted.items())
                if product.site_id == site_id
            ],
            kind=kind,
            reference=reference,
            actor_id=actor.pk if actor is not None else None,
            now=now,
        )
    for pk, (product, qty) in wanted.items():
        product.on_hand = on_hand[pk] - qty


def stock_check(*, site: Site | None = None) -> list[str]:
    """Products whose on-hand count differs from the sum of their moves (should be none)."""
    products = Product.objects.all() if site is None else Product.objects.filter(site=site)
    sums = dict(
        StockMove.objects.filter(product__in=products)
        .values("product")
        .annotate(total=Sum("quantity"))
        .values_list("product", "total")
    )
    return [
        _("%(name)s: stok %(stored)d, jumlah mutasi %(moves)d")
        % {"name": p.name, "stored": p.on_hand, "moves": sums.get(p.pk, 0)}
        for p in products.only("pk", "name", "on_hand")
        if p.on_hand != sums.get(p.pk, 0)
    ]

"""The pre-order screens' sample object for the permission matrix: an open order of the
matrix's inmate, placed through the service (its total held on the card)."""

from __future__ import annotations

from typing import Any

from pandai.shop.services.checkout import CartLine
from pandai.shop.services.preorders import preorder_place
from pandai.shop.tests.factories import ProductFactory, fund

ORDERS_SAMPLES: dict[tuple[str, str], str] = {("shop:order_", "order_pk"): "orders_order"}


def orders_world(*, site: Any, inmate: Any, admin: Any) -> dict[str, Any]:
    product = ProductFactory(site=site, name="Sabun batang", price_rp=4_000, stock=10)
    fund(inmate, 20_000, actor=admin)
    order = preorder_place(
        inmate=inmate, lines=[CartLine(product.pk, 2)], idempotency_key="matrix-order"
    )
    return {"orders_order": order}

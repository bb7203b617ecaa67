"""The cashier screens' sample objects for the permission matrix: a POS terminal, a shift of
the matrix's cashier with one sale on it (made through the checkout service)."""

from __future__ import annotations

from typing import Any

from pandai.shop.services.checkout import CartLine, checkout
from pandai.shop.services.corrections import sale_return
from pandai.shop.services.shifts import shift_open
from pandai.shop.tests.factories import ProductFactory, fund, pos_terminal

# The matrix world's inmate holds this card and PIN (see test_permission_matrix.build_world).
WORLD_UID = "04AB12CD34EF56"
WORLD_PIN = "480213"


def pos_world(*, site: Any, users: dict[str, Any], inmate: Any, admin: Any) -> dict[str, Any]:
    device, _token = pos_terminal(site, admin, name="Kasir Matriks POS")
    product = ProductFactory(site=site, name="Teh celup", price_rp=3_000, stock=10)
    fund(inmate, 50_000, actor=admin)
    shift = shift_open(terminal=device, cashier=users["cashier"])
    sale = checkout(
        site=site,
        card_uid=WORLD_UID,
        pin=WORLD_PIN,
        lines=[CartLine(product.pk, 2)],
        idempotency_key="matrix-pos-sale",
        cashier=users["cashier"],
        terminal=device,
        shift=shift,
    ).sale
    returned = sale_return(
        sale=sale,
        quantities={sale.lines.get().pk: 1},
        reason="Kemasan rusak",
        actor=users["cashier"],
        approver=users["shop_manager"],
        shift=shift,
        terminal=device,
        idempotency_key="matrix-pos-return",
    )
    return {"pos_terminal": device, "pos_shift": shift, "pos_sale": sale, "pos_return": returned}

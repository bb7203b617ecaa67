"""Sample objects of the shop screens for the permission matrix (core's test_permission_matrix
builds them once per module, inside one transaction)."""

from __future__ import annotations

from typing import Any

from pandai.shop.tests.catalogue_world import CATALOGUE_SAMPLES, catalogue_world
from pandai.shop.tests.orders_world import ORDERS_SAMPLES, orders_world
from pandai.shop.tests.pos_world import pos_world

# (URL name prefix, kwarg) -> key of the sample object, merged into KWARG_SAMPLES.
SHOP_SAMPLES: dict[tuple[str, str], str] = {
    ("shop:shift_", "shift_pk"): "pos_shift",
    ("shop:zreport", "shift_pk"): "pos_shift",
    ("shop:receipt", "sale_pk"): "pos_sale",
    ("shop:sale_", "sale_pk"): "pos_sale",
    ("shop:return_receipt", "return_pk"): "pos_return",
    **CATALOGUE_SAMPLES,
    **ORDERS_SAMPLES,
}
# Pages any logged-in user may open, with the reason (merged into LOGIN_ONLY).
SHOP_LOGIN_ONLY: dict[str, str] = {
    "shop:home": "the Koperasi menu entry: tiles for the shop screens the roles allow, or home "
    "with a message",
}
# Pages anyone may open without logging in, with the reason (merged into PUBLIC).
SHOP_PUBLIC: dict[str, str] = {}


def shop_world(
    *, site: Any, other_site: Any, users: dict[str, Any], inmate: Any, admin: Any
) -> dict[str, Any]:
    """The shop objects the URL kwargs above point at."""
    world: dict[str, Any] = {}
    world.update(pos_world(site=site, users=users, inmate=inmate, admin=admin))
    world.update(catalogue_world(site=site, users=users, admin=admin))
    world.update(orders_world(site=site, inmate=inmate, admin=admin))
    return world

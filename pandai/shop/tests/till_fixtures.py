"""Fixtures of a koperasi till for the correction, pre-order, API and Z-report tests: a shop
manager, a cashier with an open shift on a registered POS terminal, a funded inmate with a
card and PIN, three products in stock, and a snapshot of everything a refusal must not
change. Import the fixtures into a test module to use them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pandai.core.models import Site, User
from pandai.inmates.models import Inmate
from pandai.shop.models import (
    PreOrder,
    PreOrderLine,
    Product,
    Sale,
    SaleLine,
    SaleReturn,
    StockMove,
)
from pandai.shop.services import CartLine, checkout, shift_open
from pandai.shop.tests.factories import ProductFactory, card_with_pin, fund, pos_terminal
from pandai.wallet import selectors as wallet_selectors
from pandai.wallet.models import Account, Batch, Transfer

UID = "04A1B2C3D4E501"
PIN = "246810"
PASSWORD = "rahasia-pandai-1"  # StaffFactory's password


@pytest.fixture
def till(site: Site, staff: Callable[..., User]) -> dict[str, Any]:
    admin = staff("admin", username="admin-till")
    cashier = staff("cashier", username="kasir-till")
    manager = staff("shop_manager", username="manajer-kop")
    terminal, token = pos_terminal(site, admin)
    shift = shift_open(terminal=terminal, cashier=cashier)
    return {
        "admin": admin,
        "cashier": cashier,
        "manager": manager,
        "terminal": terminal,
        "token": token,
        "shift": shift,
    }


@pytest.fixture
def buyer(site: Site, inmate: Inmate, till: dict[str, Any]) -> Inmate:
    card_with_pin(inmate, UID, PIN, till["admin"])
    fund(inmate, 100_000)
    return inmate


@pytest.fixture
def goods(site: Site) -> dict[str, Product]:
    return {
        "mie": ProductFactory(
            site=site, name="Mi goreng", price_rp=3_500, barcode="8990001", stock=20
        ),
        "sabun": ProductFactory(
            site=site, name="Sabun mandi", price_rp=4_000, barcode="8990002", stock=5
        ),
        "kopi": ProductFactory(
            site=site, name="Kopi sachet", price_rp=2_000, barcode="8990003", stock=1
        ),
    }


def sell(till: dict[str, Any], lines: list[tuple[Product, int]], **kw: Any) -> Sale:
    kw.setdefault("card_uid", UID)
    kw.setdefault("pin", PIN)
    kw.setdefault("idempotency_key", "co-1")
    return checkout(
        site=till["terminal"].site,
        lines=[CartLine(p.pk, q) for p, q in lines],
        cashier=till["cashier"],
        terminal=till["terminal"],
        shift=till["shift"],
        **kw,
    ).sale


def snapshot(inmate: Inmate) -> dict[str, Any]:
    """Everything a refused correction or order must leave as it was."""
    return {
        "sales": sorted(Sale.objects.values_list("pk", "status", "void_batch")),
        "lines": sorted(SaleLine.objects.values_list("pk", "returned_qty")),
        "returns": SaleReturn.objects.count(),
        "orders": sorted(PreOrder.objects.values_list("pk", "status", "sale")),
        "order_lines": sorted(PreOrderLine.objects.values_list("pk", "delivered_qty")),
        "moves": StockMove.objects.count(),
        "stock": sorted(Product.objects.values_list("pk", "on_hand")),
        "batches": Batch.objects.count(),
        "transfers": sorted(Transfer.objects.values_list("pk", "state")),
        "accounts": sorted(
            Account.objects.values_list(
                "pk", "debits_posted", "credits_posted", "debits_pending", "credits_pending"
            )
        ),
        "available": wallet_selectors.balances(inmate=inmate).available_rp,
    }

"""Shop test data: categories, products with barcodes, stock received through `stock_move`,
POS terminals registered through core's services, money through the wallet's services, and
an inmate's card with a PIN. Shared by the shop's tests (any helper may use it)."""

from __future__ import annotations

import itertools
from typing import Any

import factory

from pandai.core import services as core_services
from pandai.core.models import Device, Site, User
from pandai.inmates import services as inmate_services
from pandai.inmates.models import Card, Inmate
from pandai.shop.models import Barcode, Category, Product, StockMoveKind
from pandai.shop.services.stock import stock_move
from pandai.wallet import services as wallet_services

_keys = itertools.count(1)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("site", "name")

    site: Any = None
    name = factory.Sequence(lambda n: f"Kategori {n}")


class ProductFactory(factory.django.DjangoModelFactory):
    """ProductFactory(site=s, name=..., price_rp=..., barcode="899...", stock=10)."""

    class Meta:
        model = Product
        skip_postgeneration_save = True

    site: Any = None
    sku = factory.Sequence(lambda n: f"SKU-{n:04d}")
    name = factory.Sequence(lambda n: f"Barang {n}")
    category = factory.LazyAttribute(lambda o: CategoryFactory(site=o.site, name="Makanan"))
    price_rp = 5_000
    cost_rp = 4_000

    @factory.post_generation
    def barcode(obj: Product, create: bool, extracted: str | None, **kwargs: Any) -> None:  # type: ignore[misc]
        if create and extracted:
            Barcode.objects.create(site_id=obj.site_id, product=obj, code=extracted)

    @factory.post_generation
    def stock(obj: Product, create: bool, extracted: int | None, **kwargs: Any) -> None:  # type: ignore[misc]
        if create and extracted:
            stock_in(obj, extracted)


def stock_in(product: Product, quantity: int, actor: User | None = None) -> None:
    """Goods received from a supplier, through the stock primitive."""
    stock_move(
        product=product,
        kind=StockMoveKind.RECEIPT,
        quantity=quantity,
        actor=actor,
        unit_cost_rp=product.cost_rp,
        supplier="CV Uji",
    )


def pos_terminal(site: Site, actor: User, name: str = "Kasir 1") -> tuple[Device, str]:
    """A registered POS device and its token (shown once)."""
    return core_services.device_register(site=site, kind="pos", name=name, actor=actor)


def fund(inmate: Inmate, amount_rp: int, actor: User | None = None) -> None:
    """Money in, as a counter deposit through the wallet's one door (rules not enforced)."""
    drawer = wallet_services.counter_account(site=inmate.site, counter="LOKET-UJI")
    wallet_services.deposit_credit(
        inmate=inmate,
        amount_rp=amount_rp,
        source=drawer,
        idempotency_key=f"shop-test-deposit:{next(_keys)}",
        actor=actor,
        enforce_rules=False,
    )


def card_with_pin(inmate: Inmate, uid: str, pin: str, actor: User) -> Card:
    card = inmate_services.card_issue(inmate=inmate, raw_uid=uid, actor=actor)
    inmate_services.pin_set(inmate=inmate, pin=pin, actor=actor)
    return card

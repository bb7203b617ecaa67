"""Reads of the koperasi at the till: who holds the card (and what they may buy), a product by
barcode, what an inmate already bought of a product, the cashier's open shift, the Z-report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from pandai.core.calendar import site_day_bounds, site_today
from pandai.core.models import Site, User
from pandai.inmates import services as inmate_services
from pandai.inmates.cards import UidError, uid_candidates
from pandai.inmates.models import Card, CardStatus, DisciplineEntry, Inmate, InmateStatus
from pandai.shop import sql as shop_sql
from pandai.shop.errors import ShopError
from pandai.shop.models import (
    Barcode,
    Product,
    ShopShift,
)
from pandai.wallet import clock
from pandai.wallet import selectors as wallet_selectors


@dataclass(frozen=True)
class Customer:
    """What the till shows after the card tap."""

    inmate: Inmate
    card: Card
    name: str
    reg_no: str
    block: str
    photo_url: str | None
    available_rp: int
    account_status: str
    remaining_today_rp: int | None  # under the daily and monthly limits; None = no limit
    remaining_month_rp: int | None
    restricted_to_essentials: bool
    restrictions: list[str] = field(default_factory=list)


def _card_refused(status: str) -> ShopError | None:
    if status == CardStatus.ACTIVE:
        return None
    return ShopError(
        "card_blocked",
        _("Kartu tidak dapat dipakai (status: %(status)s).") % {"status": CardStatus(status).label},
    )


def _holder_refused(status: str) -> ShopError | None:
    if status == InmateStatus.ACTIVE:
        return None
    return ShopError(
        "inmate_inactive",
        _("Pemegang kartu sudah tidak aktif di UPT ini (%(status)s).")
        % {"status": InmateStatus(status).label},
    )


def card_holder(*, site: Site, raw_uid: str) -> tuple[Card, Inmate]:
    """The active card typed by the reader and its active holder, or a clear refusal."""
    card = inmate_services.card_find(site=site, raw=raw_uid.strip())
    if card is None:
        raise ShopError("card_unknown", _("Kartu tidak dikenal di UPT ini."))
    refused = _card_refused(card.status)
    if refused is not None:
        raise refused
    inmate = card.inmate
    refused = _holder_refused(inmate.status)
    if refused is not None:
        raise refused
    return card, inmate


@dataclass(frozen=True)
class CheckoutHolder:
    """What a checkout needs of the card's holder before its transaction (one statement)."""

    inmate: Inmate  # only the columns of shop_sql.INMATE_FIELDS loaded; `site` set
    pin_hash: str | None  # None: no PIN set
    pin_failed_tries: int
    pin_locked: bool  # a lock time is recorded (past or future)
    earlier_sale_id: int | None  # a sale already written at the site under the key


def checkout_holder(*, site: Site, raw_uid: str, key: str) -> CheckoutHolder:
    """`card_holder` for the till's hot path: the same card forms, order and refusals, plus
    the holder's PIN row and whether the idempotency key was already used, in one statement
    and without building the Card."""
    try:
        forms = uid_candidates(raw_uid.strip())
    except UidError:
        forms = []
    row = None
    if forms:
        short = [f for f in forms if len(f) == 8]
        row = shop_sql.holder(site_id=site.pk, forms=forms, short=short, key=key)
    if row is None:
        raise ShopError("card_unknown", _("Kartu tidak dikenal di UPT ini."))
    card_status, *inmate_values = row[:7]
    pin_hash, failed_tries, locked_until, earlier = row[7:]
    refused = _card_refused(card_status) or _holder_refused(inmate_values[4])
    if refused is not None:
        raise refused
    inmate = Inmate.from_db(connection.alias, shop_sql.INMATE_FIELDS, inmate_values)
    inmate.site = site  # the card was found at this site: spare the lazy load
    return CheckoutHolder(inmate, pin_hash, failed_tries or 0, locked_until is not None, earlier)


def shop_restriction(*, inmate: Inmate, now: dt.datetime | None = None) -> DisciplineEntry | None:
    """The Register F entry that limits the inmate to essentials today, if any."""
    today = site_today(inmate.site, now or clock.now())
    return (
        DisciplineEntry.objects.filter(inmate=inmate, restricts_shop=True, date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .order_by("-date")
        .first()
    )


def customer_for_card(*, site: Site, raw_uid: str, now: dt.datetime | None = None) -> Customer:
    now = now or clock.now()
    card, inmate = card_holder(site=site, raw_uid=raw_uid)
    balances = wallet_selectors.balances(inmate=inmate)
    limits = wallet_selectors.limits_remaining(inmate=inmate, now=now)
    restriction = shop_restriction(inmate=inmate, now=now)
    notes: list[str] = []
    if restriction is not None:
        until = restriction.end_date.strftime("%d-%m-%Y") if restriction.end_date else "-"
        notes.append(
            _("Register F: hanya boleh membeli barang kebutuhan pokok (sampai %(until)s).")
            % {"until": until}
        )
    if balances.status == "frozen":
        notes.append(_("Rekening dibekukan: tidak bisa dipakai belanja."))
    block = inmate.block
    return Customer(
        inmate=inmate,
        card=card,
        name=inmate.full_name,
        reg_no=inmate.reg_no,
        block=block.name if block else "",
        photo_url=(reverse("inmates:photo", kwargs={"pk": inmate.pk}) if inmate.photo else None),
        available_rp=balances.available_rp,
        account_status=balances.status,
        remaining_today_rp=limits.remaining_rp,
        remaining_month_rp=limits.monthly_remaining_rp,
        restricted_to_essentials=restriction is not None,
        restrictions=notes,
    )


def product_by_barcode(*, site: Site, code: str) -> Product:
    """The active product with this barcode (or SKU) at the site."""
    code = code.strip()
    barcode = (
        Barcode.objects.select_related("product", "product__category")
        .filter(site=site, code=code)
        .first()
    )
    product = barcode.product if barcode else None
    if product is None:
        product = Product.objects.filter(site=site, sku=code).select_related("category").first()
    if product is None:
        raise ShopError(
            "unknown_barcode",
            _("Barcode %(code)s tidak dikenal. Periksa barangnya atau cari dengan nama.")
            % {"code": code[:64]},
        )
    if not product.is_active:
        raise ShopError(
            "product_inactive",
            _("%(name)s tidak dijual lagi.") % {"name": product.name},
        )
    return product


def week_start(day: dt.date) -> dt.date:
    """Product quantity limits per week count from Monday (the site's calendar week)."""
    return day - dt.timedelta(days=day.weekday())


def bought_quantities(
    *, inmate: Inmate, product_ids: list[int], now: dt.datetime | None = None
) -> dict[int, tuple[int, int]]:
    """product id -> (bought today, bought this week): receipts minus returns, plus open
    pre-orders (money already held for them), in the site's days."""
    now = now or clock.now()
    site = inmate.site
    today = site_today(site, now)
    day_start, day_end = site_day_bounds(site, today)
    week_from, _week_to = site_day_bounds(site, week_start(today))
    if not product_ids:
        return {}
    return shop_sql.bought(
        inmate_id=inmate.pk,
        product_ids=list(product_ids),
        day_start=day_start,
        day_end=day_end,
        week_start=week_from,
    )


def open_shift_for(*, cashier: User, site: Site) -> ShopShift | None:
    return (
        ShopShift.objects.select_related("terminal")
        .filter(cashier=cashier, site=site, closed_at__isnull=True)
        .first()
    )


def terminal_open_shift(*, terminal_id: int) -> ShopShift | None:
    """The terminal's open shift with its cashier, in one fixed statement (the API's checkout
    runs this per request; only the columns a checkout reads are loaded)."""
    return shop_sql.open_shift(terminal_id)


def products_for_till(*, site: Site) -> list[Product]:
    """Active products with their category, for the POS grid."""
    return list(
        Product.objects.filter(site=site, is_active=True)
        .select_related("category")
        .order_by("category__sort_order", "category__name", "name")
    )


def stock_value_rp(*, site: Site) -> int:
    total = Product.objects.filter(site=site).aggregate(v=Sum(F("on_hand") * F("cost_rp"))).get("v")
    return int(total or 0)


def low_stock_count(*, site: Site) -> int:
    """Active products at or under their minimum stock (the low-stock report's rows)."""
    return Product.objects.filter(site=site, is_active=True, on_hand__lte=F("min_stock")).count()

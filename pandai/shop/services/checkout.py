"""A sale at the till: the basket priced and checked against the shop's rules, the card and
PIN, then one transaction that moves the stock, pays through the ledger and writes the receipt.

One idempotency key per checkout: the same key with the same basket and card returns the first
sale and writes nothing (a double click, a reload, a terminal retrying after a timeout); the
same key with another basket is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from django.db import IntegrityError, connection, transaction
from django.db.models.base import ModelState
from django.utils.translation import gettext as _

from pandai.core.calendar import site_today
from pandai.core.models import Device, Site, User
from pandai.core.money import format_rp
from pandai.inmates import pins
from pandai.inmates import services as inmate_services
from pandai.inmates.models import Inmate
from pandai.shop import sql as shop_sql
from pandai.shop.errors import ShopError
from pandai.shop.models import (
    Product,
    Sale,
    SaleLine,
    SaleSource,
    SaleStatus,
    ShopShift,
    StockMoveKind,
)
from pandai.shop.selectors import (
    CheckoutHolder,
    bought_quantities,
    checkout_holder,
    shop_restriction,
)
from pandai.shop.services.stock import stock_take
from pandai.wallet import clock
from pandai.wallet import selectors as wallet_selectors
from pandai.wallet import services as wallet
from pandai.wallet.counter import next_document_no
from pandai.wallet.errors import LedgerError
from pandai.wallet.posting import BatchResult

MAX_LINES = 60
MAX_QUANTITY = 999
MAX_KEY_LENGTH = 80


@dataclass(frozen=True)
class CartLine:
    product_id: int
    quantity: int


@dataclass(frozen=True)
class BasketLine:
    product: Product
    quantity: int

    @property
    def unit_price_rp(self) -> int:
        return self.product.price_rp

    @property
    def total_rp(self) -> int:
        return self.quantity * self.product.price_rp


@dataclass(frozen=True)
class Basket:
    lines: list[BasketLine]

    @property
    def total_rp(self) -> int:
        return sum(line.total_rp for line in self.lines)


class Sellable(Protocol):
    """What the shop's rules read of a product (a Product, or a checkout's BasketItem)."""

    @property
    def pk(self) -> int: ...
    @property
    def site_id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def is_active(self) -> bool: ...
    @property
    def essential(self) -> bool: ...
    @property
    def limit_per_day(self) -> int | None: ...
    @property
    def limit_per_week(self) -> int | None: ...


class ReceiptLine(NamedTuple):
    """A receipt line as the checkout wrote it (a SaleLine's printed fields)."""

    product_id: int
    name: str
    category_name: str
    quantity: int
    unit_price_rp: int
    unit_cost_rp: int

    @property
    def total_rp(self) -> int:
        return self.quantity * self.unit_price_rp


@dataclass(frozen=True)
class CheckoutResult:
    sale: Sale
    replayed: bool
    written_lines: list[ReceiptLine] | None = None  # the receipt's lines as written (not a replay)

    @property
    def balance_after_rp(self) -> int:
        return self.sale.balance_after_rp

    @property
    def lines(self) -> list[ReceiptLine]:
        """The receipt's lines: as just written, or read back for a replay."""
        if self.written_lines is not None:
            return self.written_lines
        return [
            ReceiptLine(
                line.product_id,
                line.name,
                line.category_name,
                line.quantity,
                line.unit_price_rp,
                line.unit_cost_rp,
            )
            for line in self.sale.lines.order_by("pk")
        ]


def _merged(lines: list[CartLine]) -> dict[int, int]:
    """Same product twice in the basket counts as one line; order by product id (the order
    stock rows are locked in, so two tills never wait on each other in a circle)."""
    if not lines:
        raise ShopError("empty_cart", _("Keranjang masih kosong."))
    if len(lines) > MAX_LINES:
        raise ShopError(
            "too_many_lines", _("Terlalu banyak baris (maksimum %(n)d).") % {"n": MAX_LINES}
        )
    merged: dict[int, int] = {}
    for line in lines:
        if not isinstance(line.quantity, int) or isinstance(line.quantity, bool):
            raise ShopError("quantity_invalid", _("Jumlah barang harus bilangan bulat."))
        if line.quantity <= 0 or line.quantity > MAX_QUANTITY:
            raise ShopError(
                "quantity_invalid",
                _("Jumlah barang harus antara 1 dan %(max)d.") % {"max": MAX_QUANTITY},
            )
        merged[line.product_id] = merged.get(line.product_id, 0) + line.quantity
    return dict(sorted(merged.items()))


def cart_by_code(
    *, site_id: int, lines: Sequence[tuple[str | None, int | None, int]]
) -> list[CartLine]:
    """A terminal's basket, each line (barcode or SKU, product id, quantity), as product ids:
    the codes looked up in one statement, refused in the order of the lines as
    `selectors.product_by_barcode` refuses one (unknown, then no longer sold)."""
    codes = [code.strip() for code, _pk, _qty in lines if code]
    coded = shop_sql.products_by_code(site_id=site_id, codes=codes) if codes else {}
    cart = []
    for code, product_id, quantity in lines:
        if code:
            product = coded.get(code.strip())
            if product is None:
                raise ShopError(
                    "unknown_barcode",
                    _("Barcode %(code)s tidak dikenal. Periksa barangnya atau cari dengan nama.")
                    % {"code": code.strip()[:64]},
                )
            if not product.is_active:
                raise ShopError(
                    "product_inactive", _("%(name)s tidak dijual lagi.") % {"name": product.name}
                )
            product_id = product.pk
        elif product_id is None:
            raise ShopError("line_invalid", _("Setiap baris perlu barcode atau ID barang."))
        cart.append(CartLine(product_id, quantity))
    return cart


def basket_check(
    *, inmate: Inmate, lines: list[CartLine], now: dt.datetime | None = None, lock: bool = False
) -> Basket:
    """Price the basket from the catalogue and check the shop's rules for this inmate: active
    products of the inmate's site, the Register F essentials-only restriction, and each
    product's quantity limits per day and per week (what was bought, net of returns, plus open
    pre-orders). With `lock` (inside the sale's transaction) a basket with limited products
    first locks the inmate's row, so two tills cannot both sell the last allowed pack."""
    now = now or clock.now()
    wanted = _merged(lines)
    products = Product.objects.select_related("category").in_bulk(list(wanted))

    def bought(limited: list[int]) -> dict[int, tuple[int, int]]:
        if lock:
            Inmate.objects.select_for_update(no_key=True).filter(pk=inmate.pk).first()
        return bought_quantities(inmate=inmate, product_ids=limited, now=now)

    _rules_check(
        inmate=inmate,
        wanted=wanted,
        products=products,
        restricted=lambda: shop_restriction(inmate=inmate, now=now) is not None,
        bought=bought,
    )
    return Basket([BasketLine(products[pk], qty) for pk, qty in wanted.items()])


def _rules_check(
    *,
    inmate: Inmate,
    wanted: dict[int, int],
    products: Mapping[int, Sellable],
    restricted: Callable[[], bool],
    bought: Callable[[list[int]], dict[int, tuple[int, int]]],
) -> None:
    """The shop's rules for a basket, in the order the till reports them: unknown products,
    inactive ones, Register F, then the per-product limits (`bought` is asked only for the
    limited products)."""
    missing = [pk for pk in wanted if pk not in products or products[pk].site_id != inmate.site_id]
    if missing:
        raise ShopError("unknown_product", _("Barang tidak dikenal di koperasi UPT ini."))
    for pk in wanted:
        product = products[pk]
        if not product.is_active:
            raise ShopError(
                "product_inactive", _("%(name)s tidak dijual lagi.") % {"name": product.name}
            )
    if restricted():
        barred = [products[pk].name for pk in wanted if not products[pk].essential]
        if barred:
            raise ShopError(
                "restricted_product",
                _(
                    "WBP ini sedang dibatasi (Register F): hanya boleh membeli barang kebutuhan "
                    "pokok. Tidak boleh: %(names)s."
                )
                % {"names": ", ".join(barred)},
            )
    limited = [pk for pk in wanted if products[pk].limit_per_day or products[pk].limit_per_week]
    if limited:
        quantities = bought(limited)
        for pk in limited:
            _check_product_limit(products[pk], wanted[pk], *quantities[pk])


def _check_product_limit(product: Sellable, qty: int, today: int, week: int) -> None:
    for limit, already, message in (
        (
            product.limit_per_day,
            today,
            _(
                "Batas %(name)s: %(limit)d per hari per WBP. Sudah dibeli hari ini %(done)d, "
                "boleh %(left)d lagi."
            ),
        ),
        (
            product.limit_per_week,
            week,
            _(
                "Batas %(name)s: %(limit)d per minggu per WBP. Sudah dibeli minggu ini "
                "%(done)d, boleh %(left)d lagi."
            ),
        ),
    ):
        if limit and already + qty > limit:
            left = max(0, limit - already)
            raise ShopError(
                "product_limit",
                message % {"name": product.name, "limit": limit, "done": already, "left": left},
                product=product.pk,
                left=left,
            )


def _request_hash(inmate: Inmate, basket_lines: dict[int, int], source: str) -> str:
    body = json.dumps(
        {"inmate": inmate.pk, "lines": sorted(basket_lines.items()), "source": source},
        sort_keys=True,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def _replay(site: Site, key: str, inmate: Inmate, lines: list[CartLine]) -> Sale | None:
    """The sale already written under this key, if it is the same request; refused if not."""
    sale = Sale.objects.filter(site=site, idempotency_key=key).first()
    if sale is None:
        return None
    earlier = dict(sale.lines.values_list("product_id", "quantity"))
    try:
        same = sale.inmate_id == inmate.pk and earlier == _merged(lines)
    except ShopError:
        same = False
    if not same:
        raise ShopError(
            "idempotency_conflict",
            _("Kode transaksi ini sudah dipakai untuk belanja lain. Mulai transaksi baru."),
        )
    return sale


def check_key(key: str) -> str:
    key = (key or "").strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ShopError("key_invalid", _("Kode transaksi tidak sah. Mulai transaksi baru."))
    return key


def pin_check(*, inmate: Inmate, pin: str, terminal: str) -> None:
    """Verify the PIN (its wrong tries are counted in their own transaction, so call this
    before the sale's transaction). Refusals say how many tries are left or how long the lock
    lasts."""
    result = inmate_services.pin_verify(inmate=inmate, pin=pin or "", terminal=terminal)
    if result.ok:
        return
    if result.locked_until is not None:
        raise ShopError("pin_locked", result.message, locked_until=result.locked_until)
    if result.tries_left <= 0 and result.message:
        raise ShopError("pin_missing", result.message)
    raise ShopError(
        "pin_wrong",
        _("PIN salah. Sisa percobaan: %(n)d.") % {"n": result.tries_left},
        tries_left=result.tries_left,
    )


def terminal_label(terminal: Device) -> str:
    return f"pos:{terminal.pk}"


def _next_receipt_no(shift: ShopShift | None, site: Site, now: dt.datetime) -> str:
    """'<shift number>-0042' inside a shift: the counter is the shift's own row, which only
    this terminal uses. A sale outside a shift (a pre-order delivered at the block) takes the
    site's KOP sequence."""
    if shift is None:
        return next_document_no(site=site, prefix="KOP", now=now)
    seq = shop_sql.next_receipt_seq(shift.pk)
    return f"{shift.number}-{seq:04d}"


def _ledger_error(exc: LedgerError) -> ShopError:
    return ShopError(exc.code, exc.message, **exc.figures)


def sale_record(
    *,
    inmate: Inmate,
    basket: Basket,
    idempotency_key: str,
    source: str,
    shift: ShopShift | None,
    cashier: User | None,
    terminal: str,
    now: dt.datetime,
    pay: object,
) -> Sale:
    """Write one sale in the caller's transaction: stock out (SALE moves, product rows in id
    order), then `pay(number) -> BatchResult` (the purchase, or the post of a pre-order's
    hold), then the receipt rows. The ledger's shared shop account is touched inside `pay`,
    so only the two receipt INSERTs follow it before COMMIT."""
    site = inmate.site
    number = _next_receipt_no(shift, site, now)
    stock_take(
        items=[(line.product, line.quantity) for line in basket.lines],
        kind=StockMoveKind.SALE,
        actor=cashier,
        now=now,
        reference=number,
    )
    result = pay(number)  # type: ignore[operator]
    assert isinstance(result, BatchResult)
    balance_after = result.available_rp
    if balance_after is None:
        balance_after = wallet_selectors.balances(inmate=inmate).available_rp
    sale = Sale.objects.create(
        site=site,
        number=number,
        shift=shift,
        inmate=inmate,
        cashier=cashier,
        source=source,
        total_rp=basket.total_rp,
        balance_after_rp=balance_after,
        idempotency_key=idempotency_key,
        batch=result.batch,
        created_at=now,
    )
    SaleLine.objects.bulk_create(
        [
            SaleLine(
                sale=sale,
                product=line.product,
                name=line.product.name,
                category_name=line.product.category.name,
                quantity=line.quantity,
                unit_price_rp=line.product.price_rp,
                unit_cost_rp=line.product.cost_rp,
            )
            for line in basket.lines
        ]
    )
    return sale


def _pin_ok_at_once(holder: CheckoutHolder, pin: str) -> bool:
    """The PIN is right and there is nothing to reset: no wrong try counted, no lock recorded.
    `pin_verify` would then write nothing and say yes, so its transaction is spared; any other
    case (wrong PIN, tries to reset, a lock, no PIN) goes through `pin_verify` itself."""
    return (
        holder.pin_hash is not None
        and holder.pin_failed_tries == 0
        and not holder.pin_locked
        and pins.pin_matches(pin or "", holder.pin_hash)
    )


def _stock_check(products: Mapping[int, shop_sql.BasketItem], wanted: dict[int, int]) -> None:
    for pk, qty in wanted.items():
        left = products[pk].on_hand
        if left < qty:
            raise ShopError(
                "out_of_stock",
                _("Stok %(name)s tidak cukup: tersisa %(left)d, diminta %(asked)d.")
                % {"name": products[pk].name, "left": left, "asked": qty},
                product=pk,
                left=left,
            )


def _shown_total_check(total: int, shown_total_rp: int | None) -> None:
    """The inmate confirms the total the screen showed with the PIN: a price changed in the
    catalogue, or a basket changed in another tab, since then is refused, never charged."""
    if shown_total_rp is not None and total != shown_total_rp:
        raise ShopError(
            "total_changed",
            _(
                "Total belanja berubah sejak layar bayar dibuka: sekarang %(now)s, yang "
                "ditampilkan %(shown)s. Tidak ada yang ditagih. Periksa keranjang, lalu bayar "
                "lagi."
            )
            % {"now": format_rp(total), "shown": format_rp(shown_total_rp)},
            total_rp=total,
            shown_total_rp=shown_total_rp,
        )


def _sell(
    *,
    site: Site,
    inmate: Inmate,
    wanted: dict[int, int],
    key: str,
    lines: list[CartLine],
    source: str,
    shift: ShopShift | None,
    cashier: User | None,
    label: str,
    now: dt.datetime,
    shown_total_rp: int | None = None,
) -> CheckoutResult:
    """The sale's transaction (the caller's atomic block), in fixed statements: the inmate
    locked, the basket's products read and locked with the key's earlier sale and the
    Register F flag, the rules, the receipt number, the stock out, the ledger purchase, the
    receipt rows."""
    # One checkout per inmate at a time, so the product limits checked below stay true; and
    # a twin request that committed while we waited is a replay.
    shop_sql.inmate_lock(inmate.pk)
    today = site_today(site, now)
    products, earlier_id, restricted = shop_sql.basket(
        site_id=site.pk, key=key, inmate_id=inmate.pk, today=today, product_ids=list(wanted)
    )
    if not products:
        earlier_id = _earlier_sale_id(site, key)
    if earlier_id is not None:
        earlier = _replay(site, key, inmate, lines)
        if earlier is not None:
            return CheckoutResult(earlier, replayed=True)
    _rules_check(
        inmate=inmate,
        wanted=wanted,
        products=products,
        restricted=lambda: restricted,
        bought=lambda limited: bought_quantities(inmate=inmate, product_ids=limited, now=now),
    )
    _stock_check(products, wanted)
    total = sum(qty * products[pk].price_rp for pk, qty in wanted.items())
    _shown_total_check(total, shown_total_rp)
    items = [(pk, qty, products[pk].cost_rp) for pk, qty in wanted.items()]
    actor_id = cashier.pk if cashier is not None else None
    if shift is not None:  # the receipt number and the stock out in one statement
        number = shop_sql.receipt_stock_out(
            shift_id=shift.pk,
            shift_number=shift.number,
            site_id=site.pk,
            items=items,
            kind=StockMoveKind.SALE,
            actor_id=actor_id,
            now=now,
        )
    else:
        number = _next_receipt_no(shift, site, now)
        shop_sql.stock_out(
            site_id=site.pk,
            items=items,
            kind=StockMoveKind.SALE,
            reference=number,
            actor_id=actor_id,
            now=now,
        )
    # The sale's transaction is undone whole on a refusal: no savepoint for the purchase.
    result = wallet.purchase_inside(
        inmate=inmate,
        amount_rp=total,
        idempotency_key=f"sale:{key}",
        actor=cashier,
        terminal=label,
        reference=number,
        now=now,
    )
    balance_after = result.available_rp
    if balance_after is None:
        balance_after = wallet_selectors.balances(inmate=inmate).available_rp
    receipt = [
        ReceiptLine(
            pk,
            products[pk].name,
            products[pk].category_name,
            qty,
            products[pk].price_rp,
            products[pk].cost_rp,
        )
        for pk, qty in wanted.items()
    ]
    sale_id = shop_sql.sale_insert(
        sale=(
            site.pk,
            number,
            shift.pk if shift is not None else None,
            inmate.pk,
            cashier.pk if cashier is not None else None,
            source,
            total,
            balance_after,
            key,
            result.batch.pk,
            now,
        ),
        lines=receipt,
    )
    sale = _sale_as_written(
        id=sale_id,
        site_id=site.pk,
        number=number,
        shift_id=shift.pk if shift is not None else None,
        inmate_id=inmate.pk,
        cashier_id=cashier.pk if cashier is not None else None,
        source=source,
        total_rp=total,
        balance_after_rp=balance_after,
        status=SaleStatus.COMPLETED.value,
        idempotency_key=key,
        batch_id=result.batch.pk,
        created_at=now,
        voided_at=None,
        voided_by_id=None,
        void_approved_by_id=None,
        void_reason="",
        void_batch_id=None,
    )
    cache = sale._state.fields_cache
    cache.update(site=site, inmate=inmate, cashier=cashier, shift=shift, batch=result.batch)
    return CheckoutResult(sale, replayed=False, written_lines=receipt)


_SALE_ATTNAMES = {f.attname for f in Sale._meta.concrete_fields}


def _sale_as_written(**values: Any) -> Sale:
    """The Sale just INSERTed, as `Sale.from_db` would make it, without `Model.__init__`'s
    per-field work (a dozen fields, five relations; Sale has no init signal receivers)."""
    assert values.keys() == _SALE_ATTNAMES, values.keys() ^ _SALE_ATTNAMES
    sale = Sale.__new__(Sale)
    sale.__dict__.update(values)
    state = ModelState()
    state.adding = False
    state.db = connection.alias
    sale._state = state
    return sale


def _earlier_sale_id(site: Site, key: str) -> int | None:
    return Sale.objects.filter(site=site, idempotency_key=key).values_list("pk", flat=True).first()


def checkout(
    *,
    site: Site,
    card_uid: str,
    pin: str,
    lines: list[CartLine],
    idempotency_key: str,
    cashier: User | None,
    terminal: Device,
    shift: ShopShift | None,
    source: str = SaleSource.POS,
    now: dt.datetime | None = None,
    shown_total_rp: int | None = None,
) -> CheckoutResult:
    """Sell the basket to the holder of the card. Refusals raise ShopError (a stable `code` and
    a message with the figures: tries left, balance available, limit left…) and change
    nothing except a wrong PIN try, which is counted. `shown_total_rp`, the total the inmate
    saw when typing the PIN, must equal the total at today's prices (else `total_changed`)."""
    now = now or clock.now()
    key = check_key(idempotency_key)
    if terminal.site_id != site.pk or not terminal.is_active:
        raise ShopError("terminal_invalid", _("Terminal ini tidak terdaftar aktif di UPT ini."))
    if shift is not None and (shift.closed_at is not None or shift.terminal_id != terminal.pk):
        raise ShopError(
            "shift_closed", _("Shift kasir sudah ditutup atau bukan milik terminal ini.")
        )
    wanted = _merged(lines)  # a malformed basket is refused before the card is even looked up
    holder = checkout_holder(site=site, raw_uid=card_uid, key=key)
    inmate = holder.inmate
    if holder.earlier_sale_id is not None:
        earlier = _replay(site, key, inmate, lines)
        if earlier is not None:
            return CheckoutResult(earlier, replayed=True)
    label = terminal_label(terminal)
    if not _pin_ok_at_once(holder, pin):
        pin_check(inmate=inmate, pin=pin, terminal=label)
    try:
        with transaction.atomic():
            # The shop's rules are checked once, inside the transaction that sells (the till
            # showed the basket's problems before asking for the PIN).
            return _sell(
                site=site,
                inmate=inmate,
                wanted=wanted,
                key=key,
                lines=lines,
                source=source,
                shift=shift,
                cashier=cashier,
                label=label,
                now=now,
                shown_total_rp=shown_total_rp,
            )
    except LedgerError as exc:
        if exc.code == "idempotency_conflict":
            # A request with this key committed while we waited for the inmate's lock: its
            # purchase carries another receipt number, so the ledger saw "another request".
            earlier = _replay(site, key, inmate, lines)
            if earlier is not None:
                return CheckoutResult(earlier, replayed=True)
        raise _ledger_error(exc) from exc
    except IntegrityError:
        # Another request with this key committed between our replay check and our INSERT.
        earlier = _replay(site, key, inmate, lines)
        if earlier is None:
            raise
        return CheckoutResult(earlier, replayed=True)

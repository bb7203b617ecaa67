"""The POS basket, kept server-side (one `PosBasket` row per till and cashier) under the
checkout's key.

Why server-side and not hidden inputs in the page: a scan, a tile tap or a quantity change is
one small request that returns the re-rendered basket, so the server is the one place that
knows the lines (prices always come from the catalogue, never from the page); a reload or an
accidental click away keeps the basket; and the idempotency key is born with the basket, is
rendered into the pay form, and is replaced only after a sale succeeded or the cashier chose
"Transaksi baru". A pay form posted again with an old key finds the sale that key made (the
checkout service replays it) instead of charging twice.

Why a row and not the session: see `PosBasket`. A change (`changing`) locks the row for its
read-modify-write, so two changes at once (two tabs, a retry) both count.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction

from pandai.core.http import PandaiRequest
from pandai.shop.models import PosBasket

MAX_QUANTITY = 999


def new_checkout_key() -> str:
    return f"pos-{uuid.uuid4()}"


@dataclass
class Basket:
    terminal_id: int
    key: str
    # product id -> quantity, in the order the lines were added
    lines: dict[int, int] = field(default_factory=dict)

    def add(self, product_id: int, quantity: int = 1) -> None:
        current = self.lines.get(product_id, 0)
        self.set(product_id, current + quantity)

    def set(self, product_id: int, quantity: int) -> None:
        if quantity <= 0:
            self.lines.pop(product_id, None)
        else:
            self.lines[product_id] = min(quantity, MAX_QUANTITY)

    def as_pairs(self) -> list[tuple[int, int]]:
        return list(self.lines.items())


def _row(request: PandaiRequest, terminal_id: int, *, lock: bool) -> PosBasket:
    rows = PosBasket.objects.filter(terminal_id=terminal_id, cashier=request.user)
    row = (rows.select_for_update() if lock else rows).first()
    if row is None:
        row, _created = PosBasket.objects.get_or_create(
            terminal_id=terminal_id,
            cashier=request.user,
            defaults={"site": request.site, "key": new_checkout_key()},
        )
    elif row.site_id != request.site.pk:  # the till was paired again at another site
        row.site, row.key, row.lines = request.site, new_checkout_key(), []
        row.save(update_fields=["site", "key", "lines", "updated_at"])
    return row


def _basket(row: PosBasket) -> Basket:
    lines = {int(pid): int(qty) for pid, qty in row.lines}
    return Basket(terminal_id=row.terminal_id, key=row.key, lines=lines)


def load(request: PandaiRequest, terminal_id: int) -> Basket:
    """This cashier's basket on this terminal; a fresh one (new key) if none yet."""
    return _basket(_row(request, terminal_id, lock=False))


def _store(row: PosBasket, basket: Basket) -> None:
    row.key = basket.key
    row.lines = [[pid, qty] for pid, qty in basket.lines.items()]
    row.save(update_fields=["key", "lines", "updated_at"])


@contextmanager
def changing(request: PandaiRequest, terminal_id: int) -> Iterator[Basket]:
    """Read, change and store the basket with its row locked: `with changing(...) as b:`."""
    with transaction.atomic():
        row = _row(request, terminal_id, lock=True)
        basket = _basket(row)
        yield basket
        if (basket.key, basket.as_pairs()) != (row.key, [(p, q) for p, q in row.lines]):
            _store(row, basket)


def start_new(request: PandaiRequest, terminal_id: int) -> Basket:
    """After a sale, or when the cashier starts over: empty, with a new checkout key."""
    with changing(request, terminal_id) as basket:
        basket.key = new_checkout_key()
        basket.lines.clear()
    return basket

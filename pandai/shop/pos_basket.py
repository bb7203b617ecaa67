"""The POS basket, kept server-side in the cashier's session under the checkout's key.

Why the session and not hidden inputs in the page: a scan, a tile tap or a quantity change is
one small request that returns the re-rendered basket, so the server is the one place that
knows the lines (prices always come from the catalogue, never from the page); a reload or an
accidental click away keeps the basket; and the idempotency key is born with the basket, is
rendered into the pay form, and is replaced only after a sale succeeded or the cashier chose
"Transaksi baru". A pay form posted again with an old key finds the sale that key made (the
checkout service replays it) instead of charging twice.

The JS serialises the POS requests of one screen, so two quick scans cannot overwrite each
other's session write.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.contrib.sessions.backends.base import SessionBase

SESSION_KEY = "shop_pos_basket"
MAX_QUANTITY = 999
MAX_LINES = 60


def new_checkout_key() -> str:
    return f"pos-{uuid.uuid4()}"


@dataclass
class SessionBasket:
    terminal_id: int
    key: str
    # product id -> quantity, in the order the lines were added
    lines: dict[int, int] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.lines

    @property
    def item_count(self) -> int:
        return sum(self.lines.values())

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


def load(session: SessionBase, terminal_id: int) -> SessionBasket:
    """This terminal's basket; a fresh one (new key) if none, or if it was another till's."""
    raw: dict[str, Any] | None = session.get(SESSION_KEY)
    if raw and raw.get("terminal") == terminal_id and raw.get("key"):
        lines = {int(pid): int(qty) for pid, qty in raw.get("lines", [])}
        return SessionBasket(terminal_id=terminal_id, key=str(raw["key"]), lines=lines)
    basket = SessionBasket(terminal_id=terminal_id, key=new_checkout_key())
    save(session, basket)
    return basket


def save(session: SessionBase, basket: SessionBasket) -> None:
    session[SESSION_KEY] = {
        "terminal": basket.terminal_id,
        "key": basket.key,
        "lines": [[pid, qty] for pid, qty in basket.lines.items()],
    }


def start_new(session: SessionBase, terminal_id: int) -> SessionBasket:
    """After a sale, or when the cashier starts over: empty, with a new checkout key."""
    basket = SessionBasket(terminal_id=terminal_id, key=new_checkout_key())
    save(session, basket)
    return basket

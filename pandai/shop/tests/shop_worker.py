"""Child-process side of the shop's PostgreSQL concurrency tests: a forked process waits at
the barrier with the others, then checks out one basket through the shop's service and
reports the outcome (code, sale id, replayed) on the queue."""

from __future__ import annotations

from typing import Any


def checkout_once(
    terminal_id: int,
    shift_id: int,
    card_uid: str,
    pin: str,
    lines: list[tuple[int, int]],
    key: str,
    barrier: Any,
    results: Any,
) -> None:
    from django.db import connections

    from pandai.core.models import Device
    from pandai.shop.errors import ShopError
    from pandai.shop.models import ShopShift
    from pandai.shop.services import CartLine, checkout

    connections.close_all()
    try:
        terminal = Device.objects.select_related("site").get(pk=terminal_id)
        shift = ShopShift.objects.select_related("cashier").get(pk=shift_id)
        barrier.wait()
        result = checkout(
            site=terminal.site,
            card_uid=card_uid,
            pin=pin,
            lines=[CartLine(p, q) for p, q in lines],
            idempotency_key=key,
            cashier=shift.cashier,
            terminal=terminal,
            shift=shift,
        )
        results.put(("ok", result.sale.pk, result.replayed))
    except ShopError as error:
        results.put((error.code, None, None))
    except Exception as error:  # reported to the test, which fails on it
        results.put(("crash", repr(error), None))
    finally:
        connections.close_all()

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


def expire_orders(site_id: int, at_iso: str, barrier: Any, results: Any) -> None:
    """Forked child: run the pre-order expiry (what shop_tick does) at the same moment as the
    others; report how many orders this process expired."""
    import datetime as dt

    from django.db import connections

    from pandai.core.models import Site
    from pandai.shop.services.preorders import preorders_expire

    connections.close_all()
    try:
        site = Site.objects.get(pk=site_id)
        barrier.wait()
        results.put(("ok", preorders_expire(now=dt.datetime.fromisoformat(at_iso), site=site)))
    except Exception as error:  # reported to the test, which fails on it
        results.put(("crash", repr(error)))
    finally:
        connections.close_all()


def deliver_order(
    order_id: int, line_id: int, qty: int, key: str, barrier: Any, results: Any
) -> None:
    """Forked child: deliver the order (card and PIN of its inmate) with the shared key."""
    from django.db import connections

    from pandai.core.models import User
    from pandai.shop.errors import ShopError
    from pandai.shop.models import PreOrder
    from pandai.shop.services.preorders import preorder_deliver

    connections.close_all()
    try:
        order = PreOrder.objects.get(pk=order_id)
        actor = User.objects.filter(memberships__role="cashier").order_by("pk").first()
        assert actor is not None
        barrier.wait()
        done = preorder_deliver(
            order=order,
            delivered={line_id: qty},
            card_uid="04AAAAAAAAAA01",
            pin="246810",
            actor=actor,
            idempotency_key=key,
        )
        results.put(("ok", done.sale_id))
    except ShopError as error:
        results.put((error.code, None))
    except Exception as error:  # reported to the test, which fails on it
        results.put(("crash", repr(error)))
    finally:
        connections.close_all()

"""The statements of the checkout hot path as fixed SQL texts.

A checkout is a dozen short statements; building each through the ORM's query compiler costs
far more CPU than running it (the same finding as `pandai.wallet.sql`). So the statements
every sale runs are plain SQL here -- values are always parameters -- and on PostgreSQL they
run through `pandai.core.audit.prepared_cursor`: each text is parsed and planned once per
connection. Lists of rows are bound as arrays on PostgreSQL (one text whatever the basket's
size); on SQLite, which has no server to plan for, lists become placeholders or
`executemany`. Reads and rare paths (a replay, a refusal's details) stay in the ORM.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cache
from typing import Any, NamedTuple

from django.db import connection

from pandai.core.audit import prepared_cursor
from pandai.core.models import User
from pandai.inmates.models import Inmate
from pandai.shop.models import PreOrderStatus, SaleStatus, ShopShift


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _dt(value: dt.datetime) -> Any:
    """A datetime as the ORM stores it (naive UTC text on SQLite, aware on PostgreSQL)."""
    return connection.ops.adapt_datetimefield_value(value)


def _day(value: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(value)


def _in(n: int) -> str:
    return "(" + ", ".join(["%s"] * n) + ")"


# --- before the transaction: the card, its holder, the PIN row, an earlier sale ----------

_HOLDER = """
WITH found AS (
  SELECT id, status, inmate_id, issued_at, 0 AS pref FROM inmates_card
  WHERE uid IN {forms} AND +site_id = %s{short}
)
SELECT c.status, i.id, i.site_id, i.reg_no, i.full_name, i.status, i.cell_id,
       p.pin_hash, p.failed_tries, p.locked_until,
       (SELECT s.id FROM shop_sale s WHERE s.site_id = %s AND s.idempotency_key = %s)
FROM found c
JOIN inmates_inmate i ON i.id = c.inmate_id
LEFT JOIN inmates_pin p ON p.inmate_id = i.id
ORDER BY c.pref, c.issued_at DESC, c.id DESC
LIMIT 1
"""
_HOLDER_SHORT = """
  UNION ALL
  SELECT id, status, inmate_id, issued_at, 1 AS pref FROM inmates_card
  WHERE uid32 IN {short} AND +site_id = %s"""


@cache
def _holder_sql(forms: int, short: int) -> str:
    """One text per count of UID forms (a reader's text gives 1-4, of which 0-2 are 4-byte):
    an exact list lets the planner look each form up by its index."""
    extra = _HOLDER_SHORT.format(short=_in(short)) if short else ""
    return _HOLDER.format(forms=_in(forms), short=extra)


# Columns as `Model.from_db` takes them: in the model's field order.
INMATE_FIELDS = ["id", "site_id", "reg_no", "full_name", "status", "cell_id"]
# Two lookups by the UID indexes; `+site_id` is no index choice (both planners would
# otherwise walk every card of the site, an OR of the two lookups too). A full form match
# sorts before a 4-byte one.


def holder(*, site_id: int, forms: list[str], short: list[str], key: str) -> Sequence[Any] | None:
    """One row for the card a reader typed (`forms`: the stored forms it may stand for;
    `short`: its 4-byte forms, matched against the first 4 bytes of 7-byte cards when no full
    form matches), newest card first: card status, the holder's columns (INMATE_FIELDS), the
    PIN row (hash, wrong tries, locked until; None when no PIN was set) and the id of a sale
    already written at this site under `key` (None if none)."""
    params: list[Any] = [*forms, site_id]
    if short:
        params += [*short, site_id]
    with prepared_cursor() as cursor:
        cursor.execute(_holder_sql(len(forms), len(short)), [*params, site_id, key])
        return cursor.fetchone()


# --- a terminal's basket by barcode (the API's checkout) --------------------------------

_CODES = """
SELECT 0, b.code, p.id, p.is_active, p.name
FROM shop_barcode b JOIN shop_product p ON p.id = b.product_id
WHERE b.site_id = %s AND b.code {codes}
UNION ALL
SELECT 1, p.sku, p.id, p.is_active, p.name FROM shop_product p
WHERE p.site_id = %s AND p.sku {codes}
"""
CODES_PG_SQL = _CODES.format(codes="= ANY(%s::text[])")


class CodedProduct(NamedTuple):
    pk: int
    is_active: bool
    name: str


def products_by_code(*, site_id: int, codes: list[str]) -> dict[str, CodedProduct]:
    """code -> the product with that barcode at the site, else with that SKU (as
    `selectors.product_by_barcode` looks one up), for all of a basket's codes in one
    statement; an unknown code is missing."""
    unique = sorted(set(codes))
    with prepared_cursor() as cursor:
        if _postgres():
            cursor.execute(CODES_PG_SQL, [site_id, unique, site_id, unique])
        else:
            cursor.execute(
                _CODES.format(codes="IN " + _in(len(unique))), [site_id, *unique, site_id, *unique]
            )
        rows = cursor.fetchall()
    found: dict[str, CodedProduct] = {}
    # A barcode (kind 0) before a SKU (kind 1); the site's codes and SKUs are unique.
    for _kind, code, pk, is_active, name in sorted(rows, key=lambda row: (row[0], row[2])):
        found.setdefault(code, CodedProduct(pk, bool(is_active), name))
    return found


# --- the terminal's open shift (the API's checkout) -------------------------------------

OPEN_SHIFT_SQL = """
SELECT s.id, s.site_id, s.terminal_id, s.cashier_id, s.number, s.closed_at,
       u.id, u.username, u.full_name
FROM shop_shopshift s JOIN core_user u ON u.id = s.cashier_id
WHERE s.terminal_id = %s AND s.closed_at IS NULL
"""
SHIFT_FIELDS = ["id", "site_id", "terminal_id", "cashier_id", "number", "closed_at"]
CASHIER_FIELDS = ["id", "username", "full_name"]  # what the ledger, audit and receipt read


def open_shift(terminal_id: int) -> ShopShift | None:
    """The terminal's open shift with its cashier (only the columns a checkout reads; the
    others load on first access)."""
    with prepared_cursor() as cursor:
        cursor.execute(OPEN_SHIFT_SQL, [terminal_id])
        row = cursor.fetchone()
    if row is None:
        return None
    shift = ShopShift.from_db(connection.alias, SHIFT_FIELDS, row[:6])
    shift.cashier = User.from_db(connection.alias, CASHIER_FIELDS, row[6:])
    return shift


# --- inside the transaction ------------------------------------------------------------

LOCK_INMATE_SQL = "SELECT 1 FROM inmates_inmate WHERE id = %s FOR NO KEY UPDATE"


def inmate_lock(inmate_id: int) -> None:
    """One checkout per inmate at a time (PostgreSQL; SQLite's IMMEDIATE transactions are
    already one writer at a time)."""
    if _postgres():
        with prepared_cursor() as cursor:
            cursor.execute(LOCK_INMATE_SQL, [inmate_id])


_BASKET_COLUMNS = """
SELECT p.id, p.site_id, p.name, p.price_rp, p.cost_rp, p.is_active, p.limit_per_day,
       p.limit_per_week, p.essential, p.on_hand, c.name,
       (SELECT s.id FROM shop_sale s WHERE s.site_id = %s AND s.idempotency_key = %s),
       EXISTS (SELECT 1 FROM inmates_disciplineentry d
               WHERE d.inmate_id = %s AND d.restricts_shop AND d.date <= %s
                 AND (d.end_date IS NULL OR d.end_date >= %s))
FROM {products} JOIN shop_category c ON c.id = p.category_id
"""


class BasketItem(NamedTuple):
    """A basket's product as the checkout reads it (the names the shop's rules read of a
    Product, so they check either)."""

    pk: int
    site_id: int
    name: str
    price_rp: int
    cost_rp: int
    is_active: bool
    limit_per_day: int | None
    limit_per_week: int | None
    essential: bool
    on_hand: int
    category_name: str


for _model, _fields in (
    (Inmate, INMATE_FIELDS),
    (ShopShift, SHIFT_FIELDS),
    (User, CASHIER_FIELDS),
):  # `Model.from_db` takes a subset of columns in the model's field order
    _order = [f.attname for f in _model._meta.concrete_fields if f.attname in _fields]
    assert _order == _fields, f"{_model.__name__}.from_db needs {_order}"
# The rows locked in id order: no two tills wait on each other in a circle.
BASKET_PG_SQL = _BASKET_COLUMNS.format(products="shop_product p") + (
    "WHERE p.id = ANY(%s::bigint[]) ORDER BY p.id FOR NO KEY UPDATE OF p"
)


@cache
def _basket_sqlite(n: int) -> str:
    return (
        _BASKET_COLUMNS.format(products="shop_product p") + f"WHERE p.id IN {_in(n)} ORDER BY p.id"
    )


def basket(
    *, site_id: int, key: str, inmate_id: int, today: dt.date, product_ids: list[int]
) -> tuple[dict[int, BasketItem], int | None, bool]:
    """The basket's products by id (none for an unknown id), locked for the stock change on
    PostgreSQL; the id of a sale already written under `key` (None if none: only known when
    a product was found); whether Register F limits the inmate to essentials today."""
    head = [site_id, key, inmate_id, _day(today), _day(today)]
    with prepared_cursor() as cursor:
        if _postgres():
            cursor.execute(BASKET_PG_SQL, [*head, product_ids])
        else:
            cursor.execute(_basket_sqlite(len(product_ids)), [*head, *product_ids])
        rows = cursor.fetchall()
    if not rows:
        return {}, None, False
    items = {row[0]: BasketItem(*row[:11]) for row in rows}
    return items, rows[0][11], bool(rows[0][12])


_STATUS = {"completed": SaleStatus.COMPLETED.value, "open": PreOrderStatus.OPEN.value}
_BOUGHT = """
SELECT product_id, SUM(CASE WHEN at >= %s THEN qty ELSE 0 END), SUM(qty) FROM (
  SELECT l.product_id AS product_id, l.quantity - l.returned_qty AS qty, s.created_at AS at
  FROM shop_saleline l JOIN shop_sale s ON s.id = l.sale_id
  WHERE s.inmate_id = %s AND s.status = '{completed}' AND s.created_at >= %s
    AND s.created_at < %s AND l.product_id {ids}
  UNION ALL
  SELECT pl.product_id, pl.quantity, o.created_at
  FROM shop_preorderline pl JOIN shop_preorder o ON o.id = pl.order_id
  WHERE o.inmate_id = %s AND o.status = '{open}' AND o.created_at >= %s AND pl.product_id {ids}
) bought GROUP BY product_id
"""


def bought(
    *,
    inmate_id: int,
    product_ids: list[int],
    day_start: dt.datetime,
    day_end: dt.datetime,
    week_start: dt.datetime,
) -> dict[int, tuple[int, int]]:
    """product id -> (bought today, bought this week): receipts net of returns plus open
    pre-orders, from `week_start`."""
    start, end, week = _dt(day_start), _dt(day_end), _dt(week_start)
    with prepared_cursor() as cursor:
        if _postgres():
            cursor.execute(
                _BOUGHT.format(ids="= ANY(%s::bigint[])", **_STATUS),
                [start, inmate_id, week, end, product_ids, inmate_id, week, product_ids],
            )
        else:
            ids = "IN " + _in(len(product_ids))
            cursor.execute(
                _BOUGHT.format(ids=ids, **_STATUS),
                [start, inmate_id, week, end, *product_ids, inmate_id, week, *product_ids],
            )
        rows = cursor.fetchall()
    out = {pk: (0, 0) for pk in product_ids}
    out.update({pk: (int(day or 0), int(week or 0)) for pk, day, week in rows})
    return out


NEXT_RECEIPT_SQL = (
    "UPDATE shop_shopshift SET receipt_seq = receipt_seq + 1 WHERE id = %s RETURNING receipt_seq"
)


def next_receipt_seq(shift_id: int) -> int:
    """The shift's next receipt number (one statement: SQLite >= 3.35 and PostgreSQL)."""
    with prepared_cursor() as cursor:
        cursor.execute(NEXT_RECEIPT_SQL, [shift_id])
        (seq,) = cursor.fetchone()
    return int(seq)


STOCK_LOCK_PG_SQL = (
    "SELECT id, on_hand FROM shop_product WHERE id = ANY(%s::bigint[]) ORDER BY id "
    "FOR NO KEY UPDATE"
)


def stock_lock(product_ids: list[int]) -> dict[int, int]:
    """product id -> on hand, the rows locked in id order on PostgreSQL (no two tills wait on
    each other in a circle); SQLite's IMMEDIATE transactions are one writer at a time."""
    with prepared_cursor() as cursor:
        if _postgres():
            cursor.execute(STOCK_LOCK_PG_SQL, [product_ids])
        else:
            cursor.execute(
                f"SELECT id, on_hand FROM shop_product WHERE id IN {_in(len(product_ids))}",  # noqa: S608
                product_ids,
            )
        return dict(cursor.fetchall())


_MOVE_COLUMNS = (
    "site_id, product_id, kind, quantity, unit_cost_rp, supplier, reason, reference, actor_id, "
    "created_at"
)
STOCK_TAKE_PG_SQL = f"""
WITH taken AS (
  UPDATE shop_product p SET on_hand = p.on_hand - t.qty
  FROM unnest(%s::bigint[], %s::integer[]) AS t(id, qty) WHERE p.id = t.id
)
INSERT INTO shop_stockmove ({_MOVE_COLUMNS})
SELECT %s::bigint, m.product_id, %s::text, -m.qty, m.cost, '', '', %s::text, %s::bigint,
       %s::timestamptz
FROM unnest(%s::bigint[], %s::integer[], %s::bigint[]) AS m(product_id, qty, cost)
"""  # noqa: S608 -- placeholders only
STOCK_UPDATE_SQL = "UPDATE shop_product SET on_hand = on_hand - %s WHERE id = %s"
STOCK_MOVE_SQL = (
    f"INSERT INTO shop_stockmove ({_MOVE_COLUMNS}) "  # noqa: S608
    "VALUES (%s, %s, %s, %s, %s, '', '', %s, %s, %s)"
)


def stock_out(
    *,
    site_id: int,
    items: list[tuple[int, int, int]],
    kind: str,
    reference: str,
    actor_id: int | None,
    now: dt.datetime,
) -> None:
    """Take (product id, quantity, unit cost) out of stock and record the moves; the rows are
    already locked and checked by the caller."""
    at = _dt(now)
    with prepared_cursor() as cursor:
        if _postgres():
            ids = [pk for pk, _qty, _cost in items]
            qtys = [qty for _pk, qty, _cost in items]
            costs = [cost for _pk, _qty, cost in items]
            cursor.execute(
                STOCK_TAKE_PG_SQL,
                [ids, qtys, site_id, kind, reference, actor_id, at, ids, qtys, costs],
            )
            return
        cursor.executemany(STOCK_UPDATE_SQL, [(qty, pk) for pk, qty, _cost in items])
        cursor.executemany(
            STOCK_MOVE_SQL,
            [(site_id, pk, kind, -qty, cost, reference, actor_id, at) for pk, qty, cost in items],
        )


# The shift's next receipt number and the stock out that carries it, in one round trip
# (PostgreSQL): '<shift number>-0042' as `f"{seq:04d}"` writes it (more digits past 9999).
# The stock moves and the product UPDATE join the counter's row, so without it nothing moves.
RECEIPT_STOCK_OUT_PG_SQL = f"""
WITH seq AS (
  UPDATE shop_shopshift SET receipt_seq = receipt_seq + 1 WHERE id = %s RETURNING receipt_seq
), ref AS (
  SELECT %s::text || '-' || lpad(receipt_seq::text, greatest(4, length(receipt_seq::text)), '0')
         AS number
  FROM seq
), taken AS (
  UPDATE shop_product p SET on_hand = p.on_hand - t.qty
  FROM ref, unnest(%s::bigint[], %s::integer[]) AS t(id, qty) WHERE p.id = t.id
), moves AS (
  INSERT INTO shop_stockmove ({_MOVE_COLUMNS})
  SELECT %s::bigint, m.product_id, %s::text, -m.qty, m.cost, '', '', ref.number, %s::bigint,
         %s::timestamptz
  FROM ref, unnest(%s::bigint[], %s::integer[], %s::bigint[]) AS m(product_id, qty, cost)
)
SELECT number FROM ref
"""  # noqa: S608 -- placeholders only


def receipt_stock_out(
    *,
    shift_id: int,
    shift_number: str,
    site_id: int,
    items: list[tuple[int, int, int]],
    kind: str,
    actor_id: int | None,
    now: dt.datetime,
) -> str:
    """The shift's next receipt number, and (product id, quantity, unit cost) taken out of
    stock under it (rows already locked and checked by the caller). Returns the number."""
    if not _postgres():
        number = f"{shift_number}-{next_receipt_seq(shift_id):04d}"
        stock_out(
            site_id=site_id, items=items, kind=kind, reference=number, actor_id=actor_id, now=now
        )
        return number
    ids = [pk for pk, _qty, _cost in items]
    qtys = [qty for _pk, qty, _cost in items]
    costs = [cost for _pk, _qty, cost in items]
    with prepared_cursor() as cursor:
        cursor.execute(
            RECEIPT_STOCK_OUT_PG_SQL,
            [
                shift_id,
                shift_number,
                ids,
                qtys,
                site_id,
                kind,
                actor_id,
                _dt(now),
                ids,
                qtys,
                costs,
            ],
        )
        row = cursor.fetchone()
    if row is None:
        raise ShopShift.DoesNotExist(f"shift {shift_id}")
    return str(row[0])


_SALE_COLUMNS = (
    "site_id, number, shift_id, inmate_id, cashier_id, source, total_rp, balance_after_rp, "
    "status, idempotency_key, batch_id, created_at, void_reason"
)
_SALE_VALUES = f"%s, %s, %s, %s, %s, %s, %s, %s, '{SaleStatus.COMPLETED.value}', %s, %s, %s, ''"
_LINE_COLUMNS = (
    "sale_id, product_id, name, category_name, quantity, unit_price_rp, unit_cost_rp, returned_qty"
)
SALE_PG_SQL = f"""
WITH sale AS (
  INSERT INTO shop_sale ({_SALE_COLUMNS}) VALUES ({_SALE_VALUES}) RETURNING id
), lines AS (
  INSERT INTO shop_saleline ({_LINE_COLUMNS})
  SELECT sale.id, l.product_id, l.name, l.category_name, l.qty, l.price, l.cost, 0
  FROM sale, unnest(%s::bigint[], %s::text[], %s::text[], %s::integer[], %s::bigint[],
                    %s::bigint[]) AS l(product_id, name, category_name, qty, price, cost)
)
SELECT id FROM sale
"""  # noqa: S608 -- placeholders only
SALE_SQL = f"INSERT INTO shop_sale ({_SALE_COLUMNS}) VALUES ({_SALE_VALUES}) RETURNING id"  # noqa: S608
LINE_SQL = (
    f"INSERT INTO shop_saleline ({_LINE_COLUMNS}) "  # noqa: S608
    "VALUES (%s, %s, %s, %s, %s, %s, %s, 0)"
)


def sale_insert(
    *,
    sale: Sequence[Any],
    lines: Sequence[tuple[int, str, str, int, int, int]],
) -> int:
    """Write the receipt: `sale` is (site, number, shift, inmate, cashier, source, total,
    balance after, key, batch, created_at) ids and values; `lines` (product id, name,
    category name, quantity, unit price, unit cost). Returns the sale's id."""
    head = [*sale[:10], _dt(sale[10])]
    with prepared_cursor() as cursor:
        if _postgres():
            columns = [list(column) for column in zip(*lines, strict=True)]
            cursor.execute(SALE_PG_SQL, [*head, *columns])
            (sale_id,) = cursor.fetchone()
            return int(sale_id)
        cursor.execute(SALE_SQL, head)
        (sale_id,) = cursor.fetchone()
        cursor.executemany(LINE_SQL, [(sale_id, *line) for line in lines])
    return int(sale_id)

"""Every write of the koperasi. Import from here (or from the submodule that owns it).

stock:      stock_move (the primitive: the only writer of stock), stock_check
checkout:   CartLine, basket_check, checkout, sale_record (shared with pre-order delivery),
            pin_check, terminal_label
shifts:     shift_open, shift_close, zreport (ZReport)

Owned by their own modules (import from them): `catalogue` (categories, products, barcodes,
price history, photos, shop settings), `inventory` (goods received, adjustments, stock counts),
`catalogue_import` (CSV/XLSX preview-then-apply), `corrections` + `approval` (voids and
returns approved by a shop manager), `preorders` (orders from the blocks on ledger holds).
"""

from pandai.shop.services.checkout import (
    Basket,
    CartLine,
    CheckoutResult,
    basket_check,
    checkout,
    pin_check,
    sale_record,
    terminal_label,
)
from pandai.shop.services.shifts import ZReport, shift_close, shift_open, zreport
from pandai.shop.services.stock import stock_check, stock_move

__all__ = [
    "Basket",
    "CartLine",
    "CheckoutResult",
    "ZReport",
    "basket_check",
    "checkout",
    "pin_check",
    "sale_record",
    "shift_close",
    "shift_open",
    "stock_check",
    "stock_move",
    "terminal_label",
    "zreport",
]

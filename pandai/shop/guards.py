"""Append-only stock ledger and price history, enforced by the database (see core.dbguards)."""

from pandai.core import dbguards

APPEND_ONLY = {
    "shop_stockmove_guard": (
        "shop_stockmove",
        "mutasi stok hanya bisa ditambah, tidak bisa diubah atau dihapus",
    ),
    "shop_pricechange_guard": (
        "shop_pricechange",
        "riwayat harga hanya bisa ditambah, tidak bisa diubah atau dihapus",
    ),
}

for _name, (_table, _message) in APPEND_ONLY.items():
    dbguards.register(_name, _table, _message, ["id"], "FALSE")

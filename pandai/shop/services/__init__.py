"""Every write of the koperasi. Import from here (or from the submodule that owns it).

stock:      stock_move (the primitive), stock_check
"""

from pandai.shop.services.stock import stock_check, stock_move

__all__ = ["stock_check", "stock_move"]

"""No inmate leaves the site with money on the books: the wallet's departure guard.

Registered with the inmate registry at start-up (WalletConfig.ready). Releasing or
transferring an inmate directly from the registry screens is refused while any of their
accounts holds money or a pending hold; the wallet's payout and site-transfer screens settle
the money and then release/transfer in the same transaction.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from pandai.core.money import format_rp
from pandai.inmates.models import Inmate
from pandai.inmates.services import InmateError
from pandai.wallet import selectors


def ensure_no_money_left(inmate: Inmate) -> None:
    bal = selectors.balances(inmate=inmate)
    total = bal.spendable_rp + bal.savings_rp + bal.held_rp
    if total or bal.pending_rp:
        raise InmateError(
            _(
                "WBP ini masih punya uang di Kartu Pandai (%(total)s). Gunakan halaman "
                "pembayaran pelepasan atau mutasi di Kartu Pandai agar uangnya ikut diselesaikan."
            )
            % {"total": format_rp(total)}
        )

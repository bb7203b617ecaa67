"""Every write of the ledger — the one door to accounts and transfers. Import from here.

Money in:   deposit_credit, premi_credit, held_release
Money out:  purchase, refund, release_payout, site_transfer; purchase_inside (no savepoint:
            for a caller whose transaction is undone whole on a refusal, the shop's checkout)
Holds:      hold_create, hold_post, hold_void, holds_expire
Fixes:      transfer_reverse, adjustment_request, adjustment_approve, adjustment_reject
Accounts:   inmate_accounts_open, system_account, counter_account, account_freeze,
            account_unfreeze, deltas_apply (shared accounts' waiting increments)
Rules:      ledger_settings_update, limit_exception_grant, limit_exception_revoke
Low level:  batch_post(TransferSpec...) for movements between system accounts (e.g. a bank
            callback for an unknown VA: BANK_CLEARING -> SUSPENSE), BatchResult.

Conventions for callers (shop, programs, kiosk, api, the wallet's own screens):
- Each money service takes an `idempotency_key` (unique per site; namespace it, e.g.
  "sale:123", "bank:<bank ref>", "premi:<payout id>") and returns a BatchResult. Calling again
  with the same key and the same request returns the first result (`replayed=True`) and
  writes nothing; the same key with another request raises IdempotencyConflict.
- Refusals raise a subclass of `pandai.wallet.errors.LedgerError` with a stable `.code` and a
  translated `.message` (show it as is); nothing is written.
- All run in the caller's transaction when there is one (never durable), except the
  adjustment services, which are whole user actions (durable).
- `now=` exists for tests and replays of the clock; views don't pass it.
"""

from pandai.wallet.accounts import (
    InmateAccounts,
    account_freeze,
    account_unfreeze,
    counter_account,
    deltas_apply,
    inmate_accounts_open,
    system_account,
)
from pandai.wallet.corrections import (
    adjustment_approve,
    adjustment_reject,
    adjustment_request,
    transfer_reverse,
)
from pandai.wallet.deposits import cap_rebalance_site, deposit_credit, held_release, premi_credit
from pandai.wallet.holds import hold_create, hold_post, hold_void, holds_expire
from pandai.wallet.lifecycle import PayoutResult, SiteTransferResult, release_payout, site_transfer
from pandai.wallet.posting import BatchResult, TransferSpec, batch_post
from pandai.wallet.rules import (
    ledger_settings_update,
    limit_exception_grant,
    limit_exception_revoke,
)
from pandai.wallet.spending import purchase, purchase_inside, refund, refundable_rp

__all__ = [
    "BatchResult",
    "InmateAccounts",
    "PayoutResult",
    "SiteTransferResult",
    "TransferSpec",
    "account_freeze",
    "account_unfreeze",
    "adjustment_approve",
    "adjustment_reject",
    "adjustment_request",
    "batch_post",
    "cap_rebalance_site",
    "counter_account",
    "deltas_apply",
    "deposit_credit",
    "held_release",
    "hold_create",
    "hold_post",
    "hold_void",
    "holds_expire",
    "inmate_accounts_open",
    "ledger_settings_update",
    "limit_exception_grant",
    "limit_exception_revoke",
    "premi_credit",
    "purchase",
    "purchase_inside",
    "refund",
    "refundable_rp",
    "release_payout",
    "site_transfer",
    "system_account",
    "transfer_reverse",
]

"""Opening, finding, locking, freezing and unfreezing accounts.

Inmate accounts (SPENDABLE, SAVINGS, HELD) open lazily on the first money in, or explicitly
with `inmate_accounts_open` (e.g. at admission). System accounts (one per kind and code per
site; cash drawers by counter code) open on first use with `system_account`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pandai.core.audit import audit_append
from pandai.core.models import Site, User
from pandai.inmates.models import Inmate, InmateStatus
from pandai.wallet import sql
from pandai.wallet.errors import (
    AccountClosed,
    AccountMissing,
    CorrectionError,
    InmateInactive,
    LedgerError,
)
from pandai.wallet.models import (
    INMATE_KINDS,
    Account,
    AccountKind,
    AccountStatus,
)
from pandai.wallet.selectors import waiting_deltas


@dataclass
class InmateAccounts:
    """An inmate's three accounts, locked for this transaction when they came from
    `lock_inmate_accounts`."""

    spendable: Account
    savings: Account
    held: Account

    def all(self) -> list[Account]:
        return [self.spendable, self.savings, self.held]

    def by_id(self) -> dict[int, Account]:
        return {a.pk: a for a in self.all()}


def _new_inmate_account(inmate: Inmate, kind: str) -> Account:
    return Account(
        site_id=inmate.site_id,
        kind=kind,
        inmate=inmate,
        name=str(AccountKind(kind).label),
        no_overdraft=True,
    )


def inmate_accounts_open(*, inmate: Inmate) -> InmateAccounts:
    """Create whichever of the inmate's accounts are missing (safe to call twice, also from
    two terminals at once). Refused for an inmate who is no longer held here."""
    existing = {a.kind: a for a in Account.objects.filter(inmate=inmate)}
    missing = [k for k in INMATE_KINDS if k not in existing]
    if missing:
        if inmate.status != InmateStatus.ACTIVE:
            raise InmateInactive()
        Account.objects.bulk_create(
            [_new_inmate_account(inmate, kind) for kind in missing], ignore_conflicts=True
        )
        existing = {a.kind: a for a in Account.objects.filter(inmate=inmate)}
    return InmateAccounts(
        spendable=existing[AccountKind.SPENDABLE],
        savings=existing[AccountKind.SAVINGS],
        held=existing[AccountKind.HELD],
    )


def lock_inmate_accounts(*, inmate: Inmate | int, open_missing: bool = True) -> InmateAccounts:
    """Lock the inmate's accounts (SELECT ... FOR UPDATE, in id order: one query). Opens
    missing ones first when `open_missing`; otherwise a missing set raises AccountMissing."""
    inmate_id = inmate if isinstance(inmate, int) else inmate.pk
    return inmate_accounts_locked(
        inmate=inmate, rows=sql.lock_accounts_of_inmate(inmate_id), open_missing=open_missing
    )


def inmate_accounts_locked(
    *, inmate: Inmate | int, rows: list[Account], open_missing: bool = True
) -> InmateAccounts:
    """The InmateAccounts of `rows`, the inmate's accounts just locked (e.g. by
    `posting.begin_locking`); when some are missing, as `lock_inmate_accounts`."""
    inmate_id = inmate if isinstance(inmate, int) else inmate.pk
    if len(rows) < len(INMATE_KINDS):
        if not open_missing:
            raise AccountMissing()
        owner = inmate if isinstance(inmate, Inmate) else Inmate.objects.get(pk=inmate_id)
        inmate_accounts_open(inmate=owner)
        rows = sql.lock_accounts_of_inmate(inmate_id)
    by_kind = {a.kind: a for a in rows}
    return InmateAccounts(
        spendable=by_kind[AccountKind.SPENDABLE],
        savings=by_kind[AccountKind.SAVINGS],
        held=by_kind[AccountKind.HELD],
    )


def lock_accounts(ids: list[int]) -> dict[int, Account]:
    """Lock accounts by id, in id order, in one query."""
    return {a.pk: a for a in sql.lock_accounts_by_id(sorted(ids))}


def system_account(*, site: Site, kind: str, code: str = "", name: str = "") -> Account:
    """The site's system account of this kind and code, opened on first use. Not locked:
    shared accounts are updated last with a single UPDATE (see posting)."""
    kind = AccountKind(kind)
    if kind in INMATE_KINDS:
        raise ValueError("inmate accounts are opened with inmate_accounts_open")
    account = sql.find_system_account(site.pk, kind, code)
    if account is None:
        Account.objects.bulk_create(
            [Account(site=site, kind=kind, code=code, name=name or str(kind.label))],
            ignore_conflicts=True,
        )
        account = Account.objects.get(site=site, kind=kind, code=code, inmate=None)
    return account


def counter_account(*, site: Site, counter: str) -> Account:
    """The cash drawer of one deposit counter (by the counter's code, e.g. "LOKET-1")."""
    return system_account(
        site=site, kind=AccountKind.CASH_DRAWER, code=counter, name=f"Kas loket {counter}"
    )


def _set_status(*, account: Account, status: str, actor: User, reason: str, action: str) -> None:
    if not reason.strip():
        raise CorrectionError.reason_required()
    locked = Account.objects.select_for_update(no_key=True).get(pk=account.pk)
    if locked.status == AccountStatus.CLOSED:
        raise AccountClosed(locked.pk)
    if locked.status == status:
        raise _already(status)
    old = locked.status
    Account.objects.filter(pk=locked.pk).update(status=status)
    account.status = status
    audit_append(
        action=action,
        site=locked.site,
        actor=actor,
        obj=locked,
        data={
            "account": locked.pk,
            "kind": locked.kind,
            "inmate": locked.inmate_id,
            "from": old,
            "to": status,
            "reason": reason.strip(),
            "at": timezone.now().isoformat(),
        },
    )


def _already(status: str) -> LedgerError:
    error = LedgerError(
        _("Rekening sudah berstatus %(status)s.") % {"status": AccountStatus(status).label}
    )
    error.code = "status_unchanged"
    return error


@transaction.atomic
def account_freeze(*, account: Account, actor: User, reason: str) -> None:
    """Freeze: the account still receives money but can no longer be debited."""
    _set_status(
        account=account,
        status=AccountStatus.FROZEN,
        actor=actor,
        reason=reason,
        action="wallet.account_freeze",
    )


@transaction.atomic
def account_unfreeze(*, account: Account, actor: User, reason: str) -> None:
    _set_status(
        account=account,
        status=AccountStatus.OPEN,
        actor=actor,
        reason=reason,
        action="wallet.account_unfreeze",
    )


@transaction.atomic
def deltas_apply(*, site: Site | None = None) -> int:
    """Add the increments waiting for shared accounts (AccountDelta, PostgreSQL) to them:
    what the next batch on the account does anyway, for a quiet moment (run_jobs' ledger
    tick). Waits for a batch holding an account. Returns the number of increments added."""
    waiting = waiting_deltas(site=site).values_list("account_id", flat=True).distinct()
    return sql.drain_deltas(list(waiting))

"""The one door: post a batch of transfers, all or nothing, once per idempotency key.

Public API (re-exported by `pandai.wallet.services`):

- `TransferSpec`: one transfer to write (debit account, credit account, amount, kind...).
- `batch_post(*, site, idempotency_key, transfers, actor, kind, terminal="", reference="",
  inmate=None, now=None) -> BatchResult` for system-to-system movements and anything the domain
  services below don't cover. Runs inside the caller's transaction if there is one (never
  durable), otherwise in its own.
- `BatchResult`: the batch, its transfers, `replayed` (True when the key was seen before with the
  same request: nothing was written), and the inmate's available balance after.

How one batch is written (few round trips, shared accounts never waited for; the statements
are plain SQL built once from the models, see `pandai.wallet.sql`):
1. `begin`: INSERT the batch row with ON CONFLICT DO NOTHING on (site, idempotency_key). No row
   back means the key exists (on PostgreSQL the insert first waits for a concurrent owner of the
   key to commit): same request hash -> replay the first result; different -> IdempotencyConflict.
2. The caller locks the accounts it must check (inmate / no-overdraft accounts) with one
   SELECT ... FOR NO KEY UPDATE in id order (SQLite: the IMMEDIATE transaction already holds
   the write lock), and builds the transfers from the locked balances.
3. `commit`: checks status, overdraft counting pending holds, balance cap and spending limits;
   inserts the transfers in one multi-row INSERT; updates the locked accounts in one UPDATE;
   appends one audit event; and adds to the shared account (shop sales, bank clearing...).
   On PostgreSQL, for the usual batch (one shared account), all of it is one statement, and
   the shared account is never waited for: the batch that gets its advisory lock at once adds
   to the row, one that finds it taken leaves an AccountDelta for the next (see
   `sql.shared_post_ctes`; every purchase of a site credits the one shop account). Otherwise
   each shared account gets a single `UPDATE ... SET credits_posted = credits_posted + x
   WHERE <still allowed>` as the last statement, so its row stays locked only from there to
   COMMIT.
Any refusal raises a LedgerError before COMMIT and the surrounding atomic block undoes
everything, the batch row included.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext as _

from pandai.core.audit import audit_append, audit_append_with, audit_event
from pandai.core.models import Site, User
from pandai.inmates.models import Inmate
from pandai.wallet import clock, sql
from pandai.wallet.accounts import lock_accounts
from pandai.wallet.errors import (
    AccountClosed,
    AccountFrozen,
    CrossSite,
    HoldError,
    IdempotencyConflict,
    InsufficientFunds,
    LedgerError,
    OverCap,
)
from pandai.wallet.models import (
    Account,
    AccountKind,
    AccountStatus,
    Batch,
    Transfer,
    TransferKind,
    TransferState,
)
from pandai.wallet.rules import (
    Rules,
    check_limits,
    month_start,
    rules_for,
    rules_of,
    with_exception,
)
from pandai.wallet.specs import (
    BatchResult,
    TransferSpec,
    check_amount,
    needs_lock,
    request_hash,
)

__all__ = [
    "BatchResult",
    "TransferSpec",
    "batch_post",
    "begin",
    "begin_locking",
    "begin_locking_with_rules",
    "check_amount",
    "commit",
    "needs_lock",
    "replay",
    "request_hash",
]

KEY_MAX = Batch._meta.get_field("idempotency_key").max_length or 200


def _actor(actor: User | None) -> User | None:
    return actor if actor is not None and getattr(actor, "pk", None) else None


def _validate_key(key: str) -> str:
    if not isinstance(key, str) or not key.strip() or len(key) > KEY_MAX:
        error = LedgerError(_("Kode transaksi (idempotency key) kosong atau terlalu panjang."))
        error.code = "idempotency_key_invalid"
        raise error
    return key


def replay(*, site: Site, key: str, digest: str) -> BatchResult:
    existing = Batch.objects.get(site=site, idempotency_key=key)
    if existing.request_hash != digest:
        raise IdempotencyConflict(key)
    transfers = list(Transfer.objects.filter(batch=existing).order_by("pk"))
    available = None
    if existing.inmate_id:
        spendable = Account.objects.filter(
            inmate_id=existing.inmate_id, kind=AccountKind.SPENDABLE
        ).first()
        available = spendable.available_rp if spendable else 0
    return BatchResult(existing, transfers, replayed=True, available_rp=available)


def begin(
    *,
    site: Site,
    idempotency_key: str,
    request: Mapping[str, Any],
    kind: str,
    now: dt.datetime,
    actor: User | None = None,
    terminal: str = "",
    reference: str = "",
    inmate: Inmate | None = None,
    limits: Rules | None = None,
) -> Batch | BatchResult:
    """Claim the idempotency key by writing the batch row; a BatchResult means "seen before"."""
    batch = _new_batch(
        site, idempotency_key, request, kind, now, actor, terminal, reference, inmate, limits
    )
    return _claimed(batch, sql.insert_batch(batch))


def begin_locking(
    *,
    site: Site,
    idempotency_key: str,
    request: Mapping[str, Any],
    kind: str,
    now: dt.datetime,
    inmate: Inmate,
    actor: User | None = None,
    terminal: str = "",
    reference: str = "",
    limits: Rules | None = None,
) -> tuple[Batch | BatchResult, list[Account]]:
    """`begin`, then (only when the key is new) lock the inmate's accounts as
    `accounts.lock_inmate_accounts` does -- on PostgreSQL in the batch INSERT's own statement.
    Returns the batch (or the replay) and the locked accounts (fewer than three when some are
    not open yet: `accounts.inmate_accounts_locked` handles that)."""
    batch = _new_batch(
        site, idempotency_key, request, kind, now, actor, terminal, reference, inmate, limits
    )
    pk, locked = sql.insert_batch_locking(batch, inmate.pk)
    claimed = _claimed(batch, pk)
    return claimed, locked if isinstance(claimed, Batch) else []


def begin_locking_with_rules(
    *,
    site: Site,
    idempotency_key: str,
    request: Mapping[str, Any],
    kind: str,
    now: dt.datetime,
    inmate: Inmate,
    system_kind: str,
    actor: User | None = None,
    terminal: str = "",
    reference: str = "",
) -> tuple[Batch | BatchResult, list[Account], Rules, Account | None]:
    """PostgreSQL: `begin_locking` with `limits` = the site's rules and the inmate's
    exception in force, which it reads in the same statement, along with the site's system
    account of `system_kind` (None if not opened yet). Returns the batch (or the replay), the
    locked accounts, the rules and that account."""
    batch = _new_batch(
        site, idempotency_key, request, kind, now, actor, terminal, reference, inmate, None
    )
    pk, locked, settings, exc, system = sql.insert_batch_locking_with_context(
        batch, inmate.pk, now, system_kind, ""
    )
    rules = with_exception(Rules() if settings is None else rules_of(settings), exc)
    batch.daily_limit_rp = rules.daily_limit_rp
    batch.monthly_limit_rp = rules.monthly_limit_rp
    return _claimed(batch, pk), locked, rules, system


def _new_batch(
    site: Site,
    idempotency_key: str,
    request: Mapping[str, Any],
    kind: str,
    now: dt.datetime,
    actor: User | None,
    terminal: str,
    reference: str,
    inmate: Inmate | None,
    limits: Rules | None,
) -> Batch:
    """The batch row to claim the key with (checked: inside a transaction, a valid key)."""
    if not connection.in_atomic_block:
        raise RuntimeError("ledger writes must run inside transaction.atomic")
    return Batch(
        site=site,
        idempotency_key=_validate_key(idempotency_key),
        request_hash=request_hash(request),
        kind=str(kind),
        reference=reference[:120],
        inmate=inmate,
        actor=_actor(actor),
        terminal=terminal[:80],
        created_at=now,
        daily_limit_rp=limits.daily_limit_rp if limits else None,
        monthly_limit_rp=limits.monthly_limit_rp if limits else None,
    )


def _claimed(batch: Batch, pk: int | None) -> Batch | BatchResult:
    """The batch written with id `pk`, or (no id: the key was there) the first result."""
    if pk is None:
        return replay(site=batch.site, key=batch.idempotency_key, digest=batch.request_hash)
    batch.pk = pk
    batch._state.adding = False
    return batch


def _check_shapes(site_id: int, specs: Sequence[TransferSpec]) -> None:
    for spec in specs:
        check_amount(spec.amount_rp)
        if spec.debit.site_id != site_id or spec.credit.site_id != site_id:
            raise CrossSite()
        if spec.debit.pk == spec.credit.pk:
            error = LedgerError(_("Rekening debit dan kredit tidak boleh sama."))
            error.code = "same_account"
            raise error
        if spec.hold != (spec.kind == TransferKind.HOLD):
            raise ValueError("only transfers of kind HOLD are pending holds")
        TransferKind(spec.kind)


Deltas = dict[int, list[int]]  # account id -> [debits_posted, credits_posted, d_pending, c_pending]


def _deltas(specs: Iterable[TransferSpec], resolutions: Iterable[tuple[Transfer, str]]) -> Deltas:
    deltas: Deltas = defaultdict(lambda: [0, 0, 0, 0])
    for spec in specs:
        offset = 2 if spec.hold else 0
        deltas[spec.debit.pk][offset] += spec.amount_rp
        deltas[spec.credit.pk][offset + 1] += spec.amount_rp
    for hold, _state in resolutions:
        deltas[hold.debit_account_id][2] -= hold.amount_rp
        deltas[hold.credit_account_id][3] -= hold.amount_rp
    return deltas


def _check_locked(
    site_id: int,
    locked: Mapping[int, Account],
    deltas: Deltas,
    debited: set[int],
    spending: set[int],
    rules: Rules | None,
) -> Rules | None:
    for pk in sorted(deltas):
        account = locked.get(pk)
        if account is None:
            continue
        if account.site_id != site_id:
            raise CrossSite()
        if account.status == AccountStatus.CLOSED:
            raise AccountClosed(pk)
        if pk in spending and account.status == AccountStatus.FROZEN:
            raise AccountFrozen(pk)
    for pk in sorted(deltas):
        account = locked.get(pk)
        if account is None:
            continue
        dp, cp, dpend, _cpend = deltas[pk]
        if account.no_overdraft and pk in debited:
            after = (
                account.credits_posted
                + cp
                - account.debits_posted
                - dp
                - account.debits_pending
                - dpend
            )
            if after < 0:
                raise InsufficientFunds(account.available_rp, pk)
        if account.kind == AccountKind.SPENDABLE and cp > dp:
            if rules is None:
                rules = rules_for(site=account.site)
            after_balance = account.balance_rp + cp - dp
            if after_balance > rules.cap_rp:
                raise OverCap(rules.cap_rp)
    return rules


def _spending(specs: Sequence[TransferSpec], rules: Rules | None) -> list[tuple[int, dt.date, int]]:
    """(limit account, day, new spend) to check against the limits."""
    if rules is None or not rules.has_limits:
        return []
    spend: dict[tuple[int, dt.date], int] = defaultdict(int)
    for spec in specs:
        if spec.check_limit and spec.limit_account is not None and spec.limit_day is not None:
            spend[(spec.limit_account.pk, spec.limit_day)] += spec.limit_delta_rp
    return [(pk, day, amount) for (pk, day), amount in sorted(spend.items()) if amount > 0]


def _allowed(debited: bool) -> list[str]:
    return [AccountStatus.OPEN] if debited else [AccountStatus.OPEN, AccountStatus.FROZEN]


def _update_shared(site_id: int, pk: int, delta: list[int], debited: bool) -> None:
    """One UPDATE of a shared account; refused by its WHERE -> find out why and say so."""
    if sql.add_to_shared(pk, site_id, delta, _allowed(debited)) != 1:
        _shared_refused(site_id, pk)


def _shared_refused(site_id: int, pk: int) -> None:
    account = Account.objects.filter(pk=pk).first()
    if account is None or account.site_id != site_id:
        raise CrossSite()
    if account.status == AccountStatus.CLOSED:
        raise AccountClosed(pk)
    if account.status == AccountStatus.FROZEN:
        raise AccountFrozen(pk)
    raise RuntimeError(f"account {pk} must be locked before posting")


def _check_folded(
    rules: Rules | None,
    folded: tuple[int, dt.date, int] | None,
    spent: tuple[int, int] | None,
) -> None:
    """The one limit check whose spent totals came back with the transfers' INSERT."""
    if folded:
        assert rules is not None
        check_limits(
            rules=rules,
            limit_account_id=folded[0],
            today=folded[1],
            new_spend_rp=folded[2],
            spent_rp=spent,
        )


def _apply(locked: Mapping[int, Account], ids: Sequence[int], deltas: Deltas) -> None:
    """What the UPDATE did to the locked accounts, on their objects too."""
    for pk in ids:
        account = locked[pk]
        account.debits_posted += deltas[pk][0]
        account.credits_posted += deltas[pk][1]
        account.debits_pending += deltas[pk][2]
        account.credits_pending += deltas[pk][3]
        account.version += 1


def commit(
    batch: Batch,
    specs: Sequence[TransferSpec],
    *,
    locked: Mapping[int, Account],
    now: dt.datetime,
    rules: Rules | None = None,
    resolutions: Sequence[tuple[Transfer, str]] = (),
    spendable: Account | None = None,
    audit_data: dict[str, Any] | None = None,
) -> BatchResult:
    """Check and write the transfers of a begun batch (see the module docstring)."""
    _check_shapes(batch.site_id, specs)
    deltas = _deltas(specs, resolutions)
    missing = [
        pk
        for spec in specs
        for pk, account in ((spec.debit.pk, spec.debit), (spec.credit.pk, spec.credit))
        if pk not in locked and needs_lock(account)
    ]
    if missing:
        locked = {**locked, **lock_accounts(sorted(set(missing)))}
    debited = {spec.debit.pk for spec in specs}
    # Moving a frozen SPENDABLE's excess over the cap to the inmate's own HELD is not spending.
    spending = {spec.debit.pk for spec in specs if spec.kind != TransferKind.CAP_OVERFLOW}
    rules = _check_locked(batch.site_id, locked, deltas, debited, spending, rules)
    to_check = _spending(specs, rules)
    # One check (a purchase): the spent totals come back with the INSERT below, which runs
    # after the inmate's lock like a SELECT here would; a refusal still undoes everything.
    folded = to_check[0] if len(to_check) == 1 and specs else None
    for account_id, day, amount in [] if folded else to_check:
        assert rules is not None
        check_limits(rules=rules, limit_account_id=account_id, today=day, new_spend_rp=amount)

    rows = [
        Transfer(
            site_id=batch.site_id,
            batch=batch,
            debit_account_id=spec.debit.pk,
            credit_account_id=spec.credit.pk,
            amount_rp=spec.amount_rp,
            kind=spec.kind,
            state=TransferState.PENDING if spec.hold else TransferState.POSTED,
            pending=spec.pending,
            reverses=spec.reverses,
            origin=spec.origin,
            reference=(spec.reference or batch.reference)[:120],
            actor_id=batch.actor_id,
            terminal=batch.terminal,
            created_at=now,
            expires_at=spec.expires_at,
            limit_account_id=spec.limit_account.pk if spec.limit_account else None,
            limit_day=spec.limit_day,
            limit_delta_rp=spec.limit_delta_rp,
        )
        for spec in specs
    ]
    locked_ids = sorted(pk for pk in deltas if pk in locked)
    shared = [pk for pk in sorted(deltas) if pk not in locked and any(deltas[pk])]
    spent_of = (folded[0], folded[1], month_start(folded[1])) if folded else None
    audit: dict[str, Any] = {
        "action": "wallet.batch",
        "site": batch.site,
        "actor": batch.actor,
        "object_type": "wallet.batch",
        "object_id": batch.pk,
        "data": {
            "key": batch.idempotency_key,
            "kind": batch.kind,
            "reference": batch.reference,
            "terminal": batch.terminal,
            "inmate": batch.inmate_id,
            "resolved": [[hold.pk, state] for hold, state in resolutions],
            **(audit_data or {}),
        },
    }
    if rows and not resolutions and len(shared) <= 1 and connection.vendor == "postgresql":
        # The usual batch (a purchase, a deposit): transfers, the locked accounts' totals,
        # the spent limits, the audit event and the one shared account in one statement.
        event = audit_event(**audit)
        increment = (
            (shared[0], batch.site_id, deltas[shared[0]], _allowed(shared[0] in debited))
            if shared
            else None
        )
        spent, changed = sql.insert_transfers_audited(
            rows, [(pk, deltas[pk]) for pk in locked_ids], spent_of, event, increment
        )
        _check_folded(rules, folded, spent)
        if changed != 1:
            _shared_refused(batch.site_id, shared[0])
        _apply(locked, locked_ids, deltas)
        available = spendable.available_rp if spendable is not None else None
        return BatchResult(batch, rows, available_rp=available)
    if rows:
        spent = sql.insert_transfers(rows, [(pk, deltas[pk]) for pk in locked_ids], spent_of)
        _check_folded(rules, folded, spent)
    else:
        sql.add_to_locked((pk, deltas[pk]) for pk in locked_ids)
    for hold, state in resolutions:
        if not Transfer.objects.filter(pk=hold.pk, state=TransferState.PENDING).update(state=state):
            raise HoldError.resolved(state)
        hold.state = state
    _apply(locked, locked_ids, deltas)
    audit["data"]["transfers"] = [
        [t.pk, t.kind, t.debit_account_id, t.credit_account_id, t.amount_rp, t.state] for t in rows
    ]
    if len(shared) == 1:
        # One shop / clearing account: its UPDATE rides with the audit INSERT, still the last
        # statement before COMMIT.
        pk = shared[0]
        statement, params = sql.shared_update(
            pk, batch.site_id, deltas[pk], _allowed(pk in debited)
        )
        if audit_append_with(statement, params, **audit)[1] != 1:
            _shared_refused(batch.site_id, pk)
    else:
        audit_append(**audit)
        for pk in shared:
            _update_shared(batch.site_id, pk, deltas[pk], pk in debited)
    available = spendable.available_rp if spendable is not None else None
    return BatchResult(batch, rows, available_rp=available)


@transaction.atomic
def batch_post(
    *,
    site: Site,
    idempotency_key: str,
    transfers: Sequence[TransferSpec],
    actor: User | None,
    kind: str,
    terminal: str = "",
    reference: str = "",
    inmate: Inmate | None = None,
    now: dt.datetime | None = None,
) -> BatchResult:
    """Post `transfers` together, or nothing. Checks every transfer (amount > 0 whole rupiah,
    accounts open and of `site`, frozen accounts only credited, no overdraft counting holds,
    the balance cap on SPENDABLE, spending limits for specs with `check_limit`); the same key
    with the same request returns the first result, with another request is refused."""
    now = now or clock.now()
    _check_shapes(site.pk, transfers)
    request = {
        "op": "batch",
        "kind": str(kind),
        "reference": reference,
        "transfers": [spec.canonical() for spec in transfers],
    }
    spending = any(spec.check_limit for spec in transfers)
    rules = rules_for(site=site, inmate=inmate, now=now) if spending else None
    started = begin(
        site=site,
        idempotency_key=idempotency_key,
        request=request,
        kind=kind,
        now=now,
        actor=actor,
        terminal=terminal,
        reference=reference,
        inmate=inmate,
        limits=rules if spending else None,
    )
    if isinstance(started, BatchResult):
        return started
    lock_ids = sorted(
        {a.pk for spec in transfers for a in (spec.debit, spec.credit) if needs_lock(a)}
    )
    locked = lock_accounts(lock_ids)
    spendable = next(
        (
            a
            for a in locked.values()
            if inmate is not None and a.inmate_id == inmate.pk and a.kind == AccountKind.SPENDABLE
        ),
        None,
    )
    return commit(started, transfers, locked=locked, now=now, rules=rules, spendable=spendable)

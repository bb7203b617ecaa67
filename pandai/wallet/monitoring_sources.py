"""Money that came in for inmates, as the monitoring rules read it: one row per deposit with
the depositor's identities (NIK, phone, bank account) and the ledger transfers behind it.

Counter deposits carry the depositor's NIK and phone (wallet.models_counter.Deposit); bank
credits carry the payer's account number when the bank sends it. Identities that appear
together on one deposit belong to one depositor (a union of keys), so a depositor is caught
by NIK or by phone.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass

from pandai.core.models import Site
from pandai.wallet.models import Transfer, TransferKind
from pandai.wallet.models_bank import BankCredit, BankCreditStatus
from pandai.wallet.models_counter import Deposit


@dataclass(frozen=True)
class MoneyIn:
    inmate_id: int
    amount_rp: int
    at: dt.datetime
    batch_id: int
    keys: tuple[str, ...]  # "nik:…", "phone:…", "bank:…" (may be empty: unknown depositor)
    label: str  # the depositor as a person reads it
    transfer_ids: tuple[int, ...] = ()


def phone_key(raw: str) -> str:
    """'+62 812-3456-7890', '62812…', '0812…' -> 'phone:081234567890' ('' if too short)."""
    digits = re.sub(r"\D", "", raw or "")
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    return f"phone:{digits}" if len(digits) >= 8 else ""


def _counter_deposits(site: Site, since: dt.datetime, until: dt.datetime) -> list[MoneyIn]:
    rows = Deposit.objects.filter(site=site, created_at__gte=since, created_at__lt=until)
    out = []
    for d in rows.values_list(
        "inmate_id",
        "amount_rp",
        "created_at",
        "batch_id",
        "depositor_nik",
        "depositor_phone",
        "depositor_name",
    ):
        inmate_id, amount, at, batch_id, nik, phone, name = d
        keys = tuple(k for k in (f"nik:{nik}" if nik else "", phone_key(phone)) if k)
        label = f"{name} (NIK {nik}" + (f", HP {phone})" if phone else ")")
        out.append(MoneyIn(inmate_id, amount, at, batch_id, keys, label))
    return out


def _bank_credits(site: Site, since: dt.datetime, until: dt.datetime) -> list[MoneyIn]:
    rows = BankCredit.objects.filter(
        site=site,
        received_at__gte=since,
        received_at__lt=until,
        status__in=[BankCreditStatus.CREDITED, BankCreditStatus.ASSIGNED],
        inmate__isnull=False,
    )
    out = []
    for inmate_id, amount, at, batch_id, resolution_id, status, account, name in rows.values_list(
        "inmate_id",
        "amount_rp",
        "received_at",
        "batch_id",
        "resolution_batch_id",
        "status",
        "payer_account",
        "payer_name",
    ):
        batch = resolution_id if status == BankCreditStatus.ASSIGNED else batch_id
        keys = (f"bank:{account}",) if account else ()
        label = f"{name or '?'} (rek. {account})" if account else (name or "?")
        out.append(MoneyIn(inmate_id, amount, at, batch, keys, label))
    return out


def money_in(*, site: Site, since: dt.datetime, until: dt.datetime) -> list[MoneyIn]:
    """Every deposit to an inmate of the site in [since, until), with its transfers."""
    rows = _counter_deposits(site, since, until) + _bank_credits(site, since, until)
    batch_ids = {r.batch_id for r in rows if r.batch_id}
    transfers: dict[int, list[int]] = defaultdict(list)
    for pk, batch_id in (
        Transfer.objects.filter(batch_id__in=batch_ids, kind=TransferKind.DEPOSIT)
        .order_by("pk")
        .values_list("pk", "batch_id")
    ):
        transfers[batch_id].append(pk)
    return [
        MoneyIn(
            r.inmate_id,
            r.amount_rp,
            r.at,
            r.batch_id,
            r.keys,
            r.label,
            tuple(transfers[r.batch_id]),
        )
        for r in sorted(rows, key=lambda r: (r.at, r.batch_id))
    ]


def depositor_groups(rows: list[MoneyIn]) -> dict[str, list[MoneyIn]]:
    """Deposits by depositor: keys seen on one deposit are one person. The group's key is its
    smallest identity key (stable while the group keeps its identities)."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for row in rows:
        for key in row.keys:
            find(key)
        for a, b in zip(row.keys, row.keys[1:], strict=False):
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    members: dict[str, set[str]] = defaultdict(set)
    for key in parent:
        members[find(key)].add(key)
    groups: dict[str, list[MoneyIn]] = defaultdict(list)
    for row in rows:
        if row.keys:
            root = find(row.keys[0])
            groups[min(members[root])].append(row)
    return dict(groups)


def batch_depositors(batch_ids: list[int]) -> dict[int, str]:
    """Who brought the money of each batch (for the review screen)."""
    labels: dict[int, str] = {}
    for batch_id, name, nik, phone in Deposit.objects.filter(batch_id__in=batch_ids).values_list(
        "batch_id", "depositor_name", "depositor_nik", "depositor_phone"
    ):
        labels[batch_id] = f"{name} · NIK {nik}" + (f" · HP {phone}" if phone else "")
    for batch_id, name, account in BankCredit.objects.filter(batch_id__in=batch_ids).values_list(
        "batch_id", "payer_name", "payer_account"
    ):
        labels[batch_id] = f"{name or '?'} · bank" + (f" {account}" if account else "")
    for batch_id, name, account in BankCredit.objects.filter(
        resolution_batch_id__in=batch_ids
    ).values_list("resolution_batch_id", "payer_name", "payer_account"):
        labels[batch_id] = f"{name or '?'} · bank" + (f" {account}" if account else "")
    return labels

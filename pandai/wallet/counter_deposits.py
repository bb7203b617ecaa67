"""Family deposits taken in cash at a counter: the depositor's details (name, NIK,
relationship, phone), the credit through the ledger's deposit_credit (debiting the counter's
cash drawer; one form key credits once) and the deposit record with its receipt number."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from pandai.core.audit import audit_append
from pandai.core.models import User
from pandai.inmates.models import Inmate
from pandai.wallet import clock, services
from pandai.wallet.counter import RECEIPT_PREFIX, CounterError, next_document_no
from pandai.wallet.models import Account, AccountKind, TransferKind
from pandai.wallet.models_counter import CounterShift, Deposit, Relationship

NIK_RE = re.compile(r"^[0-9]{16}$")


@dataclass(frozen=True)
class Depositor:
    name: str
    nik: str
    relationship: str
    phone: str = ""


def normalise_phone(raw: str) -> str:
    """'+62 812-3456-7890' / '62812…' / '0812…' -> '081234567890' ('' stays '')."""
    digits = re.sub(r"\D", "", raw or "")
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    return digits


def check_depositor(depositor: Depositor) -> Depositor:
    name = " ".join(depositor.name.split())
    if not name:
        raise CounterError("depositor_name", _("Nama penyetor wajib diisi."))
    nik = depositor.nik.strip()
    if not NIK_RE.match(nik):
        raise CounterError("depositor_nik", _("NIK penyetor harus 16 angka."))
    if depositor.relationship not in Relationship.values:
        raise CounterError("relationship", _("Pilih hubungan penyetor dengan WBP."))
    phone = normalise_phone(depositor.phone)
    if phone and not 9 <= len(phone) <= 15:
        raise CounterError("phone", _("No. HP harus 9 sampai 15 angka."))
    return Depositor(name=name[:150], nik=nik, relationship=depositor.relationship, phone=phone)


def deposit_key(form_key: str) -> str:
    return f"counter-deposit:{form_key}"


@dataclass(frozen=True)
class DepositOutcome:
    deposit: Deposit
    replayed: bool  # True: this form was submitted before; nothing new was credited


@transaction.atomic
def counter_deposit(
    *,
    shift: CounterShift,
    inmate: Inmate,
    amount_rp: int,
    depositor: Depositor,
    form_key: str,
    actor: User,
    now: dt.datetime | None = None,
) -> DepositOutcome:
    """Take a family's cash at the counter: credit the inmate through
    services.deposit_credit (debiting the counter's cash drawer; the site's maximum per deposit
    and deposits per day apply; over the cap goes to HELD) and record the deposit with its
    receipt number. The same form key twice credits once and returns the first deposit."""
    now = now or clock.now()
    key = deposit_key(form_key)
    earlier = Deposit.objects.filter(site_id=inmate.site_id, batch__idempotency_key=key).first()
    if earlier is not None:
        return DepositOutcome(earlier, replayed=True)
    depositor = check_depositor(depositor)
    locked = CounterShift.objects.select_for_update().select_related("counter").get(pk=shift.pk)
    if locked.closed_at is not None:
        raise CounterError("shift_closed", _("Shift ini sudah ditutup; buka shift baru."))
    if locked.officer_id != actor.pk:
        raise CounterError(
            "not_your_shift", _("Titipan diterima di shift milik petugas yang membukanya.")
        )
    if locked.site_id != inmate.site_id:
        raise CounterError("cross_site", _("WBP ini bukan warga binaan UPT loket ini."))
    drawer = services.counter_account(site=locked.site, counter=locked.counter.code)
    result = services.deposit_credit(
        inmate=inmate,
        amount_rp=amount_rp,
        source=drawer,
        idempotency_key=key,
        actor=actor,
        terminal=locked.counter.code,
        reference=f"loket:{locked.counter.code}",
        now=now,
    )
    if result.replayed:  # a concurrent submit of the same form won the race
        return DepositOutcome(Deposit.objects.get(batch=result.batch), replayed=True)
    held_account = Account.objects.filter(inmate=inmate, kind=AccountKind.HELD).first()
    held = sum(
        t.amount_rp
        for t in result.transfers
        if held_account is not None
        and t.credit_account_id == held_account.pk
        and t.kind == TransferKind.DEPOSIT
    )
    deposit = Deposit.objects.create(
        site_id=inmate.site_id,
        receipt_no=next_document_no(site=locked.site, prefix=RECEIPT_PREFIX, now=now),
        inmate=inmate,
        shift=locked,
        officer=actor,
        batch=result.batch,
        depositor_name=depositor.name,
        depositor_nik=depositor.nik,
        relationship=depositor.relationship,
        depositor_phone=depositor.phone,
        amount_rp=amount_rp,
        held_rp=held,
        available_after_rp=result.available_rp or 0,
        created_at=now,
    )
    audit_append(
        action="wallet.counter_deposit",
        site=locked.site,
        actor=actor,
        obj=deposit,
        data={
            "receipt_no": deposit.receipt_no,
            "inmate": inmate.pk,
            "amount_rp": amount_rp,
            "held_rp": held,
            "shift": locked.pk,
            "batch": result.batch.pk,
            "depositor_nik_last4": depositor.nik[-4:],
            "relationship": depositor.relationship,
        },
    )
    return DepositOutcome(deposit, replayed=False)

"""Statements (mutasi rekening) in plain words: each movement of an inmate's account said the
way a family or an inmate would say it ("Titipan dari keluarga (Ibu S.)", "Belanja
koperasi"), with opening and closing balances, plus the inmate money page's overview."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from pandai.core.calendar import site_today
from pandai.inmates.models import Inmate
from pandai.wallet import clock, selectors
from pandai.wallet.models import Account, AccountKind, Transfer, TransferKind
from pandai.wallet.models_counter import Deposit

STATEMENT_KINDS = (AccountKind.SPENDABLE, AccountKind.SAVINGS, AccountKind.HELD)
MAX_STATEMENT_DAYS = 400


def _deposit_words(transfer: Transfer, other_kind: str, deposit: Deposit | None) -> str:
    if deposit is not None:
        return _("Titipan dari keluarga (%(who)s)") % {"who": deposit.depositor_short}
    if other_kind == AccountKind.BANK_CLEARING:
        return _("Transfer bank (virtual account)")
    if other_kind == AccountKind.SUSPENSE:
        return _("Dana dari penampungan (suspense)")
    return _("Titipan tunai di loket")


def describe(
    transfer: Transfer, *, account: Account, other_kind: str, deposit: Deposit | None
) -> str:
    """One movement of `account` in plain words."""
    into = transfer.credit_account_id == account.pk
    kind = transfer.kind
    if kind == TransferKind.DEPOSIT:
        words = _deposit_words(transfer, other_kind, deposit)
        if account.kind == AccountKind.HELD:
            words = _("%(words)s — di atas batas saldo, ditahan") % {"words": words}
        return words
    if kind == TransferKind.PURCHASE:
        return _("Belanja koperasi")
    if kind == TransferKind.REFUND:
        return _("Pengembalian belanja")
    if kind == TransferKind.PREMI:
        return _("Premi kerja")
    if kind == TransferKind.SAVINGS_SPLIT:
        return _("Bagian tabungan dari premi")
    if kind == TransferKind.PAYOUT:
        return _("Dibayarkan saat bebas")
    if kind == TransferKind.REVERSAL:
        return _("Pembatalan transaksi #%(n)s") % {"n": transfer.reverses_id}
    if kind == TransferKind.ADJUSTMENT:
        return _("Penyesuaian (disetujui petugas kedua)")
    if kind == TransferKind.HELD_RELEASE:
        return _("Titipan tertahan masuk saldo belanja") if into else _("Pindah ke saldo belanja")
    if kind == TransferKind.CAP_OVERFLOW:
        if into:
            return _("Kelebihan batas saldo belanja")
        return _("Di atas batas saldo, pindah ke titipan tertahan")
    if kind == TransferKind.SITE_TRANSFER:
        return _("Saldo dari UPT asal (mutasi)") if into else _("Pindah ke UPT tujuan (mutasi)")
    if kind == TransferKind.SUSPENSE:
        return _("Dana dari penampungan (suspense)")
    return str(TransferKind(kind).label) if kind in TransferKind.values else kind


@dataclass(frozen=True)
class Line:
    at: dt.datetime
    words: str
    reference: str
    in_rp: int
    out_rp: int
    balance_rp: int
    deposit: Deposit | None


@dataclass(frozen=True)
class PlainStatement:
    inmate: Inmate
    kind: str
    start: dt.date
    end: dt.date
    opening_rp: int
    closing_rp: int
    lines: list[Line]

    @property
    def total_in_rp(self) -> int:
        return sum(line.in_rp for line in self.lines)

    @property
    def total_out_rp(self) -> int:
        return sum(line.out_rp for line in self.lines)

    @property
    def kind_label(self) -> str:
        return str(AccountKind(self.kind).label)


def _context(
    account: Account, transfers: list[Transfer]
) -> tuple[dict[int, str], dict[int, Deposit]]:
    """The other side's account kind of each transfer, and the counter deposits by batch."""
    others = {t.debit_account_id for t in transfers} | {t.credit_account_id for t in transfers}
    kinds = dict(Account.objects.filter(pk__in=others).values_list("pk", "kind"))
    batch_ids = {t.batch_id for t in transfers if t.kind == TransferKind.DEPOSIT}
    deposits = {d.batch_id: d for d in Deposit.objects.filter(batch_id__in=batch_ids)}
    other_kind = {
        t.pk: kinds.get(
            t.debit_account_id if t.credit_account_id == account.pk else t.credit_account_id, ""
        )
        for t in transfers
    }
    return other_kind, deposits


def plain_statement(
    *, inmate: Inmate, start: dt.date, end: dt.date, kind: str = AccountKind.SPENDABLE
) -> PlainStatement:
    """The inmate's statement of one account for whole site-local days `start`..`end`."""
    raw = selectors.statement(inmate=inmate, start=start, end=end, kind=kind)
    lines: list[Line] = []
    if raw.account is not None:
        transfers = [line.transfer for line in raw.lines]
        other_kind, deposits = _context(raw.account, transfers)
        for line in raw.lines:
            t = line.transfer
            deposit = deposits.get(t.batch_id) if t.kind == TransferKind.DEPOSIT else None
            lines.append(
                Line(
                    at=line.at,
                    words=describe(
                        t, account=raw.account, other_kind=other_kind[t.pk], deposit=deposit
                    ),
                    reference=deposit.receipt_no if deposit else line.reference,
                    in_rp=line.credit_rp,
                    out_rp=line.debit_rp,
                    balance_rp=line.balance_rp,
                    deposit=deposit,
                )
            )
    return PlainStatement(
        inmate=inmate,
        kind=kind,
        start=start,
        end=end,
        opening_rp=raw.opening_rp,
        closing_rp=raw.closing_rp,
        lines=lines,
    )


def default_period(inmate: Inmate, now: dt.datetime | None = None) -> tuple[dt.date, dt.date]:
    """This month so far, in the site's time zone."""
    today = site_today(inmate.site, now or clock.now())
    return today.replace(day=1), today


@dataclass(frozen=True)
class Movement:
    transfer: Transfer
    words: str
    signed_rp: int  # + into the spendable balance, - out of it


def recent_movements(*, inmate: Inmate, limit: int = 15) -> list[Movement]:
    """The latest posted movements of the spendable balance, newest first (holds apart)."""
    account = Account.objects.filter(inmate=inmate, kind=AccountKind.SPENDABLE).first()
    if account is None:
        return []
    transfers = selectors.account_recent_posted(account=account, limit=limit)
    other_kind, deposits = _context(account, transfers)
    out = []
    for t in transfers:
        deposit = deposits.get(t.batch_id) if t.kind == TransferKind.DEPOSIT else None
        into = t.credit_account_id == account.pk
        out.append(
            Movement(
                transfer=t,
                words=describe(t, account=account, other_kind=other_kind[t.pk], deposit=deposit),
                signed_rp=t.amount_rp if into else -t.amount_rp,
            )
        )
    return out

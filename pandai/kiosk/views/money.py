"""Saldo: the balances, remaining limits and the last movements in plain words; one movement
opened with its receipt lines."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from pandai.core.money import format_rp
from pandai.kiosk.access import InmateRequest, inmate_view
from pandai.kiosk.views.common import page
from pandai.shop.models import Sale
from pandai.wallet import selectors as wallet_selectors
from pandai.wallet.models import Account, AccountKind, Transfer, TransferKind, TransferState
from pandai.wallet.models_counter import Deposit
from pandai.wallet.statements import describe, recent_movements

MOVEMENTS = 20


def _limit_words(value: int | None) -> str:
    return _("tanpa batas") if value is None else format_rp(value)


@inmate_view
def saldo(request: InmateRequest) -> HttpResponse:
    inmate = request.kiosk_user.inmate
    balances = wallet_selectors.balances(inmate=inmate)
    limits = wallet_selectors.limits_remaining(inmate=inmate)
    movements = recent_movements(inmate=inmate, limit=MOVEMENTS)
    speech = _(
        "Saldo belanja Anda %(available)s. Tabungan %(savings)s. Sisa batas belanja hari ini "
        "%(today)s, bulan ini %(month)s."
    ) % {
        "available": format_rp(balances.available_rp),
        "savings": format_rp(balances.savings_rp),
        "today": _limit_words(limits.remaining_rp),
        "month": _limit_words(limits.monthly_remaining_rp),
    }
    if balances.held_rp:
        speech += " " + _("Titipan tertahan di atas batas saldo: %(held)s.") % {
            "held": format_rp(balances.held_rp)
        }
    return page(
        request,
        "kiosk/saldo.html",
        {"balances": balances, "limits": limits, "movements": movements},
        speech=speech,
    )


@inmate_view
def movement(request: InmateRequest, pk: int) -> HttpResponse:
    """One movement of the signed-in person's spendable balance (another person's: 404)."""
    inmate = request.kiosk_user.inmate
    account = Account.objects.filter(inmate=inmate, kind=AccountKind.SPENDABLE).first()
    if account is None:
        raise Http404
    transfer = (
        Transfer.objects.filter(pk=pk, state=TransferState.POSTED)
        .filter(Q(debit_account=account) | Q(credit_account=account))
        .exclude(kind=TransferKind.HOLD)
        .first()
    )
    if transfer is None:
        raise Http404
    into = transfer.credit_account_id == account.pk
    other_id = transfer.debit_account_id if into else transfer.credit_account_id
    other_kind = Account.objects.filter(pk=other_id).values_list("kind", flat=True).first()
    deposit = None
    if transfer.kind == TransferKind.DEPOSIT:
        deposit = Deposit.objects.filter(batch_id=transfer.batch_id).first()
    words = describe(transfer, account=account, other_kind=other_kind or "", deposit=deposit)
    sale = None
    if transfer.kind == TransferKind.PURCHASE:
        sale = (
            Sale.objects.filter(batch_id=transfer.batch_id, inmate=inmate)
            .prefetch_related("lines")
            .first()
        )
    amount = format_rp(transfer.amount_rp)
    speech = (_("Uang masuk %(amount)s.") if into else _("Uang keluar %(amount)s.")) % {
        "amount": amount
    }
    return page(
        request,
        "kiosk/movement.html",
        {"transfer": transfer, "words": words, "into": into, "sale": sale},
        speech=f"{words}. {speech}",
    )

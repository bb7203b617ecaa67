"""An inmate's money: the balances page, statements (page and PDF), the release payout with
its slip, and the transfer to another site with where the balances went."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from pandai.core.calendar import site_today
from pandai.core.http import PandaiRequest
from pandai.core.permissions import Perm, can, in_acting_site, requires
from pandai.core.xlsx import list_xlsx, wants_xlsx
from pandai.inmates import selectors as inmate_selectors
from pandai.inmates.models import Inmate, InmateStatus
from pandai.inmates.services import InmateError
from pandai.wallet import counter, payouts, selectors, statements
from pandai.wallet.errors import LedgerError
from pandai.wallet.forms import PayoutForm, PeriodForm, SiteTransferForm
from pandai.wallet.models import AccountKind
from pandai.wallet.models_counter import Deposit, Payout, PayoutMethod
from pandai.wallet.statement_pdf import render_statement_pdf


def _inmate(request: PandaiRequest, pk: int) -> Inmate:
    return in_acting_site(request, Inmate.objects.select_related("site", "cell__block"), pk=pk)


@requires(Perm.BALANCE_VIEW)
def inmate_money(request: PandaiRequest, pk: int) -> HttpResponse:
    inmate = _inmate(request, pk)
    return render(
        request,
        "wallet/counter/inmate_money.html",
        {
            "inmate": inmate,
            "balances": selectors.balances(inmate=inmate),
            "limits": selectors.limits_remaining(inmate=inmate),
            "rules": selectors.site_rules(site=request.site),
            "holds": selectors.pending_holds(inmate=inmate)[:20],
            "movements": statements.recent_movements(inmate=inmate),
            "deposits": Deposit.objects.filter(inmate=inmate).order_by("-pk")[:10],
            "payout": Payout.objects.filter(inmate=inmate).first(),
            "moved_to": Inmate.objects.select_related("site")
            .filter(transferred_from=inmate)
            .first(),
        },
    )


def _period(request: PandaiRequest, inmate: Inmate) -> tuple[PeriodForm, dt.date, dt.date, str]:
    start, end = statements.default_period(inmate)
    data = request.GET if "dari" in request.GET else None
    form = PeriodForm(data, initial={"dari": start, "sampai": end, "rekening": "spendable"})
    kind = AccountKind.SPENDABLE.value
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["dari"], form.cleaned_data["sampai"]
        kind = form.cleaned_data["rekening"] or kind
    return form, start, end, kind


@requires(Perm.BALANCE_VIEW)
def statement(request: PandaiRequest, pk: int) -> HttpResponseBase:
    inmate = _inmate(request, pk)
    form, start, end, kind = _period(request, inmate)
    plain = statements.plain_statement(inmate=inmate, start=start, end=end, kind=kind)
    if wants_xlsx(request):
        name = _("mutasi-%(reg_no)s") % {"reg_no": inmate.reg_no.replace("/", "-")}
        return list_xlsx(request, name=name, columns=STATEMENT_COLUMNS, objects=plain.lines)
    return render(
        request,
        "wallet/counter/statement.html",
        {"inmate": inmate, "form": form, "statement": plain, "query": request.GET.urlencode()},
    )


# The statement's lines in its XLSX download (opening and closing balances are the first
# line's balance before it and the last line's balance).
STATEMENT_COLUMNS = [
    (_l("Tanggal"), lambda line: line.at),
    (_l("Keterangan"), lambda line: line.words),
    (_l("Referensi"), lambda line: line.reference),
    (_l("Masuk"), lambda line: line.in_rp),
    (_l("Keluar"), lambda line: line.out_rp),
    (_l("Saldo"), lambda line: line.balance_rp),
]


@requires(Perm.BALANCE_VIEW)
def statement_pdf(request: PandaiRequest, pk: int) -> HttpResponse:
    inmate = _inmate(request, pk)
    _form, start, end, kind = _period(request, inmate)
    plain = statements.plain_statement(inmate=inmate, start=start, end=end, kind=kind)
    pdf = render_statement_pdf(statement=plain, printed_by=request.user, now=timezone.now())
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"mutasi-{inmate.reg_no}-{start:%Y%m%d}-{end:%Y%m%d}.pdf".replace("/", "-")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@requires(Perm.PAYOUT)
def payout(request: PandaiRequest, pk: int) -> HttpResponse:
    """Two steps like every release: choose how to pay, then confirm what will happen."""
    inmate = _inmate(request, pk)
    done = Payout.objects.filter(inmate=inmate).first()
    if done is not None:
        return redirect("wallet:payout_slip", payout_pk=done.pk)
    if inmate.status != InmateStatus.ACTIVE:
        messages.error(request, _("WBP ini sudah tidak aktif di UPT ini."))
        return redirect("wallet:inmate", pk=inmate.pk)
    shift = counter.open_shift_of(officer=request.user, site=request.site)
    form = PayoutForm(
        request.POST or None,
        initial={"method": PayoutMethod.BANK if shift is None else PayoutMethod.CASH},
    )
    confirming = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("confirm") != "yes":
            confirming = True
        else:
            try:
                made = payouts.payout_release(
                    inmate=inmate,
                    method=data["method"],
                    actor=request.user,
                    shift=shift,
                    bank_reference=data["bank_reference"],
                    note=data["note"],
                    date=site_today(request.site),
                )
            except (LedgerError, InmateError) as exc:
                form.add_error(None, getattr(exc, "message", str(exc)))
            else:
                messages.success(
                    request,
                    _("%(name)s dibayar dan dicatat bebas; slip %(no)s.")
                    % {"name": inmate.full_name, "no": made.slip_no},
                )
                return redirect("wallet:payout_slip", payout_pk=made.pk)
    return render(
        request,
        "wallet/counter/payout.html",
        {
            "inmate": inmate,
            "form": form,
            "confirming": confirming,
            "shift": shift,
            "drawer": counter.shift_totals(shift=shift) if shift else None,
            "balances": selectors.balances(inmate=inmate),
            "holds": selectors.pending_holds(inmate=inmate),
            "active_card": inmate_selectors.active_card(inmate=inmate),
        },
    )


@requires(Perm.BALANCE_VIEW)
def payout_slip(request: PandaiRequest, payout_pk: int) -> HttpResponse:
    made = in_acting_site(
        request,
        Payout.objects.select_related("inmate", "officer", "site", "shift__counter"),
        pk=payout_pk,
    )
    return render(request, "wallet/counter/payout_slip.html", {"payout": made})


@requires(Perm.PAYOUT)
def site_transfer(request: PandaiRequest, pk: int) -> HttpResponse:
    inmate = _inmate(request, pk)
    if inmate.status != InmateStatus.ACTIVE:
        return redirect("wallet:site_transfer_result", pk=inmate.pk)
    form = SiteTransferForm(
        request.POST or None,
        targets=inmate_selectors.transfer_targets(site=request.site),
        initial={"date": site_today(request.site)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            payouts.site_transfer_move(
                inmate=inmate,
                to_site=form.cleaned_data["to_site"],
                date=form.cleaned_data["date"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except (LedgerError, InmateError) as exc:
            form.add_error(None, getattr(exc, "message", str(exc)))
        else:
            messages.success(
                request,
                _("%(name)s dimutasi ke %(site)s beserta saldonya.")
                % {"name": inmate.full_name, "site": form.cleaned_data["to_site"].name},
            )
            return redirect("wallet:site_transfer_result", pk=inmate.pk)
    return render(
        request,
        "wallet/counter/site_transfer.html",
        {"inmate": inmate, "form": form, "balances": selectors.balances(inmate=inmate)},
    )


@requires(Perm.BALANCE_VIEW)
def site_transfer_result(request: PandaiRequest, pk: int) -> HttpResponse:
    inmate = _inmate(request, pk)
    if inmate.status != InmateStatus.TRANSFERRED:
        return redirect("wallet:inmate", pk=inmate.pk)
    return render(
        request,
        "wallet/counter/site_transfer_result.html",
        {
            "inmate": inmate,
            "summary": payouts.site_transfer_summary(inmate=inmate),
            "can_pay": can(request, Perm.PAYOUT),
        },
    )

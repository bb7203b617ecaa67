"""Premi payout runs: list, create for a programme and period, review, recompute, post."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from pandai.core.calendar import site_today
from pandai.core.http import PandaiRequest
from pandai.core.permissions import Perm, requires
from pandai.core.xlsx import list_xlsx, wants_xlsx
from pandai.programs import selectors, services
from pandai.programs.errors import ProgramError
from pandai.programs.forms import PeriodForm
from pandai.programs.views.common import get_programme, get_run
from pandai.wallet import selectors as wallet_selectors

# The premi payout runs in their XLSX download.
PAYOUT_COLUMNS = [
    (_l("Program"), lambda r: r.programme.name),
    (_l("Dari"), lambda r: r.period_start),
    (_l("Sampai"), lambda r: r.period_end),
    (_l("Status"), lambda r: r.get_status_display()),
    (_l("WBP"), lambda r: r.line_count),
    (_l("Total"), lambda r: r.total_rp),
    (_l("Dibukukan"), lambda r: r.posted_at),
    (_l("Dibukukan oleh"), lambda r: r.posted_by.display_name if r.posted_by else ""),
]


@requires(Perm.PREMI_RUN)
def payout_list(request: PandaiRequest) -> HttpResponseBase:
    runs = selectors.payout_runs(site=request.site)
    if wants_xlsx(request):
        return list_xlsx(request, name=_("premi"), columns=PAYOUT_COLUMNS, objects=runs)
    return render(
        request,
        "programs/payout_list.html",
        {
            "runs": runs[:100],
            "programmes": selectors.programmes_for_site(site=request.site, include_inactive=False),
        },
    )


@requires(Perm.PREMI_RUN)
def programme_payout_create(request: PandaiRequest, pk: int) -> HttpResponse:
    programme = get_programme(request, pk)
    today = site_today(request.site)
    last = selectors.payout_runs(site=request.site, programme=programme).first()
    start = last.period_end + dt.timedelta(days=1) if last else today.replace(day=1)
    start = min(start, today)
    form = PeriodForm(request.POST or None, initial={"period_start": start, "period_end": today})
    if request.method == "POST" and form.is_valid():
        try:
            run = services.payout_run_create(
                programme=programme, actor=request.user, **form.cleaned_data
            )
        except ProgramError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("programs:payout_detail", pk=run.pk)
    return render(
        request,
        "programs/payout_create.html",
        {"programme": programme, "form": form, "last": last},
    )


@requires(Perm.PREMI_RUN)
def payout_detail(request: PandaiRequest, pk: int) -> HttpResponse:
    run = get_run(request, pk)
    lines = list(run.lines.select_related("inmate__cell__block").order_by("inmate__full_name"))
    share = wallet_selectors.site_rules(site=request.site).savings_share_pct
    for line in lines:
        line.savings_rp = line.amount_rp * share // 100  # type: ignore[attr-defined]
    return render(
        request,
        "programs/payout_detail.html",
        {"run": run, "lines": lines, "savings_share_pct": share},
    )


@require_POST
@requires(Perm.PREMI_RUN)
def payout_recompute(request: PandaiRequest, pk: int) -> HttpResponse:
    run = get_run(request, pk)
    try:
        services.payout_run_recompute(run=run, actor=request.user)
    except ProgramError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Premi dihitung ulang; periksa lagi sebelum dibukukan."))
    return redirect("programs:payout_detail", pk=run.pk)


@require_POST
@requires(Perm.PREMI_RUN)
def payout_review(request: PandaiRequest, pk: int) -> HttpResponse:
    run = get_run(request, pk)
    try:
        services.payout_run_review(run=run, actor=request.user)
    except ProgramError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Rincian premi ditandai sudah diperiksa."))
    return redirect("programs:payout_detail", pk=run.pk)


@require_POST
@requires(Perm.PREMI_RUN)
def payout_post(request: PandaiRequest, pk: int) -> HttpResponse:
    """Pay the run. The button carries confirm=yes; a second press (or a reload) finds the run
    posted and pays nothing."""
    run = get_run(request, pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tekan tombol 'Bukukan premi' untuk membayar."))
        return redirect("programs:payout_detail", pk=run.pk)
    try:
        result = services.payout_run_post(run=run, actor=request.user)
    except ProgramError as exc:
        messages.error(request, exc.message)
    else:
        if result.replayed:
            messages.info(request, _("Premi ini sudah dibukukan sebelumnya; tidak dibayar lagi."))
        else:
            messages.success(
                request,
                _("Premi dibukukan ke %(n)s WBP.") % {"n": result.paid_lines},
            )
    return redirect("programs:payout_detail", pk=run.pk)

"""The policy register: list, create, edit while announced, withdraw with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from pandai.core.calendar import site_today
from pandai.core.http import PandaiRequest
from pandai.core.permissions import Perm, can, requires
from pandai.core.xlsx import list_xlsx, wants_xlsx
from pandai.townhall import selectors, services
from pandai.townhall.errors import TownhallError
from pandai.townhall.forms import PolicyForm, ReasonForm
from pandai.townhall.models import Policy, PolicyStatus
from pandai.townhall.services.policies import ledger_limits, shop_card_only
from pandai.townhall.views.common import get_policy

POLICY_COLUMNS = [
    (_l("Judul"), lambda p: p.title),
    (_l("Isi aturan"), lambda p: p.text),
    (_l("Berlaku mulai"), lambda p: p.effective_date),
    (_l("Diputuskan oleh"), lambda p: p.decided_by),
    (_l("Status"), lambda p: p.get_status_display()),
    (_l("Pengaturan yang diubah"), lambda p: p.get_switch_display() if p.switch else ""),
    (_l("Pengaturan diterapkan"), lambda p: p.applied_at),
    (_l("Alasan pencabutan"), lambda p: p.withdraw_reason),
]


@requires(Perm.SESSION_VIEW)
def policy_list(request: PandaiRequest) -> HttpResponseBase:
    if wants_xlsx(request):
        return list_xlsx(
            request,
            name=_("kebijakan"),
            columns=POLICY_COLUMNS,
            objects=selectors.policies_for_site(site=request.site),
        )
    daily, monthly = ledger_limits(site=request.site)
    return render(
        request,
        "townhall/policy_list.html",
        {
            "policies": selectors.policies_for_site(site=request.site),
            "can_manage": can(request, Perm.POLICY_MANAGE),
            "today": site_today(request.site),
            "card_only": shop_card_only(site=request.site),
            "daily": daily,
            "monthly": monthly,
        },
    )


def _input(form: PolicyForm) -> services.PolicyInput:
    d = form.cleaned_data
    return services.PolicyInput(
        title=d["title"],
        text=d["text"],
        effective_date=d["effective_date"],
        decided_by=d["decided_by"],
        switch=d["switch"] or "",
        card_only=form.card_only_value(),
        daily_limit_rp=d["daily_limit_rp"],
        monthly_limit_rp=d["monthly_limit_rp"],
    )


@requires(Perm.POLICY_MANAGE)
def policy_create(request: PandaiRequest) -> HttpResponse:
    form = PolicyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            policy = services.policy_create(
                site=request.site, actor=request.user, data=_input(form)
            )
        except TownhallError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Kebijakan dicatat."))
            return redirect("townhall:policy_detail", pk=policy.pk)
    return render(request, "townhall/policy_form.html", {"form": form})


@requires(Perm.SESSION_VIEW)
def policy_detail(request: PandaiRequest, pk: int) -> HttpResponse:
    policy = get_policy(request, pk)
    form = None
    if can(request, Perm.POLICY_MANAGE) and policy.status == PolicyStatus.ANNOUNCED:
        initial = {
            "title": policy.title,
            "text": policy.text,
            "effective_date": policy.effective_date,
            "decided_by": policy.decided_by,
            "switch": policy.switch,
            "card_only": ""
            if policy.switch_card_only is None
            else ("1" if policy.switch_card_only else "0"),
            "daily_limit_rp": policy.switch_daily_limit_rp,
            "monthly_limit_rp": policy.switch_monthly_limit_rp,
        }
        form = PolicyForm(initial=initial)
    return render(
        request,
        "townhall/policy_detail.html",
        {
            "policy": policy,
            "sessions": selectors.sessions_of_policy(policy=policy),
            "form": form,
            "can_manage": can(request, Perm.POLICY_MANAGE),
        },
    )


@require_POST
@requires(Perm.POLICY_MANAGE)
def policy_edit(request: PandaiRequest, pk: int) -> HttpResponse:
    policy = get_policy(request, pk)
    form = PolicyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Periksa isian kebijakan."))
        return redirect("townhall:policy_detail", pk=pk)
    try:
        services.policy_update(policy=policy, actor=request.user, data=_input(form))
    except TownhallError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Kebijakan diperbarui."))
    return redirect("townhall:policy_detail", pk=pk)


@require_POST
@requires(Perm.POLICY_MANAGE)
def policy_withdraw(request: PandaiRequest, pk: int) -> HttpResponse:
    policy: Policy = get_policy(request, pk)
    form = ReasonForm(request.POST)
    try:
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        services.policy_withdraw(policy=policy, actor=request.user, reason=reason)
    except TownhallError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Kebijakan dicabut."))
    return redirect("townhall:policy_detail", pk=pk)

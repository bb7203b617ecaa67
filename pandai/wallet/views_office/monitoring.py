"""Monitoring screens: the head's review queue of flags (with the transfers behind each and
who brought the money), the decision on a flag, and the rules' thresholds."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pandai.core.http import PandaiRequest
from pandai.core.permissions import Perm, in_acting_site, requires
from pandai.wallet import monitoring
from pandai.wallet.errors import LedgerError
from pandai.wallet.forms_office import FlagDecisionForm, RuleForm
from pandai.wallet.models_monitoring import Flag, FlagStatus, RuleKind
from pandai.wallet.monitoring_sources import batch_depositors


@requires(Perm.MONITOR_REVIEW)
def flag_list(request: PandaiRequest) -> HttpResponse:
    status = request.GET.get("status", FlagStatus.OPEN)
    flags = (
        Flag.objects.filter(site=request.site)
        .select_related("inmate", "decided_by")
        .annotate(n_transfers=Count("transfers"))
        .order_by("-raised_at", "-pk")
    )
    if status in FlagStatus.values:
        flags = flags.filter(status=status)
    counts = dict(
        Flag.objects.filter(site=request.site)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    page = Paginator(flags, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "wallet/office/flags.html",
        {
            "page": page,
            "status": status,
            "statuses": [(v, label, counts.get(v, 0)) for v, label in FlagStatus.choices],
        },
    )


@requires(Perm.MONITOR_REVIEW)
def flag_detail(request: PandaiRequest, pk: int) -> HttpResponse:
    flag = in_acting_site(
        request, Flag.objects.select_related("inmate", "decided_by", "site"), pk=pk
    )
    transfers = list(
        flag.transfers.select_related(
            "credit_account__inmate", "debit_account", "actor", "batch"
        ).order_by("created_at", "pk")
    )
    depositors = batch_depositors([t.batch_id for t in transfers])
    rows = [(t, depositors.get(t.batch_id, "")) for t in transfers]
    return render(
        request,
        "wallet/office/flag_detail.html",
        {
            "flag": flag,
            "rows": rows,
            "total": sum(t.amount_rp for t in transfers),
            "form": FlagDecisionForm(),
        },
    )


@requires(Perm.MONITOR_REVIEW)
@require_POST
def flag_decide(request: PandaiRequest, pk: int) -> HttpResponse:
    flag = in_acting_site(request, Flag.objects.all(), pk=pk)
    form = FlagDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih keputusan dan tulis alasannya."))
        return redirect("office:flag_detail", pk=flag.pk)
    try:
        monitoring.flag_decide(
            flag=flag,
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
    except LedgerError as exc:
        messages.error(request, exc.message)
        return redirect("office:flag_detail", pk=flag.pk)
    messages.success(request, _("Keputusan dicatat: %(s)s.") % {"s": flag.get_status_display()})
    return redirect("office:flags")


@requires(Perm.LEDGER_SETTINGS)
def rules(request: PandaiRequest) -> HttpResponse:
    site = request.site
    kind = request.POST.get("kind", "")
    posted = None
    if request.method == "POST":
        if kind not in RuleKind.values:
            messages.error(request, _("Aturan tidak dikenal."))
            return redirect("office:rules")
        posted = RuleForm(request.POST, prefix=kind)
        if posted.is_valid():
            values = dict(posted.cleaned_data)
            if values["margin_pct"] is None:  # only the near-cap rule shows it
                values["margin_pct"] = monitoring.monitoring_rule(site=site, kind=kind).margin_pct
            try:
                monitoring.monitoring_rule_update(
                    site=site, kind=kind, actor=request.user, **values
                )
            except LedgerError as exc:
                posted.add_error(None, exc.message)
            else:
                messages.success(
                    request, _("Aturan disimpan: %(rule)s.") % {"rule": RuleKind(kind).label}
                )
                return redirect("office:rules")
    forms = []
    for rule in monitoring.monitoring_rules(site=site):
        if posted is not None and rule.kind == kind:
            form = posted
        else:
            form = RuleForm(
                prefix=rule.kind,
                initial={
                    "threshold_n": rule.threshold_n,
                    "window_days": rule.window_days,
                    "amount_rp": rule.amount_rp,
                    "margin_pct": rule.margin_pct,
                    "active": rule.active,
                },
            )
        forms.append((rule, form))
    return render(request, "wallet/office/rules.html", {"forms": forms})

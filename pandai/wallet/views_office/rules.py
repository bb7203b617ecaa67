"""The site's money rules (cap, limits, deposit rules, savings share) and a head's limit
exceptions for one inmate."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pandai.core.http import PandaiRequest
from pandai.core.permissions import Perm, in_acting_site, requires
from pandai.wallet import services
from pandai.wallet.errors import LedgerError
from pandai.wallet.forms_office import LedgerSettingsForm, LimitExceptionForm, RevokeForm
from pandai.wallet.models import LimitException
from pandai.wallet.rules import SETTINGS_FIELDS
from pandai.wallet.selectors import site_settings


@requires(Perm.LEDGER_SETTINGS)
def ledger_settings(request: PandaiRequest) -> HttpResponse:
    current = site_settings(site=request.site)
    initial = {name: getattr(current, name) for name in SETTINGS_FIELDS}
    form = LedgerSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = {k: v for k, v in form.cleaned_data.items() if initial.get(k) != v}
        if not changed:
            messages.info(request, _("Tidak ada aturan yang berubah."))
            return redirect("office:settings")
        try:
            services.ledger_settings_update(site=request.site, actor=request.user, **changed)
        except LedgerError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Aturan saldo disimpan."))
            return redirect("office:settings")
    return render(request, "wallet/office/settings.html", {"form": form, "current": current})


@requires(Perm.LIMIT_EXCEPTION)
def exceptions(request: PandaiRequest) -> HttpResponse:
    site = request.site
    form = LimitExceptionForm(request.POST or None, site=site)
    if request.method == "POST" and form.is_valid():
        start, end = form.period()
        try:
            services.limit_exception_grant(
                inmate=form.cleaned_data["inmate"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
                valid_from=start,
                valid_until=end,
                daily_limit_rp=form.cleaned_data["daily_limit_rp"],
                monthly_limit_rp=form.cleaned_data["monthly_limit_rp"],
            )
        except LedgerError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Pengecualian batas diberikan."))
            return redirect("office:exceptions")
    now = timezone.now()
    rows = (
        LimitException.objects.filter(site=site)
        .select_related("inmate", "granted_by")
        .order_by("-granted_at", "-pk")[:100]
    )
    return render(
        request,
        "wallet/office/exceptions.html",
        {
            "form": form,
            "rows": rows,
            "now": now,
            "revoke_form": RevokeForm(),
            "current": site_settings(site=site),
        },
    )


@requires(Perm.LIMIT_EXCEPTION)
@require_POST
def exception_revoke(request: PandaiRequest, pk: int) -> HttpResponse:
    exc = in_acting_site(request, LimitException.objects.select_related("site"), pk=pk)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Alasan pencabutan wajib diisi."))
    elif exc.revoked_at is not None:
        messages.info(request, _("Pengecualian ini sudah dicabut."))
    else:
        try:
            services.limit_exception_revoke(
                exception=exc, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except LedgerError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Pengecualian dicabut."))
    return redirect("office:exceptions")

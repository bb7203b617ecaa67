"""The daily closing: a page and an A4 PDF for one day of the acting site; and the start page
of the money office, which sends each user to the first screen their roles allow."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from pandai.core.calendar import site_today
from pandai.core.http import PandaiRequest
from pandai.core.permissions import Perm, can, requires
from pandai.wallet.closing import closing_figures
from pandai.wallet.forms_office import DayForm

# The office screens in menu order: (permission, URL name).
OFFICE_PAGES = [
    (Perm.CLOSING_VIEW, "office:closing"),
    (Perm.RECONCILE, "office:suspense"),
    (Perm.RECONCILE, "office:reconcile"),
    (Perm.MONITOR_REVIEW, "office:flags"),
    (Perm.LEDGER_SETTINGS, "office:settings"),
    (Perm.LIMIT_EXCEPTION, "office:exceptions"),
    (Perm.ADJUST_MAKE, "office:adjustments"),
    (Perm.ADJUST_APPROVE, "office:adjustment_queue"),
]


@login_required
def office_home(request: PandaiRequest) -> HttpResponse:
    """The "Keuangan" menu entry: the first office screen the user's roles allow."""
    if request.site is None:
        raise PermissionDenied(_("Anda belum terdaftar di UPT mana pun."))
    for perm, name in OFFICE_PAGES:
        if can(request, perm):
            return redirect(name)
    messages.info(request, _("Peran Anda di UPT ini tidak mencakup layar keuangan."))
    return redirect("core:home")


def _day(request: PandaiRequest) -> tuple[dt.date, DayForm]:
    today = site_today(request.site)
    form = DayForm(request.GET or None, initial={"tanggal": today})
    day = form.cleaned_data["tanggal"] if form.is_valid() else today
    return min(day, today), form


@requires(Perm.CLOSING_VIEW)
def closing(request: PandaiRequest) -> HttpResponse:
    day, form = _day(request)
    figures = closing_figures(site=request.site, day=day)
    return render(
        request,
        "wallet/office/closing.html",
        {
            "f": figures,
            "form": form,
            "day": day,
            "previous": day - dt.timedelta(days=1),
            "next": day + dt.timedelta(days=1) if day < site_today(request.site) else None,
        },
    )


@requires(Perm.CLOSING_VIEW)
def closing_pdf(request: PandaiRequest) -> HttpResponse:
    """The printed closing is the reports app's one signed page (with the till shifts, which
    the ledger does not know, and the closed day's frozen figures once the day is closed)."""
    day, _form = _day(request)
    return redirect(f"{reverse('reports:closing_pdf')}?tanggal={day:%Y-%m-%d}")

"""Announcements for the kiosks: the list (with the withdrawn ones and why), a new one, and
withdrawing one with a reason. Managed by whoever keeps the policy register."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pandai.core.calendar import site_today
from pandai.core.http import PandaiRequest
from pandai.core.permissions import Perm, can, in_acting_site, requires
from pandai.townhall import selectors, services
from pandai.townhall.errors import TownhallError
from pandai.townhall.forms import AnnouncementForm, ReasonForm
from pandai.townhall.models import Announcement


@requires(Perm.SESSION_VIEW)
def announcement_list(request: PandaiRequest) -> HttpResponse:
    today = site_today(request.site)
    return render(
        request,
        "townhall/announcement_list.html",
        {
            "announcements": selectors.announcements_for_site(site=request.site),
            "current": set(
                selectors.announcements_current(site=request.site).values_list("pk", flat=True)
            ),
            "can_manage": can(request, Perm.POLICY_MANAGE),
            "today": today,
        },
    )


@requires(Perm.POLICY_MANAGE)
def announcement_create(request: PandaiRequest) -> HttpResponse:
    form = AnnouncementForm(
        request.POST or None, initial={"publish_from": site_today(request.site)}
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.announcement_create(
                    site=request.site,
                    actor=request.user,
                    data=services.AnnouncementInput(
                        title=d["title"],
                        text=d["text"],
                        publish_from=d["publish_from"],
                        publish_until=d["publish_until"],
                    ),
                )
            except TownhallError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Pengumuman dicatat."))
                return redirect("townhall:announcement_list")
    return render(request, "townhall/announcement_form.html", {"form": form}, status=status)


@require_POST
@requires(Perm.POLICY_MANAGE)
def announcement_withdraw(request: PandaiRequest, pk: int) -> HttpResponse:
    announcement = in_acting_site(request, Announcement.objects.select_related("site"), pk=pk)
    form = ReasonForm(request.POST)
    try:
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        services.announcement_withdraw(announcement=announcement, actor=request.user, reason=reason)
    except TownhallError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Pengumuman ditarik dari kios."))
    return redirect("townhall:announcement_list")

"""Core screens: home, site switch, staff management, devices, holidays, audit log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from pandai.core import selectors, services
from pandai.core.calendar import national_holidays, site_today
from pandai.core.forms import (
    DeviceForm,
    HolidayForm,
    PasswordResetForm,
    SiteForm,
    StaffCreateForm,
    StaffEditForm,
)
from pandai.core.http import PandaiRequest
from pandai.core.middleware import SESSION_KEY
from pandai.core.models import Device, Membership, SiteHoliday, User
from pandai.core.permissions import Perm, in_acting_site, perms_for, requires
from pandai.core.xlsx import list_xlsx, wants_xlsx


@login_required
def home(request: PandaiRequest) -> HttpResponse:
    if request.site is None:
        return render(request, "core/no_site.html", status=403)
    return render(request, "core/home.html", {"perms": perms_for(request.roles)})


@require_POST
@login_required
def switch_site(request: PandaiRequest) -> HttpResponse:
    try:
        site_id = int(request.POST.get("site", ""))
    except ValueError:
        site_id = 0
    if site_id not in selectors.memberships_by_site(user=request.user):
        raise PermissionDenied(_("Anda tidak terdaftar di UPT itu."))
    request.session[SESSION_KEY] = site_id
    return redirect("core:home")


def _staff_here(request: PandaiRequest, pk: int) -> User:
    """A staff user who has a role at the acting site (admins manage only their own site)."""
    user = get_object_or_404(User, pk=pk)
    if not Membership.objects.filter(user=user, site=request.site).exists():
        raise PermissionDenied(_("Petugas ini tidak terdaftar di UPT ini."))
    return user


@requires(Perm.STAFF_MANAGE)
def staff_list(request: PandaiRequest) -> HttpResponseBase:
    staff = selectors.staff_for_site(site=request.site)
    if wants_xlsx(request):
        site_pk = request.site.pk
        columns = [
            (_l("Nama pengguna"), lambda u: u.username),
            (_l("Nama"), lambda u: u.full_name),
            (
                _l("Peran"),
                lambda u: ", ".join(
                    str(m.get_role_display()) for m in u.memberships.all() if m.site_id == site_pk
                ),
            ),
            (_l("Aktif"), lambda u: u.is_active),
        ]
        return list_xlsx(request, name=_("petugas"), columns=columns, objects=staff)
    return render(request, "core/staff_list.html", {"staff": staff})


@requires(Perm.STAFF_MANAGE)
def staff_create(request: PandaiRequest) -> HttpResponse:
    form = StaffCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.staff_create(
            site=request.site,
            actor=request.user,
            **form.cleaned_data,
        )
        messages.success(request, _("Petugas %(name)s dibuat.") % {"name": user.display_name})
        return redirect("core:staff_list")
    return render(request, "core/staff_form.html", {"form": form, "creating": True})


@requires(Perm.STAFF_MANAGE)
def staff_edit(request: PandaiRequest, pk: int) -> HttpResponse:
    user = _staff_here(request, pk)
    site = request.site
    roles = list(Membership.objects.filter(user=user, site=site).values_list("role", flat=True))
    initial = {"full_name": user.full_name, "nip": user.nip, "roles": roles}
    form = StaffEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if user.pk == request.user.pk and "admin" not in form.cleaned_data["roles"]:
            form.add_error("roles", _("Anda tidak bisa mencabut peran admin Anda sendiri."))
        else:
            actor = request.user
            with transaction.atomic():  # name and roles change together or not at all
                services.staff_update(
                    user=user,
                    full_name=form.cleaned_data["full_name"],
                    nip=form.cleaned_data["nip"],
                    site=site,
                    actor=actor,
                )
                services.staff_set_roles(
                    user=user, site=site, roles=form.cleaned_data["roles"], actor=actor
                )
            messages.success(request, _("Data petugas disimpan."))
            return redirect("core:staff_list")
    return render(request, "core/staff_form.html", {"form": form, "staff_user": user})


@requires(Perm.STAFF_MANAGE)
def staff_password(request: PandaiRequest, pk: int) -> HttpResponse:
    user = _staff_here(request, pk)
    form = PasswordResetForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.staff_reset_password(
            user=user,
            password=form.cleaned_data["password"],
            site=request.site,
            actor=request.user,
        )
        messages.success(request, _("Kata sandi %(name)s diganti.") % {"name": user.display_name})
        return redirect("core:staff_list")
    return render(request, "core/staff_password.html", {"form": form, "staff_user": user})


@require_POST
@requires(Perm.STAFF_MANAGE)
def staff_active(request: PandaiRequest, pk: int) -> HttpResponse:
    user = _staff_here(request, pk)
    active = request.POST.get("active") == "1"
    if user.pk == request.user.pk and not active:
        messages.error(request, _("Anda tidak bisa menonaktifkan akun Anda sendiri."))
    else:
        services.staff_set_active(user=user, active=active, site=request.site, actor=request.user)
        messages.success(
            request, _("Petugas diaktifkan kembali.") if active else _("Petugas dinonaktifkan.")
        )
    return redirect("core:staff_list")


@requires(Perm.DEVICE_MANAGE)
def device_list(request: PandaiRequest) -> HttpResponse:
    form = DeviceForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            device, new_token = services.device_register(
                site=request.site,
                actor=request.user,
                **form.cleaned_data,
            )
        except IntegrityError:
            form.add_error("name", _("Nama perangkat ini sudah dipakai di UPT ini."))
        else:
            messages.success(request, _("Perangkat %(name)s terdaftar.") % {"name": device.name})
            form = DeviceForm()
    devices = Device.objects.filter(site=request.site).order_by("-is_active", "name")
    return render(
        request, "core/device_list.html", {"devices": devices, "form": form, "new_token": new_token}
    )


@require_POST
@requires(Perm.DEVICE_MANAGE)
def device_revoke(request: PandaiRequest, pk: int) -> HttpResponse:
    device = in_acting_site(request, Device.objects.all(), pk=pk)
    services.device_revoke(device=device, actor=request.user)
    messages.success(request, _("Perangkat %(name)s dicabut.") % {"name": device.name})
    return redirect("core:device_list")


@requires(Perm.SITE_SETTINGS)
def site_settings(request: PandaiRequest) -> HttpResponse:
    site = request.site
    initial = {name: getattr(site, name) for name in services.SITE_PROFILE_FIELDS}
    form = SiteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = services.site_update(site=site, actor=request.user, **form.cleaned_data)
        if changed:
            messages.success(request, _("Profil UPT disimpan."))
        else:
            messages.info(request, _("Tidak ada yang berubah."))
        return redirect("core:site_settings")
    return render(request, "core/site_settings.html", {"form": form})


@requires(Perm.CALENDAR_EDIT)
def holiday_list(request: PandaiRequest) -> HttpResponse:
    site = request.site
    form = HolidayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if SiteHoliday.objects.filter(site=site, date=form.cleaned_data["date"]).exists():
            form.add_error("date", _("Tanggal ini sudah tercatat sebagai hari libur UPT."))
        else:
            services.site_holiday_add(site=site, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Hari libur UPT ditambahkan."))
            return redirect("core:holiday_list")
    year = site_today(site).year
    national = sorted(national_holidays(year).items())
    local = SiteHoliday.objects.filter(site=site).order_by("-date")
    return render(
        request,
        "core/holiday_list.html",
        {"form": form, "national": national, "local": local, "year": year},
    )


# The audit trail in its XLSX download (the full hash, which the page shortens).
AUDIT_COLUMNS = [
    ("#", lambda e: e.seq),
    (_l("Waktu"), lambda e: e.at),
    (_l("Petugas"), lambda e: e.actor_label),
    (_l("Kejadian"), lambda e: e.action),
    (_l("Objek"), lambda e: f"{e.object_type} {e.object_id}".strip()),
    (_l("Hash"), lambda e: e.hash),
]


@requires(Perm.AUDIT_VIEW)
def audit_list(request: PandaiRequest) -> HttpResponseBase:
    events = selectors.audit_events_for_site(site=request.site)
    if wants_xlsx(request):
        return list_xlsx(request, name=_("jejak-audit"), columns=AUDIT_COLUMNS, objects=events)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_list.html", {"page": page})

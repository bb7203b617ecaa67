"""The one staff page of the kiosk app (not a kiosk screen: a staff browser at
/perangkat-kios/): each kiosk device's receipt printer, set by whoever manages devices, with a
test print."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pandai.core.calendar import site_today
from pandai.core.http import PandaiRequest
from pandai.core.models import Device, DeviceKind
from pandai.core.permissions import Perm, in_acting_site, requires
from pandai.kiosk import printing
from pandai.kiosk.models import KioskPrinter
from pandai.kiosk.services import KioskError, kiosk_printer_set


class PrinterForm(forms.Form):
    address = forms.CharField(
        label=gettext_lazy("Printer struk (host:port, /58 untuk kertas 58 mm)"),
        max_length=100,
        required=False,
    )


def _kiosk(request: PandaiRequest, pk: int) -> Device:
    return in_acting_site(request, Device.objects.filter(kind=DeviceKind.KIOSK), pk=pk)


@requires(Perm.DEVICE_MANAGE)
def printers(request: PandaiRequest) -> HttpResponse:
    kiosks = list(
        Device.objects.filter(site=request.site, kind=DeviceKind.KIOSK).order_by(
            "-is_active", "name"
        )
    )
    addresses = dict(
        KioskPrinter.objects.filter(device__in=kiosks).values_list("device_id", "address")
    )
    return render(
        request,
        "kiosk/staff_printers.html",
        {"rows": [(k, addresses.get(k.pk, "")) for k in kiosks]},
    )


@require_POST
@requires(Perm.DEVICE_MANAGE)
def printer_set(request: PandaiRequest, pk: int) -> HttpResponse:
    device = _kiosk(request, pk)
    form = PrinterForm(request.POST)
    try:
        if not form.is_valid():
            raise KioskError(_("Alamat printer terlalu panjang."))
        row = kiosk_printer_set(
            device=device, address=form.cleaned_data["address"], actor=request.user
        )
    except KioskError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Printer kios %(name)s: %(address)s.")
            % {"name": device.name, "address": row.address if row else _("tidak ada")},
        )
    return redirect("kiosk_staff:printers")


@require_POST
@requires(Perm.DEVICE_MANAGE)
def printer_test(request: PandaiRequest, pk: int) -> HttpResponse:
    device = _kiosk(request, pk)
    slip = printing.Slip(
        site_name=request.site.name,
        number="CONTOH-0000",
        code="CONT-OH00",
        due=site_today(request.site),
        anonymous=False,
    )
    try:
        address = printing.complaint_slip_print(device=device, slip=slip)
    except printing.PrintError:
        messages.error(
            request,
            _("Printer kios %(name)s tidak dapat dihubungi. Periksa daya, kabel dan alamatnya.")
            % {"name": device.name},
        )
    else:
        if address is None:
            messages.error(request, _("Kios ini belum punya printer."))
        else:
            messages.success(request, _("Slip contoh dikirim ke printer kios."))
    return redirect("kiosk_staff:printers")

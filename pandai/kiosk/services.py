"""The kiosk's one write of its own: the receipt printer of a kiosk device (set by an admin,
audited, one transaction). Everything else a kiosk does is the domains' services."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from pandai.core.audit import audit_append
from pandai.core.models import Device, DeviceKind, User
from pandai.kiosk.models import KioskPrinter
from pandai.shop.printing import PrintError, parse_address


class KioskError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@transaction.atomic
def kiosk_printer_set(*, device: Device, address: str, actor: User) -> KioskPrinter | None:
    """Give a kiosk its printer ("host:port" or "host:port/58"); blank removes it."""
    if device.kind != DeviceKind.KIOSK:
        raise KioskError(_("Perangkat ini bukan kios."))
    address = (address or "").strip()
    if address:
        try:
            parse_address(address)
        except PrintError as exc:
            raise KioskError(str(exc)) from exc
    before = KioskPrinter.objects.filter(device=device).values_list("address", flat=True).first()
    if address:
        row, _created = KioskPrinter.objects.update_or_create(
            device=device, defaults={"address": address, "updated_by": actor}
        )
    else:
        KioskPrinter.objects.filter(device=device).delete()
        row = None
    audit_append(
        action="kiosk.printer_set",
        site=device.site,
        actor=actor,
        obj=device,
        data={"before": before or "", "after": address},
    )
    return row

"""The kiosk: the inmates' own screens on a registered touch-screen device (card + PIN).

The one table of its own: the receipt printer beside a kiosk. The koperasi keeps its printer's
address in its own settings (shop.ShopSettings.receipt_printer) rather than on core's Device,
which knows nothing of printers; the kiosk does the same, one row per kiosk device."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pandai.core.models import Device


class KioskPrinter(models.Model):
    """An ESC/POS network printer beside a kiosk: "host:port", or "host:port/58" for 58 mm
    paper (the shop's format). No row: the kiosk prints nothing (the screen shows all)."""

    device = models.OneToOneField(
        Device, on_delete=models.CASCADE, primary_key=True, related_name="kiosk_printer"
    )
    address = models.CharField(_("printer struk (host:port)"), max_length=100)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("printer kios")
        verbose_name_plural = _("printer kios")

    def __str__(self) -> str:
        return f"{self.device_id}: {self.address}"

"""Receipts on an ESC/POS network printer (python-escpos builds the bytes, we send them).

The bytes are built with escpos's `Dummy` printer and sent over a plain socket with a short
timeout, so a printer that is off or unplugged costs the cashier a few seconds and a clear
message — never the sale, which was committed before anyone pressed "print".
"""

from __future__ import annotations

import socket
import zoneinfo
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from escpos.printer import Dummy

from pandai.core.money import format_rp
from pandai.shop.models import Sale, SaleStatus, ShopSettings

TIMEOUT_SECONDS = 4.0
COLUMNS = {"80": 48, "58": 32}  # characters per line in font A


class PrintError(Exception):
    """The printer could not be reached or refused the job; the message is for the cashier."""


@dataclass(frozen=True)
class PrinterAddress:
    host: str
    port: int
    width: str  # "80" or "58"


def parse_address(value: str) -> PrinterAddress:
    """ "host:port", optionally "host:port/58" for a 58 mm printer (80 mm otherwise)."""
    raw = value.strip()
    width = "80"
    if raw.endswith(("/58", "/80")):
        raw, width = raw[:-3], raw[-2:]
    host, sep, port = raw.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise PrintError(
            _("Alamat printer struk %(value)s tidak sah; isi seperti 192.168.1.50:9100.")
            % {"value": value}
        )
    return PrinterAddress(host.strip("[]"), int(port), width)


def _pair(left: str, right: str, columns: int) -> str:
    space = columns - len(right) - 1
    if len(left) > space:
        left = left[: max(space, 0)]
    return f"{left}{' ' * (columns - len(left) - len(right))}{right}"


def receipt_text_lines(sale: Sale, *, columns: int, footer: str = "") -> list[str]:
    """The receipt as plain lines of at most `columns` characters (also what a test reads)."""
    site = sale.site
    when = timezone.localtime(sale.created_at, zoneinfo.ZoneInfo(site.time_zone))
    rule = "-" * columns
    lines = [
        _("No. struk: %(no)s") % {"no": sale.number},
        _("Waktu    : %(when)s") % {"when": when.strftime("%d-%m-%Y %H:%M")},
        _("Kasir    : %(name)s") % {"name": sale.cashier.display_name if sale.cashier else "-"},
        rule,
        _("WBP      : %(name)s") % {"name": sale.inmate.full_name},
        _("No. reg. : %(reg)s") % {"reg": sale.inmate.reg_no},
        rule,
    ]
    for line in sale.lines.all().order_by("pk"):
        lines.append(line.name[:columns])
        lines.append(
            _pair(
                f"  {line.quantity} x {format_rp(line.unit_price_rp)}",
                format_rp(line.total_rp),
                columns,
            )
        )
    lines += [
        rule,
        _pair(_("TOTAL"), format_rp(sale.total_rp), columns),
        _pair(_("Sisa saldo"), format_rp(sale.balance_after_rp), columns),
    ]
    if sale.status == SaleStatus.VOIDED:
        lines += [rule, _("*** DIBATALKAN ***")]
    if footer:
        lines += [rule, footer[: columns * 3]]
    return [line[:columns] for line in lines]


def receipt_bytes(sale: Sale, *, width: str = "80", footer: str = "") -> bytes:
    columns = COLUMNS.get(width, COLUMNS["80"])
    printer = Dummy()
    printer.set(align="center", bold=True, double_height=True)
    printer.textln(sale.site.name[:columns])
    printer.set(align="center", bold=False, normal_textsize=True)
    printer.textln(_("Koperasi - Kartu Pandai"))
    printer.set(align="left")
    for text in receipt_text_lines(sale, columns=columns, footer=footer):
        printer.textln(text)
    printer.cut()
    return bytes(printer.output)


def send(address: PrinterAddress, data: bytes, timeout: float = TIMEOUT_SECONDS) -> None:
    try:
        with socket.create_connection((address.host, address.port), timeout=timeout) as conn:
            conn.sendall(data)
    except OSError as exc:
        raise PrintError(
            _(
                "Printer struk %(host)s:%(port)d tidak dapat dihubungi (%(why)s). Penjualan "
                "tetap tercatat; cetak dari browser atau coba lagi."
            )
            % {"host": address.host, "port": address.port, "why": exc.strerror or exc}
        ) from exc


def sale_print(sale: Sale) -> PrinterAddress:
    """Print the receipt on the site's ESC/POS printer; PrintError if none is set or it fails."""
    settings = ShopSettings.objects.filter(site_id=sale.site_id).first()
    if settings is None or not settings.receipt_printer.strip():
        raise PrintError(
            _("Printer struk belum diatur di pengaturan koperasi; cetak dari browser.")
        )
    address = parse_address(settings.receipt_printer)
    send(address, receipt_bytes(sale, width=address.width, footer=settings.receipt_footer))
    return address

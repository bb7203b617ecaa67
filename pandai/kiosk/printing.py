"""The slip a kiosk prints for a new complaint: its tracking number and follow-up code on the
kiosk's own ESC/POS network printer (the koperasi's printing: python-escpos builds the bytes,
a plain socket with a short timeout sends them). A printer that is off costs a few seconds and
a sentence on the screen, never the complaint, which was saved before anything was printed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _
from escpos.printer import Dummy

from pandai.core.models import Device
from pandai.kiosk.models import KioskPrinter
from pandai.shop.printing import COLUMNS, PrinterAddress, PrintError, parse_address, send

__all__ = ["PrintError", "Slip", "complaint_slip_bytes", "complaint_slip_print", "printer_of"]


@dataclass(frozen=True)
class Slip:
    site_name: str
    number: str
    code: str
    due: dt.date
    anonymous: bool


def printer_of(device: Device) -> PrinterAddress | None:
    """The kiosk's printer, None when it has none; PrintError when its address is not valid."""
    row = KioskPrinter.objects.filter(device=device).first()
    if row is None or not row.address.strip():
        return None
    return parse_address(row.address)


def slip_lines(slip: Slip, *, columns: int) -> list[str]:
    """What the slip says, as plain lines (also what a test reads). No name, no time: an
    anonymous person's slip must not say who they are or when they stood at the kiosk."""
    rule = "-" * columns
    lines = [
        _("Kotak Pengaduan - Kartu Pandai"),
        rule,
        _("Nomor pengaduan:"),
        slip.number,
        _("Kode tindak lanjut:"),
        slip.code,
        _("Dijawab paling lambat: %(day)s") % {"day": slip.due.strftime("%d-%m-%Y")},
        rule,
        _("Simpan slip ini. Lihat jawabannya di kios: Lacak pengaduan dengan kode."),
    ]
    if slip.anonymous:
        lines.append(_("Pesan anonim: nama Anda tidak dicatat."))
    out: list[str] = []
    for line in lines:  # wrap long sentences at the paper's width
        while len(line) > columns:
            cut = line.rfind(" ", 0, columns + 1)
            cut = cut if cut > 0 else columns
            out.append(line[:cut])
            line = line[cut:].lstrip()
        out.append(line)
    return out


def complaint_slip_bytes(slip: Slip, *, width: str = "80") -> bytes:
    columns = COLUMNS.get(width, COLUMNS["80"])
    printer = Dummy()
    printer.set(align="center", bold=True, double_height=True)
    printer.textln(slip.site_name[:columns])
    printer.set(align="left", bold=False, normal_textsize=True)
    for text in slip_lines(slip, columns=columns):
        # The number and the code stand out: they are what the person must keep.
        if text in (slip.number, slip.code):
            printer.set(bold=True, double_height=True)
        else:
            printer.set(bold=False, normal_textsize=True)
        printer.textln(text)
    printer.cut()
    return bytes(printer.output)


def complaint_slip_print(*, device: Device, slip: Slip) -> PrinterAddress | None:
    """Print the slip on the kiosk's printer: its address, None when the kiosk has none,
    PrintError (a sentence for the screen) when it fails."""
    address = printer_of(device)
    if address is None:
        return None
    send(address, complaint_slip_bytes(slip, width=address.width))
    return address

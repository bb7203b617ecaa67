"""The kiosk's receipt printer: a new complaint's number and follow-up code printed on the
kiosk's ESC/POS printer (a local TCP stand-in here, as in the shop's tests); a failing printer
leaves the complaint and the screen whole; setting the printer is an admin's, audited."""

from __future__ import annotations

import datetime as dt
import re
import socket
import time
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse

from pandai.complaints.models import Complaint
from pandai.core import services as core_services
from pandai.core.audit import AuditEvent
from pandai.kiosk.models import KioskPrinter
from pandai.kiosk.printing import Slip, complaint_slip_bytes, slip_lines
from pandai.kiosk.services import KioskError, kiosk_printer_set
from pandai.shop.tests.test_receipts import CUT, PrinterStandIn

pytestmark = pytest.mark.django_db

NEW = {"kind": "complaint", "category": "makanan", "identity": "anonymous", "text": "Nasi basi."}


@pytest.fixture
def printer() -> Iterator[PrinterStandIn]:
    stand_in = PrinterStandIn()
    yield stand_in
    stand_in.close()


def wait_for_job(stand_in: PrinterStandIn, count: int = 1) -> bytes:
    deadline = time.monotonic() + 10
    while len(stand_in.jobs) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(stand_in.jobs) == count, stand_in.jobs
    return stand_in.jobs[-1]


def free_port() -> int:
    closed = socket.create_server(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    return int(port)


def shown_code(page: str) -> str:
    found = re.search(r"data-followup-code>([^<]+)<", page)
    assert found
    return found.group(1)


def test_the_slip_with_number_and_code_reaches_the_kiosks_printer(
    signed_in, kiosk_device, admin, printer
):
    kiosk_printer_set(device=kiosk_device[0], address=f"127.0.0.1:{printer.port}", actor=admin)
    response = signed_in.post("/kios/pengaduan/baru/", NEW)
    assert response.status_code == 302
    page = signed_in.get(response.url).content.decode()
    c = Complaint.objects.get()
    code = shown_code(page)
    data = wait_for_job(printer)
    assert c.number.encode() in data and code.encode() in data and data.endswith(CUT + b"\x00")
    assert b"Kotak Pengaduan" in data and c.answer_due.strftime("%d-%m-%Y").encode() in data
    assert 'data-print="ok"' in page and "sudah dicetak" in page
    # An anonymous slip says nothing of the person.
    assert b"Budi" not in data and b"Santoso" not in data


def test_a_failing_printer_leaves_the_complaint_and_the_screen_whole(
    signed_in, kiosk_device, admin
):
    kiosk_printer_set(device=kiosk_device[0], address=f"127.0.0.1:{free_port()}", actor=admin)
    response = signed_in.post("/kios/pengaduan/baru/", NEW)
    assert response.status_code == 302
    page = signed_in.get(response.url).content.decode()
    c = Complaint.objects.get()
    assert c.number in page and shown_code(page)
    assert 'data-print="failed"' in page and "Printer kios gagal mencetak" in page
    assert "Penjualan" not in page  # the shop's sentence is not the kiosk's


def test_without_a_printer_nothing_is_said_of_printing(signed_in):
    response = signed_in.post("/kios/pengaduan/baru/", NEW)
    page = signed_in.get(response.url).content.decode()
    assert Complaint.objects.get().number in page and "data-print" not in page


def test_58_mm_slip_lines_fit_and_keep_number_and_code():
    slip = Slip(
        site_name="Rutan Kelas IIB Blora",
        number="ADU-BLR-2026-000123",
        code="K7QX-93PA",
        due=dt.date(2026, 12, 14),
        anonymous=True,
    )
    lines = slip_lines(slip, columns=32)
    assert all(len(line) <= 32 for line in lines)
    assert slip.number in lines and slip.code in lines and "14-12-2026" in " ".join(lines)
    data = complaint_slip_bytes(slip, width="58")
    assert slip.number.encode() in data and slip.code.encode() in data


@pytest.mark.parametrize("address", ["printer", "10.0.0.5:0", "10.0.0.5:99999", "x" * 101])
def test_a_bad_address_is_refused_and_changes_nothing(kiosk_device, admin, address):
    with pytest.raises(KioskError) as refused:
        kiosk_printer_set(device=kiosk_device[0], address=address, actor=admin)
    assert refused.value.message
    assert not KioskPrinter.objects.exists()
    assert not AuditEvent.objects.filter(action="kiosk.printer_set").exists()


def test_set_change_remove_audited_and_only_for_kiosks(kiosk_device, admin, site):
    device = kiosk_device[0]
    row = kiosk_printer_set(device=device, address=" 192.168.1.60:9100 ", actor=admin)
    assert row is not None and row.address == "192.168.1.60:9100"
    kiosk_printer_set(device=device, address="192.168.1.61:9100/58", actor=admin)
    assert KioskPrinter.objects.get(device=device).address == "192.168.1.61:9100/58"
    assert kiosk_printer_set(device=device, address="", actor=admin) is None
    assert not KioskPrinter.objects.exists()
    events = AuditEvent.objects.filter(action="kiosk.printer_set").order_by("pk")
    assert [e.data["after"] for e in events] == ["192.168.1.60:9100", "192.168.1.61:9100/58", ""]
    pos, _token = core_services.device_register(site=site, kind="pos", name="K1", actor=admin)
    with pytest.raises(KioskError):
        kiosk_printer_set(device=pos, address="192.168.1.60:9100", actor=admin)


def test_the_staff_page_sets_and_test_prints(
    client: Client, kiosk_device, admin, staff, other_site, printer
):
    device = kiosk_device[0]
    client.force_login(admin)
    page = client.get(reverse("kiosk_staff:printers")).content.decode()
    assert device.name in page
    url = reverse("kiosk_staff:printer_set", args=[device.pk])
    bad = client.post(url, {"address": "bukan alamat"}, follow=True).content.decode()
    assert "tidak sah" in bad and not KioskPrinter.objects.exists()
    client.post(url, {"address": f"127.0.0.1:{printer.port}"})
    assert KioskPrinter.objects.get(device=device).address == f"127.0.0.1:{printer.port}"
    done = client.post(reverse("kiosk_staff:printer_test", args=[device.pk]), follow=True)
    assert "Slip contoh dikirim" in done.content.decode()
    assert b"CONTOH-0000" in wait_for_job(printer)
    # Another site's kiosk: refused, unchanged.
    other_admin = staff("admin", at=other_site, username="admin-lain")
    theirs, _token = core_services.device_register(
        site=other_site, kind="kiosk", name="Kios SMG", actor=other_admin
    )
    assert client.post(
        reverse("kiosk_staff:printer_set", args=[theirs.pk]), {"address": "10.0.0.9:9100"}
    ).status_code in (403, 404)
    assert not KioskPrinter.objects.filter(device=theirs).exists()


def test_a_kiosk_browser_and_other_roles_get_no_printer_page(kiosk_client, staff):
    assert kiosk_client.get("/perangkat-kios/").status_code == 403
    cashier = Client()
    cashier.force_login(staff("cashier", "head", username="kasir-kepala"))
    assert cashier.get("/perangkat-kios/").status_code == 403


def test_printer_failure_does_not_block_the_next_person(signed_in, kiosk_device, admin):
    """A dead printer costs its timeout, then the kiosk goes on (nothing left half-done)."""
    kiosk_printer_set(device=kiosk_device[0], address=f"127.0.0.1:{free_port()}", actor=admin)
    signed_in.post("/kios/pengaduan/baru/", NEW)
    assert signed_in.get("/kios/saldo/").status_code == 200
    assert Complaint.objects.count() == 1

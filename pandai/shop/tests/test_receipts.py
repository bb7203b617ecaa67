# ruff: noqa: F811  (pytest fixtures imported from pos_fixtures, then requested by name)
"""Receipts: the browser receipt at 58 and 80 mm, and the ESC/POS receipt sent to a network
printer — tested against a real local TCP server standing in for the printer."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
from django.urls import reverse

from pandai.shop.models import Sale, ShopSettings
from pandai.shop.printing import PrintError, parse_address, receipt_bytes
from pandai.shop.services.checkout import CartLine, checkout
from pandai.shop.tests.pos_fixtures import (  # noqa: F401  (fixtures)
    PIN,
    UID,
    admin,
    buyer,
    cashier,
    catalogue,
    paired_client,
    shift,
    terminal,
    terminal_and_token,
    till,
)

CUT = b"\x1dV"  # GS V: cut the paper


class PrinterStandIn:
    """A TCP server on 127.0.0.1 that takes one job after another and keeps the bytes."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)  # wake up now and then to see whether to stop
        self.port = self.server.getsockname()[1]
        self.jobs: list[bytes] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._stop = threading.Event()
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _addr = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                chunks = []
                while True:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    chunks.append(chunk)
                self.jobs.append(b"".join(chunks))

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.server.close()


@pytest.fixture
def printer() -> Iterator[PrinterStandIn]:
    stand_in = PrinterStandIn()
    yield stand_in
    stand_in.close()


@pytest.fixture
def sale(site, catalogue, buyer, terminal, shift, cashier) -> Sale:
    return checkout(
        site=site,
        card_uid=UID,
        pin=PIN,
        lines=[
            CartLine(catalogue["mie"].pk, 3),
            CartLine(catalogue["kopi"].pk, 1),
            CartLine(catalogue["sabun"].pk, 2),
        ],
        idempotency_key="struk-uji",
        cashier=cashier,
        terminal=terminal,
        shift=shift,
    ).sale


def _settings(site, **fields) -> ShopSettings:
    obj, _created = ShopSettings.objects.update_or_create(site=site, defaults=fields)
    return obj


def test_the_receipt_page_shows_everything_a_receipt_must(till, sale, site):
    _settings(site, receipt_footer="Terima kasih. Tanpa uang tunai.")
    response = till.get(reverse("shop:receipt", kwargs={"sale_pk": sale.pk}))
    body = response.content.decode()
    for text in (
        site.name,
        sale.number,
        sale.cashier.display_name,
        "Slamet Riyadi",
        "AI.123/2024",
        "Mie instan goreng",
        "3 × Rp3.500",
        "Rp10.500",
        "Rp21.500",  # total: 10.500 + 2.000 + 9.000
        "Rp78.500",  # remaining balance
        "Terima kasih. Tanpa uang tunai.",
    ):
        assert text in body, text
    assert sale.total_rp == 21_500 and sale.balance_after_rp == 78_500
    assert response.context["width"] == "80"
    assert "size: 80mm auto" in body and 'class="receipt w80"' in body


def test_the_receipt_at_58_mm(till, sale):
    response = till.get(reverse("shop:receipt", kwargs={"sale_pk": sale.pk}), {"w": "58"})
    body = response.content.decode()
    assert response.context["width"] == "58"
    assert "size: 58mm auto" in body and 'class="receipt w58"' in body


def test_escpos_receipt_reaches_the_printer_with_lines_total_balance_and_cut(
    till, sale, site, printer
):
    _settings(site, receipt_printer=f"127.0.0.1:{printer.port}", receipt_footer="Terima kasih")
    response = till.post(reverse("shop:receipt_print", kwargs={"sale_pk": sale.pk}))
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("dikirim ke printer" in m for m in messages), messages
    deadline = 50
    while not printer.jobs and deadline:
        threading.Event().wait(0.1)
        deadline -= 1
    assert len(printer.jobs) == 1
    data = printer.jobs[0]
    text = data.decode("cp437", errors="replace")
    for expected in (
        site.name,
        sale.number,
        "Slamet Riyadi",
        "AI.123/2024",
        "Mie instan goreng",
        "Kopi sachet",
        "Sabun mandi",
        "Rp10.500",
        "Rp21.500",
        "Rp78.500",
        "Sisa saldo",
        "Terima kasih",
    ):
        assert expected in text, expected
    assert data.rstrip(b"\x00\x01").endswith(CUT) or CUT in data[-8:]


def test_58_mm_printer_lines_fit_32_columns(sale):
    data = receipt_bytes(sale, width="58")
    for line in data.split(b"\n"):
        printable = bytes(b for b in line if 32 <= b < 127)
        assert len(printable) <= 32 + 8  # escape sequences may carry a few printable bytes


def test_an_unreachable_printer_is_explained_and_the_sale_stands(till, sale, site):
    closed = socket.create_server(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    _settings(site, receipt_printer=f"127.0.0.1:{port}")
    response = till.post(reverse("shop:receipt_print", kwargs={"sale_pk": sale.pk}), follow=True)
    body = response.content.decode()
    assert "tidak dapat dihubungi" in body and "Penjualan tetap tercatat" in body
    assert Sale.objects.get(pk=sale.pk).status == "completed"


def test_no_printer_set_says_to_print_from_the_browser(till, sale):
    response = till.post(reverse("shop:receipt_print", kwargs={"sale_pk": sale.pk}), follow=True)
    assert "Printer struk belum diatur" in response.content.decode()


@pytest.mark.parametrize("value", ["printer", "host:", ":9100", "host:99999", "host:abc"])
def test_bad_printer_addresses_are_refused(value):
    with pytest.raises(PrintError):
        parse_address(value)


def test_printer_address_forms():
    assert parse_address("192.168.1.50:9100").width == "80"
    address = parse_address("kasir-printer.lan:9100/58")
    assert (address.host, address.port, address.width) == ("kasir-printer.lan", 9100, "58")

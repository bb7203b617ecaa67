"""Card desk, card status, the printed card face (a real one-page PDF), and the PIN reset."""

import base64
import datetime as dt
import io
import re
import zlib

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from pandai.inmates import services
from pandai.inmates.models import Card, CardStatus, Pin
from pandai.inmates.tests.factories import InmateFactory

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_card_page_has_the_focused_reader_field(client, staff, inmate):
    html = login(client, staff("counter_officer")).get(reverse("inmates:cards", args=[inmate.pk]))
    assert html.status_code == 200
    field = re.search(r"<input[^>]*id=\"card-uid\"[^>]*>", html.content.decode()).group(0)
    assert "data-autofocus" in field and 'autocomplete="off"' in field


def test_issue_by_reader_then_replace(client, staff, inmate):
    client = login(client, staff("counter_officer"))
    url = reverse("inmates:cards", args=[inmate.pk])
    first = client.post(url, {"uid": "0077705923"}, follow=True)  # decimal, as many readers type
    assert "Kartu 04A1B2C3 diterbitkan." in first.content.decode()
    second = client.post(url, {"uid": "04:99:88:77", "reason": "kartu patah"}, follow=True)
    text = second.content.decode()
    assert "Kartu pengganti 04998877 diterbitkan; kartu lama 04A1B2C3 diblokir." in text
    statuses = dict(Card.objects.values_list("uid", "status"))
    assert statuses == {"04A1B2C3": CardStatus.BLOCKED, "04998877": CardStatus.ACTIVE}
    assert Card.objects.get(uid="04A1B2C3").status_reason == "kartu patah"


def test_used_uid_shows_the_reason_and_changes_nothing(client, site, staff, inmate):
    holder = InmateFactory(site=site)
    services.card_issue(inmate=holder, raw_uid="04A1B2C3", actor=staff("head"))
    response = login(client, staff("counter_officer")).post(
        reverse("inmates:cards", args=[inmate.pk]), {"uid": "C3B2A104"}
    )
    assert response.status_code == 200
    assert "sudah pernah dipakai" in response.content.decode()
    assert not Card.objects.filter(inmate=inmate).exists()


def test_block_and_reactivate_from_the_card_page(client, staff, inmate):
    card = services.card_issue(inmate=inmate, raw_uid="04A1B2C3", actor=staff("head"))
    client = login(client, staff("counter_officer"))
    url = reverse("inmates:card_status", args=[card.pk])
    client.post(url, {"status": "lost", "reason": "hilang saat olahraga"})
    card.refresh_from_db()
    assert card.status == CardStatus.LOST and card.status_reason == "hilang saat olahraga"
    no_reason = client.post(url, {"status": "active", "reason": ""}, follow=True)
    assert "alasan" in no_reason.content.decode().lower()
    card.refresh_from_db()
    assert card.status == CardStatus.LOST
    client.post(url, {"status": "active", "reason": "ditemukan"})
    card.refresh_from_db()
    assert card.status == CardStatus.ACTIVE


def test_card_status_is_post_only_and_site_scoped(client, staff, other_site):
    foreign = services.card_issue(
        inmate=InmateFactory(site=other_site), raw_uid="04A1B2C3", actor=staff("head")
    )
    client = login(client, staff("counter_officer"))
    url = reverse("inmates:card_status", args=[foreign.pk])
    assert client.get(url).status_code == 405
    assert client.post(url, {"status": "blocked", "reason": "x"}).status_code == 403
    foreign.refresh_from_db()
    assert foreign.status == CardStatus.ACTIVE
    assert client.get(reverse("inmates:card_pdf", args=[foreign.pk])).status_code == 403


def _pages(pdf: bytes) -> int:
    """Count page objects without a PDF library: '/Type /Page' but not '/Type /Pages'."""
    text = pdf.decode("latin-1")
    return len(re.findall(r"/Type\s*/Page(?![a-z])", text))


def _media_box_mm(pdf: bytes) -> tuple[float, float]:
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    return float(box.group(1)) * 25.4 / 72, float(box.group(2)) * 25.4 / 72


def _page_text(pdf: bytes) -> str:
    """Decode the page content streams (ASCII85 + Flate, as reportlab writes them) to find
    the strings drawn on the card."""
    out = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        stream = stream.strip()
        try:
            if stream.endswith(b"~>"):
                stream = base64.a85decode(stream[:-2], adobe=False)
            out.append(zlib.decompress(stream).decode("latin-1"))
        except (ValueError, zlib.error):
            continue  # an image stream
    return "\n".join(out)


def test_card_pdf_is_a_one_page_cr80_pdf(client, staff, inmate):
    out = io.BytesIO()
    Image.new("RGB", (300, 400), "navy").save(out, format="JPEG")
    services.inmate_set_photo(inmate=inmate, data=out.getvalue(), actor=None)
    card = services.card_issue(inmate=inmate, raw_uid="04A1B2C3", actor=staff("head"))
    response = login(client, staff("counter_officer")).get(
        reverse("inmates:card_pdf", args=[card.pk])
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert _pages(pdf) == 1
    width, height = _media_box_mm(pdf)
    assert width == pytest.approx(85.6, abs=0.05) and height == pytest.approx(53.98, abs=0.05)
    drawn = _page_text(pdf)
    for text in ("04A1B2C3", inmate.reg_no, inmate.site.name, "KARTU PANDAI"):
        assert f"({text}) Tj" in drawn
    # Photo and QR code are embedded images.
    assert pdf.count(b"/Subtype /Image") == 2


def test_card_pdf_without_a_photo_still_prints(client, staff, inmate):
    card = services.card_issue(inmate=inmate, raw_uid="04A1B2C3", actor=staff("head"))
    pdf = login(client, staff("head")).get(reverse("inmates:card_pdf", args=[card.pk])).content
    assert pdf.startswith(b"%PDF") and _pages(pdf) == 1
    assert pdf.count(b"/Subtype /Image") == 1  # the QR code only


def test_card_pdf_needs_card_issue_right(client, staff, inmate):
    card = services.card_issue(inmate=inmate, raw_uid="04A1B2C3", actor=staff("head"))
    response = login(client, staff("cashier")).get(reverse("inmates:card_pdf", args=[card.pk]))
    assert response.status_code == 403


# --- PIN reset -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["counter_officer", "head"])
def test_pin_page_has_the_pad_and_two_inputs(client, staff, inmate, role):
    html = login(client, staff(role)).get(reverse("inmates:pin_reset", args=[inmate.pk]))
    assert html.status_code == 200
    text = html.content.decode()
    for pin_id in ("pin1", "pin2"):
        field = re.search(rf"<input[^>]*id=\"{pin_id}\"[^>]*>", text).group(0)
        assert 'type="password"' in field and 'inputmode="numeric"' in field
        assert f'data-pin-target="{pin_id}"' in text
    for key in [*"0123456789", "back", "clear"]:
        assert text.count(f'data-pin-key="{key}"') == 2


@pytest.mark.parametrize("role", ["admin", "official", "cashier", "auditor", "shop_manager"])
def test_only_counter_officer_and_head_may_reset_a_pin(client, staff, inmate, role):
    client = login(client, staff(role))
    url = reverse("inmates:pin_reset", args=[inmate.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"pin1": "482915", "pin2": "482915"}).status_code == 403
    assert not Pin.objects.exists()


def test_pin_reset_sets_the_pin(client, staff, inmate):
    response = login(client, staff("counter_officer")).post(
        reverse("inmates:pin_reset", args=[inmate.pk]),
        {"pin1": "482915", "pin2": "482915"},
        follow=True,
    )
    assert "PIN" in response.content.decode() and "sudah diganti" in response.content.decode()
    assert services.pin_verify(inmate=inmate, pin="482915").ok


def test_pins_must_match(client, staff, inmate):
    response = login(client, staff("counter_officer")).post(
        reverse("inmates:pin_reset", args=[inmate.pk]), {"pin1": "482915", "pin2": "482916"}
    )
    assert "Kedua PIN tidak sama" in response.content.decode()
    assert not Pin.objects.exists()


@pytest.mark.parametrize(
    ("pin", "message"),
    [
        ("111111", "angka yang sama"),
        ("123456", "berurutan"),
        ("343434", "pola berulang"),
        ("170590", "tanggal lahir"),
    ],
)
def test_trivial_pin_is_refused_with_the_message(client, staff, inmate, pin, message):
    response = login(client, staff("head")).post(
        reverse("inmates:pin_reset", args=[inmate.pk]), {"pin1": pin, "pin2": pin}
    )
    assert message in response.content.decode()
    assert not Pin.objects.exists()


def test_locked_pin_is_shown_with_its_time_and_the_reset_unlocks(client, site, staff, inmate):
    services.pin_set(inmate=inmate, pin="482915", actor=None)
    until = dt.datetime(2030, 1, 1, 3, 30, tzinfo=dt.UTC)  # 10:30 WIB
    Pin.objects.filter(inmate=inmate).update(locked_until=until)
    client = login(client, staff("counter_officer"))
    detail = client.get(reverse("inmates:detail", args=[inmate.pk])).content.decode()
    assert "PIN terkunci sampai 10:30" in detail
    page = client.get(reverse("inmates:pin_reset", args=[inmate.pk])).content.decode()
    assert "PIN terkunci sampai 10:30" in page
    client.post(
        reverse("inmates:pin_reset", args=[inmate.pk]), {"pin1": "739164", "pin2": "739164"}
    )
    assert services.pin_verify(inmate=inmate, pin="739164").ok
    detail = client.get(reverse("inmates:detail", args=[inmate.pk])).content.decode()
    assert "PIN terkunci" not in detail


def test_an_expired_lock_is_not_shown(client, staff, inmate):
    services.pin_set(inmate=inmate, pin="482915", actor=None)
    Pin.objects.filter(inmate=inmate).update(locked_until=timezone.now() - dt.timedelta(minutes=1))
    detail = login(client, staff("head")).get(reverse("inmates:detail", args=[inmate.pk]))
    assert "PIN terkunci" not in detail.content.decode()

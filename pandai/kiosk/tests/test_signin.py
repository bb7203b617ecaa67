"""Card + PIN sign-in, the card's PIN lock, unknown-card limit, sign-out and the server-side
idle and absolute expiry."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings

from pandai.inmates import services as inmate_services
from pandai.inmates.models import Card
from pandai.kiosk import session
from pandai.kiosk.tests.conftest import PIN, UID, sign_in

pytestmark = pytest.mark.django_db


def test_wrong_pin_tells_the_tries_left_then_the_right_pin_signs_in(kiosk_client, holder):
    response = kiosk_client.post("/kios/kartu/", {"uid": UID})
    assert response.status_code == 302 and response.url == "/kios/pin/"
    page = kiosk_client.get("/kios/pin/").content.decode()
    assert "Halo, Budi" in page and "Santoso" not in page  # first name only
    response = kiosk_client.post("/kios/pin/", {"pin": "000000"})
    assert response.status_code == 400
    assert "Sisa 2 kali" in response.content.decode()
    assert kiosk_client.get("/kios/saldo/").status_code == 302  # not signed in
    response = kiosk_client.post("/kios/pin/", {"pin": PIN})
    assert response.status_code == 302
    menu = kiosk_client.get("/kios/").content.decode()
    assert "Selamat datang, Budi" in menu and 'data-signed-in="1"' in menu
    assert kiosk_client.get("/kios/saldo/").status_code == 200


def test_the_cards_pin_lock_applies(kiosk_client, holder):
    kiosk_client.post("/kios/kartu/", {"uid": UID})
    for _ in range(django_settings.PANDAI_PIN_MAX_TRIES):
        response = kiosk_client.post("/kios/pin/", {"pin": "999999"}, follow=True)
    assert "PIN terkunci" in response.content.decode()
    # Locked: the tap itself is refused, even with the right PIN ready.
    response = kiosk_client.post("/kios/kartu/", {"uid": UID})
    assert response.status_code == 400 and "PIN terkunci" in response.content.decode()
    assert kiosk_client.post("/kios/pin/", {"pin": PIN}).status_code == 302
    assert kiosk_client.get("/kios/saldo/").status_code == 302


def test_unknown_cards_are_limited_per_kiosk(kiosk_client, holder):
    for i in range(10):
        response = kiosk_client.post("/kios/kartu/", {"uid": f"04000000000{i:03d}"})
        assert "Kartu tidak dikenal" in response.content.decode()
    response = kiosk_client.post("/kios/kartu/", {"uid": UID})
    assert "Terlalu banyak kartu" in response.content.decode()


def test_a_blocked_card_is_refused_and_ends_a_session(kiosk_client, holder, admin):
    sign_in(kiosk_client)
    assert kiosk_client.get("/kios/saldo/").status_code == 200
    card = Card.objects.get(inmate=holder)
    inmate_services.card_set_status(card=card, status="lost", reason="hilang", actor=admin)
    response = kiosk_client.get("/kios/saldo/")
    assert response.status_code == 302
    assert "Sesi Anda sudah berakhir" in kiosk_client.get("/kios/").content.decode()
    response = kiosk_client.post("/kios/kartu/", {"uid": UID})
    assert "tidak bisa dipakai" in response.content.decode()


def test_sign_out_flushes_the_session(signed_in):
    key = signed_in.session.session_key
    response = signed_in.post("/kios/keluar/")
    assert response.status_code == 302 and response.url.startswith("/kios/")
    assert signed_in.session.session_key != key
    assert session.SIGNED_KEY not in signed_in.session
    assert signed_in.get("/kios/saldo/").status_code == 302
    assert "Tempelkan Kartu" in signed_in.get("/kios/").content.decode()


def _age(client, field: str, seconds: float) -> None:
    s = client.session
    raw = s[session.SIGNED_KEY]
    raw[field] -= seconds
    s[session.SIGNED_KEY] = raw
    s.save()


def test_idle_session_ends_on_the_server(signed_in, settings):
    settings.PANDAI_KIOSK_IDLE_SECONDS = 60
    _age(signed_in, "seen", 60 + session.SERVER_GRACE_SECONDS - 5)
    assert signed_in.get("/kios/saldo/").status_code == 200  # still within the limit
    _age(signed_in, "seen", 60 + session.SERVER_GRACE_SECONDS + 1)
    assert signed_in.get("/kios/saldo/").status_code == 302
    assert session.SIGNED_KEY not in signed_in.session


def test_ping_keeps_a_touched_screen_signed_in(signed_in):
    _age(signed_in, "seen", 50)
    assert signed_in.post("/kios/sentuh/").json() == {"signed_in": True}
    _age(signed_in, "seen", 30)  # 30 s since the ping, 80 s since the last page
    assert signed_in.get("/kios/saldo/").status_code == 200


def test_a_session_ends_after_the_absolute_limit(signed_in, settings):
    settings.PANDAI_KIOSK_MAX_MINUTES = 15
    _age(signed_in, "since", 15 * 60 + 1)
    assert signed_in.get("/kios/saldo/").status_code == 302

"""Which browser gets which page: pairing by token, every kiosk URL refused without a paired
kiosk (staff of every role included), revocation at once, staff pages refused to a kiosk
browser, no-store on kiosk pages, and another inmate's ids refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse

from pandai.core import services as core_services
from pandai.core.models import Role
from pandai.kiosk.device import COOKIE
from pandai.kiosk.tests.conftest import OTHER_UID, pair, sign_in
from pandai.shop.services.checkout import CartLine
from pandai.shop.services.preorders import preorder_place
from pandai.shop.tests.factories import ProductFactory, fund
from pandai.wallet.models import Transfer

pytestmark = pytest.mark.django_db


def kiosk_urls() -> list[tuple[str, str]]:
    """(name, url) of every kiosk URL, with a sample value for each kwarg."""
    resolver = get_resolver()
    out = []
    for p in resolver.url_patterns:
        if getattr(p, "namespace", None) != "kiosk":
            continue
        for q in p.url_patterns:
            assert isinstance(q, URLPattern)
            kwargs: dict[str, Any] = {k: 1 for k in q.pattern.converters}
            if "key" in kwargs:
                kwargs["key"] = "0" * 40
            out.append((q.name or "", reverse(f"kiosk:{q.name}", kwargs=kwargs)))
    return out


KIOSK_URLS = kiosk_urls()


def test_the_walk_sees_every_screen():
    names = {name for name, _url in KIOSK_URLS}
    assert {"home", "pair", "saldo", "movement", "complaint_new", "board", "shop"} <= names


def test_pairing_needs_a_kiosk_token(kiosk_device, site, admin):
    client = Client()
    response = pair(client, "not-a-token")
    assert response.status_code == 400
    assert "Token kios tidak dikenal" in response.content.decode()
    assert COOKIE not in response.cookies
    _pos, pos_token = core_services.device_register(site=site, kind="pos", name="K1", actor=admin)
    assert pair(client, pos_token).status_code == 400

    response = pair(client, kiosk_device[1])
    assert response.status_code == 302
    cookie = response.cookies[COOKIE]
    assert cookie["httponly"] and cookie["max-age"] > 300 * 24 * 3600
    assert kiosk_device[1] not in cookie.value  # the id and a fingerprint, never the token
    assert client.get("/kios/").status_code == 200
    assert "Kios Blok A" in client.get("/kios/pasang/").content.decode()


@pytest.mark.parametrize("actor", ["anonymous", "staff"])
def test_every_kiosk_url_refuses_a_browser_that_is_not_a_kiosk(actor, staff, holder):
    client = Client()
    if actor == "staff":
        client.force_login(staff(*[r.value for r in Role], username="all-roles"))
    for name, url in KIOSK_URLS:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if name == "pair":
                assert response.status_code in (200, 400), url
            else:
                assert response.status_code in (403, 405), f"{actor} {method} {url}: {response}"
                if response.status_code == 403:
                    assert "belum terdaftar sebagai kios" in response.content.decode()


def test_revoking_the_device_unpairs_at_once(kiosk_client, kiosk_device, admin, holder):
    sign_in(kiosk_client)
    assert kiosk_client.get("/kios/saldo/").status_code == 200
    core_services.device_revoke(device=kiosk_device[0], actor=admin)
    assert kiosk_client.get("/kios/saldo/").status_code == 403
    assert kiosk_client.get("/kios/").status_code == 403
    # Still a kiosk browser: no staff page either.
    assert kiosk_client.get("/masuk/").status_code == 403


@pytest.mark.parametrize(
    "url", ["/", "/masuk/", "/wbp/", "/kartu/", "/koperasi/", "/pengaduan/lacak/", "/api/ping"]
)
def test_a_kiosk_browser_gets_no_staff_page(kiosk_client, url):
    response = kiosk_client.get(url)
    assert response.status_code == 403
    assert "tidak tersedia di kios" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_a_kiosk_browser_keeps_static_files_and_the_language_switch(kiosk_client):
    assert kiosk_client.get("/static/pandai/kiosk.css").status_code in (200, 404)
    response = kiosk_client.post("/i18n/setlang/", {"language": "en", "next": "/kios/"})
    assert response.status_code == 302 and response.url == "/kios/"
    assert response.cookies["django_language"].value == "en"
    assert kiosk_client.get("/kios/").status_code == 200


def test_kiosk_pages_are_never_stored(signed_in):
    for url in ("/kios/", "/kios/saldo/", "/kios/pengaduan/", "/kios/belanja/"):
        response = signed_in.get(url)
        assert response.status_code == 200
        cache = response["Cache-Control"]
        assert "no-store" in cache and "private" in cache and "max-age=0" in cache, url
        assert response["Pragma"] == "no-cache"


def test_another_inmates_records_are_404(signed_in, holder, other_holder, site, admin):
    from pandai.complaints import services as complaint_services
    from pandai.complaints.models import Category, Identity

    fund(other_holder, 50_000)
    product = ProductFactory(site=site, price_rp=3_000, stock=5)
    order = preorder_place(
        inmate=other_holder, lines=[CartLine(product.pk, 1)], idempotency_key="other-order"
    )
    transfer = Transfer.objects.filter(credit_account__inmate=other_holder).first()
    assert transfer is not None
    complaint_services.categories_ensure(site=site)
    theirs = complaint_services.complaint_submit_kiosk(
        inmate=other_holder,
        kind="complaint",
        category=Category.objects.get(site=site, code="makanan"),
        identity=Identity.NAMED,
        text="Nasi kurang.",
    ).complaint
    assert signed_in.get(f"/kios/saldo/{transfer.pk}/").status_code == 404
    assert signed_in.get(f"/kios/pengaduan/{theirs.pk}/").status_code == 404
    post = {"rating": "satisfied", "reason": "x"}
    assert signed_in.post(f"/kios/pengaduan/{theirs.pk}/nilai/", post).status_code == 404
    assert signed_in.post(f"/kios/pengaduan/{theirs.pk}/buka/", post).status_code == 404
    assert signed_in.post(f"/kios/belanja/pesanan/{order.pk}/batal/").status_code == 404
    order.refresh_from_db()
    assert order.status == "open"
    page = signed_in.get("/kios/pengaduan/").content.decode()
    assert theirs.number not in page and "Joko" not in page
    # The other inmate's card taps in at the same kiosk only after this one signs out.
    signed_in.post("/kios/keluar/")
    assert sign_in(signed_in, uid=OTHER_UID, pin="111222").status_code == 302
    assert signed_in.get(f"/kios/pengaduan/{theirs.pk}/").status_code == 200

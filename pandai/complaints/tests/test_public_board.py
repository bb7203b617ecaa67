"""The public board: only published, redacted answers of the site, newest first, HTML/JS
escaped, search and category filter; no login needed (kiosks, visitors' room)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from pandai.complaints import services
from pandai.complaints.models import Complaint
from pandai.wallet import clock

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('papan')</script>"


def published(oral: Any, officer: Any, official: Any, public_text: str, **kw: Any) -> Complaint:
    c = oral(**kw).complaint
    c = services.complaint_assign(complaint=c, actor=officer, assignee=official, instruction="x")
    c = services.complaint_answer(
        complaint=c, actor=official, text="Jawaban lengkap RAHASIA-INTERNAL untuk pelapor."
    )
    return services.complaint_publish(complaint=c, actor=officer, public_text=public_text)


def board(client: Any, site: Any, **params: str) -> str:
    response = client.get(reverse("complaints:board", args=[site.code]), params)
    assert response.status_code == 200
    return response.content.decode()


def test_published_answers_are_public_and_escaped(client, site, oral, officer, official, inmate):
    published(oral, officer, official, f"Menu diperbaiki. {SCRIPT}", text=f"Isi {SCRIPT} asli")
    unpublished = oral(text="Belum dijawab sama sekali").complaint
    page = board(client, site)
    assert "Menu diperbaiki." in page
    assert "&lt;script&gt;alert(&#x27;papan&#x27;)&lt;/script&gt;" in page
    assert SCRIPT not in page
    for hidden in ("RAHASIA-INTERNAL", "Isi &lt;script", inmate.full_name, unpublished.number):
        assert hidden not in page


def test_newest_first_search_and_category_filter(
    client, site, oral, officer, official, categories, monkeypatch
):
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 3, 2, 3, tzinfo=dt.UTC))
    food = published(oral, officer, official, "Porsi nasi ditambah.")
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 3, 9, 3, tzinfo=dt.UTC))
    health = published(
        oral, officer, official, "Dokter jaga setiap malam.", category=categories["kesehatan"]
    )
    page = board(client, site)
    assert page.index(health.number) < page.index(food.number)
    assert "0 hari kerja" in page  # received and answered the same day
    found = board(client, site, q="dokter")
    assert health.number in found and food.number not in found
    by_category = board(client, site, kategori="makanan")
    assert food.number in by_category and health.number not in by_category
    assert (
        client.get(reverse("complaints:board", args=[site.code]), {"kategori": "x"}).status_code
        == 404
    )


def test_another_sites_board_does_not_show_this_sites_answers(
    client, site, other_site, oral, officer, official
):
    c = published(oral, officer, official, "Air bersih lancar.")
    assert c.number not in board(client, other_site)
    assert client.get(reverse("complaints:board", args=["NOPE"])).status_code == 404


def test_board_index_lists_sites_or_goes_to_the_only_one(client, site, other_site):
    page = client.get(reverse("complaints:board_index")).content.decode()
    assert site.name in page and other_site.name in page
    other_site.is_active = False
    other_site.save(update_fields=["is_active"])
    response = client.get(reverse("complaints:board_index"))
    assert response.status_code == 302
    assert response.url == reverse("complaints:board", args=[site.code])

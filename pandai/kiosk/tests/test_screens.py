"""The kiosk screens show the signed-in person's own figures: saldo and a receipt, complaints
(new, anonymous leaves no identity, rate limit, tracking by code), the board, pre-orders."""

from __future__ import annotations

import re

import pytest

from pandai.complaints import services as complaint_services
from pandai.complaints.models import Complaint, Identity, Status
from pandai.complaints.tests.test_anonymous import _snapshot
from pandai.core import services as core_services
from pandai.kiosk import limits
from pandai.kiosk.tests.conftest import PIN, UID, sign_in
from pandai.shop.models import PreOrder
from pandai.shop.services.checkout import CartLine, checkout
from pandai.shop.tests.factories import ProductFactory, fund
from pandai.wallet import selectors as wallet_selectors

pytestmark = pytest.mark.django_db


def _figure(html: str, name: str) -> str:
    found = re.search(rf'data-figure="{name}">([^<]*)<', html)
    assert found, name
    return found.group(1).replace("\xa0", " ")


def test_saldo_shows_this_persons_figures_and_a_receipt(
    signed_in, holder, other_holder, site, admin
):
    fund(holder, 120_000)
    fund(other_holder, 777_000)
    soap = ProductFactory(site=site, name="Sabun Mandi", price_rp=4_500, stock=10)
    pos, _token = core_services.device_register(site=site, kind="pos", name="Kasir", actor=admin)
    sale = checkout(
        site=site,
        card_uid=UID,
        pin=PIN,
        lines=[CartLine(soap.pk, 2)],
        idempotency_key="kiosk-test-sale",
        cashier=admin,
        terminal=pos,
        shift=None,
    ).sale
    html = signed_in.get("/kios/saldo/").content.decode()
    balances = wallet_selectors.balances(inmate=holder)
    assert balances.available_rp == 111_000
    assert _figure(html, "available") == "Rp111.000"
    assert _figure(html, "savings") == "Rp0"
    assert "777.000" not in html
    assert "Belanja koperasi" in html and "Titipan tunai di loket" in html
    movement = re.search(r'href="/kios/saldo/(\d+)/"', html)
    assert movement
    receipt = signed_in.get(f"/kios/saldo/{movement.group(1)}/").content.decode()
    assert sale.number in receipt and "Sabun Mandi" in receipt and "Rp9.000" in receipt


def test_new_named_complaint_shows_number_and_code_once(signed_in, holder):
    response = signed_in.post(
        "/kios/pengaduan/baru/",
        {"kind": "complaint", "category": "makanan", "identity": "named", "text": "Nasi basi."},
    )
    assert response.status_code == 302
    page = signed_in.get(response.url).content.decode()
    c = Complaint.objects.get()
    assert c.inmate == holder and c.channel == "kiosk"
    assert c.number in page
    code = re.search(r"data-followup-code>([^<]+)<", page)
    assert code and complaint_services.followup_code_check(complaint=c, code=code.group(1))
    # Shown once: the session no longer holds it.
    assert signed_in.get(response.url).status_code == 302
    mine = signed_in.get("/kios/pengaduan/").content.decode()
    assert c.number in mine and "Diterima" in mine
    assert c.number in signed_in.get(f"/kios/pengaduan/{c.pk}/").content.decode()


def test_bad_complaint_changes_nothing(signed_in):
    response = signed_in.post(
        "/kios/pengaduan/baru/",
        {"kind": "complaint", "category": "tidak-ada", "identity": "named", "text": ""},
    )
    assert response.status_code == 400
    assert Complaint.objects.count() == 0


def test_anonymous_complaint_from_the_kiosk_leaves_no_identity(signed_in, holder, site):
    complaint_services.categories_ensure(site=site)
    before = _snapshot(holder, UID)
    response = signed_in.post(
        "/kios/pengaduan/baru/",
        {
            "kind": "misconduct",
            "category": "petugas",
            "identity": "anonymous",
            "text": "Ada pungli saat kunjungan.",
        },
    )
    assert response.status_code == 302
    page = signed_in.get(response.url).content.decode()
    c = Complaint.objects.get()
    assert c.number in page and c.identity == Identity.ANONYMOUS
    assert c.inmate_id is None and c.device_id is None
    signed_in.post("/kios/keluar/")
    assert _snapshot(holder, UID) == before
    # Not among "my complaints" of the person either.
    sign_in(signed_in)
    assert c.number not in signed_in.get("/kios/pengaduan/").content.decode()


def test_complaints_are_rate_limited_per_person(signed_in):
    data = {"kind": "aspiration", "category": "makanan", "identity": "named", "text": "Usul."}
    for _ in range(limits.COMPLAINTS.max_count):
        assert signed_in.post("/kios/pengaduan/baru/", data).status_code == 302
    response = signed_in.post("/kios/pengaduan/baru/", data)
    assert response.status_code == 400 and "Tunggu" in response.content.decode()
    assert Complaint.objects.count() == limits.COMPLAINTS.max_count


def test_track_by_code_without_sign_in_then_rate_and_reopen(kiosk_client, site, staff):
    officer = staff("complaint_officer", username="petugas-aduan")
    complaint_services.categories_ensure(site=site)
    from pandai.complaints.models import Category

    receipt = complaint_services.complaint_submit_oral(
        site=site,
        actor=officer,
        kind="complaint",
        category=Category.objects.get(site=site, code="makanan"),
        identity=Identity.ANONYMOUS,
        text="Lauk kurang.",
    )
    c = complaint_services.complaint_assign(
        complaint=receipt.complaint, actor=officer, assignee=officer, instruction="Cek."
    )
    complaint_services.complaint_answer(complaint=c, actor=officer, text="Porsi lauk ditambah.")
    wrong = kiosk_client.post("/kios/lacak/", {"number": c.number, "code": "AAAA-AAAA"})
    assert wrong.status_code == 400 and "tidak cocok" in wrong.content.decode()
    right = kiosk_client.post(
        "/kios/lacak/", {"number": c.number, "code": receipt.followup_code.lower()}
    )
    assert right.status_code == 302
    page = kiosk_client.get("/kios/lacak/hasil/").content.decode()
    assert "Porsi lauk ditambah." in page and "Kirim penilaian" in page
    kiosk_client.post("/kios/lacak/nilai/", {"rating": "partly"})
    c.refresh_from_db()
    assert c.rating == "partly"
    kiosk_client.post("/kios/lacak/buka/", {"reason": "Masih kurang."})
    c.refresh_from_db()
    assert c.status == Status.REOPENED
    kiosk_client.post("/kios/lacak/selesai/")
    assert kiosk_client.get("/kios/lacak/hasil/").status_code == 302


def test_the_board_shows_published_answers_by_category(kiosk_client, site, staff):
    officer = staff("complaint_officer", "head", username="petugas-papan")
    complaint_services.categories_ensure(site=site)
    from pandai.complaints.models import Category

    cats = {c.code: c for c in Category.objects.filter(site=site)}
    for code, answer in (("makanan", "Menu diganti."), ("kesehatan", "Dokter datang Senin.")):
        r = complaint_services.complaint_submit_oral(
            site=site, actor=officer, kind="complaint", category=cats[code],
            identity=Identity.ANONYMOUS, text=f"Soal {code}.",
        )  # fmt: skip
        c = complaint_services.complaint_assign(
            complaint=r.complaint, actor=officer, assignee=officer, instruction="Cek."
        )
        c = complaint_services.complaint_answer(complaint=c, actor=officer, text=answer)
        complaint_services.complaint_publish(complaint=c, actor=officer, public_text=answer)
    page = kiosk_client.get("/kios/papan/").content.decode()
    assert "Menu diganti." in page and "Dokter datang Senin." in page
    page = kiosk_client.get("/kios/papan/?kategori=kesehatan").content.decode()
    assert "Dokter datang Senin." in page and "Menu diganti." not in page
    assert "Soal makanan" not in kiosk_client.get("/kios/papan/?q=menu").content.decode()


def test_pre_order_holds_money_and_cancel_frees_it(signed_in, holder, site):
    fund(holder, 50_000)
    noodles = ProductFactory(site=site, name="Mi Instan", price_rp=3_500, stock=20)
    noodles.limit_per_day = 3
    noodles.save(update_fields=["limit_per_day"])
    page = signed_in.get("/kios/belanja/").content.decode()
    assert "Mi Instan" in page and "Rp3.500" in page and "Maks. 3 per hari" in page
    for _ in range(2):
        signed_in.post("/kios/belanja/keranjang/", {"product": noodles.pk, "delta": 1})
    assert "Rp7.000" in signed_in.get("/kios/belanja/").content.decode()
    wrong = signed_in.post("/kios/belanja/pesan/", {"pin": "000000"}, follow=True)
    assert "PIN salah" in wrong.content.decode() and PreOrder.objects.count() == 0
    done = signed_in.post("/kios/belanja/pesan/", {"pin": PIN}, follow=True)
    order = PreOrder.objects.get()
    assert order.inmate == holder and order.total_rp == 7_000
    assert order.number in done.content.decode()
    assert wallet_selectors.balances(inmate=holder).available_rp == 43_000
    saldo = signed_in.get("/kios/saldo/").content.decode()
    assert _figure(saldo, "pending") == "Rp7.000"
    signed_in.post(f"/kios/belanja/pesanan/{order.pk}/batal/")
    order.refresh_from_db()
    assert order.status == "cancelled"
    assert wallet_selectors.balances(inmate=holder).available_rp == 50_000
    # Over the product's daily limit: refused, nothing held.
    for _ in range(4):
        signed_in.post("/kios/belanja/keranjang/", {"product": noodles.pk, "delta": 1})
    refused = signed_in.post("/kios/belanja/pesan/", {"pin": PIN}, follow=True)
    assert PreOrder.objects.count() == 1
    assert wallet_selectors.balances(inmate=holder).available_rp == 50_000
    assert refused.status_code == 200


def test_programmes_show_my_places_sessions_and_attendance(
    signed_in, holder, other_holder, site, admin
):
    from pandai.programs.services import enrolment_add
    from pandai.programs.services.attendance import attendance_tap
    from pandai.programs.tests.factories import make_programme, session_on

    kitchen = make_programme(site=site, actor=admin, name="Dapur Bersama")
    sewing = make_programme(site=site, actor=admin, name="Menjahit Lanjutan")
    enrolment_add(programme=kitchen, inmate=holder, actor=admin)
    enrolment_add(programme=sewing, inmate=other_holder, actor=admin)
    session = session_on(kitchen)
    attendance_tap(session=session, raw=UID, actor=admin)
    page = signed_in.get("/kios/pembinaan/").content.decode()
    assert "Dapur Bersama" in page and "Menjahit Lanjutan" not in page
    assert "Hadir" in page
    assert "Pembinaan" in signed_in.get("/kios/").content.decode()

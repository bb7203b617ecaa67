"""Browser (Chromium), at 1080x1920 (portrait) and 1366x768 (landscape): track an anonymous
complaint by its number and code without signing in, read the answer and rate it; sign in and
read the rules and announcements; at a sosialisasi, upvote a question (a second tap from a
screen left open is refused) and ask one with the on-screen keyboard; place a pre-order with
the PIN and see the money held on the Saldo screen.

Screenshots of each screen are saved under test-artifacts/kiosk/ (the README names it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from pandai.complaints import services as complaint_services
from pandai.complaints.models import Category, Complaint, Identity
from pandai.core import services as core_services
from pandai.core.calendar import site_today
from pandai.inmates.tests.factories import InmateFactory
from pandai.kiosk.tests.test_browser_kiosk import (
    LANDSCAPE,
    PIN,
    PORTRAIT,
    _kiosk_page,
    pair,
    shot,
    tap_and_pin,
)
from pandai.shop.models import PreOrder
from pandai.shop.tests.factories import ProductFactory, card_with_pin, fund
from pandai.townhall import services as townhall
from pandai.townhall.models import Question, Vote
from pandai.wallet import clock

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

UID = "04A1B2C3D4E5F6"  # the card tap_and_pin types


@pytest.fixture(params=["portrait", "landscape"])
def kiosk(request: Any, browser: Any, page_problems: Any) -> Iterator[tuple[str, Page]]:
    viewport = PORTRAIT if request.param == "portrait" else LANDSCAPE
    for tab in _kiosk_page(browser, page_problems, viewport):
        yield request.param, tab


@pytest.fixture
def world(site: Any, staff: Any) -> dict[str, Any]:
    admin = staff("admin", username="kiosk-admin")
    head = staff("head", "complaint_officer", username="karutan")
    _device, token = core_services.device_register(
        site=site, kind="kiosk", name="Kios Blok A", actor=admin
    )
    inmate = InmateFactory(site=site, full_name="Budi Santoso")
    card_with_pin(inmate, UID, PIN, admin)
    fund(inmate, 125_000)
    ProductFactory(site=site, name="Kopi Sachet", price_rp=2_500, stock=30)
    # An anonymous complaint from the box, answered in writing.
    complaint_services.categories_ensure(site=site)
    receipt = complaint_services.complaint_submit_oral(
        site=site, actor=head, kind="complaint",
        category=Category.objects.get(site=site, code="makanan"),
        identity=Identity.ANONYMOUS, text="Lauk sering kurang.",
    )  # fmt: skip
    c = complaint_services.complaint_assign(
        complaint=receipt.complaint, actor=head, assignee=head, instruction="Cek dapur."
    )
    complaint_services.complaint_answer(
        complaint=c, actor=head, text="Porsi lauk ditambah mulai Senin."
    )
    # The town hall: a rule coming, one in force, an announcement, a session with a question.
    today = site_today(site)
    townhall.policy_create(
        site=site, actor=head,
        data=townhall.PolicyInput(
            title="Kartu Pandai pengganti uang tunai", text="Koperasi hanya menerima kartu.",
            effective_date=today + dt.timedelta(days=14), decided_by="Kepala Rutan",
        ),
    )  # fmt: skip
    townhall.announcement_create(
        site=site, actor=head,
        data=townhall.AnnouncementInput(
            title="Koperasi tutup hari Jumat", text="Stok opname. Buka lagi Sabtu.",
            publish_from=today,
        ),
    )  # fmt: skip
    session = townhall.session_create(
        site=site, actor=head,
        data=townhall.SessionInput(
            title="Sosialisasi Kartu Pandai", place="Aula Hanoman",
            starts_at=clock.now() + dt.timedelta(days=3),
        ),
    )  # fmt: skip
    asker = InmateFactory(site=site)
    q = townhall.question_submit(
        session=session, inmate=asker, text="Apakah harga koperasi sama dengan di luar?"
    )
    townhall.question_publish(question=q, actor=head)
    return {
        "token": token,
        "inmate": inmate,
        "number": receipt.complaint.number,
        "code": receipt.followup_code,
        "session": session,
        "question": q,
    }


def test_kiosk_track_rules_sosialisasi_and_preorder(  # type: ignore[no-untyped-def]
    kiosk, live_server, world
):
    size, page = kiosk
    pair(page, live_server.url, world["token"])

    # Track by number + code, without signing in; read the answer and rate it.
    page.get_by_role("link", name="Lacak pengaduan dengan kode").click()
    page.get_by_label("Nomor pengaduan").fill(world["number"])
    page.get_by_label("Kode tindak lanjut").fill(world["code"])
    shot(page, f"21-lacak-{size}")
    page.get_by_role("button", name="Lihat").click()
    expect(page.locator("#answer")).to_have_text("Porsi lauk ditambah mulai Senin.")
    shot(page, f"22-lacak-jawaban-{size}")
    page.locator(".k-choice", has=page.locator('input[value="satisfied"]')).click()
    page.get_by_role("button", name="Kirim penilaian").click()
    expect(page.locator(".k-msg-success")).to_contain_text("penilaian Anda sudah dicatat")
    assert Complaint.objects.get(number=world["number"]).rating == "satisfied"
    page.get_by_role("button", name="Selesai").click()
    expect(page.locator("#k-say")).to_contain_text("Tempelkan Kartu Pandai")

    # Rules and announcements, with the coming session among the announcements.
    tap_and_pin(page)
    page.get_by_role("link", name="Aturan & pengumuman").click()
    day = (site_today(world["session"].site) + dt.timedelta(days=14)).strftime("%d-%m-%Y")
    expect(page.locator('[data-policies="coming"]')).to_contain_text(f"Berlaku mulai {day}")
    expect(page.locator("[data-announcements]")).to_contain_text("Koperasi tutup hari Jumat")
    expect(page.locator("[data-session-notice]")).to_contain_text("tempat Aula Hanoman")
    shot(page, f"23-aturan-pengumuman-{size}")

    # Sosialisasi: upvote, then the same tap from a screen left open is refused.
    page.locator("[data-session-notice]").click()
    expect(page.locator("#k-say")).to_contain_text("Sosialisasi Kartu Pandai")
    stale = page.context.new_page()
    stale.goto(page.url)
    question = page.locator(f'[data-question="{world["question"].pk}"]')
    expect(question.locator("[data-votes]")).to_have_text("0 dukungan")
    shot(page, f"24-sosialisasi-{size}")
    question.get_by_role("button", name="Dukung").click()
    expect(question.locator("[data-voted]")).to_contain_text("Sudah Anda dukung")
    expect(question.locator("[data-votes]")).to_have_text("1 dukungan")
    shot(page, f"25-sosialisasi-didukung-{size}")
    stale.locator(f'[data-question="{world["question"].pk}"]').get_by_role(
        "button", name="Dukung"
    ).click()
    expect(stale.locator(".k-msg-error")).to_contain_text("sudah memilih pertanyaan ini")
    stale.close()
    assert Vote.objects.filter(question=world["question"]).count() == 1

    # Ask a question with the on-screen keyboard.
    page.locator("#id_question").click()
    keyboard = page.locator('[data-osk-for="id_question"]')
    expect(keyboard).to_be_visible()
    for key in "KAPAN MULAI?":
        keyboard.get_by_role("button", name="␣" if key == " " else key, exact=True).click()
    expect(page.locator("#id_question")).to_have_value("Kapan mulai?")
    shot(page, f"26-sosialisasi-tanya-{size}")
    page.get_by_role("button", name="Kirim pertanyaan").click()
    expect(page.locator(".k-msg-success")).to_contain_text("Pertanyaan Anda terkirim")
    expect(page.locator('[data-my-question="pending"]')).to_contain_text("Menunggu moderasi")
    mine = Question.objects.get(inmate=world["inmate"])
    assert mine.text == "Kapan mulai?" and mine.status == "pending"

    # A pre-order with the PIN; the money is held, as the Saldo screen shows.
    page.get_by_role("link", name="Kembali").click()
    page.get_by_role("link", name="Menu").click()
    page.get_by_role("link", name="Belanja").click()
    page.get_by_role("button", name="Tambah Kopi Sachet").click()
    page.get_by_role("button", name="Tambah Kopi Sachet").click()
    expect(page.locator("[data-basket-total]")).to_have_text("Rp5.000")
    for digit in PIN:
        page.locator(f'.k-basket .k-pad [data-key="{digit}"]').click()
    shot(page, f"27-belanja-keranjang-{size}")
    page.locator(".k-basket .k-btn.k-primary").click()
    order = PreOrder.objects.get(inmate=world["inmate"])
    expect(page.locator(".k-msg-success")).to_contain_text(f"Pesanan {order.number} diterima")
    shot(page, f"28-pesanan-{size}")
    page.get_by_role("link", name="Belanja").click()
    page.get_by_role("link", name="Menu").click()
    page.get_by_role("link", name="Saldo").click()
    expect(page.locator('[data-figure="pending"]')).to_have_text("Rp5.000")
    expect(page.locator('[data-figure="available"]')).to_have_text("Rp120.000")
    shot(page, f"29-saldo-ditahan-{size}")
    page.get_by_role("button", name="Keluar").click()
    expect(page.locator("#k-say")).to_contain_text("Tempelkan Kartu Pandai")

"""Browser: an officer records a box opening with 3 slips, disposes one, the official answers it
and the officer publishes it to the board."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from pandai.complaints.models import Complaint, Status

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def enter_slip(page: Page, text: str, inmate_reg: str = "") -> None:
    page.get_by_label(re.compile(r"^Jenis:?$")).select_option("complaint")
    page.get_by_label(re.compile(r"^Kategori:?$")).select_option(label="Makanan")
    if inmate_reg:
        page.get_by_label("Dirahasiakan").check()
        page.get_by_label(re.compile("WBP pelapor")).fill(inmate_reg)
    else:
        page.get_by_label("Anonim").check()
    page.get_by_label(re.compile("Isi pengaduan")).fill(text)
    page.get_by_test_id("slip-submit").click()
    expect(page.get_by_test_id("receipt-code")).to_be_visible()
    page.locator("#receipt-done").click()


def test_box_opening_three_slips_assign_answer_publish(  # type: ignore[no-untyped-def]
    page, page_problems, live_server, login, staff, inmate, categories
):
    officer = staff("complaint_officer", username="pengaduan1")
    witness = staff("complaint_officer", username="pengaduan2")
    official = staff("official", username="kasubsi")
    official.full_name = "Kasubsi Perawatan"
    official.save(update_fields=["full_name"])

    login(page, officer)
    page.goto(f"{live_server.url}/pengaduan/")
    page.locator("#action-opening").click()
    page.get_by_label("Lokasi kotak").fill("Depan Blok A")
    page.get_by_label("Petugas 2").select_option(str(witness.pk))
    page.get_by_label("Jumlah lembar ditemukan").fill("3")
    page.get_by_test_id("form-submit").click()
    expect(page.get_by_test_id("slip-progress")).to_contain_text("3 / 0")

    enter_slip(page, "Nasi basi di Blok A.", inmate.reg_no)
    enter_slip(page, "Air kamar mandi mati.")
    enter_slip(page, "<b>Lauk</b> kurang.")
    expect(page.get_by_test_id("slip-progress")).to_contain_text("3 / 3")
    first = Complaint.objects.get(slip_no=1)

    page.goto(f"{live_server.url}/pengaduan/{first.pk}/")
    expect(page.get_by_test_id("identity")).not_to_contain_text(inmate.full_name)
    form = page.locator("#form-assign")
    form.get_by_label("Pejabat").select_option(str(official.pk))
    form.get_by_label("Instruksi").fill("Periksa dapur malam ini.")
    page.get_by_test_id("assign-submit").click()
    expect(page.get_by_test_id("status")).to_have_text("Didisposisikan")

    page.context.clear_cookies()
    login(page, official)
    page.goto(f"{live_server.url}/pengaduan/?q=mine")
    page.get_by_role("link", name=first.number).click()
    answer = page.locator("#form-answer")
    answer.get_by_label("Jawaban tertulis").fill("Dapur sudah diperiksa; menu malam diganti.")
    page.get_by_test_id("answer-submit").click()
    expect(page.get_by_test_id("status")).to_have_text("Dijawab")

    page.context.clear_cookies()
    login(page, officer)
    page.goto(f"{live_server.url}/pengaduan/{first.pk}/")
    # A text that names a cell is refused (the form comes back with 400 and its error).
    page_problems.allow("status of 400")
    page.locator("#form-publish textarea").fill("Kamar 12 sudah diperbaiki.")
    page.get_by_test_id("publish-submit").click()
    expect(page.locator(".errorlist, .msg-error").first).to_be_visible()
    page.locator("#form-publish textarea").fill("Menu makan malam kini diperiksa setiap hari.")
    page.get_by_test_id("publish-submit").click()
    expect(page.get_by_test_id("published")).to_be_visible()
    first.refresh_from_db()
    assert first.status == Status.ANSWERED and first.published_at is not None
    assert Complaint.objects.filter(opening=first.opening).count() == 3

"""The programmes screens through the test client: catalogue, enrolment, the attendance screen
(tap by HTMX and without JavaScript, roster), premi review and post, records and exports."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from pandai.core.calendar import site_today
from pandai.inmates.tests.factories import InmateFactory
from pandai.programs import services
from pandai.programs.models import Attendance, Enrolment, PayoutRun, Programme
from pandai.programs.sdp_export import COLUMNS
from pandai.programs.tests.factories import FIELDS, card_holder, make_programme, session_on
from pandai.wallet import selectors as wallet_selectors
from pandai.wallet.models import Transfer

pytestmark = pytest.mark.django_db
UID = "04CC00000000AA"


@pytest.fixture
def officer(staff):
    return staff("program_officer")


@pytest.fixture
def client_in(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def kitchen(site, officer):
    programme = make_programme(site=site, actor=officer)
    services.rate_set(
        programme=programme,
        basis="session",
        amount_rp=15_000,
        valid_from=site_today(site) - dt.timedelta(days=30),
        actor=officer,
    )
    return programme


@pytest.fixture
def member(site, officer, kitchen):
    inmate = card_holder(site=site, actor=officer, uid=UID, full_name="Budi Santoso")
    services.enrolment_add(programme=kitchen, inmate=inmate, actor=officer)
    return inmate


def test_create_a_programme_and_see_it_listed(client_in):
    data = {**FIELDS, "name": "Bengkel las", "subtype": "workshop", "capacity": "8"}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    response = client_in.post(reverse("programs:programme_create"), data)
    programme = Programme.objects.get(name="Bengkel las")
    assert response.status_code == 302
    assert response.url == reverse("programs:programme_detail", kwargs={"pk": programme.pk})
    page = client_in.get(reverse("programs:programme_list"))
    assert "Bengkel las" in page.content.decode()


def test_a_subtype_of_the_other_kind_is_refused_and_nothing_is_made(client_in):
    data = {**FIELDS, "kind": "kepribadian", "subtype": "kitchen", "capacity": "8"}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    response = client_in.post(reverse("programs:programme_create"), data)
    assert response.status_code == 200 and "Bidang tidak sesuai" in response.content.decode()
    assert not Programme.objects.exists()


def test_detail_enrol_search_and_remove(client_in, site, kitchen, member):
    other = InmateFactory(site=site, full_name="Joko Widagdo")
    page = client_in.get(
        reverse("programs:programme_enrol", kwargs={"pk": kitchen.pk}), {"q": "Joko"}
    )
    assert "Joko Widagdo" in page.content.decode()
    client_in.post(
        reverse("programs:programme_enrol", kwargs={"pk": kitchen.pk}), {"inmate": other.pk}
    )
    assert Enrolment.objects.get(inmate=other).status == "active"
    enrolment = Enrolment.objects.get(inmate=other)
    url = reverse("programs:enrolment_remove", kwargs={"pk": enrolment.pk})
    client_in.post(url, {"reason": ""})
    enrolment.refresh_from_db()
    assert enrolment.status == "active"
    client_in.post(url, {"reason": "Dipindah ke dapur"})
    enrolment.refresh_from_db()
    assert enrolment.status == "removed"
    detail = client_in.get(reverse("programs:programme_detail", kwargs={"pk": kitchen.pk}))
    assert "Dipindah ke dapur" in detail.content.decode()


def test_tap_by_htmx_answers_with_the_result_and_the_fresh_counts(client_in, kitchen, member):
    session = session_on(kitchen)
    url = reverse("programs:session_tap", kwargs={"pk": session.pk})
    response = client_in.post(url, {"card": UID}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "Budi Santoso" in html and "hx-swap-oob" in html
    again = client_in.post(url, {"card": UID}, HTTP_HX_REQUEST="true").content.decode()
    assert "sudah tercatat hadir" in again
    assert Attendance.objects.filter(session=session).count() == 1
    # Without JavaScript: a redirect back to the screen with the message.
    plain = client_in.post(url, {"card": "04FFFFFFFFFFFF"})
    assert plain.status_code == 302
    page = client_in.get(plain.url).content.decode()
    assert "Kartu tidak dikenal" in page


def test_roster_form_saves_the_whole_list(client_in, site, officer, kitchen, member):
    second = InmateFactory(site=site)
    services.enrolment_add(programme=kitchen, inmate=second, actor=officer)
    session = session_on(kitchen, site_today(site) - dt.timedelta(days=1))
    page = client_in.get(reverse("programs:session_detail", kwargs={"pk": session.pk}))
    assert f'name="code-{member.pk}"' in page.content.decode()
    client_in.post(
        reverse("programs:session_roster", kwargs={"pk": session.pk}),
        {
            f"code-{member.pk}": "hadir",
            f"pieces-{member.pk}": "3",
            f"code-{second.pk}": "sakit",
            f"note-{second.pk}": "Klinik",
        },
    )
    got = dict(Attendance.objects.filter(session=session).values_list("inmate_id", "code"))
    assert got == {member.pk: "hadir", second.pk: "sakit"}
    # A forged field changes nothing.
    client_in.post(
        reverse("programs:session_roster", kwargs={"pk": session.pk}),
        {f"code-{member.pk}": "menolak", f"pieces-{member.pk}": "x"},
    )
    assert Attendance.objects.get(session=session, inmate=member).code == "hadir"


def test_payout_review_and_post_twice_through_the_screens(client_in, site, kitchen, member):
    session = session_on(kitchen)
    services.attendance_tap(session=session, raw=UID, actor=kitchen.created_by)
    today = site_today(site)
    response = client_in.post(
        reverse("programs:programme_payout_create", kwargs={"pk": kitchen.pk}),
        {"period_start": today.isoformat(), "period_end": today.isoformat()},
    )
    run = PayoutRun.objects.get()
    assert response.url == reverse("programs:payout_detail", kwargs={"pk": run.pk})
    page = client_in.get(response.url).content.decode()
    assert "Rp15.000" in page.replace("\xa0", "")
    post_url = reverse("programs:payout_post", kwargs={"pk": run.pk})
    client_in.post(post_url, {"confirm": "yes"})  # not reviewed yet: refused
    assert Transfer.objects.count() == 0
    client_in.post(reverse("programs:payout_review", kwargs={"pk": run.pk}))
    client_in.post(post_url, {"confirm": "yes"})
    client_in.post(post_url, {"confirm": "yes"})
    money = wallet_selectors.balances(inmate=member)
    assert money.spendable_rp + money.savings_rp == 15_000 and money.savings_rp == 3_000
    run.refresh_from_db()
    assert run.status == "posted"


def test_participation_page_pdf_and_csv(client_in, site, kitchen, member):
    session = session_on(kitchen)
    services.attendance_tap(session=session, raw=UID, actor=kitchen.created_by)
    url = reverse("programs:participation", kwargs={"pk": member.pk})
    assert "Dapur" in client_in.get(url).content.decode()
    pdf = client_in.get(reverse("programs:participation_pdf", kwargs={"pk": member.pk}))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    data = client_in.get(reverse("programs:participation_csv", kwargs={"pk": member.pk}))
    rows = list(csv.DictReader(io.StringIO(data.content.decode("utf-8"))))
    assert rows[0]["no_registrasi"] == member.reg_no and rows[0]["hadir"] == "1"
    assert (
        rows[0]["tingkat_kehadiran_persen"] == "100.0" and rows[0]["status_kepesertaan"] == "aktif"
    )


def test_sdp_export_has_the_documented_columns_and_defuses_formulas(
    client_in, site, officer, kitchen
):
    sneaky = InmateFactory(site=site, full_name="=HYPERLINK(1)")
    services.enrolment_add(programme=kitchen, inmate=sneaky, actor=officer)
    response = client_in.get(reverse("programs:sdp_export"))
    text = response.content.decode("utf-8")
    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    assert tuple(header) == COLUMNS
    (row,) = list(reader)
    assert row[header.index("nama")] == "'=HYPERLINK(1)" and row[0] == site.code


def test_session_list_query_count_does_not_grow_with_sessions(
    client_in, site, kitchen, django_assert_max_num_queries
):
    for n in range(6):
        session_on(kitchen, site_today(site) + dt.timedelta(days=n))
    with django_assert_max_num_queries(12):
        client_in.get(reverse("programs:session_list"))

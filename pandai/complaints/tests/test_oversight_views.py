"""Follow-up screens of a complaint: external escalations, the rating recorded by an officer,
money links to the complainant's transfers and sales (and the dispute shown on the other
side only to those who may know the complainant)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from pandai.complaints import services
from pandai.complaints.models import (
    ComplaintHistory,
    Escalation,
    EscalationBody,
    Identity,
    MoneyLink,
    Rating,
)
from pandai.complaints.services.money_links import disputes_for_sale, disputes_for_transfer
from pandai.inmates.tests.factories import InmateFactory
from pandai.shop.services.checkout import CartLine, checkout
from pandai.shop.services.shifts import shift_open
from pandai.shop.tests.factories import ProductFactory, card_with_pin, fund, pos_terminal
from pandai.wallet.models import Transfer

pytestmark = pytest.mark.django_db


def answered(c: Any, officer: Any, official: Any) -> Any:
    c = services.complaint_assign(complaint=c, actor=officer, assignee=official, instruction="x")
    return services.complaint_answer(complaint=c, actor=official, text="Sudah ditangani.")


def test_escalation_recorded_and_told_to_the_complainant(client, oral, officer):
    c = oral().complaint
    client.force_login(officer)
    url = reverse("complaints:escalations", args=[c.pk])
    response = client.post(
        url, {"body": EscalationBody.LAPOR, "reference": "LPR-2026-0042", "note": "via web"}
    )
    assert response.status_code == 302
    e = Escalation.objects.get(complaint=c)
    assert (e.body, e.reference, e.recorded_by) == (EscalationBody.LAPOR, "LPR-2026-0042", officer)
    public = ComplaintHistory.objects.get(complaint=c, action="escalate_external")
    assert public.public and "LPR-2026-0042" in public.note
    assert not ComplaintHistory.objects.get(complaint=c, action="escalate_note").public
    assert "LPR-2026-0042" in client.get(url).content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"body": EscalationBody.HEAD},
        {"body": EscalationBody.KANWIL, "sent_on": "2999-01-01"},
        {"body": EscalationBody.OMBUDSMAN, "sent_on": "2000-01-01"},
    ],
)
def test_bad_escalations_change_nothing(client, oral, officer, data):
    c = oral().complaint
    client.force_login(officer)
    before = ComplaintHistory.objects.filter(complaint=c).count()
    response = client.post(reverse("complaints:escalations", args=[c.pk]), data)
    assert response.status_code == 200
    assert not Escalation.objects.filter(complaint=c).exists()
    assert ComplaintHistory.objects.filter(complaint=c).count() == before


def test_officials_cannot_record_escalations(client, oral, official):
    c = oral().complaint
    client.force_login(official)
    assert client.get(reverse("complaints:escalations", args=[c.pk])).status_code == 403


def test_rating_recorded_by_the_assigned_official(client, oral, officer, official, staff):
    c = answered(oral().complaint, officer, official)
    url = reverse("complaints:rating", args=[c.pk])
    client.force_login(staff("official", username="pejabat-lain"))
    assert client.post(url, {"rating": Rating.SATISFIED}).status_code == 403
    client.force_login(official)
    response = client.post(url, {"rating": Rating.SATISFIED, "note": "Disampaikan di blok"})
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.rating == Rating.SATISFIED
    row = ComplaintHistory.objects.get(complaint=c, action="rate")
    assert row.actor == official and row.public and "Disampaikan" not in row.note


def test_rating_before_the_answer_is_refused(client, oral, officer):
    c = oral().complaint
    client.force_login(officer)
    response = client.post(reverse("complaints:rating", args=[c.pk]), {"rating": Rating.PARTLY})
    assert response.status_code == 200
    c.refresh_from_db()
    assert c.rating == ""


@pytest.fixture
def sale(site, inmate, head, staff):
    cashier = staff("cashier", username="kasir-uji")
    device, _token = pos_terminal(site, head)
    product = ProductFactory(site=site, name="Sabun", price_rp=4_000, stock=5)
    card_with_pin(inmate, "04DD11EE22FF33", "480213", head)
    fund(inmate, 30_000, actor=head)
    return checkout(
        site=site,
        card_uid="04DD11EE22FF33",
        pin="480213",
        lines=[CartLine(product.pk, 1)],
        idempotency_key="sengketa-1",
        cashier=cashier,
        terminal=device,
        shift=shift_open(terminal=device, cashier=cashier),
    ).sale


def test_link_a_sale_and_a_transfer_from_the_complainants_statement(
    client, oral, officer, sale, inmate, staff
):
    c = oral(identity=Identity.NAMED).complaint
    url = reverse("complaints:money_links", args=[c.pk])
    client.force_login(officer)
    page = client.get(url).content.decode()
    assert sale.number in page
    deposit = Transfer.objects.filter(credit_account__inmate=inmate, kind="deposit").get()
    assert client.post(url, {"sale": sale.pk, "note": "Sabun tidak diterima"}).status_code == 302
    assert client.post(url, {"transfer": deposit.pk}).status_code == 302
    assert MoneyLink.objects.filter(complaint=c).count() == 2
    page = client.get(url).content.decode()
    assert "Sabun tidak diterima" in page and "tertaut" in page
    # Twice the same: refused, nothing added.
    client.post(url, {"sale": sale.pk})
    assert MoneyLink.objects.filter(complaint=c).count() == 2
    # The other side: a complaint handler sees the dispute, a cashier does not.
    roles = frozenset({"complaint_officer"})
    assert [d.number for d in disputes_for_sale(sale=sale, user=officer, roles=roles)] == [c.number]
    assert disputes_for_transfer(transfer=deposit, user=officer, roles=roles)[0].number == c.number
    assert disputes_for_sale(sale=sale, user=staff("cashier"), roles=frozenset({"cashier"})) == []


def test_another_inmates_money_cannot_be_linked(client, oral, officer, site):
    other = InmateFactory(site=site)
    fund(other, 10_000)
    c = oral().complaint
    client.force_login(officer)
    theirs = Transfer.objects.get(credit_account__inmate=other)
    response = client.post(reverse("complaints:money_links", args=[c.pk]), {"transfer": theirs.pk})
    assert response.status_code == 302
    assert not MoneyLink.objects.exists()


def test_anonymous_items_have_no_statement_to_choose_from(client, oral, officer):
    c = oral(identity=Identity.ANONYMOUS).complaint
    client.force_login(officer)
    page = client.get(reverse("complaints:money_links", args=[c.pk])).content.decode()
    assert "anonim" in page


def test_a_confidential_complainants_statement_is_for_the_head_and_its_officer(
    client, oral, officer, official, head
):
    c = oral(identity=Identity.CONFIDENTIAL).complaint
    c = services.complaint_assign(complaint=c, actor=officer, assignee=official, instruction="x")
    url = reverse("complaints:money_links", args=[c.pk])
    client.force_login(official)
    assert client.get(url).status_code == 403
    client.force_login(head)
    from pandai.core.models import AuditEvent

    before = AuditEvent.objects.filter(action="complaint.identity_view").count()
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(action="complaint.identity_view").count() == before + 1


def test_dates_are_not_needed_to_record_today(client, oral, officer):
    c = oral().complaint
    client.force_login(officer)
    client.post(reverse("complaints:escalations", args=[c.pk]), {"body": EscalationBody.KANWIL})
    e = Escalation.objects.get(complaint=c)
    assert e.sent_on is not None and e.sent_on <= dt.date.today() + dt.timedelta(days=1)

"""Counter shifts: opening with a cash count (one open shift per counter and per officer),
closing with expected vs counted cash, differences recorded with a reason and proposed as a
drawer adjustment a second officer decides, and the printable shift report."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from pandai.wallet import counter, counter_deposits, services
from pandai.wallet.models import AdjustmentRequest, AdjustmentStatus
from pandai.wallet.models_counter import CashDifference, Counter, CounterShift
from pandai.wallet.tests.counter_fixtures import OPENING_CASH, everything, logged_in

pytestmark = pytest.mark.django_db


def close(client, shift, counted: str, reason: str = ""):
    url = reverse("wallet:shift_close", kwargs={"shift_pk": shift.pk})
    return client.post(url, {"counted_cash": counted, "reason": reason})


def drawer_balance(site) -> int:
    return services.counter_account(site=site, counter="LOKET-1").balance_rp


def test_an_officer_opens_a_shift_with_the_counted_opening_cash(
    site, officer, counter_desk, officer_client
):
    response = officer_client.post(
        reverse("wallet:shift_open"), {"counter": counter_desk.pk, "opening_cash": "Rp 150.000"}
    )

    shift = CounterShift.objects.get()
    assert response.status_code == 302
    assert (shift.officer, shift.counter, shift.opening_cash_rp) == (officer, counter_desk, 150_000)
    assert shift.is_open and shift.site == site
    home = officer_client.get(reverse("wallet:counter")).content.decode()
    assert 'data-testid="open-shift"' in home
    assert 'data-testid="expected-cash">Rp150.000<' in home


@pytest.mark.parametrize(
    ("opening", "message"),
    [("-1", "Jumlah harus lebih dari nol."), ("abc", "Tulis jumlah rupiah dengan angka saja")],
)
def test_a_bad_opening_cash_opens_nothing(counter_desk, officer_client, opening, message):
    response = officer_client.post(
        reverse("wallet:shift_open"), {"counter": counter_desk.pk, "opening_cash": opening}
    )
    assert message in response.content.decode()
    assert not CounterShift.objects.exists()


def test_one_open_shift_per_counter_and_per_officer(
    site, head, staff, officer, counter_desk, counter_shift
):
    other_officer = staff("counter_officer", username="loket2")
    second_desk = counter.counter_create(site=site, code="LOKET-2", name="Loket Blok", actor=head)

    with pytest.raises(counter.CounterError) as busy_counter:
        counter.shift_open(counter=counter_desk, officer=other_officer, opening_cash_rp=0)
    with pytest.raises(counter.CounterError) as busy_officer:
        counter.shift_open(counter=second_desk, officer=officer, opening_cash_rp=0)

    assert busy_counter.value.code == "counter_busy"
    assert busy_officer.value.code == "officer_busy"
    assert CounterShift.objects.count() == 1


def test_the_database_refuses_a_second_open_shift_on_a_counter(
    site, staff, counter_desk, counter_shift
):
    other_officer = staff("counter_officer", username="loket2")
    with pytest.raises(IntegrityError), transaction.atomic():
        CounterShift.objects.create(
            site=site,
            counter=counter_desk,
            officer=other_officer,
            opened_at=timezone.now(),
            opening_cash_rp=0,
        )


def test_an_inactive_counter_cannot_be_opened(site, head, officer):
    closed_desk = counter.counter_create(site=site, code="LOKET-9", name="Lama", actor=head)
    counter.counter_set_active(counter=closed_desk, active=False, actor=head)
    with pytest.raises(counter.CounterError):
        counter.shift_open(counter=closed_desk, officer=officer, opening_cash_rp=0)


def test_closing_with_the_expected_cash_records_no_difference(
    site, inmate, counter_shift, officer_client, take_deposit, ledger_ok
):
    take_deposit(inmate, 50_000)
    take_deposit(inmate, 25_000)
    expected = OPENING_CASH + 75_000

    response = close(officer_client, counter_shift, f"{expected:,}".replace(",", "."))

    shift = CounterShift.objects.get()
    assert response.status_code == 302
    assert not shift.is_open
    assert (shift.deposits_rp, shift.payouts_rp) == (75_000, 0)
    assert (shift.expected_cash_rp, shift.counted_cash_rp, shift.difference_rp) == (
        expected,
        expected,
        0,
    )
    assert not CashDifference.objects.exists()
    assert not AdjustmentRequest.objects.exists()
    report = officer_client.get(response.url).content.decode()
    assert 'data-testid="report-difference">Rp0<' in report
    ledger_ok()


def test_a_difference_without_a_reason_is_refused_and_the_shift_stays_open(
    inmate, counter_shift, officer_client, take_deposit
):
    take_deposit(inmate, 50_000)
    before = everything()

    response = close(officer_client, counter_shift, "240.000")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Tulis alasan selisih" in html
    assert "seharusnya Rp250.000" in html and "selisih -Rp10.000" in html
    assert everything() == before
    assert CounterShift.objects.get().is_open


def test_a_shortage_is_recorded_with_its_reason_and_proposed_as_an_adjustment(
    site, officer, inmate, counter_shift, officer_client, take_deposit
):
    take_deposit(inmate, 50_000)

    response = close(officer_client, counter_shift, "240.000", "Kembalian salah ke penyetor")

    shift = CounterShift.objects.get()
    difference = CashDifference.objects.get()
    assert (shift.expected_cash_rp, shift.counted_cash_rp, shift.difference_rp) == (
        250_000,
        240_000,
        -10_000,
    )
    assert (difference.shift, difference.amount_rp, difference.recorded_by) == (
        shift,
        -10_000,
        officer,
    )
    assert difference.reason == "Kembalian salah ke penyetor"
    request = difference.adjustment
    assert request.status == AdjustmentStatus.REQUESTED
    assert (request.credit, request.amount_rp, request.requested_by) == (True, 10_000, officer)
    assert request.account == services.counter_account(site=site, counter="LOKET-1")
    assert "Kembalian salah ke penyetor" in request.reason and "LOKET-1" in request.reason
    # Nothing is absorbed: the drawer's book still says what was taken in until approved.
    assert drawer_balance(site) == 50_000
    report = officer_client.get(response.url).content.decode()
    assert 'data-testid="report-counted">Rp240.000<' in report
    assert "-Rp10.000" in report
    assert 'data-testid="difference-reason">Kembalian salah ke penyetor<' in report
    assert "Menunggu persetujuan" in report


def test_a_surplus_is_proposed_as_a_debit_of_the_drawer(
    inmate, counter_shift, officer_client, take_deposit
):
    take_deposit(inmate, 50_000)
    close(officer_client, counter_shift, "255.000", "Uang penyetor tidak diambil kembaliannya")
    request = CashDifference.objects.get().adjustment
    assert (request.credit, request.amount_rp) == (False, 5_000)
    assert CashDifference.objects.get().amount_rp == 5_000


def test_a_second_officer_approves_the_shortage_and_the_drawer_book_follows(
    site, official, inmate, counter_shift, officer, officer_client, take_deposit, ledger_ok
):
    take_deposit(inmate, 50_000)
    close(officer_client, counter_shift, "240.000", "Uang robek, ditolak bank")
    difference = CashDifference.objects.get()
    decide = reverse("wallet:difference_decide", kwargs={"difference_pk": difference.pk})

    # The maker cannot decide (no right to approve); the checker can.
    assert officer_client.post(decide, {"decision": "approve"}).status_code == 403
    checker = logged_in(official)
    listing = checker.get(reverse("wallet:differences")).content.decode()
    assert "Uang robek, ditolak bank" in listing
    checker.post(decide, {"decision": "approve"})

    difference.adjustment.refresh_from_db()
    assert difference.adjustment.status == AdjustmentStatus.APPROVED
    assert difference.adjustment.decided_by == official
    assert drawer_balance(site) == 40_000
    ledger_ok()
    # Approving twice changes nothing more.
    checker.post(decide, {"decision": "approve"})
    assert drawer_balance(site) == 40_000


def test_the_maker_cannot_approve_even_holding_both_roles(staff, inmate, counter_desk):
    both = staff("counter_officer", "official", username="loket-kasubsi")
    shift = counter.shift_open(counter=counter_desk, officer=both, opening_cash_rp=0)
    counter_deposits.counter_deposit(
        shift=shift,
        inmate=inmate,
        amount_rp=10_000,
        depositor=counter_deposits.Depositor(
            name="Budi", nik="3316014507800002", relationship="ayah"
        ),
        form_key="k1",
        actor=both,
    )
    counter.shift_close(shift=shift, actor=both, counted_cash_rp=9_000, reason="hilang")
    difference = CashDifference.objects.get()
    client = logged_in(both)
    client.post(
        reverse("wallet:difference_decide", kwargs={"difference_pk": difference.pk}),
        {"decision": "approve"},
    )
    difference.adjustment.refresh_from_db()
    assert difference.adjustment.status == AdjustmentStatus.REQUESTED


def test_a_rejection_needs_a_reason_and_keeps_the_difference_on_record(
    official, inmate, counter_shift, officer_client, take_deposit
):
    take_deposit(inmate, 50_000)
    close(officer_client, counter_shift, "240.000", "belum ketemu")
    difference = CashDifference.objects.get()
    decide = reverse("wallet:difference_decide", kwargs={"difference_pk": difference.pk})
    checker = logged_in(official)

    checker.post(decide, {"decision": "reject", "reason": ""})
    difference.adjustment.refresh_from_db()
    assert difference.adjustment.status == AdjustmentStatus.REQUESTED
    checker.post(decide, {"decision": "reject", "reason": "Uang ditemukan di laci kedua"})
    difference.adjustment.refresh_from_db()
    assert difference.adjustment.status == AdjustmentStatus.REJECTED
    assert CashDifference.objects.filter(pk=difference.pk).exists()


def test_only_the_shifts_officer_closes_it(staff, counter_shift):
    other_officer = staff("counter_officer", username="loket2")
    client = logged_in(other_officer)
    before = everything()

    response = close(client, counter_shift, "200.000")
    with pytest.raises(counter.CounterError) as refused:
        counter.shift_close(shift=counter_shift, actor=other_officer, counted_cash_rp=OPENING_CASH)

    assert response.status_code == 302
    assert refused.value.code == "not_your_shift"
    assert everything() == before


def test_a_closed_shift_takes_no_more_deposits(inmate, counter_shift, officer, take_deposit):
    counter.shift_close(shift=counter_shift, actor=officer, counted_cash_rp=OPENING_CASH)
    before = everything()
    with pytest.raises(counter.CounterError) as refused:
        take_deposit(inmate, 10_000)
    assert refused.value.code == "shift_closed"
    assert everything() == before


def test_the_report_is_printable_and_lists_the_deposits(
    inmate, counter_shift, officer_client, take_deposit, auditor
):
    deposit = take_deposit(inmate, 30_000)
    url = reverse("wallet:shift_report", kwargs={"shift_pk": counter_shift.pk})

    html = officer_client.get(url).content.decode()

    assert 'data-print id="print"' in html
    assert deposit.receipt_no in html and inmate.full_name in html
    assert 'data-testid="report-expected">Rp230.000<' in html
    assert logged_in(auditor).get(url).status_code == 200


def test_another_sites_shift_is_forbidden(other_site, staff, counter_shift):
    stranger = logged_in(staff("counter_officer", "head", at=other_site, username="smg"))
    for name in ("wallet:shift_report", "wallet:shift_close"):
        assert stranger.get(reverse(name, kwargs={"shift_pk": counter_shift.pk})).status_code == 403


def test_an_auditor_cannot_open_or_close_a_shift(auditor, counter_desk, counter_shift):
    client = logged_in(auditor)
    before = everything()
    assert (
        client.post(reverse("wallet:shift_open"), {"counter": counter_desk.pk}).status_code == 403
    )
    assert close(client, counter_shift, "200.000").status_code == 403
    assert everything() == before


def test_the_head_adds_and_deactivates_counters(site, head):
    client = logged_in(head)
    client.post(reverse("wallet:counter_list"), {"code": "loket-3", "name": "Loket Kunjungan"})
    desk = Counter.objects.get(site=site, code="LOKET-3")
    assert desk.is_active
    client.post(reverse("wallet:counter_toggle", kwargs={"counter_pk": desk.pk}))
    desk.refresh_from_db()
    assert not desk.is_active
    refused = client.post(reverse("wallet:counter_list"), {"code": "LOKET 3!", "name": "x"})
    assert "Kode loket hanya huruf besar" in refused.content.decode()


def test_if_filing_the_adjustment_fails_the_report_offers_to_file_it_again(
    monkeypatch, inmate, counter_shift, officer_client, take_deposit
):
    take_deposit(inmate, 50_000)

    def broken(**kwargs):
        raise RuntimeError("database went away")

    with monkeypatch.context() as patched:
        patched.setattr(services, "adjustment_request", broken)
        with pytest.raises(RuntimeError):
            counter.shift_close(
                shift=counter_shift,
                actor=counter_shift.officer,
                counted_cash_rp=240_000,
                reason="hitung ulang besok",
            )

    # The close and the difference stand; only the request is missing, and it can be filed.
    difference = CashDifference.objects.get()
    assert not CounterShift.objects.get().is_open and difference.adjustment is None
    report = reverse("wallet:shift_report", kwargs={"shift_pk": counter_shift.pk})
    assert 'id="difference-file"' in officer_client.get(report).content.decode()
    file_again = reverse("wallet:difference_file", kwargs={"difference_pk": difference.pk})
    officer_client.post(file_again)
    officer_client.post(file_again)

    difference.refresh_from_db()
    assert difference.adjustment is not None
    assert (difference.adjustment.credit, difference.adjustment.amount_rp) == (True, 10_000)
    assert AdjustmentRequest.objects.count() == 1
    assert 'id="difference-file"' not in officer_client.get(report).content.decode()

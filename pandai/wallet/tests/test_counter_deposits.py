"""Counter deposits through the screens: the form, its one-key-per-render double-submit
guard, every refusal changing nothing, the cap's HELD part, the 80/58 mm receipt, finding the
inmate by card tap, and who may do what."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from pandai.core.money import format_rp
from pandai.inmates import services as inmate_services
from pandai.inmates.tests.factories import InmateFactory
from pandai.wallet import selectors, services
from pandai.wallet.models import Account, AccountKind, Batch, LedgerSettings, Transfer
from pandai.wallet.models_counter import Deposit
from pandai.wallet.tests.counter_fixtures import deposit_data, everything, logged_in

pytestmark = pytest.mark.django_db


def drawer_balance(site) -> int:
    return services.counter_account(site=site, counter="LOKET-1").balance_rp


def test_a_deposit_credits_the_inmate_debits_the_drawer_and_opens_the_receipt(
    site, inmate, officer, counter_shift, officer_client, post_deposit, ledger_ok
):
    response = post_deposit(officer_client, inmate, "Rp 75.000")

    deposit = Deposit.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("wallet:receipt", kwargs={"deposit_pk": deposit.pk})
    assert re.fullmatch(rf"TTP-BLR-{deposit.created_at.year}-000001", deposit.receipt_no)
    assert (deposit.amount_rp, deposit.held_rp, deposit.available_after_rp) == (75_000, 0, 75_000)
    assert (deposit.depositor_name, deposit.relationship) == ("Siti Aminah", "ibu")
    assert deposit.depositor_phone == "081234567890"
    assert deposit.shift == counter_shift and deposit.officer == officer
    assert selectors.balances(inmate=inmate).available_rp == 75_000
    assert drawer_balance(site) == 75_000
    ledger_ok()

    receipt = officer_client.get(response.url)
    html = receipt.content.decode()
    assert receipt.status_code == 200
    for text in (deposit.receipt_no, inmate.full_name, inmate.reg_no, officer.display_name):
        assert text in html
    assert 'data-testid="receipt-amount">Rp75.000<' in html
    assert 'data-testid="receipt-balance">Rp75.000<' in html
    assert "receipt-held" not in html


def test_the_same_form_submitted_twice_credits_once(
    inmate, counter_shift, officer_client, post_deposit
):
    key = "0b7c6f5e-3d2a-4c1b-9a8f-7e6d5c4b3a21"
    first = post_deposit(officer_client, inmate, "50.000", key=key)
    again = post_deposit(officer_client, inmate, "50.000", key=key)

    assert Deposit.objects.count() == 1
    assert Batch.objects.filter(idempotency_key__endswith=key).count() == 1
    assert Transfer.objects.filter(kind="deposit").count() == 1
    assert selectors.balances(inmate=inmate).available_rp == 50_000
    assert again.status_code == 302 and again.url == first.url
    page = officer_client.get(again.url)
    assert "tidak dicatat dua kali" in page.content.decode()


def test_each_render_of_the_form_carries_a_new_key(inmate, counter_shift, officer_client):
    url = reverse("wallet:deposit", kwargs={"pk": inmate.pk})
    keys = [
        re.search(r'name="key" value="([0-9a-f-]{36})"', officer_client.get(url).content.decode())[
            1
        ]
        for _ in range(2)
    ]
    assert keys[0] != keys[1]
    refused = officer_client.post(url, deposit_data("0", key=keys[0])).content.decode()
    assert keys[0] not in refused  # the corrected form is a new request


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"depositor_nik": "33160145078"}, "NIK penyetor harus 16 angka."),
        ({"depositor_nik": "33160145078000AB"}, "NIK penyetor harus 16 angka."),
        ({"amount": "0"}, "Jumlah harus lebih dari nol."),
        ({"amount": "-5.000"}, "Jumlah harus lebih dari nol."),
        ({"amount": "abc"}, "Tulis jumlah rupiah dengan angka saja"),
        ({"amount": "12.500,50"}, "Tulis jumlah rupiah dengan angka saja"),
        ({"amount": ""}, "Isi jumlahnya."),
        ({"depositor_name": "  "}, "Nama penyetor wajib diisi."),
        ({"relationship": "tetangga"}, "Pilih hubungan penyetor dengan WBP."),
        ({"depositor_phone": "12"}, "No. HP harus 9 sampai 15 angka."),
    ],
    ids=[
        "nik-short",
        "nik-letters",
        "zero",
        "negative",
        "abc",
        "fraction",
        "empty",
        "no-name",
        "relationship",
        "phone",
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_changes(
    inmate, counter_shift, officer_client, post_deposit, fields, message
):
    before = everything()
    amount = fields.pop("amount", "50.000")
    response = post_deposit(officer_client, inmate, amount, **fields)

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html.replace("&quot;", '"').replace("&#x27;", "'")
    assert everything() == before


def test_over_the_maximum_per_deposit_shows_the_services_message(
    site, inmate, counter_shift, officer_client, post_deposit
):
    LedgerSettings.objects.create(site=site, max_deposit_rp=500_000)
    before = everything()

    response = post_deposit(officer_client, inmate, "600.000")

    assert response.status_code == 200
    assert "Setoran melebihi batas per setoran Rp500.000." in response.content.decode()
    assert everything() == before


def test_more_deposits_a_day_than_allowed_are_refused(
    site, inmate, counter_shift, officer_client, post_deposit
):
    LedgerSettings.objects.create(site=site, max_deposits_per_day=2)
    post_deposit(officer_client, inmate, "10.000")
    post_deposit(officer_client, inmate, "10.000")
    before = everything()

    response = post_deposit(officer_client, inmate, "10.000")

    assert "sudah menerima 2 setoran hari ini" in response.content.decode()
    assert everything() == before
    assert selectors.balances(inmate=inmate).available_rp == 20_000


def test_money_over_the_cap_is_held_and_the_receipt_says_so(
    site, inmate, counter_shift, officer_client, post_deposit, take_deposit, ledger_ok
):
    take_deposit(inmate, 950_000)

    response = post_deposit(officer_client, inmate, "100.000")

    deposit = Deposit.objects.latest("pk")
    assert (deposit.amount_rp, deposit.held_rp, deposit.credited_rp) == (100_000, 50_000, 50_000)
    balances = selectors.balances(inmate=inmate)
    assert (balances.available_rp, balances.held_rp) == (1_000_000, 50_000)
    assert drawer_balance(site) == 1_050_000
    ledger_ok()
    html = officer_client.get(response.url).content.decode()
    assert 'data-testid="receipt-held">Rp50.000<' in html
    assert 'data-testid="receipt-credited">Rp50.000<' in html
    assert 'data-testid="receipt-balance">Rp1.000.000<' in html
    assert "melebihi batas saldo dan ditahan" in html


def test_the_receipt_prints_at_80_mm_or_58_mm(inmate, counter_shift, officer_client, take_deposit):
    deposit = take_deposit(inmate, 20_000)
    url = reverse("wallet:receipt", kwargs={"deposit_pk": deposit.pk})

    wide = officer_client.get(url).content.decode()
    narrow = officer_client.get(url + "?w=58").content.decode()

    assert 'class="receipt w80"' in wide and "size: 80mm" in wide
    assert 'class="receipt w58"' in narrow and "size: 58mm" in narrow
    assert "@media print" in wide


def test_receipt_numbers_follow_each_other(inmate, counter_shift, take_deposit):
    numbers = [take_deposit(inmate, 1_000).receipt_no for _ in range(3)]
    assert [n[-6:] for n in numbers] == ["000001", "000002", "000003"]
    assert len({n[:-6] for n in numbers}) == 1


def test_without_an_open_shift_the_form_sends_the_officer_to_open_one(
    inmate, counter_desk, officer_client
):
    response = officer_client.get(reverse("wallet:deposit", kwargs={"pk": inmate.pk}))
    assert response.status_code == 302 and response.url == reverse("wallet:counter")
    before = everything()
    officer_client.post(reverse("wallet:deposit", kwargs={"pk": inmate.pk}), deposit_data())
    assert everything() == before


def test_a_released_inmate_takes_no_deposit(
    inmate, counter_shift, officer, officer_client, post_deposit
):
    inmate_services.inmate_release(inmate=inmate, date=inmate.admission_date, actor=officer)
    before = everything()
    response = post_deposit(officer_client, inmate)
    assert response.status_code == 302
    assert everything() == before


def test_another_sites_inmate_is_forbidden(other_site, counter_shift, officer_client, post_deposit):
    stranger = InmateFactory(site=other_site)
    before = everything()
    url = reverse("wallet:deposit", kwargs={"pk": stranger.pk})
    assert officer_client.get(url).status_code == 403
    assert post_deposit(officer_client, stranger).status_code == 403
    assert everything() == before


def test_an_auditor_sees_receipts_but_cannot_take_deposits(
    inmate, counter_shift, auditor, post_deposit, take_deposit
):
    deposit = take_deposit(inmate, 20_000)
    client = logged_in(auditor)
    before = everything()

    assert (
        client.get(reverse("wallet:receipt", kwargs={"deposit_pk": deposit.pk})).status_code == 200
    )
    assert client.get(reverse("wallet:deposit", kwargs={"pk": inmate.pk})).status_code == 403
    assert post_deposit(client, inmate).status_code == 403
    assert everything() == before


def test_a_card_tap_or_a_registration_number_opens_the_deposit_form(
    site, inmate, officer, counter_shift, officer_client
):
    card = inmate_services.card_issue(inmate=inmate, raw_uid="04A1B2C3D4E5F6", actor=officer)
    target = reverse("wallet:deposit", kwargs={"pk": inmate.pk})
    find = reverse("wallet:deposit_find")

    assert officer_client.get(find, {"q": card.uid}).url == target
    assert officer_client.get(find, {"q": inmate.reg_no.lower()}).url == target
    listed = officer_client.get(find, {"q": inmate.full_name.split()[0]})
    assert listed.status_code == 200
    assert f'data-testid="deposit-pick-{inmate.pk}"' in listed.content.decode()


def test_the_form_shows_the_balance_and_the_sites_rules(
    site, inmate, counter_shift, officer_client, take_deposit
):
    LedgerSettings.objects.create(site=site, max_deposit_rp=500_000, max_deposits_per_day=3)
    take_deposit(inmate, 30_000)
    html = officer_client.get(reverse("wallet:deposit", kwargs={"pk": inmate.pk})).content.decode()
    assert f'data-testid="balance-before">{format_rp(30_000)}<' in html
    assert "maks. Rp500.000 per setoran" in html and "maks. 3 setoran per hari" in html


def test_the_drawer_account_is_the_counters_cash_drawer(site, inmate, counter_shift, take_deposit):
    take_deposit(inmate, 5_000)
    drawer = Account.objects.get(site=site, kind=AccountKind.CASH_DRAWER, code="LOKET-1")
    transfer = Transfer.objects.get(kind="deposit")
    assert transfer.debit_account_id == drawer.pk
    assert transfer.terminal == "LOKET-1"

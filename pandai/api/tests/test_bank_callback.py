"""POST /api/bank/va-callback over a real socket (live_server + http.client): signature,
timestamps both ways, malformed JSON, bad amounts, replays, conflicts, unknown VA (SUSPENSE)
and money over the cap (HELD) — each with proof that nothing else changed."""

from __future__ import annotations

import time

import pytest

from pandai.inmates.tests.factories import InmateFactory
from pandai.wallet import services
from pandai.wallet.checks import run_checks
from pandai.wallet.models import Account, AccountKind, Transfer
from pandai.wallet.models_bank import BankCredit, BankCreditStatus
from pandai.wallet.selectors import balances
from pandai.wallet.tests.office_helpers import (
    BANK_SECRET,
    CALLBACK_PATH,
    client_post,
    http_post,
    new_ref,
    payload,
    signed_headers,
    snapshot,
)
from pandai.wallet.virtual_accounts import virtual_account_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _bank_secret(settings):
    settings.PANDAI_BANK_SECRET = BANK_SECRET
    settings.PANDAI_BANK_VA_PREFIX = "9880"


@pytest.fixture
def va(inmate):
    return virtual_account_for(inmate=inmate)


def post(live_server, body, **kwargs):
    headers = kwargs.pop("headers", None) or signed_headers(body, **kwargs)
    return http_post(live_server.url, CALLBACK_PATH, body, headers)


def system_balance(site, kind):
    account = Account.objects.filter(site=site, kind=kind, inmate=None).first()
    return account.balance_rp if account else 0


def test_a_signed_callback_credits_the_inmate_once(live_server, inmate, va):
    ref = new_ref()
    body = payload(ref, va.number, 150_000, paid_at="2025-03-03T09:15:00+07:00")
    status, data = post(live_server, body)
    assert status == 200, data
    assert data["result"] == "credited" and data["replayed"] is False
    assert data["amount"] == 150_000 and data["held"] == 0
    assert balances(inmate=inmate).available_rp == 150_000
    credit = BankCredit.objects.get(ref=ref)
    assert credit.status == BankCreditStatus.CREDITED and credit.inmate_id == inmate.pk
    assert credit.batch.idempotency_key == f"bank:{ref}"
    assert system_balance(inmate.site, AccountKind.BANK_CLEARING) == 150_000
    assert run_checks() == []

    # The bank retries (new timestamp, new signature, same body): same answer, no new money.
    before = snapshot()
    time.sleep(1)
    status, again = post(live_server, body)
    assert status == 200
    assert again == {**data, "replayed": True}
    assert snapshot() == before
    assert balances(inmate=inmate).available_rp == 150_000


def test_same_reference_with_another_amount_is_a_conflict_and_writes_nothing(
    live_server, inmate, va
):
    ref = new_ref()
    assert post(live_server, payload(ref, va.number, 100_000))[0] == 200
    before = snapshot()
    status, data = post(live_server, payload(ref, va.number, 100_001))
    assert status == 409 and data["code"] == "reference_conflict"
    assert "Tidak ada yang diubah" in data["message"]
    other = InmateFactory(site=inmate.site)
    status, data = post(
        live_server, payload(ref, virtual_account_for(inmate=other).number, 100_000)
    )
    assert status == 409
    after = snapshot()
    after["vas"] -= 1  # the second inmate's VA, made by this test
    assert after == before
    assert balances(inmate=inmate).available_rp == 100_000


def test_a_wrong_signature_is_refused_and_writes_nothing(live_server, inmate, va):
    body = payload(new_ref(), va.number, 50_000)
    before = snapshot()
    status, data = post(live_server, body, secret="not-the-bank")
    assert (status, data["code"]) == (401, "signature_invalid")
    tampered = body.replace(b"50000", b"90000")
    status, data = post(live_server, tampered, headers=signed_headers(body))
    assert (status, data["code"]) == (401, "signature_invalid")
    status, data = post(live_server, body, headers={"Content-Type": "application/json"})
    assert (status, data["code"]) == (401, "signature_missing")
    assert snapshot() == before


@pytest.mark.parametrize("offset", [-301, 301, -3600, 86400])
def test_a_timestamp_more_than_five_minutes_off_is_refused(live_server, inmate, va, offset):
    body = payload(new_ref(), va.number, 50_000)
    before = snapshot()
    status, data = post(live_server, body, timestamp=int(time.time()) + offset)
    assert (status, data["code"]) == (401, "timestamp_stale")
    assert "detik" in data["message"]
    assert snapshot() == before


@pytest.mark.parametrize("offset", [-240, 240])
def test_a_timestamp_within_five_minutes_is_accepted(live_server, inmate, va, offset):
    status, data = post(
        live_server, payload(new_ref(), va.number, 10_000), timestamp=int(time.time()) + offset
    )
    assert status == 200, data


def test_malformed_json_is_refused_and_writes_nothing(live_server, inmate, va):
    before = snapshot()
    for body in (b'{"reference": "X1", "va_number": ', b"\xff\xfe garbage", b"[1, 2]"):
        status, data = post(live_server, body)
        assert (status, data["code"]) == (400, "malformed_json"), body
    assert snapshot() == before


def test_an_unknown_va_lands_in_suspense(live_server, inmate, va):
    unknown = va.number[:-3] + ("000" if va.number[-3:] != "000" else "111")
    ref = new_ref()
    before = balances(inmate=inmate)
    status, data = post(live_server, payload(ref, unknown, 75_000))
    assert status == 200, data
    assert data["result"] == "suspense"
    credit = BankCredit.objects.get(ref=ref)
    assert credit.status == BankCreditStatus.SUSPENSE and credit.inmate is None
    assert credit.site_id == inmate.site_id
    assert system_balance(inmate.site, AccountKind.SUSPENSE) == 75_000
    assert system_balance(inmate.site, AccountKind.BANK_CLEARING) == 75_000
    assert balances(inmate=inmate) == before  # no inmate got the money
    transfer = Transfer.objects.get(batch=credit.batch)
    assert transfer.kind == "suspense" and transfer.amount_rp == 75_000
    assert run_checks() == []


def test_money_over_the_cap_goes_to_held(live_server, inmate, va, site):
    drawer = services.counter_account(site=site, counter="LOKET-1")
    services.deposit_credit(
        inmate=inmate,
        amount_rp=900_000,
        source=drawer,
        idempotency_key="dep:cap",
        actor=None,
        enforce_rules=False,
    )
    ref = new_ref()
    status, data = post(live_server, payload(ref, va.number, 250_000))
    assert status == 200, data
    assert data["result"] == "held" and data["held"] == 150_000
    after = balances(inmate=inmate)
    assert (after.spendable_rp, after.held_rp) == (1_000_000, 150_000)
    assert BankCredit.objects.get(ref=ref).held_rp == 150_000
    assert run_checks() == []


# --- cases that need no real socket: Django's test client -------------------------------


@pytest.mark.parametrize("amount", [0, -5000, 1.5, "150000", True, None, 10**13])
def test_an_amount_that_is_not_a_positive_whole_rupiah_is_refused(client, inmate, va, amount):
    body = payload(new_ref(), va.number, amount)
    before = snapshot()
    status, data = client_post(client, body, signed_headers(body))
    assert (status, data["code"]) == (422, "amount_invalid")
    assert snapshot() == before


@pytest.mark.parametrize(
    "field, value",
    [("reference", ""), ("reference", "a b"), ("va_number", "12ab"), ("paid_at", "x")],
)
def test_other_bad_fields_are_refused(client, inmate, va, field, value):
    body = payload(new_ref(), va.number, 1000, **{field: value})
    before = snapshot()
    status, data = client_post(client, body, signed_headers(body))
    assert (status, data["code"]) == (422, "invalid_request")
    assert field in data["message"]
    assert snapshot() == before


def test_a_non_numeric_timestamp_is_refused(client, inmate, va):
    body = payload(new_ref(), va.number, 1000)
    headers = signed_headers(body)
    headers["X-Pandai-Timestamp"] = "2025-01-01T00:00:00"
    status, data = client_post(client, body, headers)
    assert (status, data["code"]) == (401, "timestamp_invalid")


def test_a_callback_for_a_released_inmate_goes_to_suspense(client, inmate, va):
    inmate.status = "released"
    inmate.save(update_fields=["status"])
    ref = new_ref()
    body = payload(ref, va.number, 20_000)
    status, data = client_post(client, body, signed_headers(body))
    assert status == 200 and data["result"] == "suspense"
    assert "tidak aktif" in BankCredit.objects.get(ref=ref).note


@pytest.mark.postgres
def test_the_bank_retrying_in_parallel_credits_once(live_server, inmate, va):
    """Ten copies of one callback at the same moment (the bank's retries racing each other)
    over real sockets: one credit, ten identical 200 answers."""
    from concurrent.futures import ThreadPoolExecutor

    body = payload(new_ref(), va.number, 60_000)
    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(lambda _: post(live_server, body), range(10)))
    assert {status for status, _ in answers} == {200}
    assert len({data["credit_id"] for _, data in answers}) == 1
    assert sum(not data["replayed"] for _, data in answers) == 1
    assert BankCredit.objects.count() == 1
    assert balances(inmate=inmate).available_rp == 60_000
    assert run_checks() == []

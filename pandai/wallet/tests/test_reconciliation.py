"""Bank statement reconciliation with real CSV files: matched lines, unmatched lines on both
sides, booking a line the callback never brought (once), and broken files refused whole with
a clear message and nothing saved."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pandai.core.calendar import site_today
from pandai.core.models import AuditEvent
from pandai.inmates.tests.factories import InmateFactory
from pandai.wallet import bank
from pandai.wallet.models_bank import (
    BankCredit,
    BankCreditChannel,
    BankCreditStatus,
    Reconciliation,
)
from pandai.wallet.selectors import balances
from pandai.wallet.tests.office_helpers import snapshot
from pandai.wallet.virtual_accounts import candidate, virtual_account_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def official(staff):
    return staff("official", username="kasubsi-rekon")


@pytest.fixture
def day_of_callbacks(site):
    a, b, c = (InmateFactory(site=site) for _ in range(3))
    vas = {k: virtual_account_for(inmate=i).number for k, i in zip("abc", (a, b, c), strict=True)}
    for ref, va, amount in [
        ("BNI001", vas["a"], 150_000),
        ("BNI002", vas["b"], 200_000),
        ("BNI003", vas["c"], 50_000),
        ("BNI004", candidate(site, "X.1/2020", 9), 30_000),  # unknown VA: suspense
    ]:
        bank.bank_credit_receive(callback=bank.BankCallback(ref, va, amount, payer_name="Budi"))
    return {"a": a, "b": b, "c": c, "va": vas}


def statement_file(tmp_path, text: str, encoding: str = "utf-8-sig", name: str = "mutasi.csv"):
    """Write the statement to disk as the bank's export would be, then read it back."""
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return SimpleUploadedFile(name, path.read_bytes(), content_type="text/csv")


def upload(client, site, upload_file):
    return client.post(
        reverse("office:reconcile"),
        {"day": site_today(site).isoformat(), "file": upload_file},
    )


def test_a_statement_is_matched_and_both_sides_leftovers_are_listed(
    client, official, site, day_of_callbacks, tmp_path
):
    va = day_of_callbacks["va"]
    text = (
        "Tanggal;Referensi;No VA;Nama Pengirim;Jumlah;DB/CR\n"
        f"{site_today(site):%d/%m/%Y} 08:15;BNI001;{va['a']};BUDI;150.000;CR\n"
        f"{site_today(site):%d/%m/%Y} 09:00;BNI002;{va['b']};SITI;200.000,00;CR\n"
        f"{site_today(site):%d/%m/%Y} 10:30;BNI005;{va['a']};ANI;80.000;CR\n"
        f"{site_today(site):%d/%m/%Y} 11:00;BNI003;{va['c']};JOKO;55.000;CR\n"
        f"{site_today(site):%d/%m/%Y} 16:00;ADM01;{va['a']};BIAYA ADMIN;5.000;DB\n"
    )
    client.force_login(official)
    response = upload(client, site, statement_file(tmp_path, text))
    assert response.status_code == 302, response.content.decode()[:2000]
    done = Reconciliation.objects.get()
    assert done.summary["encoding"] == "utf-8-sig" and done.summary["delimiter"] == ";"
    assert (done.summary["matched"], done.summary["matched_rp"]) == (2, 350_000)
    assert done.summary["statement_only"] == 2 and done.summary["debits_ignored"] == 1
    assert [r["ref"] for r in done.result["matched"]] == ["BNI001", "BNI002"]
    reasons = {r["ref"]: r["reason"] for r in done.result["statement_only"]}
    assert reasons == {"BNI005": "no_callback", "BNI003": "amount_mismatch"}
    assert [r["ref"] for r in done.result["credit_only"]] == ["BNI004"]
    assert AuditEvent.objects.filter(action="wallet.reconciliation").count() == 1

    page = client.get(response.url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "BNI005" in html and "Bukukan dari rekening koran" in html and "BNI004" in html
    assert "Jumlah berbeda dengan callback" in html


def test_booking_a_statement_line_credits_once(client, official, site, day_of_callbacks, tmp_path):
    a = day_of_callbacks["a"]
    va = day_of_callbacks["va"]["a"]
    text = f"referensi,no_va,jumlah\nBNI001,{va},150000\nBNI777,{va},80000\n"
    client.force_login(official)
    response = upload(client, site, statement_file(tmp_path, text, encoding="cp1252"))
    done = Reconciliation.objects.get()
    assert done.summary["delimiter"] == "," and done.summary["statement_only"] == 1
    before = balances(inmate=a).available_rp
    book = reverse("office:reconcile_book", args=[done.pk])
    client.post(book, {"line": "3"})
    credit = BankCredit.objects.get(ref="BNI777")
    assert (
        credit.channel == BankCreditChannel.STATEMENT and credit.status == BankCreditStatus.CREDITED
    )
    assert credit.batch.idempotency_key == "bank:BNI777"
    assert balances(inmate=a).available_rp == before + 80_000
    state = snapshot()
    client.post(book, {"line": "3"})  # pressed twice
    assert snapshot() == state
    # The bank's late callback for the same transfer credits nothing more.
    late = bank.bank_credit_receive(callback=bank.BankCallback("BNI777", va, 80_000))
    assert late.replayed and snapshot() == state
    # A matched line cannot be booked.
    client.post(book, {"line": "2"})
    assert snapshot() == state
    assert "sudah" in client.get(response.url).content.decode()


@pytest.mark.parametrize(
    "content, message",
    [
        ("referensi;jumlah\nBNI001;150.000\n", "Kolom wajib tidak ada: no_va"),
        ("referensi;no_va;jumlah\nBNI001;98800010001232401;abc\n", "baris 2"),
        ("referensi;no_va;jumlah\nBNI001;98800010001232401;-5.000\n", "jumlah"),
        ("referensi;no_va;jumlah\nBNI001;12ab;5.000\n", "no_va"),
        ("referensi;no_va;jumlah\nX1;9880;5.000\nX1;9880;6.000\n", "sudah ada di baris 2"),
        ("referensi;no_va;jumlah\n", "tanpa transaksi"),
        ("", "kosong"),
        ("referensi;no_va;jumlah;tanggal\nX1;9880;5.000;32-13-2024\n", "tanggal"),
    ],
)
def test_a_broken_statement_is_refused_whole_and_nothing_is_saved(
    client, official, site, day_of_callbacks, tmp_path, content, message
):
    client.force_login(official)
    before = snapshot()
    response = upload(client, site, statement_file(tmp_path, content, encoding="utf-8"))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["file"])
    assert message in errors
    assert snapshot() == before and not Reconciliation.objects.exists()


def test_a_binary_file_is_refused(client, official, site, tmp_path):
    path = tmp_path / "mutasi.xlsx"
    path.write_bytes(b"PK\x03\x04\x00\x00binary\x00data")
    client.force_login(official)
    response = upload(client, site, SimpleUploadedFile("mutasi.xlsx", path.read_bytes()))
    assert "bukan CSV" in " ".join(response.context["form"].errors["file"])
    assert not Reconciliation.objects.exists()


def test_the_auditor_and_the_cashier_cannot_reconcile(client, staff, site, tmp_path):
    for role in ("auditor", "cashier", "counter_officer"):
        client.force_login(staff(role))
        text = "referensi;no_va;jumlah\nX1;9880;5.000\n"
        assert upload(client, site, statement_file(tmp_path, text)).status_code == 403
    assert not Reconciliation.objects.exists()

"""The demo loader: what it builds, that it is deterministic, and the two commands."""

import datetime as dt
import io
import random
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from PIL import Image

from pandai.conftest import FAST_HASHERS
from pandai.core.audit import audit_seal_pending, audit_verify
from pandai.core.models import Membership, Role, Site, User
from pandai.demo.build import demo_load
from pandai.demo.context import DEMO_CARDS, DEMO_PASSWORD
from pandai.demo.people import cells_for, inmate_specs
from pandai.inmates import services
from pandai.inmates.models import Block, Card, CardStatus, Cell, Inmate, InmateStatus, Pin
from pandai.inmates.pins import trivial_reason

REG_NO = re.compile(r"^(AI|AII|AIII|BI|BIIA|BIIB)\.\d+/(2023|2024|2025|2026)$")
TODAY = dt.date(2026, 11, 28)


def _specs(seed=2024, count=300):
    rng = random.Random(seed)
    cells = cells_for(rng, "ABCDEF", 10)
    return inmate_specs(rng, today=TODAY, count=count, cells=cells, women_block="F", featured=True)


def test_generated_inmates_are_deterministic_and_plausible():
    specs = _specs()
    assert specs == _specs()
    assert specs != _specs(seed=2025)
    assert len({s.reg_no for s in specs}) == 300
    assert len({s.uid for s in specs}) == 300
    assert all(REG_NO.match(s.reg_no) for s in specs)
    assert all(trivial_reason(s.pin, s.birth_date) is None for s in specs)
    assert all((s.gender == "P") == (s.cell.block_code == "F") for s in specs)
    assert all(s.admission_date <= TODAY for s in specs)
    for s in specs:
        assert s.reg_no.startswith("A") == (s.legal_status == "tahanan")
        if s.legal_status == "narapidana":
            assert s.expected_release_date > TODAY
        assert 19 <= (TODAY - s.birth_date).days // 365 <= 61
        assert s.nik == "" or re.fullmatch(r"33\d{14}", s.nik)
    assert [s.pin for s in specs[: len(DEMO_CARDS)]] == [c.pin for c in DEMO_CARDS]
    assert [s.uid for s in specs[: len(DEMO_CARDS)]] == [c.uid for c in DEMO_CARDS]
    # Cells are not filled beyond capacity.
    per_cell: dict = {}
    for s in specs:
        per_cell[s.cell] = per_cell.get(s.cell, 0) + 1
    assert all(n <= cell.capacity for cell, n in per_cell.items())


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """Load the demo once for the module, inside a transaction rolled back at the end (each
    test's own transaction nests in it as a savepoint). Photos go to `demo.media`."""
    media = tmp_path_factory.mktemp("demo_media")
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        ctx = demo_load(inmate_count=40, log=lambda _: None)
        ctx.media = media
        yield ctx
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_sites_blocks_and_cells(demo):
    blora = Site.objects.get(code="BLR")
    assert (blora.name, blora.site_class, blora.time_zone) == (
        "Rutan Kelas IIB Blora",
        "Kelas IIB",
        "Asia/Jakarta",
    )
    assert blora.address == "Jl. Pemuda No. 21, Blora, Jawa Tengah"
    assert Site.objects.get(code="SMG").name == "Lapas Kelas IIA Semarang"
    blocks = list(Block.objects.filter(site=blora).order_by("code"))
    assert [b.name for b in blocks] == [
        "Blok A (Anggrek)",
        "Blok B (Bougenville)",
        "Blok C (Cempaka)",
        "Blok D (Dahlia)",
        "Blok E (Edelweis)",
        "Blok F (Flamboyan)",
    ]
    cells = Cell.objects.filter(block=blocks[0]).order_by("code")
    assert [c.code for c in cells] == [f"A-{n:02d}" for n in range(1, 11)]
    assert all(6 <= c.capacity <= 8 for c in cells)
    assert blocks[0].capacity == sum(c.capacity for c in cells)


@pytest.mark.django_db
def test_one_login_per_role_with_the_demo_password(demo):
    blora, semarang = Site.objects.get(code="BLR"), Site.objects.get(code="SMG")
    expected = {
        "admin": Role.ADMIN,
        "karutan": Role.HEAD,
        "pejabat": Role.OFFICIAL,
        "kasir": Role.CASHIER,
        "koperasi": Role.SHOP_MANAGER,
        "loket": Role.COUNTER_OFFICER,
        "pengaduan": Role.COMPLAINT_OFFICER,
        "pembinaan": Role.PROGRAM_OFFICER,
        "auditor": Role.AUDITOR,
    }
    assert set(expected.values()) == set(Role)
    for username, role in expected.items():
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
        assert list(Membership.objects.filter(user=user).values_list("site", "role")) == [
            (blora.pk, role)
        ]
    kanwil = User.objects.get(username="kanwil")
    assert set(Membership.objects.filter(user=kanwil).values_list("site", "role")) == {
        (blora.pk, Role.HEAD),
        (semarang.pk, Role.HEAD),
    }


@pytest.mark.django_db
def test_every_inmate_held_has_a_photo_an_active_card_and_a_pin(demo, settings):
    settings.MEDIA_ROOT = demo.media
    held = Inmate.objects.filter(status=InmateStatus.ACTIVE)
    assert held.filter(site__code="BLR").count() >= 38
    assert held.filter(site__code="SMG").count() >= 6
    for inmate in held:
        assert Card.objects.filter(inmate=inmate, status=CardStatus.ACTIVE).count() == 1
        assert Pin.objects.filter(inmate=inmate).exists()
        with inmate.photo.open("rb") as f, Image.open(f) as img:
            assert (img.format, img.size) == ("JPEG", (200, 250))
    women = held.filter(site__code="BLR", gender="P")
    assert women.exists()
    assert not women.exclude(cell__block__code="F").exists()
    assert not held.filter(cell__block__code="F", site__code="BLR").exclude(gender="P").exists()
    # History: a release with a retired card, and transfers from Blora to Semarang.
    released = Inmate.objects.filter(status=InmateStatus.RELEASED)
    assert released.exists()
    assert not Card.objects.filter(inmate__in=released, status=CardStatus.ACTIVE).exists()
    assert Inmate.objects.filter(site__code="SMG", transferred_from__site__code="BLR").count() == 2


@pytest.mark.django_db
def test_documented_demo_cards_open_with_their_pins(demo):
    blora = Site.objects.get(code="BLR")
    for demo_card in DEMO_CARDS:
        card = services.card_find(site=blora, raw=demo_card.uid)
        assert card is not None and card.status == CardStatus.ACTIVE, demo_card
        assert services.pin_verify(inmate=card.inmate, pin=demo_card.pin).ok
        assert not services.pin_verify(inmate=card.inmate, pin="975319").ok
    restricted = services.card_find(site=blora, raw=DEMO_CARDS[3].uid).inmate
    assert restricted.discipline.filter(restricts_shop=True, end_date__gt=TODAY).exists()


@pytest.mark.django_db
def test_the_audit_chain_of_the_demo_verifies(demo):
    audit_seal_pending()
    result = audit_verify()
    assert result.ok and result.checked > 100


@pytest.mark.django_db
def test_demo_logins_lists_every_login_and_the_demo_cards(demo):
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000" in text and DEMO_PASSWORD in text
    for username in ("admin", "karutan", "pejabat", "kasir", "koperasi", "loket"):
        assert re.search(rf"^\s+{username}\s", text, re.M), username
    for username in ("pengaduan", "pembinaan", "auditor", "kanwil"):
        assert re.search(rf"^\s+{username}\s", text, re.M), username
    for demo_card in DEMO_CARDS:
        assert f"{demo_card.uid}   {demo_card.pin}" in text


@pytest.mark.django_db
def test_the_demo_has_a_week_of_money_that_passes_the_ledger_check(demo):
    from pandai.wallet.checks import run_checks
    from pandai.wallet.models import Transfer, TransferKind
    from pandai.wallet.models_counter import CounterShift, Deposit

    site = demo.home
    assert Deposit.objects.filter(site=site).count() >= 7 * 20
    kinds = set(Transfer.objects.filter(site=site).values_list("kind", flat=True))
    assert {TransferKind.DEPOSIT, TransferKind.PURCHASE, TransferKind.PREMI} <= kinds
    open_shifts = CounterShift.objects.filter(counter__site=site, closed_at__isnull=True)
    assert [s.officer.username for s in open_shifts] == ["loket"]  # today's, ready to use
    closed = CounterShift.objects.filter(counter__site=site, closed_at__isnull=False)
    assert closed.count() == 7 and not closed.exclude(difference_rp=0).exists()
    assert run_checks(site=site, audit=False) == []

"""Registry services: admission, changes, movements, discipline, photos. Refusals change nothing."""

import datetime as dt
import io

import pytest
from PIL import Image

from pandai.core.models import AuditEvent
from pandai.core.tests.factories import SiteFactory
from pandai.inmates import services
from pandai.inmates.models import (
    Card,
    CardStatus,
    DisciplineEntry,
    EventKind,
    Inmate,
    InmateEvent,
    InmateStatus,
)
from pandai.inmates.tests.factories import BlockFactory, CardFactory, CellFactory, InmateFactory

pytestmark = pytest.mark.django_db


def admit(site, actor=None, **overrides):
    fields = {
        "reg_no": "AI.123/2024",
        "full_name": "Ahmad Fauzi",
        "gender": "L",
        "legal_status": "tahanan",
        "admission_date": dt.date(2024, 2, 5),
        "birth_date": dt.date(1990, 3, 12),
        "nik": "3316011203900001",
    }
    fields.update(overrides)
    return services.inmate_admit(site=site, actor=actor, **fields)


def snapshot():
    return (
        Inmate.objects.count(),
        InmateEvent.objects.count(),
        AuditEvent.objects.count(),
        Card.objects.count(),
    )


def test_admit_records_inmate_history_and_audit(site, staff):
    officer = staff("official")
    cell = CellFactory(block=BlockFactory(site=site))
    inmate = admit(site, officer, reg_no=" ai.123/2024 ", cell=cell)
    assert inmate.reg_no == "AI.123/2024"
    assert inmate.cell == cell and inmate.status == InmateStatus.ACTIVE
    event = inmate.events.get()
    assert event.kind == EventKind.ADMISSION and event.to_cell == cell and event.actor == officer
    assert AuditEvent.objects.filter(action="inmate.admit", object_id=str(inmate.pk)).exists()


def test_admit_duplicate_reg_no_is_refused_and_nothing_changes(site):
    admit(site)
    before = snapshot()
    with pytest.raises(services.InmateError, match=r"AI\.123/2024 sudah terdaftar"):
        admit(site, reg_no="ai.123/2024", full_name="Orang Lain")
    assert snapshot() == before


def test_same_reg_no_at_another_site_is_allowed(site, other_site):
    admit(site)
    assert admit(other_site).site == other_site


@pytest.mark.parametrize("nik", ["123", "33160112039000011", "33160112039000AB", "3.3160E+15"])
def test_bad_nik_is_refused_and_nothing_changes(site, nik):
    before = snapshot()
    with pytest.raises(services.InmateError, match="NIK harus 16 angka"):
        admit(site, nik=nik)
    assert snapshot() == before


def test_empty_nik_is_fine(site):
    assert admit(site, nik="").nik == ""


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"full_name": "  "}, "Nama lengkap wajib"),
        ({"gender": "X"}, "Jenis kelamin"),
        ({"legal_status": "bebas"}, "Status hukum"),
        ({"expected_release_date": dt.date(2023, 1, 1)}, "Perkiraan bebas"),
        ({"birth_date": dt.date(2025, 1, 1)}, "Tanggal lahir"),
        ({"reg_no": "   "}, "No. registrasi wajib"),
    ],
)
def test_admit_refuses_bad_fields(site, overrides, message):
    before = snapshot()
    with pytest.raises(services.InmateError, match=message):
        admit(site, **overrides)
    assert snapshot() == before


def test_admit_refuses_another_sites_cell(site, other_site):
    foreign = CellFactory(block=BlockFactory(site=other_site))
    with pytest.raises(services.InmateError, match="UPT lain"):
        admit(site, cell=foreign)
    assert not Inmate.objects.exists()


def test_update_changes_only_given_fields_and_records_which(site, staff, inmate):
    changed = services.inmate_update(
        inmate=inmate, actor=staff("official"), full_name="Nama Baru", alias=inmate.alias
    )
    assert changed == ["full_name"]
    inmate.refresh_from_db()
    assert inmate.full_name == "Nama Baru"
    event = inmate.events.get(kind=EventKind.UPDATE)
    assert event.note == "nama lengkap"
    assert services.inmate_update(inmate=inmate, actor=None, full_name="Nama Baru") == []


def test_update_bad_nik_changes_nothing(inmate):
    with pytest.raises(services.InmateError):
        services.inmate_update(inmate=inmate, actor=None, nik="12", full_name="X")
    inmate.refresh_from_db()
    assert inmate.full_name != "X" and inmate.nik == ""


def test_move_cell(site, staff, inmate):
    old = inmate.cell
    new = CellFactory(block=old.block)
    event = services.inmate_move_cell(
        inmate=inmate, cell=new, date=dt.date(2024, 6, 1), actor=staff("official")
    )
    inmate.refresh_from_db()
    assert inmate.cell == new
    assert (event.from_cell, event.to_cell, event.kind) == (old, new, EventKind.CELL_MOVE)
    with pytest.raises(services.InmateError, match="sudah berada"):
        services.inmate_move_cell(inmate=inmate, cell=new, date=dt.date(2024, 6, 2), actor=None)


def test_move_to_another_sites_cell_is_refused(site, other_site, inmate):
    foreign = CellFactory(block=BlockFactory(site=other_site))
    old = inmate.cell
    with pytest.raises(services.InmateError, match="UPT lain"):
        services.inmate_move_cell(inmate=inmate, cell=foreign, date=dt.date(2024, 6, 1), actor=None)
    inmate.refresh_from_db()
    assert inmate.cell == old
    assert not inmate.events.filter(kind=EventKind.CELL_MOVE).exists()


def test_release_empties_cell_retires_card_and_blocks_further_moves(site, staff, inmate):
    card = CardFactory(inmate=inmate)
    services.inmate_release(inmate=inmate, date=dt.date(2024, 9, 1), actor=staff("head"))
    inmate.refresh_from_db()
    card.refresh_from_db()
    assert inmate.status == InmateStatus.RELEASED and inmate.cell is None
    assert card.status == CardStatus.RETIRED
    assert inmate.events.filter(kind=EventKind.RELEASE, date=dt.date(2024, 9, 1)).exists()
    with pytest.raises(services.InmateError, match="tidak aktif"):
        services.inmate_release(inmate=inmate, date=dt.date(2024, 9, 2), actor=None)
    with pytest.raises(services.InmateError, match="tidak aktif"):
        services.inmate_move_cell(
            inmate=inmate, cell=CellFactory(), date=dt.date(2024, 9, 2), actor=None
        )


def test_release_before_admission_is_refused(inmate):
    with pytest.raises(services.InmateError):
        services.inmate_release(inmate=inmate, date=dt.date(2020, 1, 1), actor=None)
    inmate.refresh_from_db()
    assert inmate.status == InmateStatus.ACTIVE


def test_transfer_moves_the_person_to_the_other_site(site, other_site, staff, inmate):
    services.pin_set(inmate=inmate, pin="482915", actor=None)
    services.inmate_set_photo(inmate=inmate, data=_jpeg(), actor=None)
    CardFactory(inmate=inmate)
    moved = services.inmate_transfer(
        inmate=inmate, to_site=other_site, date=dt.date(2024, 7, 1), actor=staff("head")
    )
    inmate.refresh_from_db()
    assert inmate.status == InmateStatus.TRANSFERRED and inmate.cell is None
    assert inmate.cards.get().status == CardStatus.RETIRED
    assert moved.site == other_site and moved.reg_no == inmate.reg_no
    assert moved.transferred_from == inmate and moved.status == InmateStatus.ACTIVE
    assert moved.admission_date == dt.date(2024, 7, 1) and moved.full_name == inmate.full_name
    assert moved.events.get().kind == EventKind.TRANSFER_IN
    assert inmate.events.filter(kind=EventKind.TRANSFER_OUT, other_site=other_site).exists()
    assert moved.pin.pin_hash == inmate.pin.pin_hash
    # The photo is a copy: replacing one site's photo leaves the other's file in place.
    assert moved.photo.name != inmate.photo.name
    services.inmate_set_photo(inmate=moved, data=_jpeg(color="blue"), actor=None)
    assert inmate.photo.storage.exists(inmate.photo.name)


@pytest.mark.parametrize("case", ["same_site", "inactive_site", "reg_taken"])
def test_transfer_refusals_change_nothing(site, other_site, inmate, case):
    target = other_site
    if case == "same_site":
        target = site
    elif case == "inactive_site":
        target = SiteFactory(code="TTP", is_active=False)
    else:
        InmateFactory(site=other_site, reg_no=inmate.reg_no)
    before = snapshot()
    with pytest.raises(services.InmateError):
        services.inmate_transfer(
            inmate=inmate, to_site=target, date=dt.date(2024, 7, 1), actor=None
        )
    assert snapshot() == before
    inmate.refresh_from_db()
    assert inmate.status == InmateStatus.ACTIVE


def test_discipline_entry(staff, inmate):
    entry = services.discipline_add(
        inmate=inmate,
        date=dt.date(2024, 5, 1),
        offence="Membawa telepon genggam",
        sanction="Tutupan sunyi 6 hari",
        end_date=dt.date(2024, 5, 7),
        restricts_shop=True,
        actor=staff("official"),
    )
    assert entry.restricts_shop and inmate.discipline.get() == entry
    assert AuditEvent.objects.filter(action="inmate.discipline").count() == 1


def test_discipline_end_before_start_is_refused(staff, inmate):
    with pytest.raises(services.InmateError, match="berakhir"):
        services.discipline_add(
            inmate=inmate,
            date=dt.date(2024, 5, 7),
            offence="x",
            sanction="y",
            end_date=dt.date(2024, 5, 1),
            actor=staff("official"),
        )
    assert not DisciplineEntry.objects.exists()


def _jpeg(color="red", fmt="JPEG"):
    out = io.BytesIO()
    Image.new("RGB", (900, 1200), color).save(out, format=fmt)
    return out.getvalue()


def test_photo_is_reencoded_and_shrunk(inmate):
    services.inmate_set_photo(inmate=inmate, data=_jpeg(fmt="PNG"), actor=None)
    inmate.refresh_from_db()
    with inmate.photo.open("rb") as f, Image.open(f) as img:
        assert img.format == "JPEG"
        assert max(img.size) == services.PHOTO_MAX_SIDE


@pytest.mark.parametrize(
    "data",
    [
        b"this is not an image, just text renamed to .jpg\n",
        b"\xff\xd8\xff\xe0 truncated jpeg header",
        _jpeg(fmt="GIF"),
        _jpeg(fmt="WEBP"),
    ],
)
def test_photo_that_is_not_jpeg_or_png_is_refused(inmate, data):
    with pytest.raises(services.InmateError):
        services.inmate_set_photo(inmate=inmate, data=data, actor=None)
    inmate.refresh_from_db()
    assert not inmate.photo


def test_photo_over_the_size_limit_is_refused(inmate, settings):
    settings.PANDAI_MAX_PHOTO_BYTES = 1000
    with pytest.raises(services.InmateError, match="terlalu besar"):
        services.inmate_set_photo(inmate=inmate, data=_jpeg(), actor=None)

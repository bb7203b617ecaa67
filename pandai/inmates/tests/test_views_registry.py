"""Registry screens: who sees which buttons, admission and edit forms, photo upload, movements,
Register F, blocks and cells, and the wall between sites."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from pandai.core.models import AuditEvent
from pandai.inmates import services
from pandai.inmates.models import Block, Cell, DisciplineEntry, EventKind, Inmate, InmateStatus
from pandai.inmates.tests.factories import BlockFactory, CellFactory, InmateFactory

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def jpeg_bytes(fmt="JPEG"):
    out = io.BytesIO()
    Image.new("RGB", (300, 400), "green").save(out, format=fmt)
    return out.getvalue()


ACTION_IDS = {
    "action-edit",
    "action-photo",
    "action-card",
    "action-pin",
    "action-move",
    "action-transfer",
    "action-release",
    "action-discipline",
}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("head", ACTION_IDS),
        ("official", ACTION_IDS - {"action-card", "action-pin"}),
        ("admin", {"action-edit", "action-photo"}),
        ("counter_officer", {"action-card", "action-pin"}),
        ("cashier", set()),
        ("auditor", set()),
    ],
)
def test_detail_shows_only_the_buttons_the_role_may_use(client, staff, inmate, role, expected):
    html = login(client, staff(role)).get(reverse("inmates:detail", args=[inmate.pk])).content
    shown = {a for a in ACTION_IDS if f'id="{a}"'.encode() in html}
    assert shown == expected


def test_detail_of_a_released_inmate_has_no_movement_buttons(client, staff, inmate):
    services.inmate_release(inmate=inmate, date=dt.date(2024, 9, 1), actor=None)
    html = login(client, staff("head")).get(reverse("inmates:detail", args=[inmate.pk])).content
    assert b'id="action-release"' not in html and b'id="action-pin"' not in html


@pytest.mark.parametrize(
    "name",
    [
        "detail",
        "edit",
        "photo_upload",
        "move",
        "release",
        "transfer",
        "discipline",
        "cards",
        "pin_reset",
    ],
)
def test_another_sites_inmate_by_url_is_403(client, staff, other_site, name):
    foreign = InmateFactory(site=other_site, full_name="Rahasia Semarang")
    response = login(client, staff("head")).get(reverse(f"inmates:{name}", args=[foreign.pk]))
    assert response.status_code == 403
    assert b"Rahasia Semarang" not in response.content


def test_posting_to_another_sites_inmate_changes_nothing(client, staff, other_site):
    foreign = InmateFactory(site=other_site)
    cell = CellFactory(block=BlockFactory(site=other_site))
    client = login(client, staff("head"))
    url = reverse("inmates:release", args=[foreign.pk])
    assert client.post(url, {"date": "2024-09-01", "confirm": "yes"}).status_code == 403
    url = reverse("inmates:move", args=[foreign.pk])
    assert client.post(url, {"cell": cell.pk, "date": "2024-09-01"}).status_code == 403
    foreign.refresh_from_db()
    assert foreign.status == InmateStatus.ACTIVE and foreign.cell != cell


def test_roles_without_the_right_get_403(client, staff, inmate):
    client = login(client, staff("cashier"))
    for name in ("edit", "move", "release", "discipline", "cards", "pin_reset"):
        assert client.get(reverse(f"inmates:{name}", args=[inmate.pk])).status_code == 403
    assert client.get(reverse("inmates:admit")).status_code == 403
    assert client.get(reverse("inmates:blocks")).status_code == 403


def test_anonymous_is_sent_to_login(client, inmate):
    response = client.get(reverse("inmates:edit", args=[inmate.pk]))
    assert response.status_code == 302 and "/masuk/" in response["Location"]


ADMIT = {
    "reg_no": "BI.45/2023",
    "full_name": "Slamet Riyadi",
    "gender": "L",
    "legal_status": "narapidana",
    "admission_date": "2023-08-14",
    "birth_date": "1985-01-01",
    "nik": "",
}


def test_admit_form(client, site, staff):
    cell = CellFactory(block=BlockFactory(site=site, code="B"), code="B-03")
    client = login(client, staff("official"))
    assert client.get(reverse("inmates:admit")).status_code == 200
    response = client.post(reverse("inmates:admit"), {**ADMIT, "cell": cell.pk}, follow=True)
    inmate = Inmate.objects.get(site=site, reg_no="BI.45/2023")
    assert response.redirect_chain[-1][0] == reverse("inmates:detail", args=[inmate.pk])
    assert inmate.cell == cell and inmate.full_name == "Slamet Riyadi"
    assert "dicatat masuk" in response.content.decode()


def test_admit_duplicate_shows_the_reason_and_adds_nothing(client, site, staff):
    InmateFactory(site=site, reg_no="BI.45/2023")
    response = login(client, staff("official")).post(reverse("inmates:admit"), ADMIT)
    assert response.status_code == 200
    assert "BI.45/2023 sudah terdaftar" in response.content.decode()
    assert Inmate.objects.filter(site=site).count() == 1


def test_admit_cannot_use_another_sites_cell(client, site, other_site, staff):
    foreign = CellFactory(block=BlockFactory(site=other_site))
    response = login(client, staff("official")).post(
        reverse("inmates:admit"), {**ADMIT, "cell": foreign.pk}
    )
    assert response.status_code == 200 and not Inmate.objects.exists()


def test_admit_bad_nik_is_a_form_error(client, staff):
    response = login(client, staff("official")).post(
        reverse("inmates:admit"), {**ADMIT, "nik": "12345"}
    )
    assert "NIK harus 16 angka" in response.content.decode() and not Inmate.objects.exists()


def test_edit_form(client, staff, inmate):
    client = login(client, staff("official"))
    url = reverse("inmates:edit", args=[inmate.pk])
    assert client.get(url).status_code == 200
    data = {
        "full_name": "Nama Baru",
        "alias": "",
        "nik": "3316011203900001",
        "gender": "L",
        "birth_date": "1990-05-17",
        "legal_status": "narapidana",
        "admission_date": "2024-03-01",
        "expected_release_date": "2026-03-01",
    }
    assert client.post(url, data).status_code == 302
    inmate.refresh_from_db()
    assert (inmate.full_name, inmate.legal_status) == ("Nama Baru", "narapidana")
    assert inmate.expected_release_date == dt.date(2026, 3, 1)


def test_photo_upload(client, staff, inmate):
    client = login(client, staff("official"))
    upload = SimpleUploadedFile("foto.png", jpeg_bytes("PNG"), content_type="image/png")
    response = client.post(reverse("inmates:photo_upload", args=[inmate.pk]), {"photo": upload})
    assert response.status_code == 302
    inmate.refresh_from_db()
    assert inmate.photo
    served = client.get(reverse("inmates:photo", args=[inmate.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"


def test_text_file_renamed_jpg_is_refused(client, staff, inmate):
    client = login(client, staff("official"))
    fake = SimpleUploadedFile("foto.jpg", b"bukan gambar, hanya teks\n" * 20, "image/jpeg")
    response = client.post(reverse("inmates:photo_upload", args=[inmate.pk]), {"photo": fake})
    assert response.status_code == 200
    assert "bukan gambar JPEG atau PNG" in response.content.decode()
    inmate.refresh_from_db()
    assert not inmate.photo


def test_oversize_photo_is_refused(client, staff, inmate, settings):
    settings.PANDAI_MAX_PHOTO_BYTES = 2000
    client = login(client, staff("official"))
    big = SimpleUploadedFile("foto.jpg", jpeg_bytes() + b"\0" * 3000, "image/jpeg")
    response = client.post(reverse("inmates:photo_upload", args=[inmate.pk]), {"photo": big})
    assert "terlalu besar" in response.content.decode()
    inmate.refresh_from_db()
    assert not inmate.photo


def test_move_view(client, staff, inmate):
    target = CellFactory(block=inmate.cell.block)
    client = login(client, staff("official"))
    url = reverse("inmates:move", args=[inmate.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"cell": target.pk, "date": "2024-06-01"}).status_code == 302
    inmate.refresh_from_db()
    assert inmate.cell == target


def test_release_needs_the_confirm_step(client, staff, inmate):
    client = login(client, staff("head"))
    url = reverse("inmates:release", args=[inmate.pk])
    first = client.post(url, {"date": "2024-09-01", "note": "PB 12/2024"})
    assert first.status_code == 200 and b'data-testid="release-confirm"' in first.content
    inmate.refresh_from_db()
    assert inmate.status == InmateStatus.ACTIVE  # nothing happens before the confirm
    second = client.post(url, {"date": "2024-09-01", "note": "PB 12/2024", "confirm": "yes"})
    assert second.status_code == 302
    inmate.refresh_from_db()
    assert inmate.status == InmateStatus.RELEASED
    assert inmate.events.get(kind=EventKind.RELEASE).note == "PB 12/2024"


def test_transfer_view_offers_only_other_active_sites(client, site, other_site, staff, inmate):
    from pandai.core.tests.factories import SiteFactory

    closed = SiteFactory(code="TTP", name="Rutan Tutup", is_active=False)
    client = login(client, staff("head"))
    url = reverse("inmates:transfer", args=[inmate.pk])
    page = client.get(url).content.decode()
    assert other_site.name in page and closed.name not in page
    assert f'value="{site.pk}"' not in page
    assert client.post(url, {"to_site": closed.pk, "date": "2024-07-01"}).status_code == 200
    inmate.refresh_from_db()
    assert inmate.status == InmateStatus.ACTIVE
    assert client.post(url, {"to_site": other_site.pk, "date": "2024-07-01"}).status_code == 302
    inmate.refresh_from_db()
    assert inmate.status == InmateStatus.TRANSFERRED
    assert Inmate.objects.filter(site=other_site, reg_no=inmate.reg_no).exists()


def test_discipline_view(client, staff, inmate):
    client = login(client, staff("official"))
    url = reverse("inmates:discipline", args=[inmate.pk])
    data = {
        "date": "2024-05-01",
        "offence": "Berkelahi",
        "sanction": "Tutupan sunyi",
        "end_date": "2024-05-07",
        "restricts_shop": "on",
    }
    assert client.post(url, data).status_code == 302
    entry = DisciplineEntry.objects.get(inmate=inmate)
    assert entry.restricts_shop and not entry.restricts_programs
    page = client.get(reverse("inmates:detail", args=[inmate.pk])).content.decode()
    assert "Berkelahi" in page


def test_blocks_page_shows_capacity_and_occupancy(
    client, site, staff, django_assert_max_num_queries
):
    block = BlockFactory(site=site, code="A", name="Blok A (Anggrek)", capacity=20)
    cells = [CellFactory(block=block, code=f"A-0{n}", capacity=2) for n in (1, 2)]
    for _ in range(3):
        InmateFactory(site=site, cell=cells[0])
    InmateFactory(site=site, cell=cells[1], status=InmateStatus.RELEASED)
    for n in range(5):  # more blocks must not mean more queries
        CellFactory(block=BlockFactory(site=site, code=f"X{n}"))
    client = login(client, staff("official"))
    with django_assert_max_num_queries(12):
        html = client.get(reverse("inmates:blocks")).content.decode()
    assert 'data-testid="block-occupancy-A">3 / 20<' in html
    assert 'data-testid="cell-occupancy-A-01">3<' in html
    assert 'data-testid="cell-occupancy-A-02">0<' in html


def test_add_block_and_cell(client, site, staff):
    client = login(client, staff("official"))
    response = client.post(
        reverse("inmates:block_add"),
        {"block-code": "g", "block-name": "Blok G (Gardenia)", "block-capacity": 40},
    )
    assert response.status_code == 302
    block = Block.objects.get(site=site, code="G")
    response = client.post(
        reverse("inmates:cell_add"),
        {"cell-block": block.pk, "cell-code": "G-01", "cell-capacity": 8},
    )
    assert response.status_code == 302
    assert Cell.objects.get(block=block).code == "G-01"
    again = client.post(
        reverse("inmates:cell_add"),
        {"cell-block": block.pk, "cell-code": "g-01", "cell-capacity": 8},
    )
    assert "sudah ada" in again.content.decode() and Cell.objects.count() == 1
    assert AuditEvent.objects.filter(action__in=["block.create", "cell.create"]).count() == 2


def test_cannot_add_a_cell_to_another_sites_block(client, staff, other_site):
    foreign = BlockFactory(site=other_site)
    response = login(client, staff("official")).post(
        reverse("inmates:cell_add"),
        {"cell-block": foreign.pk, "cell-code": "Z-01", "cell-capacity": 8},
    )
    assert response.status_code == 200 and not Cell.objects.exists()


def test_capacity_of_another_sites_cell_is_403(client, staff, other_site):
    foreign = CellFactory(block=BlockFactory(site=other_site), capacity=5)
    response = login(client, staff("official")).post(
        reverse("inmates:cell_capacity", args=[foreign.pk]), {"capacity": 50}
    )
    assert response.status_code == 403
    foreign.refresh_from_db()
    assert foreign.capacity == 5


def test_post_only_views_refuse_get(client, staff, site):
    block = BlockFactory(site=site)
    client = login(client, staff("official"))
    assert client.get(reverse("inmates:block_add")).status_code == 405
    assert client.get(reverse("inmates:block_capacity", args=[block.pk])).status_code == 405

"""SDP import through the screens with real files: preview, apply in one go, refusals."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pandai.core.models import AuditEvent
from pandai.inmates.models import EventKind, ImportBatch, Inmate, InmateEvent, InmateStatus
from pandai.inmates.tests.factories import BlockFactory, CellFactory, InmateFactory

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[3] / "samples" / "sdp-wbp-contoh.csv"
HEADER = "no_registrasi;nama;jenis_kelamin;status_hukum;tanggal_masuk;nik;blok;kamar"


@pytest.fixture
def housing(site):
    """The demo layout: blocks A-F named after flowers, cells A-01..F-10."""
    names = ["Anggrek", "Bougenville", "Cempaka", "Dahlia", "Edelweis", "Flamboyan"]
    cells = {}
    for code, flower in zip("ABCDEF", names, strict=True):
        block = BlockFactory(site=site, code=code, name=f"Blok {code} ({flower})")
        for n in range(1, 11):
            cell = CellFactory(block=block, code=f"{code}-{n:02d}", capacity=8)
            cells[cell.code] = cell
    return cells


@pytest.fixture
def officer(client, staff):
    client.force_login(staff("official"))
    return client


def upload(client, data: bytes, name="wbp.csv"):
    return client.post(
        reverse("inmates:import"), {"file": SimpleUploadedFile(name, data, "text/csv")}
    )


def csv_bytes(*rows, encoding="utf-8"):
    return ("\r\n".join([HEADER, *rows]) + "\r\n").encode(encoding)


def registry_state():
    return (
        sorted(
            Inmate.objects.values_list(
                "reg_no", "full_name", "cell_id", "status", "legal_status", "nik"
            )
        ),
        InmateEvent.objects.count(),
    )


def test_sample_file_preview_then_apply(officer, site, housing):
    response = upload(officer, SAMPLE.read_bytes(), "sdp-wbp-contoh.csv")
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("inmates:import_preview", args=[batch.pk])
    assert batch.summary == {"encoding": "utf-8", "delimiter": ";", "rows": 10}
    assert not Inmate.objects.exists()  # uploading changes nothing

    preview = officer.get(response["Location"]).content.decode()
    assert 'data-testid="count-baru">10<' in preview
    assert 'data-testid="count-galat">0<' in preview
    assert "Slamet Riyadi" in preview

    applied = officer.post(reverse("inmates:import_apply", args=[batch.pk]), follow=True)
    assert "Impor diterapkan: 10 WBP baru" in applied.content.decode()
    slamet = Inmate.objects.get(site=site, reg_no="BI.445/2023")
    assert slamet.cell == housing["B-03"] and slamet.legal_status == "narapidana"
    assert slamet.expected_release_date == dt.date(2027, 8, 13)
    assert slamet.events.get().kind == EventKind.ADMISSION
    assert Inmate.objects.filter(site=site).count() == 10
    batch.refresh_from_db()
    assert batch.applied_at is not None and batch.summary["applied"]["created"] == 10
    assert AuditEvent.objects.filter(action="inmate.import_apply").count() == 1


def test_changed_rows_update_and_move_and_unchanged_rows_stay(officer, site, housing):
    budi = InmateFactory(
        site=site,
        reg_no="AI.1/2024",
        full_name="Budi Santosa",
        legal_status="tahanan",
        admission_date=dt.date(2024, 2, 1),
        cell=housing["A-01"],
    )
    eko = InmateFactory(
        site=site,
        reg_no="AI.2/2024",
        full_name="Eko Prasetyo",
        legal_status="tahanan",
        admission_date=dt.date(2024, 2, 1),
        cell=housing["C-04"],
    )
    data = csv_bytes(
        "AI.1/2024;Budi Santoso;L;narapidana;01-02-2024;;A;A-05",
        "AI.2/2024;Eko Prasetyo;L;tahanan;01-02-2024;;C;C-04",
    )
    upload(officer, data)
    batch = ImportBatch.objects.get()
    preview = officer.get(reverse("inmates:import_preview", args=[batch.pk])).content.decode()
    assert 'data-testid="count-berubah">1<' in preview and 'data-testid="count-sama">1<' in preview
    assert "Budi Santosa" in preview and "Budi Santoso" in preview  # old -> new shown
    assert "A / A-05" in preview
    officer.post(reverse("inmates:import_apply", args=[batch.pk]))
    budi.refresh_from_db()
    eko_events = eko.events.count()
    assert (budi.full_name, budi.legal_status, budi.cell) == (
        "Budi Santoso",
        "narapidana",
        housing["A-05"],
    )
    assert budi.events.filter(kind=EventKind.CELL_MOVE, to_cell=housing["A-05"]).exists()
    assert budi.events.filter(kind=EventKind.UPDATE).exists()
    eko.refresh_from_db()
    assert eko.events.count() == eko_events == 0  # unchanged: no history row


def test_error_rows_block_the_apply_until_confirmed(officer, site, housing):
    data = csv_bytes(
        "AI.1/2024;Budi Santoso;L;tahanan;01-02-2024;;A;A-01",
        "AI.2/2024;Eko;L;tahanan;31-02-2024;;A;A-02",
        "AI.3/2024;Joko;L;tahanan;01-02-2024;123;A;A-03",
        "AI.4/2024;Agus;L;tahanan;01-02-2024;;G;G-01",
        "AI.5/2024;Dedi;L;tahanan;01-02-2024;;A;A-11",
    )
    upload(officer, data)
    batch = ImportBatch.objects.get()
    preview = officer.get(reverse("inmates:import_preview", args=[batch.pk])).content.decode()
    assert 'data-testid="count-galat">4<' in preview
    for reason in (
        "tanggal_masuk bukan tanggal yang benar: 31-02-2024",
        "NIK harus 16 angka",
        "blok G tidak ada di UPT ini",
        "kamar A-11 tidak ada di blok A",
    ):
        assert reason in preview
    assert 'id="skip-errors"' in preview

    before = registry_state()
    refused = officer.post(reverse("inmates:import_apply", args=[batch.pk]), follow=True)
    assert "Ada 4 baris galat" in refused.content.decode()
    assert registry_state() == before
    batch.refresh_from_db()
    assert batch.applied_at is None

    officer.post(reverse("inmates:import_apply", args=[batch.pk]), {"skip_errors": "on"})
    assert list(Inmate.objects.values_list("reg_no", flat=True)) == ["AI.1/2024"]
    batch.refresh_from_db()
    assert batch.summary["applied"] == {"created": 1, "changed": 0, "unchanged": 0, "skipped": 4}


def test_reapplying_an_applied_batch_is_refused(officer, site, housing):
    upload(officer, csv_bytes("AI.1/2024;Budi;L;tahanan;01-02-2024;;A;A-01"))
    batch = ImportBatch.objects.get()
    officer.post(reverse("inmates:import_apply", args=[batch.pk]))
    before = registry_state()
    again = officer.post(reverse("inmates:import_apply", args=[batch.pk]), follow=True)
    assert "sudah diterapkan" in again.content.decode()
    assert registry_state() == before
    assert AuditEvent.objects.filter(action="inmate.import_apply").count() == 1


def test_fixed_file_can_be_uploaded_again(officer, site, housing):
    upload(officer, csv_bytes("AI.1/2024;Budi;L;tahanan;01-02-2024;12;A;A-01"))
    upload(officer, csv_bytes("AI.1/2024;Budi;L;tahanan;01-02-2024;3316011203900001;A;A-01"))
    first, second = ImportBatch.objects.order_by("pk")
    response = officer.post(reverse("inmates:import_apply", args=[first.pk]), follow=True)
    assert "baris galat" in response.content.decode() and not Inmate.objects.exists()
    officer.post(reverse("inmates:import_apply", args=[second.pk]))
    assert Inmate.objects.get().nik == "3316011203900001"


def test_apply_is_all_or_nothing(officer, site, housing, monkeypatch):
    """A failure on the last row rolls back the rows before it."""
    from pandai.inmates.services import registry

    upload(
        officer,
        csv_bytes(
            "AI.1/2024;Budi;L;tahanan;01-02-2024;;A;A-01",
            "AI.2/2024;Eko;L;tahanan;01-02-2024;;A;A-02",
            "AI.3/2024;Joko;L;tahanan;01-02-2024;;A;A-03",
        ),
    )
    batch = ImportBatch.objects.get()
    real_admit = registry.inmate_admit

    def admit_failing_on_the_third(**kwargs):
        if kwargs["reg_no"] == "AI.3/2024":
            raise registry.InmateError("gagal buatan")
        return real_admit(**kwargs)

    monkeypatch.setattr("pandai.inmates.services.sdp.inmate_admit", admit_failing_on_the_third)
    response = officer.post(reverse("inmates:import_apply", args=[batch.pk]), follow=True)
    assert "gagal buatan" in response.content.decode()
    assert not Inmate.objects.exists() and not InmateEvent.objects.exists()
    batch.refresh_from_db()
    assert batch.applied_at is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"nama;alamat\nBudi;Blora\n", "Kolom wajib tidak ada: no_registrasi"),
        (b"", "kosong"),
        (b"\x00\x01\x02 binary", "bukan CSV"),
        (HEADER.encode() + b"\r\n", "tidak berisi baris data"),
    ],
)
def test_broken_csv_changes_nothing(officer, site, housing, data, message):
    InmateFactory(site=site, reg_no="AI.9/2024", cell=housing["A-01"])
    before = registry_state()
    response = upload(officer, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert registry_state() == before and not ImportBatch.objects.exists()


def test_oversize_upload_is_refused(officer, site, housing, settings):
    settings.PANDAI_MAX_IMPORT_BYTES = 1024
    rows = [f"AI.{n}/2024;Budi {n};L;tahanan;01-02-2024;;A;A-01" for n in range(100)]
    data = csv_bytes(*rows)
    assert len(data) > 1024
    response = upload(officer, data)
    assert "terlalu besar" in response.content.decode()
    assert not ImportBatch.objects.exists() and not Inmate.objects.exists()


def test_cp1252_file_through_the_screen(officer, site, housing):
    data = csv_bytes(
        "AI.1/2024;Muhammad Ridwan Ç;L;tahanan;01-02-2024;;A;A-01",
        "AI.2/2024;Siti Nur’aini;P;tahanan;01-02-2024;;F;F-01",
        encoding="cp1252",
    )
    upload(officer, data)
    batch = ImportBatch.objects.get()
    assert batch.summary["encoding"] == "cp1252"
    officer.post(reverse("inmates:import_apply", args=[batch.pk]))
    names = set(Inmate.objects.values_list("full_name", flat=True))
    assert names == {"Muhammad Ridwan Ç", "Siti Nur’aini"}


def test_changes_to_a_released_inmate_are_an_error(officer, site, housing):
    InmateFactory(
        site=site, reg_no="AI.1/2024", full_name="Budi", status=InmateStatus.RELEASED, cell=None
    )
    upload(officer, csv_bytes("AI.1/2024;Budi Santoso;L;tahanan;01-02-2024;;A;A-01"))
    batch = ImportBatch.objects.get()
    preview = officer.get(reverse("inmates:import_preview", args=[batch.pk])).content.decode()
    assert "sudah tidak aktif" in preview and 'data-testid="count-galat">1<' in preview


def test_another_sites_batch_is_403(client, staff, other_site):
    other_officer = staff("official", at=other_site)
    batch = ImportBatch.objects.create(
        site=other_site, filename="x.csv", content=HEADER, uploaded_by=other_officer
    )
    client.force_login(staff("official"))
    assert client.get(reverse("inmates:import_preview", args=[batch.pk])).status_code == 403
    assert client.post(reverse("inmates:import_apply", args=[batch.pk])).status_code == 403


@pytest.mark.parametrize("role", ["counter_officer", "cashier", "auditor"])
def test_import_needs_the_import_right(client, staff, role):
    client.force_login(staff(role))
    assert client.get(reverse("inmates:import")).status_code == 403


def test_apply_is_post_only(officer, site, housing):
    upload(officer, csv_bytes("AI.1/2024;Budi;L;tahanan;01-02-2024;;A;A-01"))
    batch = ImportBatch.objects.get()
    assert officer.get(reverse("inmates:import_apply", args=[batch.pk])).status_code == 405
    assert not Inmate.objects.exists()

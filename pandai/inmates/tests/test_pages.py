"""Every registry page renders for the head, in Indonesian and in English, without leftovers."""

import pytest
from django.conf import settings
from django.urls import reverse

from pandai.inmates import services
from pandai.inmates.models import ImportBatch
from pandai.inmates.tests.factories import InmateFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_page_renders(client, site, other_site, staff, language):
    head = staff("head")
    inmate = InmateFactory(site=site)
    card = services.card_issue(inmate=inmate, raw_uid="04A1B2C3", actor=head)
    batch = ImportBatch.objects.create(
        site=site,
        filename="wbp.csv",
        content="no_registrasi;nama;jenis_kelamin;status_hukum;tanggal_masuk\n"
        "AI.1/2024;Budi;L;tahanan;01-02-2024\n",
        uploaded_by=head,
    )
    client.force_login(head)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    pages = [
        reverse("inmates:list"),
        reverse("inmates:admit"),
        reverse("inmates:blocks"),
        reverse("inmates:import"),
        reverse("inmates:import_preview", args=[batch.pk]),
        *(
            reverse(f"inmates:{name}", args=[inmate.pk])
            for name in (
                "detail",
                "edit",
                "photo_upload",
                "move",
                "release",
                "transfer",
                "discipline",
                "cards",
                "pin_reset",
            )
        ),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert f'<html lang="{language}">' in html, url
        assert "{%" not in html and "{{" not in html, url
    assert client.get(reverse("inmates:card_pdf", args=[card.pk])).status_code == 200
    nav = client.get(reverse("inmates:list")).content.decode()
    assert reverse("inmates:import") in nav and reverse("inmates:blocks") in nav


@pytest.mark.parametrize("role", ["counter_officer", "cashier", "auditor"])
def test_nav_hides_import_and_blocks_from_roles_without_the_right(client, staff, role):
    client.force_login(staff(role))
    nav = client.get(reverse("inmates:list")).content.decode()
    assert reverse("inmates:import") not in nav and reverse("inmates:blocks") not in nav

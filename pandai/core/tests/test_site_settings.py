"""The site profile: head/admin change it (audited with old and new values), others can't."""

import pytest

from pandai.core.audit import audit_seal_pending
from pandai.core.models import AuditEvent, Site

pytestmark = pytest.mark.django_db

URL = "/upt/"


def test_head_changes_the_time_zone_and_the_audit_keeps_old_and_new(client, site, staff):
    client.force_login(staff("head"))
    response = client.post(
        URL,
        {
            "name": site.name,
            "site_class": "Kelas IIA",
            "address": "Jl. Baru 1",
            "time_zone": "Asia/Makassar",
        },
    )
    assert response.status_code == 302
    site.refresh_from_db()
    assert (site.site_class, site.time_zone) == ("Kelas IIA", "Asia/Makassar")
    audit_seal_pending()
    event = AuditEvent.objects.get(action="site.update")
    assert event.data["time_zone"] == ["Asia/Jakarta", "Asia/Makassar"]


def test_a_bad_time_zone_is_refused_and_nothing_changes(client, site, staff):
    client.force_login(staff("admin"))
    before = Site.objects.values().get(pk=site.pk)
    response = client.post(URL, {"name": "X", "time_zone": "Europe/Berlin"})
    assert response.status_code == 200
    assert "Europe/Berlin" in response.content.decode() or response.context["form"].errors
    assert Site.objects.values().get(pk=site.pk) == before
    assert not AuditEvent.objects.filter(action="site.update").exists()


@pytest.mark.parametrize("role", ["cashier", "counter_officer", "auditor", "official"])
def test_other_roles_cannot_change_the_site(client, site, staff, role):
    client.force_login(staff(role))
    before = Site.objects.values().get(pk=site.pk)
    response = client.post(URL, {"name": "Diubah", "time_zone": "Asia/Jayapura"})
    assert response.status_code == 403
    assert Site.objects.values().get(pk=site.pk) == before

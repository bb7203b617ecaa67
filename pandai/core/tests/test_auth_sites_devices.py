"""Logging in (lockout after failures, audited), switching the acting site, and devices
(token shown once, stored hashed, revocable)."""

import hashlib

import pytest
from django.urls import reverse

from pandai.core import services
from pandai.core.middleware import SESSION_KEY
from pandai.core.models import AuditEvent, Device, Membership, Role
from pandai.core.tests.factories import STAFF_PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/masuk/"


# --- login and lockout (django-axes, through the real login view) --------------------------


def test_login_with_the_right_password_is_audited(client, staff):
    user = staff("cashier")
    response = client.post(LOGIN, {"username": user.username, "password": STAFF_PASSWORD})
    assert response.status_code == 302 and response.url == reverse("core:home")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert AuditEvent.objects.filter(action="auth.login", actor=user).count() == 1


def test_five_failures_lock_the_account_even_for_the_right_password(client, staff):
    user = staff("cashier")
    for attempt in range(4):
        response = client.post(LOGIN, {"username": user.username, "password": f"salah-{attempt}"})
        assert response.status_code == 200, attempt
        assert response.context["form"].errors
    client.post(LOGIN, {"username": user.username, "password": "salah-5"})
    response = client.post(LOGIN, {"username": user.username, "password": STAFF_PASSWORD})
    assert response.status_code == 429
    assert "registration/locked.html" in [t.name for t in response.templates]
    assert "_auth_user_id" not in client.session
    failed = AuditEvent.objects.filter(action="auth.login_failed", actor_label=user.username)
    assert failed.count() >= 5
    assert not AuditEvent.objects.filter(action="auth.login", actor=user).exists()


def test_lockout_is_per_user_name_not_per_office_pc(client, staff):
    locked, colleague = staff("cashier"), staff("cashier")
    for attempt in range(5):
        client.post(LOGIN, {"username": locked.username, "password": f"salah-{attempt}"})
    response = client.post(LOGIN, {"username": colleague.username, "password": STAFF_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(colleague.pk)


def test_failures_below_the_limit_are_forgotten_after_a_good_login(client, staff):
    user = staff("cashier")
    for attempt in range(4):
        client.post(LOGIN, {"username": user.username, "password": f"salah-{attempt}"})
    good = client.post(LOGIN, {"username": user.username, "password": STAFF_PASSWORD})
    assert good.status_code == 302
    client.logout()
    for attempt in range(4):
        client.post(LOGIN, {"username": user.username, "password": f"lagi-{attempt}"})
    response = client.post(LOGIN, {"username": user.username, "password": STAFF_PASSWORD})
    assert response.status_code == 302


# --- the acting site --------------------------------------------------------------------------


@pytest.fixture
def two_site_user(staff, site, other_site):
    user = staff("head")
    Membership.objects.create(user=user, site=other_site, role=Role.AUDITOR)
    return user


def test_switching_site_moves_request_site_and_roles(client, two_site_user, site, other_site):
    client.force_login(two_site_user)
    home = client.get(reverse("core:home"))
    first = home.wsgi_request.site
    assert first in (site, other_site)
    target = other_site if first == site else site
    response = client.post(reverse("core:switch_site"), {"site": target.pk})
    assert response.status_code == 302
    home = client.get(reverse("core:home"))
    assert home.wsgi_request.site == target
    expected = {"auditor"} if target == other_site else {"head"}
    assert set(home.wsgi_request.roles) == expected
    assert client.session[SESSION_KEY] == target.pk


def test_switching_to_a_site_you_do_not_belong_to_is_403(client, staff, site, other_site):
    user = staff("head")
    client.force_login(user)
    client.get(reverse("core:home"))
    for bad in (other_site.pk, "", "abc", 999999):
        response = client.post(reverse("core:switch_site"), {"site": bad})
        assert response.status_code == 403, bad
    assert client.get(reverse("core:home")).wsgi_request.site == site


def test_switch_site_needs_post(client, two_site_user):
    client.force_login(two_site_user)
    assert client.get(reverse("core:switch_site")).status_code == 405


def test_removed_from_the_acting_site_falls_back_to_a_site_still_held(
    client, two_site_user, site, other_site
):
    client.force_login(two_site_user)
    client.post(reverse("core:switch_site"), {"site": other_site.pk})
    Membership.objects.filter(user=two_site_user, site=other_site).delete()
    response = client.get(reverse("core:home"))
    assert response.wsgi_request.site == site
    assert set(response.wsgi_request.roles) == {"head"}


def test_user_without_any_site_gets_the_no_site_page(client, staff):
    user = staff()  # no roles anywhere
    client.force_login(user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 403
    assert "core/no_site.html" in [t.name for t in response.templates]


# --- devices ---------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff("admin"))
    return client


def test_device_token_is_shown_once_and_only_its_hash_is_stored(admin_client, site):
    response = admin_client.post(reverse("core:device_list"), {"kind": "pos", "name": "Kasir 1"})
    assert response.status_code == 200
    token = response.context["new_token"]
    assert token and len(token) >= 40
    assert token in response.content.decode()
    device = Device.objects.get(site=site, name="Kasir 1")
    assert device.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = [str(v) for v in Device.objects.filter(pk=device.pk).values().first().values()]
    assert not any(token in value for value in stored)
    assert not any(token in str(e.data) for e in AuditEvent.objects.all())
    again = admin_client.get(reverse("core:device_list"))
    assert token not in again.content.decode()
    assert services.device_authenticate(token=token) == device


def test_duplicate_device_name_is_refused(admin_client, site):
    admin_client.post(reverse("core:device_list"), {"kind": "pos", "name": "Kasir 1"})
    response = admin_client.post(reverse("core:device_list"), {"kind": "kiosk", "name": "Kasir 1"})
    assert response.context["form"].errors["name"]
    assert response.context["new_token"] is None
    assert Device.objects.filter(site=site).count() == 1


def test_revoked_device_token_stops_working(admin_client, site, staff):
    device, token = services.device_register(
        site=site, kind="kiosk", name="Kios Blok A", actor=staff("admin")
    )
    response = admin_client.post(reverse("core:device_revoke", args=[device.pk]))
    assert response.status_code == 302
    device.refresh_from_db()
    assert not device.is_active and device.revoked_at is not None
    assert services.device_authenticate(token=token) is None
    assert AuditEvent.objects.filter(action="device.revoke", object_id=str(device.pk)).exists()


def test_revoking_another_sites_device_is_403(admin_client, other_site, staff):
    device, token = services.device_register(
        site=other_site, kind="pos", name="Kasir SMG", actor=staff("admin", at=other_site)
    )
    assert admin_client.post(reverse("core:device_revoke", args=[device.pk])).status_code == 403
    device.refresh_from_db()
    assert device.is_active
    assert services.device_authenticate(token=token) == device


def test_unknown_or_empty_device_token_is_refused(site, staff):
    services.device_register(site=site, kind="pos", name="Kasir 1", actor=staff("admin"))
    assert services.device_authenticate(token="") is None
    assert services.device_authenticate(token="bukan-token") is None

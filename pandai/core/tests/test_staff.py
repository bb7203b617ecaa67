"""Staff management by an admin: create, roles, password reset, deactivate; the limits on
what an admin may do to themself and to another site's staff. Every change is audited."""

import pytest
from django.test import Client
from django.urls import reverse

from pandai.core.audit import audit_seal_pending, audit_verify
from pandai.core.models import AuditEvent, Membership, Role, User
from pandai.core.tests.factories import STAFF_PASSWORD

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Kopi-Tubruk-Blora-77"


@pytest.fixture
def admin(staff):
    return staff("admin", username="admin")


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


@pytest.fixture
def client_factory():
    return Client


def roles_of(user, site):
    return set(Membership.objects.filter(user=user, site=site).values_list("role", flat=True))


def audit_rows(action):
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_admin_creates_a_user_with_roles(admin_client, admin, site):
    response = admin_client.post(
        reverse("core:staff_create"),
        {
            "username": "siti.kasir",
            "full_name": "Siti Rahayu",
            "nip": "199001012015032001",
            "password": GOOD_PASSWORD,
            "roles": ["cashier", "auditor"],
        },
    )
    assert response.status_code == 302 and response.url == reverse("core:staff_list")
    user = User.objects.get(username="siti.kasir")
    assert user.full_name == "Siti Rahayu" and user.is_active
    assert user.check_password(GOOD_PASSWORD)
    assert roles_of(user, site) == {"cashier", "auditor"}
    [row] = audit_rows("staff.create")
    assert (row.actor, row.site, row.object_id) == (admin, site, str(user.pk))
    assert row.data == {"username": "siti.kasir", "roles": ["auditor", "cashier"]}
    assert GOOD_PASSWORD not in str(row.data)


@pytest.mark.parametrize(
    ("fields", "field_with_error"),
    [
        ({"username": "Siti Kasir"}, "username"),  # capitals and a space
        ({"username": "ab"}, "username"),  # too short
        ({"username": "admin"}, "username"),  # taken
        ({"password": "12345678"}, "password"),  # numeric and common
        ({"password": "pendek"}, "password"),  # too short
        ({"password": "siti.kasir1"}, "password"),  # like the user name
        ({"roles": []}, "roles"),
        ({"roles": ["superuser"]}, "roles"),
        ({"nip": "12345"}, "nip"),
    ],
)
def test_bad_input_shows_an_error_and_creates_nothing(admin_client, fields, field_with_error):
    data = {
        "username": "siti.kasir",
        "full_name": "Siti Rahayu",
        "password": GOOD_PASSWORD,
        "roles": ["cashier"],
        **fields,
    }
    users_before, audit_before = User.objects.count(), AuditEvent.objects.count()
    response = admin_client.post(reverse("core:staff_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors.get(field_with_error)
    assert User.objects.count() == users_before
    assert not Membership.objects.filter(user__username="siti.kasir").exists()
    assert AuditEvent.objects.count() == audit_before


def test_admin_edits_roles_and_the_change_is_audited(admin_client, admin, staff, site):
    user = staff("cashier")
    response = admin_client.post(
        reverse("core:staff_edit", args=[user.pk]),
        {"full_name": "Budi Santoso", "nip": "", "roles": ["shop_manager", "auditor"]},
    )
    assert response.status_code == 302
    assert roles_of(user, site) == {"shop_manager", "auditor"}
    user.refresh_from_db()
    assert user.full_name == "Budi Santoso"
    [row] = audit_rows("staff.roles")
    assert row.actor == admin and row.object_id == str(user.pk)
    assert row.data == {"added": ["auditor", "shop_manager"], "removed": ["cashier"]}
    audit_seal_pending()
    assert audit_verify().ok


def test_editing_roles_at_one_site_leaves_the_other_site_alone(
    admin_client, staff, site, other_site
):
    user = staff("cashier")
    Membership.objects.create(user=user, site=other_site, role=Role.HEAD)
    admin_client.post(
        reverse("core:staff_edit", args=[user.pk]),
        {"full_name": "Budi", "nip": "", "roles": ["auditor"]},
    )
    assert roles_of(user, site) == {"auditor"}
    assert roles_of(user, other_site) == {"head"}


def test_unchanged_roles_write_no_role_audit_row(admin_client, staff):
    user = staff("cashier")
    admin_client.post(
        reverse("core:staff_edit", args=[user.pk]),
        {"full_name": user.full_name, "nip": "", "roles": ["cashier"]},
    )
    assert audit_rows("staff.roles") == []


def test_admin_resets_a_password(admin_client, admin, staff):
    user = staff("cashier")
    response = admin_client.post(
        reverse("core:staff_password", args=[user.pk]), {"password": GOOD_PASSWORD}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(GOOD_PASSWORD) and not user.check_password(STAFF_PASSWORD)
    [row] = audit_rows("staff.password_reset")
    assert row.actor == admin and row.object_id == str(user.pk)


def test_weak_reset_password_is_refused_and_the_old_one_still_works(admin_client, staff):
    user = staff("cashier")
    response = admin_client.post(
        reverse("core:staff_password", args=[user.pk]), {"password": "password"}
    )
    assert response.status_code == 200 and response.context["form"].errors["password"]
    user.refresh_from_db()
    assert user.check_password(STAFF_PASSWORD)
    assert audit_rows("staff.password_reset") == []


def test_deactivated_user_is_kept_cannot_log_in_and_loses_their_session(
    admin_client, admin, staff, client_factory
):
    user = staff("cashier")
    their_client = client_factory()
    their_client.force_login(user)
    assert their_client.get(reverse("core:home")).status_code == 200
    response = admin_client.post(reverse("core:staff_active", args=[user.pk]), {"active": "0"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    assert User.objects.filter(pk=user.pk).exists()
    assert audit_rows("staff.deactivate")[0].object_id == str(user.pk)
    # The open session ends, and the login form refuses the right password.
    assert their_client.get(reverse("core:home")).status_code == 302
    fresh = client_factory()
    response = fresh.post(reverse("login"), {"username": user.username, "password": STAFF_PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in fresh.session
    # Reactivation works the same way and is audited too.
    admin_client.post(reverse("core:staff_active", args=[user.pk]), {"active": "1"})
    user.refresh_from_db()
    assert user.is_active and audit_rows("staff.activate")


def test_admin_cannot_deactivate_self(admin_client, admin):
    response = admin_client.post(
        reverse("core:staff_active", args=[admin.pk]), {"active": "0"}, follow=True
    )
    admin.refresh_from_db()
    assert admin.is_active
    assert "menonaktifkan akun Anda sendiri" in response.content.decode()
    assert audit_rows("staff.deactivate") == []


def test_admin_cannot_remove_own_admin_role(admin_client, admin, site):
    response = admin_client.post(
        reverse("core:staff_edit", args=[admin.pk]),
        {"full_name": "Admin", "nip": "", "roles": ["auditor"]},
    )
    assert response.status_code == 200 and response.context["form"].errors["roles"]
    assert roles_of(admin, site) == {"admin"}
    assert audit_rows("staff.roles") == [] and audit_rows("staff.update") == []


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("core:staff_edit", {"full_name": "X", "nip": "", "roles": ["admin"]}),
        ("core:staff_password", {"password": GOOD_PASSWORD}),
        ("core:staff_active", {"active": "0"}),
    ],
)
def test_admin_cannot_touch_a_user_of_another_site_only(
    admin_client, staff, other_site, name, data
):
    stranger = staff("cashier", at=other_site)
    url = reverse(name, args=[stranger.pk])
    if name != "core:staff_active":
        assert admin_client.get(url).status_code == 403
    assert admin_client.post(url, data).status_code == 403
    stranger.refresh_from_db()
    assert stranger.is_active and stranger.check_password(STAFF_PASSWORD)
    assert roles_of(stranger, other_site) == {"cashier"}
    assert not Membership.objects.exclude(site=other_site).filter(user=stranger).exists()
    assert not AuditEvent.objects.filter(action__startswith="staff.").exists()


def test_staff_list_shows_only_this_sites_staff(admin_client, staff, other_site):
    here = staff("cashier", username="kasir.blora")
    staff("cashier", at=other_site, username="kasir.semarang")
    response = admin_client.get(reverse("core:staff_list"))
    users = list(response.context["staff"])
    assert here in users
    assert not [u for u in users if u.username == "kasir.semarang"]


def test_staff_list_query_count_does_not_grow_with_staff(
    admin_client, staff, django_assert_max_num_queries
):
    for _ in range(3):
        staff("cashier")
    with django_assert_max_num_queries(12) as few:
        admin_client.get(reverse("core:staff_list"))
    for _ in range(10):
        staff("auditor")
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client.get(reverse("core:staff_list"))


def test_edit_audits_which_fields_changed_and_nothing_when_unchanged(admin_client, staff):
    user = staff("cashier")
    url = reverse("core:staff_edit", args=[user.pk])
    admin_client.post(url, {"full_name": "Nama Baru", "nip": "", "roles": ["cashier"]})
    [row] = audit_rows("staff.update")
    assert row.data == {"fields": ["full_name"]}
    admin_client.post(url, {"full_name": "Nama Baru", "nip": "", "roles": ["cashier"]})
    assert len(audit_rows("staff.update")) == 1

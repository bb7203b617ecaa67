"""Writes of core data: staff accounts and roles, devices, site holidays. Each one audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.password_validation import validate_password
from django.db import connection, transaction
from django.utils import timezone

from pandai.core.audit import audit_append, prepared_cursor
from pandai.core.models import (
    Device,
    DeviceKind,
    Membership,
    Role,
    Site,
    SiteHoliday,
    TimeZone,
    User,
)


@transaction.atomic
def site_create(
    *,
    name: str,
    code: str,
    site_class: str = "",
    address: str = "",
    time_zone: str = TimeZone.WIB,
    actor: User | None,
) -> Site:
    """Register a UPT. Codes are short upper-case tags (BLR) and never reused."""
    site = Site.objects.create(
        name=name,
        code=code.strip().upper(),
        site_class=site_class,
        address=address,
        time_zone=TimeZone(time_zone).value,
    )
    audit_append(
        action="site.create",
        site=site,
        actor=actor,
        obj=site,
        data={"name": name, "code": site.code, "time_zone": site.time_zone},
    )
    return site


SITE_PROFILE_FIELDS = ("name", "site_class", "address", "time_zone")


@transaction.atomic
def site_update(*, site: Site, actor: User, **fields: str) -> list[str]:
    """Change the site's profile (name, class, address, time zone); the old and new values
    go to the audit chain. The code never changes (it is part of receipt numbers)."""
    unknown = set(fields) - set(SITE_PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown site fields: {sorted(unknown)}")
    if "time_zone" in fields:
        fields["time_zone"] = TimeZone(fields["time_zone"]).value
    changes = {
        name: [getattr(site, name), value]
        for name, value in fields.items()
        if getattr(site, name) != value
    }
    if not changes:
        return []
    for name, (_old, new) in changes.items():
        setattr(site, name, new)
    site.save(update_fields=list(changes))
    audit_append(action="site.update", site=site, actor=actor, obj=site, data=changes)
    return list(changes)


def _set_roles(*, user: User, site: Site, roles: Iterable[str]) -> tuple[set[str], set[str]]:
    wanted = {Role(r).value for r in roles}
    current = set(Membership.objects.filter(user=user, site=site).values_list("role", flat=True))
    Membership.objects.filter(user=user, site=site, role__in=current - wanted).delete()
    Membership.objects.bulk_create(
        [Membership(user=user, site=site, role=r) for r in sorted(wanted - current)]
    )
    return wanted - current, current - wanted


@transaction.atomic
def staff_create(
    *,
    username: str,
    full_name: str,
    password: str,
    site: Site,
    roles: Iterable[str],
    actor: User | None,
    nip: str = "",
) -> User:
    """Create a staff account with roles at `site`; actor None only when setting up (the
    first admin of an installation)."""
    user = User(username=username, full_name=full_name, nip=nip)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    added, _ = _set_roles(user=user, site=site, roles=roles)
    audit_append(
        action="staff.create",
        site=site,
        actor=actor,
        obj=user,
        data={"username": username, "roles": sorted(added)},
    )
    return user


@transaction.atomic
def staff_set_roles(*, user: User, site: Site, roles: Iterable[str], actor: User) -> None:
    added, removed = _set_roles(user=user, site=site, roles=roles)
    if added or removed:
        audit_append(
            action="staff.roles",
            site=site,
            actor=actor,
            obj=user,
            data={"added": sorted(added), "removed": sorted(removed)},
        )


@transaction.atomic
def staff_update(*, user: User, full_name: str, nip: str, site: Site, actor: User) -> None:
    changed = [
        name
        for name, value in (("full_name", full_name), ("nip", nip))
        if getattr(user, name) != value
    ]
    if not changed:
        return
    user.full_name = full_name
    user.nip = nip
    user.save(update_fields=changed)
    audit_append(action="staff.update", site=site, actor=actor, obj=user, data={"fields": changed})


@transaction.atomic
def staff_reset_password(*, user: User, password: str, site: Site, actor: User) -> None:
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_append(action="staff.password_reset", site=site, actor=actor, obj=user)


@transaction.atomic
def staff_set_active(*, user: User, active: bool, site: Site, actor: User) -> None:
    """Deactivate or reactivate; staff are never deleted (the audit chain points at them)."""
    if user.pk == actor.pk and not active:
        raise ValueError("cannot deactivate yourself")
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_append(
        action="staff.activate" if active else "staff.deactivate", site=site, actor=actor, obj=user
    )


@transaction.atomic
def device_register(*, site: Site, kind: str, name: str, actor: User) -> tuple[Device, str]:
    """Register a device; returns it with its token, which is shown once and stored hashed."""
    token = Device.new_token()
    device = Device.objects.create(
        site=site, kind=DeviceKind(kind).value, name=name, token_hash=Device.hash_token(token)
    )
    audit_append(
        action="device.register",
        site=site,
        actor=actor,
        obj=device,
        data={"kind": kind, "name": name},
    )
    return device, token


@transaction.atomic
def device_revoke(*, device: Device, actor: User) -> None:
    device.is_active = False
    device.revoked_at = timezone.now()
    device.save(update_fields=["is_active", "revoked_at"])
    audit_append(action="device.revoke", site=device.site, actor=actor, obj=device)


# What a request reads of its device (its datetimes load on first access, through the ORM's
# converters) and all of its site's columns, in the models' field order as `from_db` takes them.
_DEVICE_FIELDS = ["id", "site_id", "kind", "name", "is_active"]
_SITE_FIELDS = [f.attname for f in Site._meta.concrete_fields]
_IN_ORDER = [f.attname for f in Device._meta.concrete_fields if f.attname in _DEVICE_FIELDS]
assert _IN_ORDER == _DEVICE_FIELDS, f"Device.from_db needs {_IN_ORDER}"
# Every API request of a terminal runs this: one fixed text (prepared on PostgreSQL), read
# afresh each time, so a revoked or deactivated device is refused from its next request on.
_DEVICE_SQL = (
    f"SELECT {', '.join('d.' + f for f in _DEVICE_FIELDS)}, "  # noqa: S608 -- names, not values
    f"{', '.join('s.' + str(f.column) for f in Site._meta.concrete_fields)} "
    f"FROM {Device._meta.db_table} d JOIN {Site._meta.db_table} s ON s.id = d.site_id "
    "WHERE d.token_hash = %s AND d.is_active"
)


def device_authenticate(*, token: str, kinds: Iterable[str] | None = None) -> Device | None:
    """The active device holding `token` (of one of `kinds`, when given) with its site, or
    None."""
    if not token:
        return None
    with prepared_cursor() as cursor:
        cursor.execute(_DEVICE_SQL, [Device.hash_token(token)])
        row = cursor.fetchone()  # the token hash is unique: one row at most
    if row is None:
        return None
    n = len(_DEVICE_FIELDS)
    device = Device.from_db(connection.alias, _DEVICE_FIELDS, row[:n])
    if kinds is not None and device.kind not in kinds:
        return None
    device.site = Site.from_db(connection.alias, _SITE_FIELDS, row[n:])
    return device


@transaction.atomic
def site_holiday_add(*, site: Site, date: dt.date, name: str, actor: User) -> SiteHoliday:
    holiday = SiteHoliday.objects.create(site=site, date=date, name=name)
    audit_append(
        action="calendar.holiday_add",
        site=site,
        actor=actor,
        obj=holiday,
        data={"date": date.isoformat(), "name": name},
    )
    return holiday

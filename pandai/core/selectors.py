"""Reads of core data: memberships, staff lists, audit events."""

from __future__ import annotations

from django.db.models import QuerySet

from pandai.core.models import AuditEvent, Membership, Site, User


def memberships_by_site(*, user: User) -> dict[int, tuple[Site, frozenset[str]]]:
    """{site_id: (site, roles)} for an active user's active sites, ordered by site name."""
    out: dict[int, tuple[Site, set[str]]] = {}
    for m in (
        Membership.objects.filter(user=user, site__is_active=True)
        .select_related("site")
        .order_by("site__name", "role")
    ):
        out.setdefault(m.site_id, (m.site, set()))[1].add(m.role)
    return {k: (site, frozenset(roles)) for k, (site, roles) in out.items()}


def staff_for_site(*, site: Site) -> QuerySet[User]:
    return (
        User.objects.filter(memberships__site=site)
        .distinct()
        .prefetch_related("memberships__site")
        .order_by("username")
    )


def audit_events_for_site(*, site: Site) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(site=site).select_related("actor").order_by("-id")

"""Reads of the inmate registry, always scoped to one site."""

from __future__ import annotations

from itertools import chain
from typing import Any

from django.db.models import Q, QuerySet

from pandai.core.models import Site
from pandai.inmates.models import Block, Card, DisciplineEntry, Inmate, InmateEvent


def inmate_search(
    *, site: Site, q: str = "", status: str = "", block: str = ""
) -> QuerySet[Inmate]:
    qs = Inmate.objects.filter(site=site).select_related("cell__block")
    if q:
        qs = qs.filter(Q(full_name__icontains=q) | Q(reg_no__icontains=q) | Q(alias__icontains=q))
    if status:
        qs = qs.filter(status=status)
    if block:
        qs = qs.filter(cell__block__code=block)
    return qs.order_by("full_name", "reg_no")


def blocks_for_site(*, site: Site) -> QuerySet[Block]:
    return Block.objects.filter(site=site).prefetch_related("cells").order_by("code")


def inmate_timeline(*, inmate: Inmate) -> list[dict[str, Any]]:
    """Movements and Register F entries, newest first, as one list for the timeline."""
    events = InmateEvent.objects.filter(inmate=inmate).select_related(
        "from_cell__block", "to_cell__block", "other_site", "actor"
    )
    discipline = DisciplineEntry.objects.filter(inmate=inmate).select_related("actor")
    items = chain(
        ({"date": e.date, "kind": "event", "event": e} for e in events),
        ({"date": d.date, "kind": "discipline", "entry": d} for d in discipline),
    )
    return sorted(items, key=lambda item: item["date"], reverse=True)


def inmate_cards(*, inmate: Inmate) -> QuerySet[Card]:
    return Card.objects.filter(inmate=inmate).select_related("issued_by").order_by("-issued_at")


def active_card(*, inmate: Inmate) -> Card | None:
    return Card.objects.filter(inmate=inmate, status="active").first()

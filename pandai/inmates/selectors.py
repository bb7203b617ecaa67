"""Reads of the inmate registry, always scoped to one site."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from itertools import chain
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from pandai.core.calendar import site_today
from pandai.core.models import Site
from pandai.inmates import sdp_import
from pandai.inmates.models import (
    Block,
    Card,
    Cell,
    DisciplineEntry,
    ImportBatch,
    Inmate,
    InmateEvent,
    InmateStatus,
    Pin,
)


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


def blocks_with_occupancy(*, site: Site) -> list[Block]:
    """Blocks with their cells, each annotated with `occupants` (active inmates), in two
    queries whatever the number of blocks."""
    active = Q(inmates__status=InmateStatus.ACTIVE)
    cells = Cell.objects.annotate(occupants=Count("inmates", filter=active)).order_by("code")
    blocks = list(
        Block.objects.filter(site=site)
        .prefetch_related(Prefetch("cells", queryset=cells))
        .order_by("code")
    )
    for block in blocks:
        block.occupants = sum(c.occupants for c in block.cells.all())  # type: ignore[attr-defined]
        block.cell_capacity = sum(c.capacity for c in block.cells.all())  # type: ignore[attr-defined]
    return blocks


def cells_for_site(*, site: Site) -> QuerySet[Cell]:
    return (
        Cell.objects.filter(block__site=site)
        .select_related("block")
        .annotate(occupants=Count("inmates", filter=Q(inmates__status=InmateStatus.ACTIVE)))
        .order_by("block__code", "code")
    )


def transfer_targets(*, site: Site) -> QuerySet[Site]:
    return Site.objects.filter(is_active=True).exclude(pk=site.pk).order_by("name")


def pin_locked_until(*, inmate: Inmate, now: dt.datetime) -> dt.datetime | None:
    pin = Pin.objects.filter(inmate=inmate).first()
    if pin is not None and pin.locked_until and pin.locked_until > now:
        return pin.locked_until
    return None


# --- SDP import ------------------------------------------------------------------------------


def import_batches(*, site: Site) -> QuerySet[ImportBatch]:
    return (
        ImportBatch.objects.filter(site=site)
        .select_related("uploaded_by", "applied_by")
        .defer("content")
        .order_by("-uploaded_at", "-pk")
    )


def sdp_housing(*, site: Site) -> sdp_import.Housing:
    cells = Cell.objects.filter(block__site=site).values_list("block__code", "code", "pk")
    return sdp_import.Housing(
        blocks=frozenset(
            code.upper() for code in Block.objects.filter(site=site).values_list("code", flat=True)
        ),
        cells={(b.upper(), c.upper()): pk for b, c, pk in cells},
    )


def sdp_existing(
    *, site: Site, reg_nos: Iterable[str], lock: bool = False
) -> dict[str, sdp_import.Existing]:
    """The registry's view of these registration numbers, keyed by reg_no (upper case)."""
    qs = Inmate.objects.filter(site=site, reg_no__in=list(reg_nos)).select_related("cell__block")
    if lock:
        qs = qs.select_for_update(of=("self",))
    out = {}
    for inmate in qs:
        cell = inmate.cell
        out[inmate.reg_no.upper()] = sdp_import.Existing(
            pk=inmate.pk,
            active=inmate.status == InmateStatus.ACTIVE,
            fields={name: getattr(inmate, name) for name in sdp_import.FIELD_OF_COLUMN.values()},
            block=cell.block.code if cell else "",
            cell=cell.code if cell else "",
            cell_pk=cell.pk if cell else None,
        )
    return out


def sdp_plan(
    *, batch: ImportBatch, lock: bool = False
) -> tuple[sdp_import.SdpFile, list[sdp_import.RowPlan]]:
    """Parse a stored batch and compare it with the registry as it is now.

    Raises sdp_import.SdpFileError if the stored file is unusable."""
    site = batch.site
    sdp = sdp_import.parse_text(
        batch.content, today=site_today(site), encoding=batch.summary.get("encoding", "utf-8")
    )
    existing = sdp_existing(site=site, reg_nos=[r.reg_no for r in sdp.rows], lock=lock)
    return sdp, sdp_import.plan(sdp, existing=existing, housing=sdp_housing(site=site))

"""Demo inmate registry: blocks and cells, inmates with photos, cards and PINs, and some history
(orientation-cell moves, Register F entries, releases, transfers to Semarang)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from pandai.core.models import Site, User
from pandai.demo import names
from pandai.demo.avatars import draw_avatar
from pandai.demo.context import DemoContext
from pandai.demo.people import CellSpec, InmateSpec, cells_for, inmate_specs
from pandai.inmates import services
from pandai.inmates.models import Cell, Inmate

BLORA_BLOCKS = {
    "A": "Blok A (Anggrek)",
    "B": "Blok B (Bougenville)",
    "C": "Blok C (Cempaka)",
    "D": "Blok D (Dahlia)",
    "E": "Blok E (Edelweis)",
    "F": "Blok F (Flamboyan)",  # women
}
SEMARANG_BLOCKS = {"A": "Blok A (Arjuna)", "B": "Blok B (Bima)"}
NOTE = "Data demo"


def _housing(
    site: Site, blocks: dict[str, str], cells: list[CellSpec], actor: User
) -> dict[CellSpec, Cell]:
    out: dict[CellSpec, Cell] = {}
    for code, name in blocks.items():
        mine = [c for c in cells if c.block_code == code]
        block = services.block_create(
            site=site, code=code, name=name, capacity=sum(c.capacity for c in mine), actor=actor
        )
        for spec in mine:
            out[spec] = services.cell_create(
                block=block, code=spec.code, capacity=spec.capacity, actor=actor
            )
    return out


def _admit(
    site: Site,
    spec: InmateSpec,
    cell: Cell,
    *,
    official: User,
    counter: User,
    seed: int,
    card: bool = True,
) -> Inmate:
    inmate = services.inmate_admit(
        site=site,
        reg_no=spec.reg_no,
        actor=official,
        cell=cell,
        note=NOTE,
        full_name=spec.full_name,
        alias=spec.alias,
        nik=spec.nik,
        gender=spec.gender,
        birth_date=spec.birth_date,
        legal_status=spec.legal_status,
        admission_date=spec.admission_date,
        expected_release_date=spec.expected_release_date,
    )
    photo = draw_avatar(
        name=spec.full_name, gender=spec.gender, legal_status=spec.legal_status, seed=seed
    )
    services.inmate_set_photo(inmate=inmate, data=photo, actor=official)
    if card:
        services.card_issue(inmate=inmate, raw_uid=spec.uid, actor=counter)
        services.pin_set(inmate=inmate, pin=spec.pin, actor=counter)
    return inmate


def _load_site(
    ctx: DemoContext,
    rng: random.Random,
    site: Site,
    blocks: dict[str, str],
    *,
    count: int,
    women_block: str | None,
    featured: bool,
) -> list[tuple[InmateSpec, Inmate]]:
    admin, official, counter = ctx.staff["admin"], ctx.staff["pejabat"], ctx.staff["loket"]
    cell_specs = cells_for(rng, "".join(blocks), 10 if featured else 5)
    cells = _housing(site, blocks, cell_specs, admin)
    specs = inmate_specs(
        rng,
        today=ctx.today,
        count=count,
        cells=cell_specs,
        women_block=women_block,
        featured=featured,
    )
    # New arrivals spend their first weeks in an orientation cell (mapenaling) of their block
    # group, then move: this gives some inmates a cell move on their timeline.
    movers = set(rng.sample(range(len(specs)), k=min(20, len(specs))))
    done: list[tuple[InmateSpec, Inmate]] = []
    for index, spec in enumerate(specs):
        cell = cells[spec.cell]
        first = cell
        moved_on = spec.admission_date + dt.timedelta(days=rng.randint(7, 30))
        if index in movers and moved_on <= ctx.today:
            women = spec.cell.block_code == women_block
            same_group = [
                c for s, c in cells.items() if (s.block_code == women_block) == women and c != cell
            ]
            first = rng.choice(same_group) if same_group else cell
        inmate = _admit(
            site, spec, first, official=official, counter=counter, seed=rng.getrandbits(32)
        )
        if first != cell:
            services.inmate_move_cell(
                inmate=inmate, cell=cell, date=moved_on, actor=official, note="Selesai mapenaling"
            )
        done.append((spec, inmate))
        ctx.pins[inmate.pk] = spec.pin  # for steps that sell at the till (card + PIN)
    return done


def _discipline(
    ctx: DemoContext, rng: random.Random, held: list[tuple[InmateSpec, Inmate]]
) -> None:
    official = ctx.staff["pejabat"]
    for spec, inmate in held:
        if spec.featured == 3:  # a sanction running now: the shop is limited to essentials
            offence, sanction, _ = names.OFFENCES[0]
            start = max(spec.admission_date, ctx.today - dt.timedelta(days=4))
            services.discipline_add(
                inmate=inmate,
                date=start,
                offence=offence,
                sanction=sanction,
                actor=official,
                end_date=ctx.today + dt.timedelta(days=8),
                restricts_shop=True,
            )
    ordinary = [pair for pair in held if pair[0].featured is None]
    for spec, inmate in rng.sample(ordinary, k=min(12, len(ordinary))):
        offence, sanction, restricts = rng.choice(names.OFFENCES)
        last_start = ctx.today - dt.timedelta(days=20)
        if spec.admission_date >= last_start:
            continue
        start = spec.admission_date + dt.timedelta(
            days=rng.randint(0, (last_start - spec.admission_date).days)
        )
        services.discipline_add(
            inmate=inmate,
            date=start,
            offence=offence,
            sanction=sanction,
            actor=official,
            end_date=start + dt.timedelta(days=rng.randint(6, 14)),
            restricts_shop=restricts,
        )


def _released(ctx: DemoContext, rng: random.Random, cells: list[Cell]) -> None:
    """A few people released in 2024-2025: their records and retired cards stay."""
    official, counter, site = ctx.staff["pejabat"], ctx.staff["loket"], ctx.home
    cell_spec = CellSpec("A", "A-01", 0)
    taken = set(Inmate.objects.filter(site=site).values_list("reg_no", flat=True))
    for spec in inmate_specs(
        rng,
        today=dt.date(2023, 12, 1),
        count=6,
        cells=[cell_spec],
        women_block=None,
        featured=False,
    ):
        if spec.reg_no in taken:
            continue
        release = spec.expected_release_date or spec.admission_date + dt.timedelta(days=200)
        release = min(release, dt.date(2025, 10, 31), ctx.today)
        spec = dataclasses.replace(spec, expected_release_date=release)
        inmate = _admit(
            site,
            spec,
            rng.choice(cells),
            official=official,
            counter=counter,
            seed=rng.getrandbits(32),
        )
        services.inmate_release(inmate=inmate, date=release, actor=official, note="Bebas murni")


def load_inmates(ctx: DemoContext) -> None:
    rng = ctx.rng("inmates")
    blora, semarang = ctx.sites["BLR"], ctx.sites["SMG"]
    held = _load_site(
        ctx, rng, blora, BLORA_BLOCKS, count=ctx.inmate_count, women_block="F", featured=True
    )
    _discipline(ctx, rng, held)
    men_cells = list(Cell.objects.filter(block__site=blora).exclude(block__code="F"))
    _released(ctx, rng, men_cells)
    smg = _load_site(
        ctx,
        rng,
        semarang,
        SEMARANG_BLOCKS,
        count=max(6, ctx.inmate_count // 10),
        women_block=None,
        featured=False,
    )
    # Two transfers from Blora to Semarang a month ago; they get a new card there.
    head = ctx.staff["kanwil"]
    movable = [pair for pair in held if pair[0].featured is None and pair[0].gender == "L"]
    moved: list[Inmate] = []
    for spec, inmate in rng.sample(movable, k=min(2, len(movable))):
        date = max(spec.admission_date, ctx.today - dt.timedelta(days=30))
        arrival = services.inmate_transfer(
            inmate=inmate, to_site=semarang, date=date, actor=head, note="Mutasi pembinaan"
        )
        services.card_issue(inmate=arrival, raw_uid=f"04{rng.getrandbits(48):012X}", actor=head)
        moved.append(inmate)
    ctx.inmates["BLR"] = [i for _, i in held if i not in moved]
    ctx.inmates["SMG"] = [i for _, i in smg] + [
        Inmate.objects.get(transferred_from=i) for i in moved
    ]

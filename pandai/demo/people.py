"""Generated demo inmates as plain data (no database): deterministic for a seed and a date."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from pandai.demo import names
from pandai.demo.context import DEMO_CARDS
from pandai.inmates.pins import trivial_reason

D = dt.date
EARLIEST_ADMISSION = D(2023, 1, 1)


@dataclass(frozen=True)
class CellSpec:
    block_code: str
    code: str
    capacity: int


@dataclass(frozen=True)
class InmateSpec:
    reg_no: str
    full_name: str
    alias: str
    nik: str
    gender: str
    birth_date: dt.date
    legal_status: str
    admission_date: dt.date
    expected_release_date: dt.date | None
    cell: CellSpec
    uid: str
    pin: str
    featured: int | None = None  # index into DEMO_CARDS


def cells_for(rng: random.Random, block_codes: str, per_block: int) -> list[CellSpec]:
    return [
        CellSpec(block, f"{block}-{n:02d}", rng.randint(6, 8))
        for block in block_codes
        for n in range(1, per_block + 1)
    ]


def _name(rng: random.Random, gender: str) -> str:
    if gender == "P":
        first, middle, last = names.FEMALE_FIRST, names.FEMALE_MIDDLE, names.FEMALE_LAST
    else:
        first, middle, last = names.MALE_FIRST, names.MALE_MIDDLE, names.MALE_LAST
    roll = rng.random()
    if roll < 0.15:  # many Javanese have a single name
        return rng.choice(first + last)
    if roll < 0.35:
        return f"{rng.choice(first)} {rng.choice(middle)} {rng.choice(last)}"
    return f"{rng.choice(first)} {rng.choice(last)}"


def _between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _nik(rng: random.Random, gender: str, born: dt.date) -> str:
    # Province 33 (Jawa Tengah), regency, district; birth day +40 for women; serial.
    regency = rng.choice(["16", "16", "16", "74", "17", "18", "19"])  # Blora most often
    day = born.day + (40 if gender == "P" else 0)
    return f"33{regency}{rng.randint(1, 16):02d}{day:02d}{born:%m%y}{rng.randint(1, 999):04d}"


def _pin(rng: random.Random, born: dt.date) -> str:
    while True:
        pin = f"{rng.randrange(10**6):06d}"
        if trivial_reason(pin, born) is None:
            return pin


# Classes of detention (A: tahanan, by the authority holding them) and of sentence (B:
# narapidana, by length): prefix, weight, days the stage or sentence lasts.
REMAND_CLASSES = (("AI", 3, (20, 60)), ("AII", 3, (20, 50)), ("AIII", 4, (30, 150)))
SENTENCE_CLASSES = (("BI", 7, (366, 365 * 8)), ("BIIA", 2, (90, 365)), ("BIIB", 1, (30, 89)))


def _dates(
    rng: random.Random, legal_status: str, today: dt.date
) -> tuple[str, dt.date, dt.date | None]:
    """(class prefix, admission date, expected release) for someone still held today."""
    classes = REMAND_CLASSES if legal_status == "tahanan" else SENTENCE_CLASSES
    prefix, _, (low, high) = rng.choices(classes, weights=[c[1] for c in classes])[0]
    length = rng.randint(low, high)
    latest = today - dt.timedelta(days=3)
    earliest = max(EARLIEST_ADMISSION, today - dt.timedelta(days=length - 2))
    admitted = _between(rng, min(earliest, latest), latest)
    if legal_status == "tahanan":
        return prefix, admitted, None
    return prefix, admitted, admitted + dt.timedelta(days=length)


def inmate_specs(
    rng: random.Random,
    *,
    today: dt.date,
    count: int,
    cells: list[CellSpec],
    women_block: str | None,
    featured: bool,
) -> list[InmateSpec]:
    """`count` people held today, filling the cells up to capacity (women in `women_block`)."""
    women_cells = [c for c in cells if c.block_code == women_block]
    men_cells = [c for c in cells if c.block_code != women_block]
    women = min(round(count * 0.08), sum(c.capacity for c in women_cells))
    free = {c: c.capacity for c in cells}
    serials: dict[tuple[str, int], int] = {}
    used_uids = {card.uid for card in DEMO_CARDS}
    specs: list[InmateSpec] = []
    for index in range(count):
        feature = index if featured and index < len(DEMO_CARDS) else None
        gender = "P" if index >= count - women or feature == 2 else "L"
        legal_status = "tahanan" if rng.random() < 0.35 else "narapidana"
        if feature is not None:
            legal_status = "tahanan" if feature == 1 else "narapidana"
        prefix, admitted, release = _dates(rng, legal_status, today)
        if feature == 4:  # goes home in a few days: try the release payout on it
            prefix, release = "BIIA", today + dt.timedelta(days=5)
            admitted = release - dt.timedelta(days=300)
        born = _between(
            rng, today.replace(year=today.year - 60), today.replace(year=today.year - 19)
        )
        year = admitted.year
        serial = serials.get((prefix, year), rng.randint(1, 40)) + rng.randint(1, 4)
        serials[(prefix, year)] = serial
        pool = women_cells if gender == "P" else men_cells
        if feature == 0:
            pool = [c for c in men_cells if c.block_code == "A"] or pool
        elif feature == 1:
            pool = [c for c in men_cells if c.block_code == "B"] or pool
        open_cells = [c for c in pool if free[c] > 0] or pool
        cell = rng.choice(open_cells)
        free[cell] -= 1
        uid = DEMO_CARDS[feature].uid if feature is not None else ""
        while not uid or (feature is None and uid in used_uids):
            uid = f"04{rng.getrandbits(48):012X}"
        used_uids.add(uid)
        pin = _pin(rng, born)
        if feature is not None:
            pin = DEMO_CARDS[feature].pin
            while trivial_reason(pin, born) is not None:  # keep the documented PIN valid
                born -= dt.timedelta(days=1)
        specs.append(
            InmateSpec(
                reg_no=f"{prefix}.{serial}/{year}",
                full_name=_name(rng, gender),
                alias=rng.choice(names.ALIASES) if rng.random() < 0.1 else "",
                nik=_nik(rng, gender, born) if rng.random() < 0.7 else "",
                gender=gender,
                birth_date=born,
                legal_status=legal_status,
                admission_date=admitted,
                expected_release_date=release,
                cell=cell,
                uid=uid,
                pin=pin,
                featured=feature,
            )
        )
    return specs

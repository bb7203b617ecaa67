"""What the demo steps share: the documented demo logins and cards, and the context."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from pandai.core.models import Site, User
from pandai.inmates.models import Inmate

DEMO_PASSWORD = "pandai-demo-2024"  # noqa: S105  (documented demo password, demo data only)
DEMO_URL = "http://127.0.0.1:8000"
SEED = 2024


@dataclass(frozen=True)
class DemoCard:
    uid: str
    pin: str
    note: str


# Cards documented in the README and printed by `demo_logins`: easy to type, easy PINs.
DEMO_CARDS = (
    DemoCard("04A1B2C3D4E501", "246810", "narapidana, Blok A"),
    DemoCard("04A1B2C3D4E502", "135790", "tahanan, Blok B"),
    DemoCard("04A1B2C3D4E503", "258025", "narapidana perempuan, Blok F"),
    DemoCard("04A1B2C3D4E504", "147036", "sedang menjalani sanksi Register F"),
    DemoCard("04A1B2C3D4E505", "369258", "bebas dalam beberapa hari"),
)


@dataclass
class DemoContext:
    """What the steps build, for the steps after them."""

    inmate_count: int
    today: dt.date = field(default_factory=dt.date.today)
    sites: dict[str, Site] = field(default_factory=dict)
    staff: dict[str, User] = field(default_factory=dict)
    inmates: dict[str, list[Inmate]] = field(default_factory=dict)  # active, by site code
    pins: dict[int, str] = field(default_factory=dict)  # inmate pk -> its demo card's PIN
    log: Callable[[str], None] = print

    def rng(self, step: str) -> random.Random:
        """A generator per step, so adding a step never changes the data of the others."""
        return random.Random(SEED) if step == "inmates" else random.Random(f"{SEED}/{step}")

    @property
    def home(self) -> Site:
        return self.sites["BLR"]


Step = Callable[[DemoContext], None]

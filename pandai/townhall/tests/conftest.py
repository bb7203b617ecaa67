"""Fixtures for the sosialisasi tests: the head, a secretary (official), inmates with cards."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pandai.core.models import Site, User
from pandai.inmates.models import Inmate
from pandai.townhall.models import Session
from pandai.townhall.tests.factories import card_holder, make_session

UIDS = ["04A1B2C3D4E5F6", "04C0FFEE123456", "04AB00000000CD", "0411223344AA55", "04DEADBEEF0001"]


@pytest.fixture
def head(staff: Callable[..., User]) -> User:
    return staff("head", username="karutan")


@pytest.fixture
def secretary(staff: Callable[..., User]) -> User:
    return staff("official", username="kasubsi")


@pytest.fixture
def holders(site: Site, head: User) -> list[Inmate]:
    """Five inmates with cards: three in block A, two in block B."""
    return [
        card_holder(site=site, actor=head, uid=uid, block="A" if i < 3 else "B")
        for i, uid in enumerate(UIDS)
    ]


@pytest.fixture
def session(site: Site, head: User) -> Session:
    return make_session(site=site, actor=head)

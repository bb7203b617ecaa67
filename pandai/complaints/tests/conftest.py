"""Fixtures for the complaint tests: the people of a Rutan's complaint desk and its categories."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from pandai.complaints import services
from pandai.complaints.models import Category, Identity
from pandai.core.models import Site, User
from pandai.inmates.models import Inmate


@pytest.fixture
def officer(staff: Callable[..., User]) -> User:
    return staff("complaint_officer", username="pengaduan1")


@pytest.fixture
def officer2(staff: Callable[..., User]) -> User:
    return staff("complaint_officer", username="pengaduan2")


@pytest.fixture
def head(staff: Callable[..., User]) -> User:
    return staff("head", username="karutan")


@pytest.fixture
def official(staff: Callable[..., User]) -> User:
    return staff("official", username="kasubsi")


@pytest.fixture
def categories(site: Site) -> dict[str, Category]:
    services.categories_ensure(site=site)
    return {c.code: c for c in Category.objects.filter(site=site)}


@pytest.fixture
def opening(site: Site, officer: User, officer2: User) -> Any:
    return services.box_opening_create(
        site=site,
        opened_at=dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC),
        location="Depan Blok A",
        officer_1=officer,
        officer_2=officer2,
        slip_count=3,
        actor=officer,
    )


@pytest.fixture
def oral(
    site: Site, officer: User, inmate: Inmate, categories: dict[str, Category]
) -> Callable[..., services.Receipt]:
    """oral(identity=..., text=..., **more) -> Receipt of an oral complaint by `inmate`."""

    def make(**kwargs: Any) -> services.Receipt:
        identity = kwargs.pop("identity", Identity.NAMED)
        args: dict[str, Any] = {
            "site": site,
            "actor": officer,
            "kind": "complaint",
            "category": categories["makanan"],
            "identity": identity,
            "text": "Nasi sering basi pada jatah makan malam.",
            "inmate": None if identity == Identity.ANONYMOUS else inmate,
        }
        args.update(kwargs)
        return services.complaint_submit_oral(**args)

    return make

"""Shared test fixtures: sites, a staff persona per role, inmates; the SQLite flush hook."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db.backends.sqlite3 import base as sqlite_base
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from pandai.core import dbguards
from pandai.core.models import Role, Site, User
from pandai.core.tests.factories import SiteFactory, StaffFactory
from pandai.inmates.models import Inmate
from pandai.inmates.tests.factories import InmateFactory

# Browser fixtures (browser, page, login, page_problems) for every app's test_browser_*.py.
# Counter fixtures (counter_desk, counter_shift, clients, deposit posting) for pandai/wallet.
pytest_plugins = ["pandai.browser_conftest", "pandai.wallet.tests.counter_fixtures"]

# Hypothesis: HYPOTHESIS_PROFILE=ci runs 200 examples per property (CI), "dev" (default) 30.
# CI draws the same 200 examples every run (derandomize): a CI result is then reproducible, and
# new examples are searched on purpose (the dev profile, or a run with another seed).
hypothesis_settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
hypothesis_settings.register_profile(
    "dev", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# Django empties tables between transactional tests with DELETE on SQLite, which the
# append-only triggers refuse. Drop them for the flush and put them back right after.
SQLiteOps = sqlite_base.DatabaseOperations
_original_sql_flush = SQLiteOps.sql_flush


def _sql_flush_keeping_guards(self: SQLiteOps, style: Any, tables: Any, **kwargs: Any) -> list[str]:
    statements = _original_sql_flush(self, style, tables, **kwargs)
    if not statements:
        return statements
    drops = [sql for sqlite, _ in dbguards.GUARDS.values() for sql in sqlite.sqlite_drop()]
    creates = [sql for sqlite, _ in dbguards.GUARDS.values() for sql in sqlite.sqlite_create()]
    return [*drops, *statements, *creates]


SQLiteOps.sql_flush = _sql_flush_keeping_guards  # type: ignore[method-assign]


def _sqlite_test_database_on_file() -> None:
    """The SQLite test database is a file (in /dev/shm where there is one), not Django's
    shared-cache in-memory database. In memory, the live server's request threads and the test
    share one connection, and two requests at once (a projector screen polling while the
    moderator clicks) collide on it: "database table is locked", a 500 no user would ever see.
    On a file every thread has its own connection, as in production (WAL, IMMEDIATE, busy
    timeout). pytest-xdist appends the worker's suffix; the run's id keeps two runs apart."""
    database = settings.DATABASES["default"]
    test = database.setdefault("TEST", {})
    if database["ENGINE"] != "django.db.backends.sqlite3" or test.get("NAME"):
        return
    shm = Path("/dev/shm")  # noqa: S108 (a test database, named per run)
    folder = shm if shm.is_dir() and os.access(shm, os.W_OK) else Path(tempfile.gettempdir())
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID") or uuid.uuid4().hex
    test["NAME"] = str(folder / f"pandai-test-{run[:12]}.sqlite3")


_sqlite_test_database_on_file()


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    media = tmp_path_factory.mktemp("media")
    settings.MEDIA_ROOT = media
    yield
    shutil.rmtree(media, ignore_errors=True)


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Argon2 at production cost takes ~0.25 s a hash and tests create many users; a test
    about hashing itself sets PASSWORD_HASHERS back (module fixtures use FAST_HASHERS too)."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """LocaleMiddleware activates the request's language and never deactivates it, so a test
    client request in English would leave later tests in this thread speaking English."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def site(db: None) -> Site:
    return SiteFactory(name="Rutan Kelas IIB Blora", code="BLR")


@pytest.fixture
def other_site(db: None) -> Site:
    return SiteFactory(name="Lapas Kelas IIA Semarang", code="SMG")


@pytest.fixture
def staff(site: Site) -> Callable[..., User]:
    """staff("cashier") -> a user holding that role at `site` (password 'rahasia-pandai-1')."""

    def make(*roles: str, at: Site | None = None, username: str | None = None) -> User:
        kwargs: dict[str, Any] = {"username": username} if username else {}
        return StaffFactory(site=at or site, roles=[Role(r) for r in roles], **kwargs)

    return make


@pytest.fixture
def inmate(site: Site) -> Inmate:
    return InmateFactory(site=site)


def browser_required() -> bool:
    return os.environ.get("PANDAI_REQUIRE_BROWSER") == "1"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `postgres` (real row locks, concurrent processes, pg_dump) run when the
    suite runs on PostgreSQL (`make test-postgres`, CI's second suite), tests marked `sqlite`
    when it runs on SQLite; on the other database each is skipped with the reason, in one
    place instead of a check in every file."""
    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    other = {
        "postgres": (not on_postgres, "needs PostgreSQL: run with DATABASE_URL=postgres://..."),
        "sqlite": (on_postgres, "the SQLite side; its PostgreSQL counterpart runs here"),
    }
    for item in items:
        for marker, (skip, reason) in other.items():
            if skip and item.get_closest_marker(marker) is not None:
                item.add_marker(pytest.mark.skip(reason=reason))

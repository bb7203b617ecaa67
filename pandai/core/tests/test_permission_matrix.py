"""The permission matrix: every URL of the project, tried by every role, by a user without a
role, by an anonymous visitor and by a user of another site.

URLs are found by walking the URL resolver, so a view added anywhere is picked up without
touching this file. What a new URL may need here:
- its view has no @requires(Perm.X): add the decorator (or, for a page every logged-in user may
  see, add its name to LOGIN_ONLY with a reason);
- it takes an object from the URL (<int:pk>, <int:card_pk>, …): add one row to KWARG_SAMPLES
  naming the object of `build_world()` it expects, and create that object there.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from PIL import Image

from pandai.complaints.tests.complaints_world import (
    COMPLAINTS_LOGIN_ONLY,
    COMPLAINTS_PUBLIC,
    COMPLAINTS_SAMPLES,
    complaints_world,
)
from pandai.conftest import FAST_HASHERS
from pandai.core import services as core_services
from pandai.core.models import Role
from pandai.core.permissions import ROLE_PERMS, Perm
from pandai.core.tests.factories import SiteFactory, StaffFactory
from pandai.inmates import services as inmate_services
from pandai.inmates.models import ImportBatch
from pandai.inmates.tests.factories import BlockFactory, CellFactory, InmateFactory
from pandai.kiosk.tests.kiosk_world import (
    KIOSK_LOGIN_ONLY,
    KIOSK_PUBLIC,
    KIOSK_SAMPLES,
    kiosk_world,
)
from pandai.programs.tests.programs_world import (
    PROGRAMS_LOGIN_ONLY,
    PROGRAMS_PUBLIC,
    PROGRAMS_SAMPLES,
    programs_world,
)
from pandai.reports.tests.reports_world import (
    REPORTS_LOGIN_ONLY,
    REPORTS_PUBLIC,
    REPORTS_SAMPLES,
    reports_world,
)
from pandai.shop.tests.shop_world import SHOP_LOGIN_ONLY, SHOP_PUBLIC, SHOP_SAMPLES, shop_world
from pandai.townhall.tests.townhall_world import (
    TOWNHALL_LOGIN_ONLY,
    TOWNHALL_PUBLIC,
    TOWNHALL_SAMPLES,
    townhall_world,
)
from pandai.wallet.tests.counter_world import COUNTER_SAMPLES, counter_world
from pandai.wallet.tests.office_world import OFFICE_LOGIN_ONLY, OFFICE_SAMPLES, office_world

LOGIN_PATH = "/masuk/"
# Route prefixes not tried here: Django's admin (its own permission system), the language
# switch (public by design), static files, and the device API (tested in pandai/api).
SKIPPED_PREFIXES = ("django-admin/", "i18n/", "static/", "media", "api/")
SKIPPED_NAMES = {"login", "logout"}
# Pages any logged-in staff user may open, whatever their role, with the reason.
LOGIN_ONLY = {
    "core:home": "the start page; shows only the tiles the user's roles allow",
    "core:switch_site": "switching to a site the user belongs to; checks the membership itself",
    **OFFICE_LOGIN_ONLY,
    **SHOP_LOGIN_ONLY,
    **COMPLAINTS_LOGIN_ONLY,
    **PROGRAMS_LOGIN_ONLY,
    **TOWNHALL_LOGIN_ONLY,
    **KIOSK_LOGIN_ONLY,
    **REPORTS_LOGIN_ONLY,
}
PUBLIC: dict[str, str] = {
    **SHOP_PUBLIC,
    **COMPLAINTS_PUBLIC,
    **PROGRAMS_PUBLIC,
    **TOWNHALL_PUBLIC,
    **KIOSK_PUBLIC,
    **REPORTS_PUBLIC,
}
# POST data for views that need some to do their normal thing (default: empty).
POST_DATA: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "core:switch_site": lambda world: {"site": world["site"].pk},
}

# (URL name prefix, kwarg) -> key of the sample object in build_world(). Longest prefix wins.
KWARG_SAMPLES: dict[tuple[str, str], str] = {
    ("core:staff_", "pk"): "staff_user",
    ("core:device_", "pk"): "device",
    ("inmates:", "pk"): "inmate",
    ("inmates:", "card_pk"): "card",
    ("inmates:block_", "pk"): "block",
    ("inmates:cell_", "pk"): "cell",
    ("inmates:import_", "pk"): "import_batch",
    **COUNTER_SAMPLES,
    **OFFICE_SAMPLES,
    **SHOP_SAMPLES,
    **COMPLAINTS_SAMPLES,
    **PROGRAMS_SAMPLES,
    **TOWNHALL_SAMPLES,
    **KIOSK_SAMPLES,
    **REPORTS_SAMPLES,
}


# --- discovering the URLs ------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    callback: Callable[..., Any]
    kwargs: tuple[str, ...]

    @property
    def perm(self) -> Perm | None:
        return getattr(self.callback, "required_perm", None)

    def __str__(self) -> str:
        return self.name or self.route


def _walk(
    patterns: list[Any], prefix: str = "", namespace: str = "", converters: tuple[str, ...] = ()
) -> Iterator[Route]:
    for p in patterns:
        route = prefix + str(p.pattern)
        kwargs = converters + tuple(getattr(p.pattern, "converters", {}))
        if isinstance(p, URLResolver):
            ns = ":".join(x for x in (namespace, p.namespace or "") if x)
            yield from _walk(p.url_patterns, route, ns, kwargs)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or "")
            yield Route(name, route, p.callback, kwargs)


def all_routes() -> list[Route]:
    return [
        r
        for r in _walk(get_resolver().url_patterns)
        if not r.route.startswith(SKIPPED_PREFIXES) and r.name not in SKIPPED_NAMES
    ]


ROUTES = all_routes()
GUARDED = [r for r in ROUTES if r.perm is not None]
OPEN_TO_STAFF = [r for r in ROUTES if r.perm is None and r.name in LOGIN_ONLY]
ACTORS = [*(role.value for role in Role), "no_role", "anonymous"]


def sample_key(route: Route, kwarg: str) -> str | None:
    matches = [
        (len(prefix), key)
        for (prefix, name), key in KWARG_SAMPLES.items()
        if name == kwarg and route.name.startswith(prefix)
    ]
    return max(matches)[1] if matches else None


# --- the declarations every URL must make ----------------------------------------------------


def test_every_url_has_a_name_and_declares_who_may_open_it():
    problems = []
    for r in ROUTES:
        if not r.name:
            problems.append(f"{r.route}: give the URL a name")
        elif r.perm is None and r.name not in LOGIN_ONLY and r.name not in PUBLIC:
            problems.append(
                f"{r.name} ({r.route}): decorate the view with @requires(Perm.…) "
                "or add it to LOGIN_ONLY / PUBLIC in this test with a reason"
            )
    assert not problems, "\n".join(problems)


def test_every_url_object_has_a_sample():
    problems = [
        f"{r.name} ({r.route}): add KWARG_SAMPLES[({r.name.split(':')[0]}:…, {kwarg!r})] "
        "and the sample object in build_world()"
        for r in ROUTES
        for kwarg in r.kwargs
        if sample_key(r, kwarg) is None
    ]
    assert not problems, "\n".join(problems)


def test_every_required_permission_is_held_by_some_role():
    held = set().union(*ROLE_PERMS.values())
    orphans = sorted({str(r.perm) for r in GUARDED if r.perm not in held})
    assert not orphans, f"no role has {orphans}: add them to ROLE_PERMS or nobody can open them"


def test_the_matrix_sees_the_known_views():
    names = {r.name for r in GUARDED}
    assert {"core:staff_list", "core:device_revoke", "inmates:detail"} <= names
    assert len(GUARDED) >= 10


# --- one of everything, at site A, shared by the whole module -------------------------------


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 50), (120, 140, 160)).save(out, format="JPEG")
    return out.getvalue()


def build_world() -> dict[str, Any]:
    site = SiteFactory(code="MTXA", name="Rutan Matriks A")
    other = SiteFactory(code="MTXB", name="Lapas Matriks B")
    users: dict[str, Any] = {
        role.value: StaffFactory(site=site, roles=[role], username=f"mtx-{role.value}")
        for role in Role
    }
    users["no_role"] = StaffFactory(username="mtx-no-role")
    users["all_roles"] = StaffFactory(site=site, roles=list(Role), username="mtx-all")
    users["other_site"] = StaffFactory(site=other, roles=list(Role), username="mtx-other")
    admin = users["all_roles"]
    world: dict[str, Any] = {"site": site, "other_site": other, "users": users}
    # core
    world["staff_user"] = StaffFactory(site=site, roles=[Role.CASHIER], username="mtx-target")
    world["device"], _ = core_services.device_register(
        site=site, kind="pos", name="Kasir Matriks", actor=admin
    )
    # inmates
    world["block"] = BlockFactory(site=site)
    world["cell"] = CellFactory(block=world["block"])
    inmate = InmateFactory(site=site, cell=world["cell"])
    inmate_services.inmate_set_photo(inmate=inmate, data=_jpeg(), actor=admin)
    world["inmate"] = inmate
    world["card"] = inmate_services.card_issue(inmate=inmate, raw_uid="04AB12CD34EF56", actor=admin)
    inmate_services.pin_set(inmate=inmate, pin="480213", actor=admin)
    world["import_batch"] = ImportBatch.objects.create(
        site=site, filename="sdp.csv", content="", uploaded_by=admin
    )
    # wallet: counter, shifts, deposits, payouts
    world.update(counter_world(site=site, users=users, inmate=inmate, admin=admin))
    # wallet: the money office (bank, reconciliation, monitoring, exceptions, adjustments)
    world.update(office_world(site=site, inmate=inmate, admin=admin))
    common = {"site": site, "other_site": other, "users": users, "inmate": inmate, "admin": admin}
    world.update(shop_world(**common))
    world.update(complaints_world(**common))
    world.update(programs_world(**common))
    world.update(townhall_world(**common))
    world.update(kiosk_world(**common))
    world.update(reports_world(**common))
    return world


def _session_for(user: Any) -> str:
    """A logged-in session made once (force_login per test would double the matrix's time)."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def log_in(client: Any, world: dict[str, Any], actor: str) -> None:
    client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][actor]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once, in a transaction rolled back after the module; each test runs in a
    savepoint inside it, so what a POST changes is undone before the next test."""
    media = tmp_path_factory.mktemp("matrix_media")
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        built = build_world()
        built["media"] = media
        built["sessions"] = {name: _session_for(user) for name, user in built["users"].items()}
        yield built
        transaction.set_rollback(True)


@pytest.fixture
def _media_root() -> None:
    """Overrides conftest's fresh media folder per test (it costs more than the request here);
    `matrix` points MEDIA_ROOT at the world's files instead."""


@pytest.fixture
def matrix(world, settings):
    settings.MEDIA_ROOT = world["media"]
    return world


def url_for(route: Route, world: dict[str, Any]) -> str:
    kwargs = {}
    for kwarg in route.kwargs:
        key = sample_key(route, kwarg)
        assert key is not None, f"{route}: no sample for {kwarg!r} (see KWARG_SAMPLES)"
        value = world[key]
        kwargs[kwarg] = getattr(value, "pk", value)
    return reverse(route.name, kwargs=kwargs)


_METHODS: dict[str, str] = {}


def method_for(route: Route, url: str, world: dict[str, Any], client: Any) -> str:
    """GET, or POST for views that only take POST (they answer GET with 405 for anyone)."""
    if route.name not in _METHODS:
        probe = Client()
        log_in(probe, world, "all_roles")
        _METHODS[route.name] = "post" if probe.get(url).status_code == 405 else "get"
    return _METHODS[route.name]


def call(client: Any, method: str, url: str, route: Route, world: dict[str, Any]) -> Any:
    if method == "get":
        return client.get(url)
    data = POST_DATA[route.name](world) if route.name in POST_DATA else {}
    return client.post(url, data)


def is_login_redirect(response: Any) -> bool:
    return response.status_code == 302 and response.url.startswith(LOGIN_PATH)


def assert_allowed(response: Any, who: str, route: Route) -> None:
    status = response.status_code
    assert status not in (403, 404) and status < 500 and not is_login_redirect(response), (
        f"{who} should be allowed on {route} but got {status}"
    )


# --- the matrix ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("route", GUARDED, ids=str)
def test_guarded_url(route, actor, matrix, client):
    url = url_for(route, matrix)
    method = method_for(route, url, matrix, client)
    if actor != "anonymous":
        log_in(client, matrix, actor)
    response = call(client, method, url, route, matrix)
    if actor == "anonymous":
        assert is_login_redirect(response), f"anonymous on {route}: {response.status_code}"
    elif actor != "no_role" and route.perm in ROLE_PERMS[actor]:
        assert_allowed(response, actor, route)
    else:
        assert response.status_code == 403, (
            f"{actor} must be refused on {route} ({route.perm}) but got {response.status_code}"
        )


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r in GUARDED if r.kwargs], ids=str)
def test_user_of_another_site_cannot_reach_this_sites_objects(route, matrix, client):
    """A user with every role, but at site B only, asks for site A's object by its id."""
    url = url_for(route, matrix)
    method = method_for(route, url, matrix, client)
    log_in(client, matrix, "other_site")
    response = call(client, method, url, route, matrix)
    assert response.status_code == 403, f"site B user on {route}: {response.status_code}"


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("route", OPEN_TO_STAFF, ids=str)
def test_login_only_url(route, actor, matrix, client):
    url = url_for(route, matrix)
    method = method_for(route, url, matrix, client)
    if actor != "anonymous":
        log_in(client, matrix, actor)
    response = call(client, method, url, route, matrix)
    if actor == "anonymous":
        assert is_login_redirect(response), f"anonymous on {route}: {response.status_code}"
    elif actor == "no_role":
        # Belongs to no site: told so (403), or sent to the start page that says so.
        to_home = response.status_code == 302 and response.url == reverse("core:home")
        assert response.status_code == 403 or to_home, f"no_role on {route}"
    else:
        assert_allowed(response, actor, route)

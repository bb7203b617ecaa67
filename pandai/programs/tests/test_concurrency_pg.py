"""Real processes on PostgreSQL: a premi run posted by several officers at once pays once, and
the same card tapped on several readers at once is counted once."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from typing import Any

import pytest
from django.db import connections

from pandai.core.calendar import site_today
from pandai.core.models import User
from pandai.core.tests.factories import SiteFactory, StaffFactory
from pandai.programs import services
from pandai.programs.errors import ProgramError
from pandai.programs.models import Attendance, PayoutRun, ProgrammeSession
from pandai.programs.tests.factories import card_holder, make_programme, session_on
from pandai.wallet import selectors as wallet_selectors
from pandai.wallet.checks import run_checks
from pandai.wallet.models import Transfer

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
UID = "04AB12CD34EF99"


def _post(run_pk: int, user_pk: int, barrier: Any, results: Any) -> None:
    barrier.wait()
    try:
        out = services.payout_run_post(
            run=PayoutRun.objects.get(pk=run_pk), actor=User.objects.get(pk=user_pk)
        )
        results.put(("replayed" if out.replayed else "paid", out.paid_lines))
    except Exception as exc:  # reported to the parent, which fails the test
        results.put(("error", repr(exc)))
    finally:
        connections.close_all()


def _tap(session_pk: int, user_pk: int, barrier: Any, results: Any) -> None:
    barrier.wait()
    try:
        services.attendance_tap(
            session=ProgrammeSession.objects.get(pk=session_pk),
            raw=UID,
            actor=User.objects.get(pk=user_pk),
        )
        results.put(("ok", ""))
    except ProgramError as exc:
        results.put((exc.code, ""))
    except Exception as exc:
        results.put(("error", repr(exc)))
    finally:
        connections.close_all()


def _run_children(target: Any, args: tuple[int, int], n: int) -> list[tuple[str, Any]]:
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(n)
    results = ctx.Queue()
    connections.close_all()  # children must open their own connections
    children = [ctx.Process(target=target, args=(*args, barrier, results)) for _ in range(n)]
    for child in children:
        child.start()
    outcomes = [results.get(timeout=120) for _ in children]
    for child in children:
        child.join(timeout=60)
        assert child.exitcode == 0
    return outcomes


@pytest.fixture
def world():
    site = SiteFactory()
    officer = StaffFactory(site=site, roles=["program_officer"])
    programme = make_programme(site=site, actor=officer)
    services.rate_set(
        programme=programme,
        basis="session",
        amount_rp=10_000,
        valid_from=site_today(site),
        actor=officer,
    )
    inmate = card_holder(site=site, actor=officer, uid=UID)
    services.enrolment_add(programme=programme, inmate=inmate, actor=officer)
    return officer, programme, inmate, session_on(programme)


def test_a_run_posted_by_four_officers_at_once_pays_once(world):
    officer, programme, inmate, session = world
    services.attendance_tap(session=session, raw=UID, actor=officer)
    today = site_today(programme.site)
    run = services.payout_run_create(
        programme=programme, period_start=today, period_end=today, actor=officer
    )
    services.payout_run_review(run=run, actor=officer)
    outcomes = _run_children(_post, (run.pk, officer.pk), 4)
    assert Counter(kind for kind, _ in outcomes) == {"paid": 1, "replayed": 3}, outcomes
    money = wallet_selectors.balances(inmate=inmate)
    assert money.spendable_rp + money.savings_rp == 10_000
    assert Transfer.objects.filter(kind="premi").count() == 1
    assert run_checks() == []


def test_one_card_on_four_readers_at_once_is_counted_once(world):
    officer, _programme, _inmate, session = world
    outcomes = _run_children(_tap, (session.pk, officer.pk), 4)
    assert Counter(code for code, _ in outcomes) == {"ok": 1, "double_tap": 3}, outcomes
    assert Attendance.objects.filter(session=session).count() == 1

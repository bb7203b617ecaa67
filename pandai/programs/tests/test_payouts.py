"""Premi payout runs: amounts from attendance, pieces and dated rates; review; posted twice pays
once; the ledger shows the compulsory savings split and passes its own checks."""

from __future__ import annotations

import datetime as dt

import pytest

from pandai.core.calendar import site_today
from pandai.inmates.tests.factories import InmateFactory
from pandai.programs import selectors, services
from pandai.programs.errors import ProgramError
from pandai.programs.models import PayoutLine, PayoutRun
from pandai.programs.services import RosterRow
from pandai.programs.tests.factories import make_programme, session_on
from pandai.wallet import selectors as wallet_selectors
from pandai.wallet.checks import run_checks
from pandai.wallet.models import Transfer

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(staff):
    return staff("program_officer")


@pytest.fixture
def setup(site, officer):
    """A laundry with three participants and four past sessions this fortnight."""
    programme = make_programme(
        site=site, actor=officer, name="Laundry", subtype="laundry", capacity=5
    )
    today = site_today(site)
    start = today - dt.timedelta(days=13)
    people = [InmateFactory(site=site) for _ in range(3)]
    for p in people:
        services.enrolment_add(programme=programme, inmate=p, actor=officer)
    services.rate_set(
        programme=programme, basis="session", amount_rp=10_000, valid_from=start, actor=officer
    )
    services.rate_set(
        programme=programme, basis="piece", amount_rp=500, valid_from=start, actor=officer
    )
    # From the 8th day on, a session pays 12.000.
    services.rate_set(
        programme=programme,
        basis="session",
        amount_rp=12_000,
        valid_from=start + dt.timedelta(days=7),
        actor=officer,
    )
    sessions = [session_on(programme, start + dt.timedelta(days=n)) for n in (0, 2, 8, 10)]
    plan = {
        0: [("hadir", 10), ("hadir", 0), ("sakit", 0)],
        1: [("hadir", 4), ("menolak", 0), ("hadir", 0)],
        2: [("hadir", 0), ("hadir", 6), ("izin", 0)],
        3: [("izin", 0), ("hadir", 0), ("hadir", 0)],
    }
    for n, session in enumerate(sessions):
        rows = [
            RosterRow(inmate_id=p.pk, code=code, pieces=pieces)
            for p, (code, pieces) in zip(people, plan[n], strict=True)
        ]
        services.attendance_roster_save(session=session, rows=rows, actor=officer)
    return programme, people, start, today


def test_amounts_follow_attendance_pieces_and_the_rate_of_each_days(setup, officer):
    programme, (a, b, c), start, today = setup
    run = services.payout_run_create(
        programme=programme, period_start=start, period_end=today, actor=officer
    )
    amounts = {line.inmate_id: line.amount_rp for line in run.lines.all()}
    # a: 10.000 + 10x500, 10.000 + 4x500, 12.000 = 39.000
    # b: 10.000, 12.000 + 6x500, 12.000 = 37.000
    # c: 10.000, 12.000 = 22.000
    assert amounts == {a.pk: 39_000, b.pk: 37_000, c.pk: 22_000}
    assert run.total_rp == 98_000 and run.status == "draft"


def test_posted_twice_pays_once_with_the_savings_split(setup, officer):
    programme, (a, b, _c), start, today = setup
    run = services.payout_run_create(
        programme=programme, period_start=start, period_end=today, actor=officer
    )
    with pytest.raises(ProgramError) as err:
        services.payout_run_post(run=run, actor=officer)
    assert err.value.code == "not_reviewed"
    assert Transfer.objects.count() == 0

    services.payout_run_review(run=run, actor=officer)
    first = services.payout_run_post(run=run, actor=officer)
    transfers = Transfer.objects.count()
    second = services.payout_run_post(run=run, actor=officer)
    assert not first.replayed and first.paid_lines == 3
    assert second.replayed and Transfer.objects.count() == transfers

    # Savings share 20% (the default): a earned 39.000 -> 7.800 savings, 31.200 to spend.
    money = wallet_selectors.balances(inmate=a)
    assert (money.spendable_rp, money.savings_rp) == (31_200, 7_800)
    money_b = wallet_selectors.balances(inmate=b)
    assert money_b.spendable_rp + money_b.savings_rp == 37_000
    assert set(Transfer.objects.values_list("kind", flat=True)) == {"premi", "savings_split"}
    assert run_checks(site=programme.site) == []
    line = PayoutLine.objects.get(run=run, inmate=a)
    assert line.batch_id and line.idempotency_key == f"premi:run{run.pk}:inmate{a.pk}"

    record = selectors.participation(inmate=a)
    assert record.premi_rp == 39_000 and record.attended == 3
    assert [p.amount_rp for p in selectors.inmate_premi(inmate=a)] == [39_000]


def test_no_second_run_over_a_paid_period_and_paid_attendance_is_locked(setup, officer):
    programme, people, start, today = setup
    run = services.payout_run_create(
        programme=programme, period_start=start, period_end=today, actor=officer
    )
    services.payout_run_review(run=run, actor=officer)
    services.payout_run_post(run=run, actor=officer)
    runs = PayoutRun.objects.count()
    with pytest.raises(ProgramError) as err:
        services.payout_run_create(
            programme=programme, period_start=today, period_end=today, actor=officer
        )
    assert err.value.code == "overlap_posted" and PayoutRun.objects.count() == runs
    session = programme.sessions.order_by("date").first()
    with pytest.raises(ProgramError) as err:
        services.attendance_roster_save(
            session=session,
            rows=[RosterRow(inmate_id=people[2].pk, code="hadir")],
            actor=officer,
        )
    assert err.value.code == "locked"
    with pytest.raises(ProgramError):
        services.rate_set(
            programme=programme, basis="piece", amount_rp=900, valid_from=start, actor=officer
        )


def test_a_draft_that_no_longer_matches_the_attendance_must_be_recomputed(setup, officer):
    programme, (a, _b, _c), start, today = setup
    run = services.payout_run_create(
        programme=programme, period_start=start, period_end=today, actor=officer
    )
    services.payout_run_review(run=run, actor=officer)
    last = programme.sessions.order_by("-date").first()
    services.attendance_roster_save(
        session=last, rows=[RosterRow(inmate_id=a.pk, code="hadir")], actor=officer
    )
    with pytest.raises(ProgramError) as err:
        services.payout_run_post(run=run, actor=officer)
    assert err.value.code == "stale" and Transfer.objects.count() == 0
    run = services.payout_run_recompute(run=run, actor=officer)
    assert run.reviewed_at is None and run.total_rp == 110_000
    services.payout_run_review(run=run, actor=officer)
    assert services.payout_run_post(run=run, actor=officer).paid_lines == 3


def test_a_released_participant_is_shown_but_not_paid_through_pandai(setup, officer):
    programme, (_a, _b, c), start, today = setup
    c.status = "released"
    c.save(update_fields=["status"])
    run = services.payout_run_create(
        programme=programme, period_start=start, period_end=today, actor=officer
    )
    line = run.lines.get(inmate=c)
    assert line.skip_reason and run.total_rp == 76_000
    services.payout_run_review(run=run, actor=officer)
    assert services.payout_run_post(run=run, actor=officer).paid_lines == 2
    assert wallet_selectors.balances(inmate=c).spendable_rp == 0


@pytest.mark.parametrize(
    ("start_days", "end_days", "code"),
    [(-1, -3, "period"), (-80, 0, "period"), (0, 1, "period")],
    ids=["reversed", "too_long", "future"],
)
def test_bad_periods_are_refused(setup, officer, start_days, end_days, code):
    programme, _people, _start, today = setup
    with pytest.raises(ProgramError) as err:
        services.payout_run_create(
            programme=programme,
            period_start=today + dt.timedelta(days=start_days),
            period_end=today + dt.timedelta(days=end_days),
            actor=officer,
        )
    assert err.value.code == code and PayoutRun.objects.count() == 0


def test_participation_rate_counts_only_refusals_against(setup):
    _programme, (a, b, _c), _start, _today = setup
    assert selectors.participation(inmate=a).rate_pct == 100.0  # hadir x3, izin x1
    assert selectors.participation(inmate=b).rate_pct == 75.0  # hadir x3, menolak x1

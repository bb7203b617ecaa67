"""run_jobs: what is due runs, what is not due does not, a failure is recorded and the others
still run, and two runs at once (two real processes, each with its own connection) run each
job once — on SQLite (a file) and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import time
from collections import Counter
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.utils import timezone

from pandai.core.models import Site
from pandai.ops import jobs as job_registry
from pandai.ops.jobs import Job, Outcome
from pandai.ops.models import JobRun, JobState
from pandai.ops.selectors import job_status, last_checks
from pandai.ops.services import jobs_run_due

MINUTE = dt.timedelta(minutes=1)
WIB = dt.timezone(dt.timedelta(hours=7))


def _slow(site: Site | None, now: dt.datetime) -> Outcome:
    """Long enough for the other process to try the same job while this one holds it."""
    time.sleep(1.0)
    return Outcome(True, f"lambat {site.code if site else '-'}")


def _broken(site: Site | None, now: dt.datetime) -> Outcome:
    raise RuntimeError("disk penuh")


def _fine(site: Site | None, now: dt.datetime) -> Outcome:
    return Outcome(True, "baik")


SLOW = Job("slow_test", "lambat", _slow, per_site=True, every=MINUTE)
BROKEN = Job("broken_test", "rusak", _broken, per_site=False, every=MINUTE)
FINE = Job("fine_test", "baik", _fine, per_site=False, every=MINUTE)


@pytest.fixture
def jobs_with(monkeypatch: pytest.MonkeyPatch) -> Any:
    def use(*extra: Job, real: bool = True) -> list[Job]:
        listed = [*(job_registry.JOBS if real else []), *extra]
        monkeypatch.setattr(job_registry, "registry", lambda: listed)
        return listed

    return use


def _child(barrier: Any, results: Any, now: dt.datetime) -> None:
    """Forked: its own connection, waits for the other process, then runs what is due."""
    connections.close_all()
    try:
        barrier.wait(timeout=60)
        done = jobs_run_due(now=now)
        results.put(("ok", [(r.job, r.site.code if r.site else None, r.ok) for r in done]))
    except Exception as error:  # reported to the test, which fails on it
        results.put(("crash", repr(error)))
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_two_processes_at_once_run_each_job_once(site: Site, other_site: Site, jobs_with: Any):
    if connection.vendor == "sqlite":
        assert "memory" not in str(connection.settings_dict["NAME"]), "a file database is needed"
    listed = jobs_with(SLOW)
    now = timezone.now()
    connections.close_all()  # the children must not share the parent's connection
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(2)
    results = ctx.Queue()
    children = [ctx.Process(target=_child, args=(barrier, results, now)) for _ in range(2)]
    for child in children:
        child.start()
    reports = [results.get(timeout=180) for _ in children]
    for child in children:
        child.join(timeout=60)
    assert all(kind == "ok" for kind, _ in reports), reports

    ran = Counter((job, code) for _, done in reports for job, code, _ok in done)
    expected = {
        (job.name, s.code if s else None)
        for job in listed
        for s in ([site, other_site] if job.per_site else [None])
    }
    assert set(ran) == expected
    assert all(count == 1 for count in ran.values()), ran
    # Both processes did part of the work (the slow job kept one busy while the other went on).
    assert all(done for _, done in reports)
    # The records agree: one finished, successful JobRun per job and site, every lease given back.
    recorded = Counter((job, code) for job, code in JobRun.objects.values_list("job", "site__code"))
    assert recorded == ran
    assert not JobRun.objects.filter(finished_at__isnull=True).exists()
    assert not JobRun.objects.exclude(ok=True).exists()
    assert not JobState.objects.filter(lease_until__isnull=False).exists()


@pytest.mark.django_db
def test_due_job_runs_and_not_due_job_does_not(site: Site, jobs_with: Any):
    jobs_with(FINE, real=False)
    now = dt.datetime(2026, 3, 2, 9, 30, 20, tzinfo=dt.UTC)
    first = jobs_run_due(now=now)
    assert [r.job for r in first] == ["fine_test"]
    state = JobState.objects.get(key="fine_test")
    assert state.next_due == dt.datetime(2026, 3, 2, 9, 31, tzinfo=dt.UTC)
    assert state.lease_until is None

    assert jobs_run_due(now=now + dt.timedelta(seconds=30)) == []  # 09:30:50: not due yet
    assert JobRun.objects.count() == 1
    # A timer firing at 09:31:00.2 finds it due (due times are aligned to the minute).
    again = jobs_run_due(now=dt.datetime(2026, 3, 2, 9, 31, 0, 200_000, tzinfo=dt.UTC))
    assert [r.job for r in again] == ["fine_test"]
    assert JobRun.objects.count() == 2


@pytest.mark.django_db
def test_a_held_lease_keeps_the_job_single_and_a_stale_one_is_taken_over(jobs_with: Any):
    jobs_with(FINE, real=False)
    now = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
    JobState.objects.create(
        key="fine_test", job="fine_test", next_due=now, lease_until=now + MINUTE, holder="lain"
    )
    assert jobs_run_due(now=now) == []
    assert jobs_run_due(now=now, force=True) == []  # force ignores the due time, not a lease
    # The other run crashed: its lease runs out and the job is taken over.
    later = now + 2 * MINUTE
    assert [r.job for r in jobs_run_due(now=later)] == ["fine_test"]
    state = JobState.objects.get(key="fine_test")
    assert (state.lease_until, state.holder) == (None, "")


@pytest.mark.django_db
def test_a_failing_job_is_recorded_and_the_others_still_run(site: Site, jobs_with: Any):
    jobs_with(BROKEN, FINE)
    results = jobs_run_due()
    by_job = {r.job: r for r in results}
    assert by_job["broken_test"].ok is False
    assert by_job["fine_test"].ok is True
    assert by_job["ledger_check"].ok is True  # the real jobs after it ran too
    failed = JobRun.objects.get(job="broken_test")
    assert failed.ok is False
    assert failed.finished_at is not None
    assert "disk penuh" in failed.summary
    assert JobRun.objects.filter(job="fine_test", ok=True).count() == 1
    assert not JobState.objects.filter(lease_until__isnull=False).exists()


@pytest.mark.django_db
def test_command_reports_each_job_and_fails_when_one_failed(site: Site, jobs_with: Any, capsys):
    jobs_with(BROKEN, FINE, real=False)
    with pytest.raises(CommandError, match="gagal"):
        call_command("run_jobs")
    out, err = capsys.readouterr()
    assert "fine_test: OK: baik" in out
    assert "broken_test: GAGAL: gagal: RuntimeError: disk penuh" in err
    with pytest.raises(CommandError, match="tidak dikenal"):
        call_command("run_jobs", "--job", "tidak_ada")
    call_command("run_jobs", "--list")
    out, _err = capsys.readouterr()
    assert "fine_test: terakhir" in out


@pytest.mark.django_db
def test_nightly_checks_run_once_a_night_after_one_in_site_time(site: Site):
    # 14:00 WIB: seen for the first time, the nightly checks run at once (due since last night).
    afternoon = dt.datetime(2026, 3, 2, 14, 0, tzinfo=WIB)
    ran = {(r.job, r.site) for r in jobs_run_due(now=afternoon, only=["ledger_check"])}
    assert ran == {("ledger_check", site)}
    ran_audit = jobs_run_due(now=afternoon, only=["audit_verify"])
    assert [r.ok for r in ran_audit] == [True]
    # 00:59 WIB the next night: not yet. 01:00: once, and not again at 01:05.
    assert jobs_run_due(now=dt.datetime(2026, 3, 3, 0, 59, tzinfo=WIB), only=["ledger_check"]) == []
    one = dt.datetime(2026, 3, 3, 1, 0, tzinfo=WIB)
    assert len(jobs_run_due(now=one, only=["ledger_check", "audit_verify"])) == 2
    assert jobs_run_due(now=one + 5 * MINUTE, only=["ledger_check", "audit_verify"]) == []

    checks = last_checks(site=site)
    assert checks.ok is True
    assert checks.ledger_check is not None and checks.ledger_check.summary == "tidak ada masalah"
    assert checks.audit_verify is not None and "baris cocok" in checks.audit_verify.summary
    assert JobRun.objects.filter(job="ledger_check").count() == 2


@pytest.mark.django_db
def test_site_time_zone_decides_the_night(site: Site):
    site.time_zone = "Asia/Jayapura"  # WIT, UTC+9
    site.save(update_fields=["time_zone"])
    jobs_run_due(now=dt.datetime(2026, 3, 2, 14, 0, tzinfo=WIB), only=["ledger_check"])
    state = JobState.objects.get(job="ledger_check", site=site)
    # 01:00 WIT on 3 March is 16:00 UTC on 2 March.
    assert state.next_due == dt.datetime(2026, 3, 2, 16, 0, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_job_status_lists_each_job_with_its_last_run(site: Site, other_site: Site):
    assert last_checks(site=site).ok is None  # never ran
    jobs_run_due()
    statuses = job_status(site=site)
    names = [(s.job, s.site) for s in statuses]
    assert ("ledger_tick", site) in names
    assert ("ledger_tick", other_site) not in names
    assert ("audit_verify", None) in names
    assert all(s.last_run is not None and s.ok for s in statuses)
    assert not any(s.running for s in statuses)
    assert {(s.job, s.site) for s in job_status()} >= {("ledger_tick", other_site)}


@pytest.mark.django_db
def test_old_minute_job_records_are_pruned_and_the_nightly_checks_kept(site: Site):
    now = timezone.now()
    old = now - dt.timedelta(days=31)
    for job in ("ledger_tick", "ledger_check", "audit_verify"):
        JobRun.objects.create(job=job, site=site, started_at=old, finished_at=old, ok=True)
    recent = JobRun.objects.create(job="ledger_tick", site=site, started_at=now, ok=True)
    done = jobs_run_due(now=now, only=["jobruns_prune"])
    assert [r.summary for r in done] == ["1 catatan tugas lama dihapus"]
    left = set(JobRun.objects.exclude(job="jobruns_prune").values_list("job", "started_at"))
    assert left == {
        ("ledger_check", old),
        ("audit_verify", old),
        ("ledger_tick", recent.started_at),
    }

"""Running the scheduled jobs: claim what is due, run it, record the run.

The lock. Each job (per site for the per-site ones) has a `JobState` row. A run claims it with
one conditional UPDATE — "the lease is free (or ran out) and the job is due" — that sets the
lease and the next due time at once, inside a transaction that takes the write lock first
(SQLite: BEGIN IMMEDIATE; PostgreSQL: the UPDATE's row lock, after which the second updater
re-reads the row and no longer matches). Exactly one of two concurrent runs gets the row; the
other sees the job taken or not due. The job itself then runs *outside* that transaction: on
SQLite a transaction held for a whole job would stop every till and counter for as long, and on
PostgreSQL a session advisory lock would need one connection held per job (and breaks behind
a transaction-pooling pgbouncer). The same table works on both databases, shows on the
dashboard who runs what, and a crashed run's lease simply runs out. Because the jobs are
idempotent themselves, a lease that runs out under a slow run costs repeated work, not a
repeated effect.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import uuid
from dataclasses import dataclass

from django.db import close_old_connections, connection, transaction
from django.db.models import Q
from django.utils import timezone

from pandai.core.models import Site
from pandai.ops import jobs as job_registry
from pandai.ops.jobs import Job, Outcome
from pandai.ops.models import JobRun, JobState

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunResult:
    job: str
    site: Site | None
    ok: bool
    summary: str


def _targets(job_list: list[Job]) -> list[tuple[Job, Site | None]]:
    sites = list(Site.objects.filter(is_active=True).order_by("code"))
    out: list[tuple[Job, Site | None]] = []
    for job in job_list:
        if job.per_site:
            out += [(job, site) for site in sites]
        else:
            out.append((job, None))
    return out


def _states_ensure(targets: list[tuple[Job, Site | None]], now: dt.datetime) -> None:
    """Create the state rows seen for the first time (two runs creating one: one wins)."""
    keys = {job.key(site) for job, site in targets}
    known = set(JobState.objects.filter(key__in=keys).values_list("key", flat=True))
    missing = [
        JobState(key=job.key(site), job=job.name, site=site, next_due=job.first_due(site, now))
        for job, site in targets
        if job.key(site) not in known
    ]
    if missing:
        JobState.objects.bulk_create(missing, ignore_conflicts=True)


def job_claim(
    *, job: Job, site: Site | None, holder: str, now: dt.datetime, force: bool = False
) -> bool:
    """Take the job's lease if it is free and the job is due (or `force`); True when taken."""
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    due = Q() if force else Q(next_due__isnull=True) | Q(next_due__lte=now)
    with transaction.atomic():
        taken = JobState.objects.filter(free, due, key=job.key(site)).update(
            lease_until=now + job.lease,
            holder=holder,
            next_due=job.next_due(site, now),
        )
    return taken == 1


def job_release(*, job: Job, site: Site | None, holder: str) -> None:
    with transaction.atomic():
        JobState.objects.filter(key=job.key(site), holder=holder).update(
            lease_until=None, holder=""
        )


def _run_one(job: Job, site: Site | None, now: dt.datetime) -> Outcome:
    try:
        return job.run(site, now)
    except Exception as error:  # a failing job is recorded and the others still run
        log.exception("job %s failed", job.key(site))
        if not connection.in_atomic_block:
            close_old_connections()  # a broken connection is not handed to the next job
        return Outcome(False, f"gagal: {type(error).__name__}: {error}"[:2000])


def jobs_run_due(
    *,
    now: dt.datetime | None = None,
    only: list[str] | None = None,
    force: bool = False,
) -> list[RunResult]:
    """Run every job that is due (or the named ones; `force` ignores the due time but never
    another run's lease), each in its own transactions, and record each run as a JobRun.
    Returns what ran (jobs not due or taken by another run are not listed)."""
    now = now or timezone.now()
    job_list = job_registry.registry()
    if only:
        unknown = set(only) - {job.name for job in job_list}
        if unknown:
            raise ValueError(f"tugas tidak dikenal: {', '.join(sorted(unknown))}")
        job_list = [job for job in job_list if job.name in only]
    targets = _targets(job_list)
    _states_ensure(targets, now)
    holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[:64]
    results: list[RunResult] = []
    for job, site in targets:
        if not job_claim(job=job, site=site, holder=holder, now=now, force=force):
            continue
        run = JobRun.objects.create(job=job.name, site=site, started_at=timezone.now())
        try:
            outcome = _run_one(job, site, now)
            run.finished_at = timezone.now()
            run.ok = outcome.ok
            run.summary = outcome.summary
            run.save(update_fields=["finished_at", "ok", "summary"])
        finally:
            job_release(job=job, site=site, holder=holder)
        results.append(RunResult(job.name, site, outcome.ok, outcome.summary))
    return results

"""Reads of the scheduled jobs' records, for the dashboard and `run_jobs --list`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, Q
from django.utils import timezone
from django.utils.functional import Promise

from pandai.core.models import Site
from pandai.ops import jobs as job_registry
from pandai.ops.models import JobRun, JobState


@dataclass(frozen=True)
class LastChecks:
    """The last finished nightly checks: `ledger_check` of the site (without a site: the most
    recent of any site) and `audit_verify` (one chain for the installation). None: never ran."""

    ledger_check: JobRun | None
    audit_verify: JobRun | None

    @property
    def ok(self) -> bool | None:
        """True when both ran and passed, False when one failed, None when one never ran."""
        runs = [self.ledger_check, self.audit_verify]
        if any(run is not None and run.ok is False for run in runs):
            return False
        if any(run is None for run in runs):
            return None
        return True


def _last_finished(job: str, site: Site | None) -> JobRun | None:
    runs = JobRun.objects.filter(job=job, finished_at__isnull=False)
    if site is not None:
        runs = runs.filter(site=site)
    return runs.order_by("-started_at", "-pk").first()


def last_checks(*, site: Site | None = None) -> LastChecks:
    return LastChecks(
        ledger_check=_last_finished("ledger_check", site),
        audit_verify=_last_finished("audit_verify", None),
    )


@dataclass(frozen=True)
class JobStatus:
    job: str
    label: str | Promise
    site: Site | None
    last_run: JobRun | None
    next_due: dt.datetime | None
    running: bool  # a run holds the lease now

    @property
    def ok(self) -> bool | None:
        return self.last_run.ok if self.last_run is not None else None


def job_status(*, site: Site | None = None) -> list[JobStatus]:
    """Each job's last run (and when it is due next): the installation-wide jobs plus, with a
    site, that site's per-site jobs; without one, every site's. Three queries."""
    known = job_registry.registry()
    states = JobState.objects.select_related("site")
    if site is not None:
        states = states.filter(Q(site=site) | Q(site__isnull=True))
    by_key = {state.key: state for state in states}
    runs = JobRun.objects.all()
    if site is not None:
        runs = runs.filter(Q(site=site) | Q(site__isnull=True))
    last_ids = runs.values("job", "site").annotate(last=Max("pk")).values_list("last", flat=True)
    last = {(run.job, run.site_id): run for run in JobRun.objects.filter(pk__in=list(last_ids))}
    now = timezone.now()
    out: list[JobStatus] = []
    for job in known:
        targets: list[Site | None] = [None]
        if job.per_site and site is not None:
            targets = [site]
        elif job.per_site:
            seen = {st.site for st in by_key.values() if st.job == job.name and st.site}
            targets = sorted(seen, key=lambda s: s.code if s else "")
        for target in targets:
            state = by_key.get(job.key(target))
            out.append(
                JobStatus(
                    job=job.name,
                    label=job.label,
                    site=target,
                    last_run=last.get((job.name, target.pk if target else None)),
                    next_due=state.next_due if state else None,
                    running=bool(state and state.lease_until and state.lease_until > now),
                )
            )
    return out

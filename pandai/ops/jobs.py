"""The scheduled jobs `manage.py run_jobs` knows: what each one calls and when it is due.

Each job calls the owning app's service (never its management command) and returns an
`Outcome`; an exception is recorded as a failed run. Every service called here is itself safe
to run twice at once (it says so), so a lease that runs out under a very slow run costs a
repeat of work, never a repeated effect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pandai.core.models import Site


@dataclass(frozen=True)
class Outcome:
    ok: bool
    summary: str


@dataclass(frozen=True)
class Job:
    name: str
    label: str | Promise
    run: Callable[[Site | None, dt.datetime], Outcome]
    per_site: bool
    # Either every `every` (aligned to the minute) or once a night at PANDAI_NIGHTLY_AT in the
    # site's time zone (the server's for a job over all sites).
    every: dt.timedelta | None = None
    nightly: bool = False
    # How long a claim holds before another run may take the job over (a crashed run's claim
    # runs out; see the module's docstring on why that is safe).
    lease: dt.timedelta = dt.timedelta(minutes=10)

    def key(self, site: Site | None) -> str:
        return f"{self.name}@{site.pk}" if site is not None else self.name

    def next_due(self, site: Site | None, now: dt.datetime) -> dt.datetime:
        """When the job is due again after a run that starts at `now`."""
        if self.nightly:
            return nightly_after(site, now)
        assert self.every is not None
        return now.replace(second=0, microsecond=0) + self.every

    def first_due(self, site: Site | None, now: dt.datetime) -> dt.datetime:
        """A job seen for the first time is due at once (a nightly one: since last night)."""
        if self.nightly:
            return nightly_after(site, now) - dt.timedelta(days=1)
        return now.replace(second=0, microsecond=0)


def nightly_time() -> dt.time:
    raw = getattr(settings, "PANDAI_NIGHTLY_AT", "01:00")
    hour, minute = (int(part) for part in raw.split(":"))
    return dt.time(hour, minute)


def nightly_after(site: Site | None, now: dt.datetime) -> dt.datetime:
    """The first PANDAI_NIGHTLY_AT strictly after `now`, in the site's time zone."""
    tz = ZoneInfo(site.time_zone if site is not None else settings.TIME_ZONE)
    local = now.astimezone(tz)
    at = dt.datetime.combine(local.date(), nightly_time(), tzinfo=tz)
    if at <= local:
        at = dt.datetime.combine(local.date() + dt.timedelta(days=1), nightly_time(), tzinfo=tz)
    return at.astimezone(dt.UTC)


def _site(site: Site | None) -> Site:
    assert site is not None
    return site


# --- the jobs ------------------------------------------------------------------------------


def run_complaints_tick(site: Site | None, now: dt.datetime) -> Outcome:
    from pandai.complaints.services import complaints_tick

    result = complaints_tick(at=now)
    return Outcome(
        True,
        f"{result.warned} peringatan, {result.escalated} diteruskan ke Karutan/Kalapas, "
        f"{result.flood_rows_purged} penghitung harian dihapus",
    )


def run_retaliation_scan(site: Site | None, now: dt.datetime) -> Outcome:
    from pandai.complaints.services.retaliation import retaliation_scan

    found = retaliation_scan(site=_site(site), at=now)
    return Outcome(True, f"{found} tanda pembalasan baru")


def run_ledger_tick(site: Site | None, now: dt.datetime) -> Outcome:
    from pandai.wallet import services

    expired = services.holds_expire(site=_site(site), now=now)
    released = services.cap_rebalance_site(site=_site(site), now=now)
    applied = services.deltas_apply(site=_site(site))
    return Outcome(
        True,
        f"{expired} penahanan kedaluwarsa, {released} pelepasan dana tertahan, "
        f"{applied} tambahan rekening bersama dibukukan",
    )


def run_shop_tick(site: Site | None, now: dt.datetime) -> Outcome:
    from pandai.shop.services.preorders import preorders_expire

    expired = preorders_expire(site=_site(site), now=now)
    return Outcome(True, f"{expired} pesanan kedaluwarsa")


def run_townhall_tick(site: Site | None, now: dt.datetime) -> Outcome:
    from pandai.townhall.services import policies_tick

    result = policies_tick(moment=now)
    failed = "; ".join(f"kebijakan {pk}: {error}" for pk, error in result.failed)
    summary = f"{len(result.applied)} kebijakan berlaku, {len(result.failed)} gagal"
    return Outcome(not result.failed, f"{summary}. {failed}" if failed else summary)


def run_monitoring_scan(site: Site | None, now: dt.datetime) -> Outcome:
    from pandai.wallet.monitoring import monitoring_scan

    result = monitoring_scan(site=_site(site), now=now)
    return Outcome(
        True, f"{len(result.raised)} tanda baru, {len(result.extended)} tanda terbuka ditambah"
    )


def run_ledger_check(site: Site | None, now: dt.datetime) -> Outcome:
    from pandai.wallet.checks import run_checks

    problems = run_checks(site=_site(site), audit=False)
    if not problems:
        return Outcome(True, "tidak ada masalah")
    listed = "; ".join(str(problem) for problem in problems[:10])
    more = f" (dan {len(problems) - 10} lagi)" if len(problems) > 10 else ""
    return Outcome(False, f"{len(problems)} masalah: {listed}{more}")


def run_audit_verify(site: Site | None, now: dt.datetime) -> Outcome:
    from pandai.core.audit import audit_verify

    result = audit_verify()
    if result.ok:
        return Outcome(True, f"{result.checked} baris cocok, hash terakhir {result.last_hash}")
    seq = result.first_bad_seq if result.first_bad_seq is not None else "-"
    return Outcome(
        False,
        f"RUSAK: baris seq={seq} id={result.first_bad_id}: {result.problem} "
        f"({result.checked} baris sebelumnya cocok, hash terakhir yang sah {result.last_hash})",
    )


def run_sessions_clear(site: Site | None, now: dt.datetime) -> Outcome:
    from django.contrib.sessions.models import Session

    deleted, _detail = Session.objects.filter(expire_date__lt=now).delete()
    return Outcome(True, f"{deleted} sesi kedaluwarsa dihapus")


# The nightly checks are kept for good (one row per site and night); the minute jobs' rows —
# ~9,000 a day for a site — for this many days.
KEEP_RUNS_DAYS = 30
KEPT_FOR_GOOD = ("ledger_check", "audit_verify")


def run_jobruns_prune(site: Site | None, now: dt.datetime) -> Outcome:
    from pandai.ops.models import JobRun

    old = JobRun.objects.filter(started_at__lt=now - dt.timedelta(days=KEEP_RUNS_DAYS)).exclude(
        job__in=KEPT_FOR_GOOD
    )
    deleted, _detail = old.delete()
    return Outcome(True, f"{deleted} catatan tugas lama dihapus")


MINUTE = dt.timedelta(minutes=1)
NIGHT_LEASE = dt.timedelta(hours=3)

JOBS: list[Job] = [
    Job(
        "complaints_tick",
        _("Batas waktu pengaduan"),
        run_complaints_tick,
        per_site=False,
        every=5 * MINUTE,
    ),
    Job(
        "retaliation_scan",
        _("Pantauan pembalasan"),
        run_retaliation_scan,
        per_site=True,
        every=5 * MINUTE,
    ),
    Job(
        "ledger_tick",
        _("Penahanan dan dana tertahan"),
        run_ledger_tick,
        per_site=True,
        every=MINUTE,
    ),
    Job("shop_tick", _("Pesanan koperasi kedaluwarsa"), run_shop_tick, per_site=True, every=MINUTE),
    Job(
        "townhall_tick",
        _("Kebijakan mulai berlaku"),
        run_townhall_tick,
        per_site=False,
        every=MINUTE,
    ),
    Job(
        "monitoring_scan",
        _("Aturan pemantauan keuangan"),
        run_monitoring_scan,
        per_site=True,
        every=60 * MINUTE,
    ),
    Job(
        "ledger_check",
        _("Pemeriksaan buku besar (malam)"),
        run_ledger_check,
        per_site=True,
        nightly=True,
        lease=NIGHT_LEASE,
    ),
    Job(
        "audit_verify",
        _("Pemeriksaan rantai audit (malam)"),
        run_audit_verify,
        per_site=False,
        nightly=True,
        lease=NIGHT_LEASE,
    ),
    Job(
        "sessions_clear",
        _("Hapus sesi kedaluwarsa (malam)"),
        run_sessions_clear,
        per_site=False,
        nightly=True,
    ),
    Job(
        "jobruns_prune",
        _("Hapus catatan tugas lama (malam)"),
        run_jobruns_prune,
        per_site=False,
        nightly=True,
    ),
]


def registry() -> list[Job]:
    return JOBS


def job_named(name: str) -> Job | None:
    return next((job for job in registry() if job.name == name), None)

"""Demo programmes at Blora: Pengajian, Pramuka, Dapur, Laundry and Bengkel las with their
schedules, participants (and a waiting list), four weeks of attendance, and one posted premi
run for the kitchen — all through the programmes' services."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any
from zoneinfo import ZoneInfo

from pandai.core.models import User
from pandai.demo.context import DemoContext
from pandai.programs import services
from pandai.programs.eligibility import eligibility_problem
from pandai.programs.errors import ProgramError
from pandai.programs.models import Programme, ProgrammeSession
from pandai.programs.selectors import session_roster
from pandai.programs.services import RosterRow

WEEKS = 4
# name, kind, subtype, capacity, weekdays, (start, end hour), instructor, place, options
PROGRAMMES: tuple[tuple[Any, ...], ...] = (
    ("Pengajian", "kepribadian", "religious", 40, [0, 3], (9, 11), "Ustaz H. Mahfud",
     "Masjid At-Taubah", {}),
    ("Pramuka (kesadaran berbangsa)", "kepribadian", "national", 30, [2], (8, 10),
     "Kak Wahyu (Kwarcab Blora)", "Lapangan", {}),
    ("Dapur", "kemandirian", "kitchen", 8, [0, 1, 2, 3, 4], (5, 9), "Bu Sri Rejeki",
     "Dapur umum", {"requires_clean_record": True, "session_rp": 15_000}),
    ("Laundry", "kemandirian", "laundry", 6, [1, 3], (8, 12), "Pak Darmo", "Ruang binatu",
     {"session_rp": 5_000, "piece_rp": 500}),
    ("Bengkel las", "kemandirian", "workshop", 5, [0, 2, 4], (13, 16), "Pak Slamet (BLK Blora)",
     "Bengkel kerja", {"requires_clean_record": True, "open_to_remand": False,
                       "session_rp": 20_000}),
)  # fmt: skip
# Weights of the codes a past roster gets (mostly present).
CODES = ("hadir",) * 14 + ("sakit", "izin", "menolak", "tidak_diperlukan")


def _at(ctx: DemoContext, day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=ZoneInfo(ctx.home.time_zone))


def load_programs(ctx: DemoContext) -> None:
    rng = ctx.rng("programs")
    site = ctx.home
    officer = ctx.staff["pembinaan"]
    inmates = [i for i in ctx.inmates["BLR"] if i.site_id == site.pk]
    start = ctx.today - dt.timedelta(weeks=WEEKS)
    begin = _at(ctx, start - dt.timedelta(days=1), 9)
    pool = inmates[5:]
    rng.shuffle(pool)
    featured = inmates[:5]  # the documented demo cards: give them programmes to show
    for n, (name, kind, subtype, capacity, weekdays, hours, instructor, place, opts) in enumerate(
        PROGRAMMES
    ):
        programme = services.programme_create(
            site=site,
            actor=officer,
            fields={
                "kind": kind,
                "subtype": subtype,
                "name": name,
                "description": "",
                "capacity": capacity,
                "open_to_remand": opts.get("open_to_remand", True),
                "open_to_convicted": True,
                "requires_clean_record": opts.get("requires_clean_record", False),
                "instructor": instructor,
                "place": place,
                "active": True,
            },
        )
        for basis in ("session", "piece"):
            if f"{basis}_rp" in opts:
                services.rate_set(
                    programme=programme,
                    basis=basis,
                    amount_rp=int(opts[f"{basis}_rp"]),
                    valid_from=start,
                    actor=officer,
                )
        services.schedule_create(
            programme=programme,
            weekdays=weekdays,
            start_time=dt.time(hours[0]),
            end_time=dt.time(hours[1]),
            start_date=start,
            end_date=ctx.today + dt.timedelta(days=120),
            actor=officer,
            now=_at(ctx, ctx.today, 7),
        )
        wanted = featured[n % 2 :: 2] + pool[n * 12 : n * 12 + capacity + 2]
        for k, inmate in enumerate(wanted):
            try:
                services.enrolment_add(
                    programme=programme,
                    inmate=inmate,
                    actor=officer,
                    now=begin + dt.timedelta(minutes=k),
                )
            except ProgramError:
                continue  # not eligible (e.g. remand at the workshop, under Register F)
        _past_attendance(ctx, programme, rng, officer)
        if name == "Dapur":
            yesterday = ctx.today - dt.timedelta(days=1)
            run = services.payout_run_create(
                programme=programme,
                period_start=start,
                period_end=yesterday,
                actor=officer,
                now=_at(ctx, ctx.today, 7),
            )
            services.payout_run_review(run=run, actor=officer)
            services.payout_run_post(run=run, actor=officer, now=_at(ctx, ctx.today, 7))


def _past_attendance(
    ctx: DemoContext, programme: Programme, rng: random.Random, officer: User
) -> None:
    sessions = ProgrammeSession.objects.filter(programme=programme, date__lt=ctx.today)
    for session in sessions.order_by("date"):
        if rng.random() < 0.04:
            services.session_cancel(
                session=session,
                reason="Instruktur berhalangan",
                actor=officer,
                now=_at(ctx, session.date, 7),
            )
            continue
        rows = []
        for line in session_roster(session=session):
            code = rng.choice(CODES)
            if eligibility_problem(programme=programme, inmate=line.inmate, day=session.date):
                code = "tidak_diperlukan"  # e.g. under a Register F sanction that day
            laundry = code == "hadir" and programme.subtype == "laundry"
            pieces = rng.randint(10, 40) if laundry else 0
            rows.append(RosterRow(inmate_id=line.inmate.pk, code=code, pieces=pieces))
        services.attendance_roster_save(
            session=session, rows=rows, actor=officer, now=_at(ctx, session.date, 17)
        )

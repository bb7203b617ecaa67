"""Participation as CSV for the SDP, in the format documented in
docs/sdp-participation-export.md: one row per inmate and programme."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, Sum

from pandai.core.models import Site
from pandai.core.xlsx import safe_cell
from pandai.inmates.models import Inmate
from pandai.programs.models import CODE_RULES, Attendance, AttendanceCode, Enrolment, PayoutLine
from pandai.programs.selectors import Participation, ProgrammeParticipation

COLUMNS = (
    "kode_upt",
    "no_registrasi",
    "nik",
    "nama",
    "status_hukum",
    "program",
    "jenis",
    "bidang",
    "status_kepesertaan",
    "tanggal_mulai",
    "tanggal_selesai",
    "periode_dari",
    "periode_sampai",
    *(code.value for code in AttendanceCode),
    "tingkat_kehadiran_persen",
    "hasil_kerja_buah",
    "premi_rp",
)
STATUS_CODES = {"active": "aktif", "waiting": "menunggu", "removed": "keluar"}


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _row(
    site: Site,
    inmate: Inmate,
    p: ProgrammeParticipation,
    start: dt.date | None,
    end: dt.date | None,
) -> list[Any]:
    statuses = {e.status for e in p.enrolments}
    status = next(s for s in ("active", "waiting", "removed") if s in statuses or s == "removed")
    return [
        site.code,
        inmate.reg_no,
        inmate.nik,
        inmate.full_name,
        inmate.legal_status,
        p.programme.name,
        p.programme.kind,
        p.programme.subtype,
        STATUS_CODES[status],
        _iso(p.first_day),
        _iso(p.last_day),
        _iso(start),
        _iso(end),
        *(p.by_code.get(code.value, 0) for code in AttendanceCode),
        f"{p.rate_pct:.1f}" if p.rate_pct is not None else "",
        p.pieces,
        p.premi_rp,
    ]


def _write(rows: Iterable[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue().encode("utf-8")


def participation_csv(*, record: Participation) -> bytes:
    """One inmate's record (the participation page's CSV button)."""
    inmate = record.inmate
    return _write(_row(inmate.site, inmate, p, record.start, record.end) for p in record.programmes)


def site_participation(
    *, site: Site, start: dt.date | None, end: dt.date | None
) -> list[Participation]:
    """Every inmate of the site who was ever enrolled, in three grouped queries."""
    per_inmate: dict[int, dict[int, ProgrammeParticipation]] = defaultdict(dict)
    inmates: dict[int, Inmate] = {}
    enrolments = (
        Enrolment.objects.filter(programme__site=site)
        .select_related("inmate", "programme")
        .order_by("inmate__full_name", "inmate_id", "programme__name", "requested_at")
    )
    for e in enrolments:
        inmates[e.inmate_id] = e.inmate
        entry = per_inmate[e.inmate_id].setdefault(
            e.programme_id, ProgrammeParticipation(programme=e.programme, enrolments=[])
        )
        entry.enrolments.append(e)
    dates = Q()
    if start:
        dates &= Q(session__date__gte=start)
    if end:
        dates &= Q(session__date__lte=end)
    counted = (
        Attendance.objects.filter(dates, session__programme__site=site)
        .values("inmate_id", "session__programme_id", "code")
        .annotate(n=Count("id"), pieces=Sum("pieces"))
    )
    for row in counted:
        found = per_inmate[row["inmate_id"]].get(row["session__programme_id"])
        if found is not None and row["code"] in CODE_RULES:
            found.by_code[row["code"]] = row["n"]
            found.pieces += row["pieces"] or 0
    paid = Q(run__site=site, posted_at__isnull=False)
    if start:
        paid &= Q(run__period_end__gte=start)
    if end:
        paid &= Q(run__period_end__lte=end)
    for line in (
        PayoutLine.objects.filter(paid)
        .values("inmate_id", "run__programme_id")
        .annotate(total=Sum("amount_rp"))
    ):
        found = per_inmate[line["inmate_id"]].get(line["run__programme_id"])
        if found is not None:
            found.premi_rp = line["total"] or 0
    return [
        Participation(inmate=inmates[i], start=start, end=end, programmes=list(p.values()))
        for i, p in per_inmate.items()
    ]


def site_participation_csv(*, site: Site, start: dt.date | None, end: dt.date | None) -> bytes:
    records = site_participation(site=site, start=start, end=end)
    return _write(_row(site, r.inmate, p, start, end) for r in records for p in r.programmes)

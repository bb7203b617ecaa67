"""Sessions and attendance: the list of sessions, and the attendance screen of one session
(card-tap field for a keyboard-wedge reader, the roster with codes, live counts)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from pandai.core.calendar import site_today
from pandai.core.http import PandaiRequest
from pandai.core.permissions import Perm, can, requires
from pandai.core.xlsx import list_xlsx, wants_xlsx
from pandai.programs import selectors, services
from pandai.programs.errors import ProgramError
from pandai.programs.forms import ReasonForm, SessionFilterForm
from pandai.programs.models import CODE_RULES, AttendanceCode, Programme, SessionStatus
from pandai.programs.services import RosterRow
from pandai.programs.services.attendance import ROSTER_CODES
from pandai.programs.views.common import get_session, is_htmx

# The sessions and their attendance in the XLSX download.
SESSION_COLUMNS = [
    (_l("Tanggal"), lambda s: s.date),
    (_l("Mulai"), lambda s: s.start_time),
    (_l("Selesai"), lambda s: s.end_time),
    (_l("Program"), lambda s: s.programme.name),
    (_l("Status"), lambda s: s.get_status_display()),
    (_l("Hadir"), lambda s: s.present),
    (_l("Tercatat"), lambda s: s.recorded),
]


@requires(Perm.PROGRAM_VIEW)
def session_list(request: PandaiRequest) -> HttpResponseBase:
    today = site_today(request.site)
    form = SessionFilterForm(request.GET or None, site=request.site)
    start, end, programme = today, today + dt.timedelta(days=6), None
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["dari"] or start
        end = form.cleaned_data["sampai"] or max(start, end)
        if form.cleaned_data["program"]:
            programme = Programme.objects.filter(
                site=request.site, pk=form.cleaned_data["program"]
            ).first()
    end = min(end, start + dt.timedelta(days=92))
    sessions = selectors.sessions_for_site(
        site=request.site, start=start, end=end, programme=programme
    )
    if wants_xlsx(request):
        return list_xlsx(request, name=_("sesi-program"), columns=SESSION_COLUMNS, objects=sessions)
    return render(
        request,
        "programs/session_list.html",
        {
            "form": form,
            "sessions": sessions,
            "today": today,
            "start": start,
            "end": end,
        },
    )


def _codes() -> list[tuple[str, str, bool]]:
    return [
        (c.value, str(c.label), CODE_RULES[c.value].counts_against)
        for c in AttendanceCode
        if c.value in ROSTER_CODES
    ]


def _context(request: PandaiRequest, session_pk: int) -> dict[str, object]:
    session = get_session(request, session_pk)
    return {
        "session": session,
        "programme": session.programme,
        "roster": selectors.session_roster(session=session),
        "counts": selectors.session_counts(session=session),
        "codes": _codes(),
        "all_codes": AttendanceCode,
        "today": site_today(request.site),
        "can_attend": can(request, Perm.PROGRAM_ATTEND),
        "can_manage": can(request, Perm.PROGRAM_MANAGE),
        "cancelled": session.status == SessionStatus.CANCELLED,
    }


# A session's attendance list in its XLSX download.
ROSTER_COLUMNS = [
    (_l("No. registrasi"), lambda line: line.inmate.reg_no),
    (_l("Nama"), lambda line: line.inmate.full_name),
    (_l("Kehadiran"), lambda line: line.attendance.get_code_display() if line.attendance else ""),
    (_l("Hasil (buah)"), lambda line: line.attendance.pieces if line.attendance else None),
    (_l("Catatan"), lambda line: line.attendance.note if line.attendance else ""),
    (_l("Dicatat"), lambda line: line.attendance.recorded_at if line.attendance else None),
]


@requires(Perm.PROGRAM_VIEW)
def session_detail(request: PandaiRequest, pk: int) -> HttpResponseBase:
    context = _context(request, pk)
    if wants_xlsx(request):
        name = _("kehadiran-sesi-%(pk)d") % {"pk": pk}
        roster = context["roster"]
        return list_xlsx(request, name=name, columns=ROSTER_COLUMNS, objects=roster)  # type: ignore[arg-type]
    return render(request, "programs/session_detail.html", context)


@requires(Perm.PROGRAM_VIEW)
def session_counts(request: PandaiRequest, pk: int) -> HttpResponse:
    """The live counts panel (HTMX polls it while the session screen is open)."""
    return render(request, "programs/_session_counts.html", _context(request, pk))


@require_POST
@requires(Perm.PROGRAM_ATTEND)
def session_tap(request: PandaiRequest, pk: int) -> HttpResponse:
    """A card typed by the reader at the room. HTMX gets the result line plus the counts and
    the inmate's roster line swapped in place; without JavaScript the page reloads."""
    session = get_session(request, pk)
    raw = request.POST.get("card", "").strip()[:64]
    result, error = None, None
    try:
        result = services.attendance_tap(session=session, raw=raw, actor=request.user)
    except ProgramError as exc:
        error = exc
    if not is_htmx(request):
        if error is not None:
            messages.error(request, error.message)
        elif result is not None:
            messages.success(
                request, _("%(name)s tercatat hadir.") % {"name": result.inmate.full_name}
            )
        return redirect("programs:session_detail", pk=session.pk)
    context = _context(request, pk)
    line = None
    if result is not None:
        line = next((r for r in context["roster"] if r.inmate.pk == result.inmate.pk), None)  # type: ignore[attr-defined]
    context.update({"result": result, "error": error, "line": line})
    return render(request, "programs/_tap_result.html", context)


@require_POST
@requires(Perm.PROGRAM_ATTEND)
def session_roster(request: PandaiRequest, pk: int) -> HttpResponse:
    """The whole roster in one form: `code-<inmate id>`, `pieces-<inmate id>`, `note-<id>`."""
    session = get_session(request, pk)
    rows: list[RosterRow] = []
    try:
        for key in request.POST:
            if not key.startswith("code-"):
                continue
            value = request.POST.get(key, "")
            inmate_id = int(key.removeprefix("code-"))
            pieces_text = request.POST.get(f"pieces-{inmate_id}", "").strip() or "0"
            if not pieces_text.isdigit():
                raise ProgramError("pieces", _("Jumlah hasil kerja harus angka bulat."))
            rows.append(
                RosterRow(
                    inmate_id=inmate_id,
                    code=value.strip(),
                    pieces=int(pieces_text),
                    note=request.POST.get(f"note-{inmate_id}", ""),
                )
            )
        changed = services.attendance_roster_save(session=session, rows=rows, actor=request.user)
    except ValueError as exc:  # ProgramError is a ValueError; int() of a forged key too
        message = exc.message if isinstance(exc, ProgramError) else _("Daftar hadir tidak sah.")
        messages.error(request, _("Daftar hadir tidak disimpan: %(e)s") % {"e": message})
    else:
        messages.success(request, _("Daftar hadir disimpan (%(n)s perubahan).") % {"n": changed})
    return redirect("programs:session_detail", pk=session.pk)


@require_POST
@requires(Perm.PROGRAM_MANAGE)
def session_cancel(request: PandaiRequest, pk: int) -> HttpResponse:
    session = get_session(request, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.session_cancel(session=session, reason=reason, actor=request.user)
    except ProgramError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Sesi dibatalkan; peserta dicatat 'dibatalkan'."))
    return redirect("programs:session_detail", pk=session.pk)

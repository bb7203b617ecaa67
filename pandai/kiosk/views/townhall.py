"""Aturan & pengumuman and Sosialisasi at the kiosk: the policies in force and coming, the
announcements and the coming sessions; for one session the published questions with their
votes, my own questions with their moderation state, asking and upvoting — all through the
town hall's selectors and services (one vote per inmate is the database's rule there)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pandai.core.calendar import site_today
from pandai.inmates.models import Inmate
from pandai.kiosk.access import InmateRequest, inmate_view
from pandai.kiosk.views.common import page
from pandai.townhall import selectors
from pandai.townhall.errors import TownhallError
from pandai.townhall.models import Question, Session, SessionStatus
from pandai.townhall.services import question_submit, vote_cast
from pandai.townhall.services.questions import MAX_QUESTION_CHARS


def _when(session: Session) -> dict[str, str]:
    # kiosk_view has switched to the site's time zone.
    local = timezone.localtime(session.starts_at)
    return {"day": local.strftime("%d-%m-%Y"), "time": local.strftime("%H.%M")}


def session_notice(session: Session) -> str:
    """A coming session told as an announcement (the rules screen and its speech)."""
    return _("Sosialisasi tanggal %(day)s pukul %(time)s, tempat %(place)s: %(title)s.") % {
        **_when(session),
        "place": session.place,
        "title": session.title,
    }


@inmate_view
def rules(request: InmateRequest) -> HttpResponse:
    site = request.kiosk.site
    today = site_today(site)
    policies = list(selectors.policies_current(site=site))
    in_force = [p for p in policies if p.effective_date <= today]
    coming = [p for p in policies if p.effective_date > today]
    announcements = list(selectors.announcements_current(site=site))
    sessions = list(selectors.sessions_for_inmate(inmate=request.kiosk_user.inmate)[:5])
    notices = [session_notice(s) for s in sessions]
    parts = [_("Aturan dan pengumuman.")]
    parts += [
        _("Aturan baru: %(title)s, berlaku mulai %(day)s.")
        % {"title": p.title, "day": p.effective_date.strftime("%d-%m-%Y")}
        for p in coming
    ]
    parts += [
        _("Aturan berlaku: %(title)s, sejak %(day)s.")
        % {"title": p.title, "day": p.effective_date.strftime("%d-%m-%Y")}
        for p in in_force
    ]
    parts += [f"{a.title}. {a.text}" for a in announcements]
    parts += notices
    if len(parts) == 1:
        parts.append(_("Belum ada aturan baru atau pengumuman."))
    return page(
        request,
        "kiosk/rules.html",
        {
            "in_force": in_force,
            "coming": coming,
            "announcements": announcements,
            "session_notices": list(zip(sessions, notices, strict=True)),
        },
        speech=" ".join(parts),
    )


@inmate_view
def sessions(request: InmateRequest) -> HttpResponse:
    mine = list(selectors.sessions_for_inmate(inmate=request.kiosk_user.inmate))
    speech = _("Sosialisasi. Pilih sosialisasi untuk bertanya atau mendukung pertanyaan.")
    if mine:
        speech += " " + " ".join(session_notice(s) for s in mine[:3])
    else:
        speech += " " + _("Belum ada sosialisasi yang akan datang untuk Anda.")
    return page(request, "kiosk/sessions.html", {"sessions": mine}, speech=speech)


def _my_session(request: InmateRequest, pk: int) -> Session:
    """A session of this kiosk's site the signed-in person is invited to (any status: a
    closed one still shows its answers); anything else is 404."""
    found = (
        selectors.sessions_for_inmate(inmate=request.kiosk_user.inmate, upcoming_only=False)
        .filter(pk=pk, site=request.kiosk.site)
        .first()
    )
    if found is None:
        raise Http404
    return found


def _session_page(
    request: InmateRequest, s: Session, *, text: str = "", error: str = "", status: int = 200
) -> HttpResponse:
    inmate: Inmate = request.kiosk_user.inmate
    shown = selectors.questions_for_inmates(session=s)
    voted = selectors.votes_of_inmate(session=s, inmate=inmate)
    mine = list(selectors.questions_of_inmate(session=s, inmate=inmate))
    open_for_questions = s.status != SessionStatus.CLOSED
    speech = error or " ".join(
        [
            session_notice(s),
            _("Ada %(n)s pertanyaan peserta. Tekan Dukung pada pertanyaan yang Anda setujui.")
            % {"n": len(shown)},
            _("Untuk bertanya, tulis pertanyaan dengan papan ketik lalu tekan Kirim.")
            if open_for_questions
            else _("Sosialisasi ini sudah selesai."),
        ]
    )
    context: dict[str, Any] = {
        "s": s,
        "questions": [(q, q.pk in voted) for q in shown],
        "mine": mine,
        "open_for_questions": open_for_questions,
        "text": text,
        "error": error,
        "max_chars": MAX_QUESTION_CHARS,
    }
    return page(request, "kiosk/session.html", context, speech=speech, status=status)


@inmate_view
def session(request: InmateRequest, pk: int) -> HttpResponse:
    return _session_page(request, _my_session(request, pk))


@require_POST
@inmate_view
def session_ask(request: InmateRequest, pk: int) -> HttpResponse:
    s = _my_session(request, pk)
    text = request.POST.get("text", "")
    try:
        question_submit(session=s, inmate=request.kiosk_user.inmate, text=text)
    except TownhallError as exc:
        # Shown on the same screen with the text kept, so nothing typed is lost.
        return _session_page(request, s, text=text[:5000], error=exc.message, status=400)
    messages.success(
        request,
        _("Pertanyaan Anda terkirim. Petugas memeriksanya dulu sebelum ditampilkan.")
        if s.moderated
        else _("Pertanyaan Anda terkirim dan sudah ditampilkan."),
    )
    return redirect(reverse("kiosk:session", kwargs={"pk": s.pk}) + "#mine")


@require_POST
@inmate_view
def question_vote(request: InmateRequest, pk: int) -> HttpResponse:
    question = Question.objects.filter(pk=pk).only("pk", "session_id").first()
    if question is None:
        raise Http404
    s = _my_session(request, question.session_id)
    try:
        vote_cast(question=question, inmate=request.kiosk_user.inmate, card=request.kiosk_user.card)
    except TownhallError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Dukungan Anda dicatat. Terima kasih."))
    return redirect(reverse("kiosk:session", kwargs={"pk": s.pk}) + f"#q{pk}")

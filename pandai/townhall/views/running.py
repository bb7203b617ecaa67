"""Running a session: the door (card field always focused, big counter, counts per block,
refusals shown large), the roster, the projector screen (no menus, refreshes itself), the
moderator's screen, questions from the floor and the voting device."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from pandai.core.http import PandaiRequest
from pandai.core.permissions import Perm, requires
from pandai.core.xlsx import list_xlsx, wants_xlsx
from pandai.inmates.models import Inmate
from pandai.townhall import selectors, services
from pandai.townhall.errors import TownhallError
from pandai.townhall.models import Question, QuestionStatus
from pandai.townhall.views.common import get_question, get_session, is_htmx


def _door(request: PandaiRequest, pk: int, **extra: object) -> dict[str, object]:
    session = get_session(request, pk)
    return {
        "session": session,
        "counts": selectors.door_counts(session=session),
        "recent": selectors.recent_taps(session=session),
        **extra,
    }


@requires(Perm.SESSION_RUN)
def door(request: PandaiRequest, pk: int) -> HttpResponse:
    return render(request, "townhall/door.html", _door(request, pk))


@requires(Perm.SESSION_RUN)
def door_counts(request: PandaiRequest, pk: int) -> HttpResponse:
    return render(request, "townhall/_door_counts.html", _door(request, pk))


@require_POST
@requires(Perm.SESSION_RUN)
def door_tap(request: PandaiRequest, pk: int) -> HttpResponse:
    session = get_session(request, pk)
    result, error = None, None
    try:
        result = services.attendance_tap(
            session=session, raw=request.POST.get("card", "")[:64], actor=request.user
        )
    except TownhallError as exc:
        error = exc
    if not is_htmx(request):
        if error:
            messages.error(request, error.message)
        return redirect("townhall:door", pk=pk)
    return render(
        request, "townhall/_door_result.html", _door(request, pk, result=result, error=error)
    )


@requires(Perm.SESSION_RUN)
def roster(request: PandaiRequest, pk: int) -> HttpResponse:
    session = get_session(request, pk)
    if request.method == "POST":
        inmate = Inmate.objects.filter(
            site=request.site, pk=request.POST.get("inmate") or 0
        ).first()
        try:
            if inmate is None:
                raise TownhallError("inmate", _("Pilih WBP dari daftar."))
            services.attendance_tick(session=session, inmate=inmate, actor=request.user)
        except TownhallError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(name)s tercatat hadir.") % {"name": inmate.full_name})
        return redirect("townhall:roster", pk=pk)
    return render(
        request,
        "townhall/roster.html",
        {
            "session": session,
            "rows": selectors.roster(session=session),
            "counts": selectors.door_counts(session=session),
        },
    )


def _screen(request: PandaiRequest, pk: int) -> dict[str, object]:
    session = get_session(request, pk)
    return {
        "session": session,
        "shown": selectors.presenter(session=session),
        "polls": [r for r in selectors.poll_results(session=session) if r.poll.published],
        "present": selectors.door_counts(session=session).present,
    }


@requires(Perm.SESSION_VIEW)
def presenter(request: PandaiRequest, pk: int) -> HttpResponse:
    return render(request, "townhall/presenter.html", _screen(request, pk))


@requires(Perm.SESSION_VIEW)
def presenter_body(request: PandaiRequest, pk: int) -> HttpResponse:
    return render(request, "townhall/_presenter_body.html", _screen(request, pk))


# The session's questions in the moderator's XLSX download (what the moderator sees).
QUESTION_COLUMNS = [
    (_l("No."), lambda q: q.pk),
    (_l("Sumber"), lambda q: q.get_source_display()),
    (_l("Pertanyaan"), lambda q: q.text),
    (_l("Status"), lambda q: q.get_status_display()),
    (_l("Dukungan"), lambda q: q.vote_count),
    (_l("Jawaban"), lambda q: q.answer_text),
    (_l("Dijawab"), lambda q: q.answered_at),
    (_l("Alasan disembunyikan"), lambda q: q.hidden_reason),
]


@requires(Perm.SESSION_RUN)
def moderator(request: PandaiRequest, pk: int) -> HttpResponseBase:
    session = get_session(request, pk)
    items = selectors.questions(session=session)
    if wants_xlsx(request):
        name = _("pertanyaan-sosialisasi-%(pk)d") % {"pk": session.pk}
        return list_xlsx(request, name=name, columns=QUESTION_COLUMNS, objects=items)
    return render(
        request,
        "townhall/moderator.html",
        {
            "session": session,
            "pending": [q for q in items if q.status == QuestionStatus.PENDING],
            "published": [q for q in items if q.status == QuestionStatus.PUBLISHED],
            "answered": [q for q in items if q.status == QuestionStatus.ANSWERED],
            "others": [
                q for q in items if q.status in (QuestionStatus.HIDDEN, QuestionStatus.MERGED)
            ],
            "targets": [
                q for q in items if q.status in (QuestionStatus.PENDING, QuestionStatus.PUBLISHED)
            ],
        },
    )


@require_POST
@requires(Perm.SESSION_RUN)
def floor_question(request: PandaiRequest, pk: int) -> HttpResponse:
    session = get_session(request, pk)
    try:
        services.question_floor(
            session=session, actor=request.user, text=request.POST.get("text", "")
        )
    except TownhallError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Pertanyaan dari peserta dicatat."))
    return redirect(
        (request.POST.get("back") == "vote" and "townhall:vote") or "townhall:moderator", pk=pk
    )


@require_POST
@requires(Perm.SESSION_RUN)
def question_action(request: PandaiRequest, pk: int) -> HttpResponse:
    q = get_question(request, pk)
    action = request.POST.get("action", "")
    user = request.user
    try:
        if action == "publish":
            services.question_publish(question=q, actor=user)
        elif action == "hide":
            services.question_hide(question=q, actor=user, reason=request.POST.get("reason", ""))
        elif action == "merge":
            into = Question.objects.filter(
                session=q.session, pk=request.POST.get("into") or 0
            ).first()
            if into is None:
                raise TownhallError("merge", _("Pilih pertanyaan tujuan penggabungan."))
            services.question_merge(question=q, into=into, actor=user)
        elif action == "pin":
            services.question_pin(question=q, actor=user)
        elif action == "unpin":
            services.question_unpin(question=q, actor=user)
        elif action in ("up", "down"):
            services.question_move(question=q, actor=user, to_top=action == "up")
        elif action == "answer":
            services.question_answer(question=q, actor=user, text=request.POST.get("answer", ""))
            messages.success(request, _("Pertanyaan ditandai dijawab."))
        else:
            raise TownhallError("action", _("Tindakan tidak dikenal."))
    except TownhallError as exc:
        messages.error(request, exc.message)
    return redirect("townhall:moderator", pk=q.session_id)


@requires(Perm.SESSION_RUN)
def vote(request: PandaiRequest, pk: int) -> HttpResponse:
    """A device in the hall: pick a question, tap the card. One vote per card per question."""
    session = get_session(request, pk)
    chosen = None
    result, error = None, None
    if request.method == "POST":
        chosen = Question.objects.filter(
            session=session, pk=request.POST.get("question") or 0
        ).first()
        try:
            if chosen is None:
                raise TownhallError("question", _("Pilih pertanyaan dulu."))
            result = services.vote_by_card(question=chosen, raw=request.POST.get("card", "")[:64])
        except TownhallError as exc:
            error = exc
    items = [
        q for q in selectors.questions(session=session) if q.status == QuestionStatus.PUBLISHED
    ]
    return render(
        request,
        "townhall/vote.html",
        {
            "session": session,
            "questions": items,
            "chosen": chosen,
            "result": result,
            "error": error,
        },
        status=200,
    )

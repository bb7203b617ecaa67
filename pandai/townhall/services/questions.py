"""Questions and votes: the box's items (imported in sessions.py), questions sent before the
session (the kiosk calls `question_submit` after its own card + PIN check), questions from
the floor typed by the secretary; the moderation queue (publish, merge, hide with a reason,
pin, reorder); one upvote per inmate per question (a database constraint); answers, which
go back to the complaint a question came from."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Max, Min
from django.utils.translation import gettext as _

from pandai.complaints import services as complaint_services
from pandai.complaints.models import Complaint, Status
from pandai.complaints.services import ComplaintError
from pandai.core.calendar import site_today
from pandai.core.models import User
from pandai.inmates.models import Card, Inmate
from pandai.townhall.errors import TownhallError
from pandai.townhall.models import (
    Question,
    QuestionSource,
    QuestionStatus,
    Session,
    SessionStatus,
    Vote,
)
from pandai.townhall.services.attendance import card_holder, check_member
from pandai.townhall.services.base import (
    audit,
    clean,
    lock_session,
    must_be_open,
    not_closed,
    now,
)

MAX_QUESTION_CHARS = 500
MAX_ANSWER_CHARS = 1500  # the answer also goes into the complaint's history (2000 max)
# Flood limit: questions one inmate may send to one session before it starts.
MAX_QUESTIONS_PER_INMATE = 3
Q = QuestionStatus


def _initial_status(session: Session) -> str:
    return Q.PENDING if session.moderated else Q.PUBLISHED


@transaction.atomic
def question_submit(
    *, session: Session, inmate: Inmate, text: str, moment: dt.datetime | None = None
) -> Question:
    """An inmate's question before (or during) the session. The caller has checked the card
    and PIN. At most three per inmate per session; the same text twice is refused."""
    moment = now(moment)
    text = clean(text, label=_("Pertanyaan"), max_chars=MAX_QUESTION_CHARS)
    session = lock_session(session)  # one submission at a time per session: the limit holds
    not_closed(session)
    check_member(session=session, inmate=inmate)
    mine = Question.objects.filter(
        session=session, inmate=inmate, source=QuestionSource.PRE_SESSION
    )
    if mine.filter(text__iexact=text).exists():
        raise TownhallError("duplicate", _("Pertanyaan yang sama sudah Anda kirim."))
    if mine.count() >= MAX_QUESTIONS_PER_INMATE:
        raise TownhallError(
            "flood",
            _("Anda sudah mengirim %(n)s pertanyaan untuk sosialisasi ini (batas).")
            % {"n": MAX_QUESTIONS_PER_INMATE},
        )
    return Question.objects.create(
        session=session,
        source=QuestionSource.PRE_SESSION,
        inmate=inmate,
        text=text,
        status=_initial_status(session),
        created_at=moment,
    )


@transaction.atomic
def question_floor(*, session: Session, actor: User, text: str) -> Question:
    """A question asked aloud in the hall, typed by the secretary."""
    text = clean(text, label=_("Pertanyaan"), max_chars=MAX_QUESTION_CHARS)
    session = lock_session(session)
    must_be_open(session)
    return Question.objects.create(
        session=session,
        source=QuestionSource.FLOOR,
        text=text,
        status=_initial_status(session),
        created_at=now(),
        created_by=actor,
    )


def _lock(question: Question) -> tuple[Session, Question]:
    session = lock_session(question.session)
    not_closed(session)
    return session, Question.objects.select_for_update().get(pk=question.pk)


def _require(question: Question, *statuses: str) -> None:
    if question.status not in statuses:
        raise TownhallError(
            "bad_state",
            _("Pertanyaan ini berstatus “%(status)s”.")
            % {"status": QuestionStatus(question.status).label},
        )


@transaction.atomic
def question_publish(*, question: Question, actor: User) -> Question:
    _s, q = _lock(question)
    _require(q, Q.PENDING, Q.HIDDEN)
    q.status = Q.PUBLISHED
    q.hidden_reason = ""
    q.save(update_fields=["status", "hidden_reason"])
    return q


@transaction.atomic
def question_hide(*, question: Question, actor: User, reason: str) -> Question:
    reason = clean(reason, label=_("Alasan"), max_chars=300)
    _s, q = _lock(question)
    _require(q, Q.PENDING, Q.PUBLISHED)
    q.status = Q.HIDDEN
    q.hidden_reason = reason
    q.pinned = False
    q.save(update_fields=["status", "hidden_reason", "pinned"])
    audit("townhall.question_hide", q.session, actor, question=q.pk, reason=reason)
    return q


@transaction.atomic
def question_merge(*, question: Question, into: Question, actor: User) -> Question:
    """A duplicate joins the question it repeats: its votes count there, the answer reaches
    its complaint too."""
    _s, q = _lock(question)
    target = Question.objects.select_for_update().get(pk=into.pk)
    if target.session_id != q.session_id or target.pk == q.pk:
        raise TownhallError("merge", _("Pilih pertanyaan lain dari sosialisasi yang sama."))
    _require(q, Q.PENDING, Q.PUBLISHED, Q.HIDDEN)
    if target.status not in (Q.PENDING, Q.PUBLISHED):
        raise TownhallError(
            "merge", _("Pertanyaan tujuan sudah dijawab, digabung atau disembunyikan.")
        )
    q.status = Q.MERGED
    q.merged_into = target
    q.pinned = False
    q.save(update_fields=["status", "merged_into", "pinned"])
    return q


@transaction.atomic
def question_pin(*, question: Question, actor: User) -> Question:
    """Put a question on the projector as the one being answered now (one at a time)."""
    session, q = _lock(question)
    must_be_open(session)
    if q.status == Q.PENDING:
        q.status = Q.PUBLISHED
    _require(q, Q.PUBLISHED)
    Question.objects.filter(session=session, pinned=True).exclude(pk=q.pk).update(pinned=False)
    q.pinned = True
    q.save(update_fields=["status", "pinned"])
    return q


@transaction.atomic
def question_unpin(*, question: Question, actor: User) -> Question:
    _s, q = _lock(question)
    q.pinned = False
    q.save(update_fields=["pinned"])
    return q


@transaction.atomic
def question_move(*, question: Question, actor: User, to_top: bool) -> Question:
    """The moderator's order comes first; votes decide among questions of equal order."""
    session, q = _lock(question)
    bounds = Question.objects.filter(session=session).aggregate(lo=Min("order"), hi=Max("order"))
    q.order = (bounds["lo"] or 0) - 1 if to_top else (bounds["hi"] or 0) + 1
    q.save(update_fields=["order"])
    return q


def _answer_complaint(complaint: Complaint, *, actor: User, session: Session, answer: str) -> None:
    day = site_today(session.site, session.starts_at).strftime("%d-%m-%Y")
    note = _("Dijawab di sosialisasi “%(title)s” (%(day)s): %(answer)s") % {
        "title": session.title,
        "day": day,
        "answer": answer,
    }
    try:
        if complaint.status not in (Status.ANSWERED, Status.CLOSED):
            # An item not yet answered in writing gets this answer as its written one.
            complaint_services.complaint_answer(
                complaint=complaint, actor=actor, text=answer, at_session=True
            )
        complaint_services.complaint_mark_session_answered(
            complaint=complaint, actor=actor, note=note[:2000]
        )
    except ComplaintError as exc:
        raise TownhallError(
            "complaint",
            _("Pengaduan %(number)s: %(e)s") % {"number": complaint.number, "e": exc.message},
        ) from exc


@transaction.atomic
def question_answer(*, question: Question, actor: User, text: str) -> Question:
    """Mark the question answered with what was said. A question from the box (or one merged
    into it from the box) sends the answer back to the complaint: its history shows it to the
    complainant (tracking page, kiosk), and an item not yet answered moves to "dijawab"."""
    text = clean(text, label=_("Jawaban"), max_chars=MAX_ANSWER_CHARS)
    session, q = _lock(question)
    must_be_open(session)
    _require(q, Q.PUBLISHED, Q.PENDING)
    moment = now()
    q.status = Q.ANSWERED
    q.answer_text = text
    q.answered_at = moment
    q.answered_by = actor
    q.pinned = False
    q.save(update_fields=["status", "answer_text", "answered_at", "answered_by", "pinned"])
    complaints = [
        c
        for c in Complaint.objects.filter(
            pk__in=[
                x
                for x in [q.complaint_id, *q.merged.values_list("complaint_id", flat=True)]
                if x is not None
            ]
        ).order_by("pk")
    ]
    for complaint in complaints:
        _answer_complaint(complaint, actor=actor, session=session, answer=text)
    audit("townhall.question_answer", session, actor, question=q.pk, complaints=len(complaints))
    return q


# --- votes ---------------------------------------------------------------------------------


def _vote_target(question: Question) -> Question:
    if question.status == Q.MERGED and question.merged_into_id is not None:
        return Question.objects.select_related("session__site").get(pk=question.merged_into_id)
    return question


def _cast(question: Question, inmate: Inmate, card: Card | None, moment: dt.datetime) -> Vote:
    question = _vote_target(question)
    session = question.session
    if session.status == SessionStatus.CLOSED:
        raise TownhallError("closed", _("Sosialisasi ini sudah ditutup."))
    if question.status != Q.PUBLISHED:
        raise TownhallError("not_votable", _("Pertanyaan ini tidak sedang dibuka untuk dukungan."))
    check_member(session=session, inmate=inmate)
    if Vote.objects.filter(question=question, inmate=inmate).exists():
        raise TownhallError("already_voted", _("Kartu ini sudah memilih pertanyaan ini."))
    try:
        with transaction.atomic():
            return Vote.objects.create(
                question=question, inmate=inmate, card=card, created_at=moment
            )
    except IntegrityError as exc:  # two taps at once: the database keeps one
        raise TownhallError("already_voted", _("Kartu ini sudah memilih pertanyaan ini.")) from exc


@transaction.atomic
def vote_cast(
    *,
    question: Question,
    inmate: Inmate,
    card: Card | None = None,
    moment: dt.datetime | None = None,
) -> Vote:
    """An upvote by an inmate the caller identified (the kiosk, after card + PIN)."""
    question = Question.objects.select_related("session__site").get(pk=question.pk)
    return _cast(question, inmate, card, now(moment))


@transaction.atomic
def vote_by_card(*, question: Question, raw: str, moment: dt.datetime | None = None) -> Vote:
    """An upvote by a card tapped at the hall's voting device."""
    question = Question.objects.select_related("session__site").get(pk=question.pk)
    card, inmate = card_holder(session=question.session, raw=raw)
    return _cast(question, inmate, card, now(moment))

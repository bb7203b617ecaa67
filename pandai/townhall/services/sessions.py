"""A session's life: prepare (details, agenda with policies, the box's questions), open,
close with the minutes, attendance count, questions and answers and the promises made;
publish the redacted minutes to the public board; mark promises done."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from pandai.complaints import selectors as complaint_selectors
from pandai.complaints.models import Complaint
from pandai.core.calendar import site_today
from pandai.core.models import Site, User
from pandai.inmates.models import Block, Inmate, InmateStatus
from pandai.townhall.errors import TownhallError
from pandai.townhall.models import (
    AgendaItem,
    Attendance,
    Audience,
    Policy,
    PolicyStatus,
    Poll,
    PollStatus,
    Promise,
    Question,
    QuestionSource,
    QuestionStatus,
    Session,
    SessionStatus,
)
from pandai.townhall.services.base import audit, clean, lock_session, not_closed, now

MAX_PROMISES = 50


@dataclass(frozen=True)
class SessionInput:
    title: str
    starts_at: dt.datetime
    place: str
    chair: User | None = None
    officials: tuple[User, ...] = ()
    audience: str = Audience.ALL
    blocks: tuple[Block, ...] = ()
    inmates: tuple[Inmate, ...] = ()
    moderated: bool = True


def _check(site: Site, data: SessionInput) -> dict[str, object]:
    if data.audience not in Audience.values:
        raise TownhallError("audience", _("Pilih peserta sosialisasi."))
    if data.audience == Audience.BLOCKS and not data.blocks:
        raise TownhallError("audience", _("Pilih blok yang diundang."))
    if data.audience == Audience.LIST and not data.inmates:
        raise TownhallError("audience", _("Pilih WBP yang diundang."))
    if any(b.site_id != site.pk for b in data.blocks) or any(
        i.site_id != site.pk for i in data.inmates
    ):
        raise TownhallError("other_site", _("Blok dan WBP harus dari UPT ini."))
    return {
        "title": clean(data.title, label=_("Judul"), max_chars=200),
        "place": clean(data.place, label=_("Tempat"), max_chars=120),
        "starts_at": data.starts_at,
        "chair": data.chair,
        "audience": data.audience,
        "moderated": data.moderated,
    }


def _set_people(session: Session, data: SessionInput) -> None:
    session.officials.set(data.officials)
    session.audience_blocks.set(data.blocks if data.audience == Audience.BLOCKS else ())
    session.audience_inmates.set(data.inmates if data.audience == Audience.LIST else ())


@transaction.atomic
def session_create(*, site: Site, actor: User, data: SessionInput) -> Session:
    session = Session.objects.create(site=site, created_by=actor, **_check(site, data))
    _set_people(session, data)
    audit("townhall.session_create", session, actor)
    return session


@transaction.atomic
def session_update(*, session: Session, actor: User, data: SessionInput) -> Session:
    fields = _check(session.site, data)
    session = lock_session(session)
    not_closed(session)
    for name, value in fields.items():
        setattr(session, name, value)
    session.save(update_fields=list(fields))
    _set_people(session, data)
    return session


@transaction.atomic
def session_open(*, session: Session, actor: User, moment: dt.datetime | None = None) -> Session:
    session = lock_session(session)
    if session.status != SessionStatus.PLANNED:
        raise TownhallError("not_planned", _("Sosialisasi ini sudah dibuka atau ditutup."))
    session.status = SessionStatus.OPEN
    session.opened_at = now(moment)
    session.save(update_fields=["status", "opened_at"])
    audit("townhall.session_open", session, actor)
    return session


# --- agenda --------------------------------------------------------------------------------


@transaction.atomic
def agenda_add(
    *,
    session: Session,
    actor: User,
    title: str,
    notes: str = "",
    policy: Policy | None = None,
    complaints: Iterable[Complaint] = (),
) -> AgendaItem:
    title = clean(title, label=_("Acara"), max_chars=200)
    notes = clean(notes, label=_("Keterangan"), max_chars=2000, required=False)
    session = lock_session(session)
    not_closed(session)
    complaints = list(complaints)
    if policy is not None and (
        policy.site_id != session.site_id or policy.status == PolicyStatus.WITHDRAWN
    ):
        raise TownhallError("policy", _("Kebijakan itu tidak tersedia."))
    if any(c.site_id != session.site_id for c in complaints):
        raise TownhallError("other_site", _("Pengaduan harus dari UPT ini."))
    last = session.agenda.order_by("-order").values_list("order", flat=True).first() or 0
    item = AgendaItem.objects.create(
        session=session, order=last + 1, title=title, notes=notes, policy=policy
    )
    item.complaints.set(complaints)
    return item


@transaction.atomic
def agenda_remove(*, item: AgendaItem, actor: User) -> None:
    session = lock_session(item.session)
    not_closed(session)
    item.delete()


def complaints_to_import(*, session: Session) -> list[Complaint]:
    """The box's answered items waiting for a sosialisasi that are not yet on the agenda of
    this session or of another one still to be held."""
    taken = Question.objects.filter(session__site=session.site, complaint__isnull=False).exclude(
        session__status=SessionStatus.CLOSED
    )
    return list(
        complaint_selectors.awaiting_session(site=session.site)
        .exclude(pk__in=taken.values("complaint_id"))
        .order_by("received_at")
    )


def complaint_question_text(complaint: Complaint) -> str:
    # The projector and the board never show the complainant's own words (they may name
    # people): only the officer's summary, or the category.
    return complaint.title or _("Pengaduan tentang %(category)s") % {
        "category": complaint.category.name
    }


@transaction.atomic
def questions_import_complaints(
    *, session: Session, actor: User, complaints: Iterable[Complaint] | None = None
) -> list[Question]:
    """Put the box's waiting items on the session as questions (all of them, or the chosen
    ones). Each goes through the moderation queue like any other question."""
    session = lock_session(session)
    not_closed(session)
    waiting = {c.pk: c for c in complaints_to_import(session=session)}
    chosen = list(waiting.values()) if complaints is None else [c for c in complaints]
    missing = [c for c in chosen if c.pk not in waiting]
    if missing:
        raise TownhallError(
            "not_waiting",
            _("Pengaduan %(numbers)s tidak menunggu jawaban di sosialisasi.")
            % {"numbers": ", ".join(c.number for c in missing)},
        )
    moment = now()
    status = QuestionStatus.PENDING if session.moderated else QuestionStatus.PUBLISHED
    made = [
        Question.objects.create(
            session=session,
            source=QuestionSource.COMPLAINT,
            complaint=waiting[c.pk],
            text=complaint_question_text(waiting[c.pk]),
            status=status,
            created_at=moment,
            created_by=actor,
        )
        for c in chosen
    ]
    return made


# --- closing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PromiseInput:
    what: str
    who: str
    due_date: dt.date


def _clean_promises(promises: list[PromiseInput], today: dt.date) -> list[PromiseInput]:
    if len(promises) > MAX_PROMISES:
        raise TownhallError("promises", _("Terlalu banyak janji dalam satu sosialisasi."))
    cleaned = []
    for p in promises:
        what = clean(p.what, label=_("Janji"), max_chars=300)
        who = clean(p.who, label=_("Penanggung jawab"), max_chars=150)
        if p.due_date < today:
            raise TownhallError(
                "due_past", _("Batas waktu janji “%(what)s” sudah lewat.") % {"what": what}
            )
        cleaned.append(PromiseInput(what=what, who=who, due_date=p.due_date))
    return cleaned


@transaction.atomic
def session_close(
    *,
    session: Session,
    actor: User,
    minutes: str,
    promises: list[PromiseInput],
    no_promises: bool = False,
    moment: dt.datetime | None = None,
) -> Session:
    """Close with the minutes, the attendance count, the questions and answers and the promises
    (or an explicit "no promises"). Questions still waiting are marked "not reached"; a box
    item among them goes back to waiting for the next session."""
    moment = now(moment)
    minutes = clean(minutes, label=_("Notulen"), max_chars=20000)
    session = lock_session(session)
    if session.status != SessionStatus.OPEN:
        raise TownhallError(
            "not_open", _("Hanya sosialisasi yang sedang berlangsung bisa ditutup.")
        )
    promises = _clean_promises(promises, site_today(session.site, moment))
    if not promises and not no_promises:
        raise TownhallError(
            "promises",
            _("Catat janji yang disampaikan, atau nyatakan bahwa tidak ada janji."),
        )
    count = Attendance.objects.filter(session=session).count()
    if count == 0:
        raise TownhallError(
            "no_attendance", _("Belum ada kehadiran yang tercatat; catat kehadiran dulu.")
        )
    Question.objects.filter(
        session=session, status__in=[QuestionStatus.PENDING, QuestionStatus.PUBLISHED]
    ).update(
        status=QuestionStatus.HIDDEN,
        pinned=False,
        hidden_reason=_("Tidak sempat dijawab di sosialisasi."),
    )
    Poll.objects.filter(session=session).exclude(status=PollStatus.CLOSED).update(
        status=PollStatus.CLOSED
    )
    Promise.objects.bulk_create(
        [Promise(session=session, what=p.what, who=p.who, due_date=p.due_date) for p in promises]
    )
    session.status = SessionStatus.CLOSED
    session.closed_at = moment
    session.closed_by = actor
    session.minutes = minutes
    session.attendance_count = count
    session.save(update_fields=["status", "closed_at", "closed_by", "minutes", "attendance_count"])
    audit("townhall.session_close", session, actor, attendance=count, promises=len(promises))
    return session


# --- the public board ------------------------------------------------------------------------

_REG_NO = re.compile(r"\b[A-Z]{1,4}(?:[ .][IVX]{1,4}[a-z]?)?[ .]?\d{1,6}\s?/\s?(?:19|20)\d{2}\b")


def redaction_problems(*, session: Session, text: str) -> list[str]:
    """Inmates' names (of the site, 4 letters and more) and registration numbers in a text
    meant for the public board."""
    lowered = text.casefold()
    names = Inmate.objects.filter(site=session.site).exclude(status=InmateStatus.RELEASED)
    found = [
        n
        for n in names.values_list("full_name", flat=True)
        if len(n.strip()) >= 4
        and re.search(rf"(?<!\w){re.escape(n.strip().casefold())}(?!\w)", lowered)
    ]
    found += _REG_NO.findall(text)
    return sorted(set(found))


@transaction.atomic
def session_publish(*, session: Session, actor: User, public_text: str) -> Session:
    """Publish the minutes (a redacted version) with the answered questions to the board."""
    public_text = clean(public_text, label=_("Notulen untuk papan"), max_chars=20000)
    session = lock_session(session)
    if session.status != SessionStatus.CLOSED:
        raise TownhallError("not_closed", _("Notulen diumumkan setelah sosialisasi ditutup."))
    texts = [public_text] + [
        f"{q.text}\n{q.answer_text}"
        for q in session.questions.filter(status=QuestionStatus.ANSWERED)
    ]
    problems = redaction_problems(session=session, text="\n".join(texts))
    if problems:
        raise TownhallError(
            "not_redacted",
            _(
                "Teks untuk papan publik (notulen atau tanya jawab) masih memuat nama atau "
                "nomor registrasi WBP: %(found)s. Samarkan dulu."
            )
            % {"found": ", ".join(problems)},
        )
    session.minutes_public = public_text
    session.published_at = now()
    session.save(update_fields=["minutes_public", "published_at"])
    audit("townhall.session_publish", session, actor)
    return session


@transaction.atomic
def session_unpublish(*, session: Session, actor: User, reason: str) -> Session:
    reason = clean(reason, label=_("Alasan"), max_chars=1000)
    session = lock_session(session)
    if session.published_at is None:
        raise TownhallError("not_published", _("Notulen ini belum diumumkan."))
    session.published_at = None
    session.save(update_fields=["published_at"])
    audit("townhall.session_unpublish", session, actor, reason=reason)
    return session


# --- promises ------------------------------------------------------------------------------


@transaction.atomic
def promise_add(*, session: Session, actor: User, data: PromiseInput) -> Promise:
    """A promise remembered after closing (the minutes are closed, the list is not)."""
    (p,) = _clean_promises([data], site_today(session.site, now()))
    return Promise.objects.create(session=session, what=p.what, who=p.who, due_date=p.due_date)


@transaction.atomic
def promise_done(*, promise: Promise, actor: User, note: str) -> Promise:
    note = clean(note, label=_("Keterangan"), max_chars=2000)
    promise = Promise.objects.select_for_update().select_related("session__site").get(pk=promise.pk)
    if promise.done_at is not None:
        raise TownhallError("done", _("Janji ini sudah ditandai selesai."))
    promise.done_at = now()
    promise.done_by = actor
    promise.done_note = note
    promise.save(update_fields=["done_at", "done_by", "done_note"])
    audit("townhall.promise_done", promise.session, actor, promise=promise.pk)
    return promise

"""Handling: the state machine (diterima → diverifikasi → didisposisikan → ditindaklanjuti →
dijawab → selesai; ditolak, duplikat, dibuka kembali). Each service locks the row, refuses a
move the machine does not allow without changing anything, and writes one history row per
change."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from pandai.complaints.models import (
    Category,
    Complaint,
    ComplaintType,
    RejectReason,
    Status,
)
from pandai.complaints.services.base import (
    MAX_NOTE_CHARS,
    ComplaintError,
    audit,
    clean_text,
    history_add,
    lock,
    now,
    roles_at,
    settings_for,
    status_label,
)
from pandai.complaints.services.deadlines import _days
from pandai.complaints.services.publish import publish_check
from pandai.core.calendar import add_working_days, site_today, working_days_between
from pandai.core.models import User
from pandai.core.permissions import Perm, perms_for

S = Status
TRANSITIONS: dict[str, frozenset[str]] = {
    S.RECEIVED: frozenset({S.VERIFIED, S.REJECTED, S.DUPLICATE}),
    S.VERIFIED: frozenset({S.ASSIGNED, S.ANSWERED, S.REJECTED, S.DUPLICATE}),
    S.ASSIGNED: frozenset({S.ASSIGNED, S.IN_PROGRESS, S.ANSWERED}),
    S.IN_PROGRESS: frozenset({S.ASSIGNED, S.ANSWERED}),
    S.REOPENED: frozenset({S.ASSIGNED, S.IN_PROGRESS, S.ANSWERED}),
    S.ANSWERED: frozenset({S.CLOSED, S.REOPENED}),
    S.CLOSED: frozenset({S.REOPENED}),
    S.REJECTED: frozenset({S.REOPENED}),
    S.DUPLICATE: frozenset({S.REOPENED}),
}


def can_move(complaint: Complaint, to: str) -> bool:
    return to in TRANSITIONS.get(complaint.status, frozenset())


def _perms(actor: User, complaint: Complaint) -> frozenset[Perm]:
    return perms_for(roles_at(actor, complaint.site))


def _guard(c: Complaint, actor: User | None, to: str | None, *, work: bool = False) -> None:
    """Refuse staff named in the item, a move the machine forbids, and — for `work` (acting and
    answering) — anyone who is neither a disposer nor the official it is disposed to."""
    if actor is not None and c.named_staff.filter(pk=actor.pk).exists():
        raise ComplaintError(
            "named_staff", _("Anda disebut dalam pengaduan ini dan tidak boleh menanganinya.")
        )
    if to is not None and not can_move(c, to):
        raise ComplaintError(
            "bad_state",
            _("Status tidak dapat diubah dari “%(from)s” ke “%(to)s”.")
            % {"from": status_label(c.status), "to": status_label(to)},
        )
    if (
        work
        and actor is not None
        and Perm.COMPLAINT_ASSIGN not in _perms(actor, c)
        and c.assigned_to_id != actor.pk
    ):
        raise ComplaintError("not_assignee", _("Pengaduan ini didisposisikan kepada pejabat lain."))


def _move(
    c: Complaint,
    to: str,
    actor: User | None,
    *,
    action: str,
    note: str = "",
    public: bool = True,
    fields: tuple[str, ...] = (),
) -> Complaint:
    old = c.status
    c.status = to
    c.save(update_fields=["status", "updated_at", *fields])
    history_add(
        complaint=c,
        action=action,
        actor=actor,
        from_status=old,
        to_status=to,
        note=note,
        public=public,
    )
    return c


@transaction.atomic
def complaint_take(*, complaint: Complaint, actor: User) -> Complaint:
    """The complaint officer takes charge of an item (and so may reveal a confidential
    identity)."""
    c = lock(complaint)
    _guard(c, actor, None)
    c.officer = actor
    c.save(update_fields=["officer", "updated_at"])
    history_add(complaint=c, action="take", actor=actor, note=_("Ditangani oleh petugas ini."))
    audit(c, "complaint.take", actor)
    return c


def _verify(c: Complaint, actor: User, note: str, moment: dt.datetime) -> None:
    c.verified_at = moment
    # A new phase, with the answer deadline: a fresh warning and escalation apply to it.
    c.warned_at = None
    c.escalated_at = None
    _move(
        c,
        S.VERIFIED,
        actor,
        action="verify",
        note=note or _("Pengaduan sudah diperiksa dan dicatat."),
        fields=("verified_at", "warned_at", "escalated_at", "title", "category", "kind"),
    )


@transaction.atomic
def complaint_verify(
    *,
    complaint: Complaint,
    actor: User,
    title: str = "",
    category: Category | None = None,
    kind: str = "",
    note: str = "",
) -> Complaint:
    """Checked and understood: the officer may write a one-line summary and correct the
    category or type (the complainant's text is never edited)."""
    title = clean_text(title, label=_("Ringkasan"), max_chars=200, required=False)
    note = clean_text(note, label=_("Catatan"), max_chars=MAX_NOTE_CHARS, required=False)
    c = lock(complaint)
    _guard(c, actor, S.VERIFIED)
    if category is not None and (category.site_id != c.site_id or not category.is_active):
        raise ComplaintError("category", _("Kategori tidak tersedia di UPT ini."))
    if kind and kind not in ComplaintType.values:
        raise ComplaintError("kind", _("Pilih jenis pengaduan."))
    c.title = title or c.title
    c.category = category or c.category
    c.kind = kind or c.kind
    _verify(c, actor, note, now())
    return c


@transaction.atomic
def complaint_assign(
    *, complaint: Complaint, actor: User, assignee: User, instruction: str, section: str = ""
) -> Complaint:
    """Dispose the item to an official with an instruction (an unverified item is verified
    first, in the same step). Staff named in the item cannot receive it."""
    instruction = clean_text(instruction, label=_("Instruksi disposisi"), max_chars=MAX_NOTE_CHARS)
    section = clean_text(section, label=_("Seksi"), max_chars=80, required=False)
    c = lock(complaint)
    _guard(c, actor, None)
    if c.named_staff.filter(pk=assignee.pk).exists():
        raise ComplaintError(
            "assignee_named", _("Petugas yang diadukan tidak boleh menangani pengaduan ini.")
        )
    if Perm.COMPLAINT_HANDLE not in perms_for(roles_at(assignee, c.site)):
        raise ComplaintError(
            "assignee_role",
            _("%(name)s tidak berwenang menangani pengaduan di UPT ini.")
            % {"name": assignee.display_name},
        )
    moment = now()
    if c.status == S.RECEIVED:
        _verify(c, actor, "", moment)
    _guard(c, actor, S.ASSIGNED)
    c.assigned_to = assignee
    c.assigned_section = section or c.category.default_section
    c.instruction = instruction
    c.assigned_at = moment
    _move(
        c,
        S.ASSIGNED,
        actor,
        action="assign",
        note=_("Didisposisikan kepada %(section)s.") % {"section": c.assigned_section or "-"},
        fields=("assigned_to", "assigned_section", "instruction", "assigned_at"),
    )
    audit(c, "complaint.assign", actor, assignee=assignee.pk)
    return c


@transaction.atomic
def complaint_start(*, complaint: Complaint, actor: User, note: str = "") -> Complaint:
    """The official begins acting on the item."""
    note = clean_text(note, label=_("Catatan"), max_chars=MAX_NOTE_CHARS, required=False)
    c = lock(complaint)
    _guard(c, actor, S.IN_PROGRESS, work=True)
    return _move(c, S.IN_PROGRESS, actor, action="start", note=note or _("Sedang ditindaklanjuti."))


@transaction.atomic
def complaint_note(
    *, complaint: Complaint, actor: User, note: str, public: bool = False
) -> Complaint:
    """A progress note; a public one reaches the complainant (and the duplicates')."""
    note = clean_text(note, label=_("Catatan"), max_chars=MAX_NOTE_CHARS)
    c = lock(complaint)
    _guard(c, actor, None)
    history_add(complaint=c, action="note", actor=actor, note=note, public=public)
    return c


@transaction.atomic
def complaint_answer(
    *,
    complaint: Complaint,
    actor: User,
    text: str,
    at_session: bool = False,
    public_text: str = "",
) -> Complaint:
    """The written answer, in plain Bahasa Indonesia. `at_session` also queues it for the next
    sosialisasi; a non-empty `public_text` publishes the redacted version to the board."""
    text = clean_text(text, label=_("Jawaban"))
    public_text = clean_text(public_text, label=_("Jawaban untuk papan"), required=False)
    c = lock(complaint)
    _guard(c, actor, S.ANSWERED, work=True)
    if public_text:
        publish_check(c, public_text)
    moment = now()
    c.answer_text = text
    c.answered_by = actor
    c.answered_at = moment
    c.answer_at_session = at_session
    fields = ["answer_text", "answered_by", "answered_at", "answer_at_session"]
    if public_text:
        c.answer_public_text = public_text
        c.published_at = moment
        c.published_by = actor
        fields += ["answer_public_text", "published_at", "published_by"]
    _move(
        c,
        S.ANSWERED,
        actor,
        action="answer",
        note=_("Jawaban tertulis diberikan."),
        fields=tuple(fields),
    )
    if public_text:
        history_add(
            complaint=c,
            action="publish",
            actor=actor,
            note=_("Jawaban diumumkan di papan pengaduan."),
            public=True,
        )
    audit(c, "complaint.answer", actor, at_session=at_session, published=bool(public_text))
    return c


@transaction.atomic
def complaint_publish(*, complaint: Complaint, actor: User, public_text: str) -> Complaint:
    """Publish (or re-publish with a corrected text) the redacted answer on the public board."""
    public_text = clean_text(public_text, label=_("Jawaban untuk papan"))
    c = lock(complaint)
    _guard(c, actor, None)
    if c.status not in (S.ANSWERED, S.CLOSED):
        raise ComplaintError(
            "not_answered", _("Hanya pengaduan yang sudah dijawab dapat diumumkan.")
        )
    publish_check(c, public_text)
    c.answer_public_text = public_text
    c.published_at = now()
    c.published_by = actor
    c.save(update_fields=["answer_public_text", "published_at", "published_by", "updated_at"])
    history_add(
        complaint=c,
        action="publish",
        actor=actor,
        note=_("Jawaban diumumkan di papan pengaduan."),
        public=True,
    )
    audit(c, "complaint.publish", actor)
    return c


@transaction.atomic
def complaint_unpublish(*, complaint: Complaint, actor: User, reason: str) -> Complaint:
    reason = clean_text(reason, label=_("Alasan"), max_chars=MAX_NOTE_CHARS)
    c = lock(complaint)
    _guard(c, actor, None)
    if c.published_at is None:
        raise ComplaintError("not_published", _("Jawaban ini belum diumumkan."))
    c.published_at = None
    c.save(update_fields=["published_at", "updated_at"])
    history_add(complaint=c, action="unpublish", actor=actor, note=reason)
    audit(c, "complaint.unpublish", actor, reason=reason)
    return c


@transaction.atomic
def complaint_mark_session_answered(
    *, complaint: Complaint, actor: User, note: str = ""
) -> Complaint:
    """For the town-hall app: the answer was read out at a sosialisasi."""
    note = clean_text(note, label=_("Catatan"), max_chars=MAX_NOTE_CHARS, required=False)
    c = lock(complaint)
    _guard(c, actor, None)
    if not c.answer_at_session or c.session_answered_at is not None:
        raise ComplaintError(
            "not_for_session", _("Pengaduan ini tidak menunggu jawaban di sosialisasi.")
        )
    c.session_answered_at = now()
    c.save(update_fields=["session_answered_at", "updated_at"])
    history_add(
        complaint=c,
        action="session",
        actor=actor,
        public=True,
        note=note or _("Dijawab secara terbuka di sosialisasi."),
    )
    return c


@transaction.atomic
def complaint_close(*, complaint: Complaint, actor: User | None, note: str = "") -> Complaint:
    note = clean_text(note, label=_("Catatan"), max_chars=MAX_NOTE_CHARS, required=False)
    c = lock(complaint)
    _guard(c, actor, S.CLOSED)
    c.closed_at = now()
    return _move(
        c, S.CLOSED, actor, action="close", note=note or _("Selesai."), fields=("closed_at",)
    )


@transaction.atomic
def complaint_reject(*, complaint: Complaint, actor: User, reason: str, note: str) -> Complaint:
    """Refuse an item with a reason from the list and an explanation the complainant reads."""
    if reason not in RejectReason.values:
        raise ComplaintError("reject_reason", _("Pilih alasan penolakan."))
    note = clean_text(note, label=_("Penjelasan penolakan"), max_chars=MAX_NOTE_CHARS)
    c = lock(complaint)
    _guard(c, actor, S.REJECTED)
    c.reject_reason = reason
    c.reject_note = note
    c.closed_at = now()
    _move(
        c,
        S.REJECTED,
        actor,
        action="reject",
        note=f"{RejectReason(reason).label}: {note}",
        fields=("reject_reason", "reject_note", "closed_at"),
    )
    audit(c, "complaint.reject", actor, reason=reason)
    return c


@transaction.atomic
def complaint_mark_duplicate(
    *, complaint: Complaint, actor: User, original: Complaint, note: str = ""
) -> Complaint:
    """Link an item to the one it repeats; the original's public updates reach this item's
    complainant too (see selectors.public_updates)."""
    note = clean_text(note, label=_("Catatan"), max_chars=MAX_NOTE_CHARS, required=False)
    c = lock(complaint)
    _guard(c, actor, S.DUPLICATE)
    root = original
    while root.duplicate_of_id is not None:
        root = root.duplicate_of  # type: ignore[assignment]
    if root.site_id != c.site_id:
        raise ComplaintError("other_site", _("Pengaduan asli harus dari UPT yang sama."))
    if root.pk == c.pk:
        raise ComplaintError("self", _("Pengaduan tidak dapat menjadi duplikat dirinya sendiri."))
    c.duplicate_of = root
    c.closed_at = now()
    _move(
        c,
        S.DUPLICATE,
        actor,
        action="duplicate",
        note=note
        or _("Sama dengan %(number)s; perkembangan mengikuti pengaduan itu.")
        % {"number": root.number},
        fields=("duplicate_of", "closed_at"),
    )
    history_add(
        complaint=root,
        action="duplicate_linked",
        actor=actor,
        note=_("Pengaduan %(number)s ditandai sebagai duplikat.") % {"number": c.number},
    )
    return c


@transaction.atomic
def complaint_reopen(
    *, complaint: Complaint, reason: str, actor: User | None = None, by_complainant: bool = False
) -> Complaint:
    """Reopen with a reason. The complainant (through an officer, the kiosk or the tracking
    page: `by_complainant=True`) may do so within `reopen_days` working days of the answer;
    staff with the right to dispose may reopen at any time. A new answer deadline runs."""
    reason = clean_text(reason, label=_("Alasan membuka kembali"), max_chars=MAX_NOTE_CHARS)
    c = lock(complaint)
    _guard(c, actor, S.REOPENED)
    conf = settings_for(c.site)
    today = site_today(c.site, now())
    if by_complainant:
        if c.status not in (S.ANSWERED, S.CLOSED) or c.answered_at is None:
            raise ComplaintError(
                "bad_state", _("Hanya pengaduan yang sudah dijawab dapat dibuka kembali.")
            )
        answered_on = site_today(c.site, c.answered_at)
        if working_days_between(answered_on, today, c.site) > conf.reopen_days:
            raise ComplaintError(
                "reopen_late",
                _("Batas membuka kembali (%(n)s hari kerja setelah jawaban) sudah lewat.")
                % {"n": conf.reopen_days},
            )
    elif actor is None or Perm.COMPLAINT_ASSIGN not in _perms(actor, c):
        raise ComplaintError("not_allowed", _("Anda tidak berwenang membuka kembali pengaduan."))
    c.reopen_count += 1
    c.reopen_reason = reason
    c.reopened_at = now()
    c.answer_due = add_working_days(today, _days(c.category, "answer_days", conf), c.site)
    c.extended = False
    c.extension_reason = ""
    c.warned_at = None
    c.escalated_at = None
    c.closed_at = None
    _move(
        c,
        S.REOPENED,
        actor,
        action="reopen",
        note=reason,
        fields=(
            "reopen_count",
            "reopen_reason",
            "reopened_at",
            "answer_due",
            "extended",
            "extension_reason",
            "warned_at",
            "escalated_at",
            "closed_at",
        ),
    )
    audit(c, "complaint.reopen", actor, by_complainant=by_complainant)
    return c

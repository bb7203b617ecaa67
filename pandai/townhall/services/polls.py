"""Polls during a session: single or multiple choice, answered by card tap at a device (one
ballot per inmate, database-unique) or by a show of hands the secretary counts; results are
published on the projector when the moderator says so."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from pandai.core.models import User
from pandai.townhall.errors import TownhallError
from pandai.townhall.models import (
    Poll,
    PollBallot,
    PollKind,
    PollMethod,
    PollOption,
    PollStatus,
    Session,
)
from pandai.townhall.services.attendance import card_holder
from pandai.townhall.services.base import clean, lock_session, not_closed, now

MAX_OPTIONS = 10


@transaction.atomic
def poll_create(
    *, session: Session, actor: User, question: str, kind: str, method: str, options: list[str]
) -> Poll:
    question = clean(question, label=_("Pertanyaan jajak pendapat"), max_chars=300)
    labels = [clean(o, label=_("Pilihan"), max_chars=120) for o in options if o.strip()]
    if not 2 <= len(labels) <= MAX_OPTIONS:
        raise TownhallError(
            "options", _("Isi 2 sampai %(n)s pilihan jawaban.") % {"n": MAX_OPTIONS}
        )
    if len({label.casefold() for label in labels}) != len(labels):
        raise TownhallError("options", _("Ada pilihan jawaban yang sama."))
    if kind not in PollKind.values or method not in PollMethod.values:
        raise TownhallError("kind", _("Pilih jenis dan cara menjawab."))
    session = lock_session(session)
    not_closed(session)
    poll = Poll.objects.create(session=session, question=question, kind=kind, method=method)
    PollOption.objects.bulk_create(
        [PollOption(poll=poll, label=label, order=i) for i, label in enumerate(labels)]
    )
    return poll


def _lock(poll: Poll) -> Poll:
    lock_session(poll.session)
    return Poll.objects.select_for_update().select_related("session__site").get(pk=poll.pk)


@transaction.atomic
def poll_set_status(*, poll: Poll, actor: User, status: str) -> Poll:
    poll = _lock(poll)
    not_closed(poll.session)
    allowed = {PollStatus.DRAFT: PollStatus.OPEN, PollStatus.OPEN: PollStatus.CLOSED}
    if allowed.get(poll.status) != status:  # type: ignore[call-overload]
        raise TownhallError("bad_state", _("Jajak pendapat ini tidak bisa diubah ke status itu."))
    poll.status = status
    poll.save(update_fields=["status"])
    return poll


@transaction.atomic
def poll_publish(*, poll: Poll, actor: User, published: bool = True) -> Poll:
    poll = _lock(poll)
    if published and poll.status != PollStatus.CLOSED:
        raise TownhallError(
            "not_closed", _("Tutup jajak pendapat dulu sebelum hasilnya diumumkan.")
        )
    poll.published = published
    poll.save(update_fields=["published"])
    return poll


@transaction.atomic
def poll_answer_card(
    *, poll: Poll, raw: str, option_ids: list[int], moment: dt.datetime | None = None
) -> PollBallot:
    poll = Poll.objects.select_related("session__site").get(pk=poll.pk)
    if poll.method != PollMethod.CARD or poll.status != PollStatus.OPEN:
        raise TownhallError("not_open", _("Jajak pendapat ini tidak sedang menerima tap kartu."))
    _card, inmate = card_holder(session=poll.session, raw=raw)
    options = list(PollOption.objects.filter(poll=poll, pk__in=option_ids))
    if not options or len(options) != len(set(option_ids)):
        raise TownhallError("options", _("Pilih jawaban dulu, lalu tempelkan kartu."))
    if poll.kind == PollKind.SINGLE and len(options) > 1:
        raise TownhallError("options", _("Jajak pendapat ini hanya satu pilihan."))
    try:
        with transaction.atomic():
            ballot = PollBallot.objects.create(poll=poll, inmate=inmate, created_at=now(moment))
    except IntegrityError as exc:
        raise TownhallError(
            "already_voted", _("Kartu ini sudah menjawab jajak pendapat ini.")
        ) from exc
    ballot.options.set(options)
    return ballot


@transaction.atomic
def poll_hands_set(*, poll: Poll, actor: User, counts: dict[int, int]) -> Poll:
    """The secretary's count of raised hands for each option."""
    poll = _lock(poll)
    if poll.method != PollMethod.HANDS or poll.status == PollStatus.DRAFT:
        raise TownhallError("not_open", _("Jajak pendapat ini tidak dihitung dengan tangan."))
    options = {o.pk: o for o in poll.options.all()}
    if set(counts) - set(options) or any(n < 0 or n > 100_000 for n in counts.values()):
        raise TownhallError("counts", _("Jumlah tangan tidak sah."))
    for pk, n in counts.items():
        options[pk].hands = n
        options[pk].save(update_fields=["hands"])
    return poll

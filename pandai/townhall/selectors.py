"""Reads of the sosialisasi: lists, the door counts per block, the roster, the questions in the
order the projector shows them, poll results, open promises, the public board. The kiosk
reads `upcoming_sessions`, `sessions_for_inmate`, `questions_for_inmates`,
`questions_of_inmate`, `votes_of_inmate`, `policies_current` and `announcements_current`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from pandai.core.calendar import site_today
from pandai.core.models import Site
from pandai.inmates.models import Block, Inmate, InmateStatus
from pandai.townhall.models import (
    AgendaItem,
    Announcement,
    Attendance,
    Audience,
    Policy,
    PolicyStatus,
    Poll,
    Promise,
    Question,
    QuestionStatus,
    Session,
    SessionStatus,
    Vote,
)
from pandai.wallet import clock


def sessions_for_site(*, site: Site) -> QuerySet[Session]:
    return (
        Session.objects.filter(site=site)
        .select_related("chair")
        .annotate(
            present=Count("attendance", distinct=True),
            open_questions=Count(
                "questions",
                filter=Q(questions__status__in=[QuestionStatus.PENDING, QuestionStatus.PUBLISHED]),
                distinct=True,
            ),
        )
        .order_by("-starts_at")
    )


def upcoming_sessions(*, site: Site, moment: dt.datetime | None = None) -> QuerySet[Session]:
    """Planned and open sessions from today on (for the kiosk: questions may be sent to these)."""
    moment = moment or clock.now()
    today = site_today(site, moment)
    return Session.objects.filter(
        site=site,
        status__in=[SessionStatus.PLANNED, SessionStatus.OPEN],
        starts_at__date__gte=today - dt.timedelta(days=1),
    ).order_by("starts_at")


def policies_current(*, site: Site, moment: dt.datetime | None = None) -> QuerySet[Policy]:
    """Policies in force and those announced to come, soonest first (kiosk and board)."""
    return Policy.objects.filter(
        site=site, status__in=[PolicyStatus.ANNOUNCED, PolicyStatus.IN_FORCE]
    ).order_by("effective_date", "id")


def announcements_current(
    *, site: Site, moment: dt.datetime | None = None
) -> QuerySet[Announcement]:
    """Announcements shown today (the site's day) and not withdrawn, newest first."""
    today = site_today(site, moment or clock.now())
    return Announcement.objects.filter(
        Q(publish_until__isnull=True) | Q(publish_until__gte=today),
        site=site,
        withdrawn_at__isnull=True,
        publish_from__lte=today,
    ).order_by("-publish_from", "-id")


def announcements_for_site(*, site: Site) -> QuerySet[Announcement]:
    return Announcement.objects.filter(site=site).select_related("created_by", "withdrawn_by")


def audience_of(*, inmate: Inmate) -> Q:
    """The sessions `inmate` is invited to (the same rule as services.check_member)."""
    block_id = inmate.cell.block_id if inmate.cell is not None else None
    by_block = Q(audience=Audience.BLOCKS, audience_blocks=block_id) if block_id else Q(pk=None)
    return (
        Q(site=inmate.site_id, audience=Audience.ALL)
        | (Q(site=inmate.site_id) & by_block)
        | Q(site=inmate.site_id, audience=Audience.LIST, audience_inmates=inmate)
    )


def sessions_for_inmate(*, inmate: Inmate, upcoming_only: bool = True) -> QuerySet[Session]:
    """Sessions the inmate is invited to: the upcoming ones (kiosk list), or any status (one
    session opened by its id: a closed one still shows its answers)."""
    base = (
        upcoming_sessions(site=inmate.site)
        if upcoming_only
        else Session.objects.filter(site=inmate.site)
    )
    invited = Session.objects.filter(audience_of(inmate=inmate)).values("pk")
    return base.filter(pk__in=invited)


def questions_of_inmate(*, session: Session, inmate: Inmate) -> QuerySet[Question]:
    """What the inmate sent before the session, with its moderation state."""
    return Question.objects.filter(session=session, inmate=inmate).order_by("created_at", "id")


def votes_of_inmate(*, session: Session, inmate: Inmate) -> set[int]:
    """Ids of the session's questions the inmate has upvoted."""
    return set(
        Vote.objects.filter(question__session=session, inmate=inmate).values_list(
            "question_id", flat=True
        )
    )


def policies_for_site(*, site: Site) -> QuerySet[Policy]:
    return Policy.objects.filter(site=site).prefetch_related("agenda_items__session")


def sessions_of_policy(*, policy: Policy) -> QuerySet[Session]:
    return Session.objects.filter(agenda__policy=policy).distinct().order_by("starts_at")


@dataclass
class DoorCounts:
    present: int
    expected: int
    by_block: list[tuple[str, int, int]] = field(default_factory=list)  # name, present, expected


def expected_inmates(*, session: Session) -> QuerySet[Inmate]:
    qs = Inmate.objects.filter(site=session.site, status=InmateStatus.ACTIVE)
    if session.audience == Audience.BLOCKS:
        qs = qs.filter(cell__block__in=session.audience_blocks.all())
    elif session.audience == Audience.LIST:
        qs = qs.filter(pk__in=session.audience_inmates.values("pk"))
    return qs


def door_counts(*, session: Session) -> DoorCounts:
    expected = dict(
        expected_inmates(session=session)
        .values_list("cell__block_id")
        .annotate(n=Count("pk"))
        .values_list("cell__block_id", "n")
    )
    present = dict(
        Attendance.objects.filter(session=session)
        .values_list("block_id")
        .annotate(n=Count("pk"))
        .values_list("block_id", "n")
    )
    names = dict(Block.objects.filter(site=session.site).values_list("pk", "name"))
    rows = [
        (names.get(pk, "–") if pk else "–", present.get(pk, 0), expected.get(pk, 0))
        for pk in sorted(
            set(expected) | set(present), key=lambda k: names.get(k, "~") if k else "~"
        )
    ]
    return DoorCounts(present=sum(present.values()), expected=sum(expected.values()), by_block=rows)


def roster(*, session: Session) -> list[tuple[Inmate, Attendance | None]]:
    seen = {a.inmate_id: a for a in Attendance.objects.filter(session=session)}
    people = (
        expected_inmates(session=session)
        .select_related("cell__block")
        .order_by("cell__block__code", "full_name")
    )
    return [(i, seen.get(i.pk)) for i in people]


def recent_taps(*, session: Session, limit: int = 8) -> QuerySet[Attendance]:
    return (
        Attendance.objects.filter(session=session)
        .select_related("inmate", "block")
        .order_by("-recorded_at", "-id")[:limit]
    )


def questions(*, session: Session) -> list[Question]:
    """Every question of the session with `vote_count` (its own votes plus those of the
    questions merged into it), in the projector's order: moderator's order, then votes."""
    items: list[Question] = list(
        Question.objects.filter(session=session)
        .select_related("complaint", "merged_into")
        .annotate(own_votes=Count("votes"))
    )
    totals = {q.pk: q.own_votes for q in items}  # type: ignore[attr-defined]
    for q in items:
        if q.status == QuestionStatus.MERGED and q.merged_into_id in totals:
            totals[q.merged_into_id] += q.own_votes  # type: ignore[attr-defined]
    for q in items:
        q.vote_count = totals[q.pk]  # type: ignore[attr-defined]
    items.sort(key=lambda q: (q.order, -q.vote_count, q.created_at, q.pk))  # type: ignore[attr-defined]
    return items


# What the inmates see of a session's questions (kiosk): what the moderator let through.
VISIBLE_TO_INMATES = (QuestionStatus.PUBLISHED, QuestionStatus.ANSWERED)


def questions_for_inmates(*, session: Session) -> list[Question]:
    """The session's published and answered questions with their votes, in the projector's
    order (pending, hidden and merged ones stay with the moderator)."""
    return [q for q in questions(session=session) if q.status in VISIBLE_TO_INMATES]


@dataclass
class Presenter:
    current: Question | None
    upcoming: list[Question]
    answered: list[Question]


def presenter(*, session: Session, limit: int = 5) -> Presenter:
    items = questions(session=session)
    current = next((q for q in items if q.pinned), None)
    upcoming = [q for q in items if q.status == QuestionStatus.PUBLISHED and not q.pinned]
    answered = sorted(
        (q for q in items if q.status == QuestionStatus.ANSWERED),
        key=lambda q: q.answered_at or q.created_at,
        reverse=True,
    )
    return Presenter(current=current, upcoming=upcoming[:limit], answered=answered)


@dataclass
class PollResult:
    poll: Poll
    rows: list[tuple[str, int]]
    total: int


def poll_results(*, session: Session) -> list[PollResult]:
    results = []
    for poll in Poll.objects.filter(session=session).prefetch_related("options"):
        counts = dict(poll.options.annotate(n=Count("ballots")).values_list("pk", "n"))
        rows = [
            (o.label, (o.hands or 0) if poll.method == "hands" else counts.get(o.pk, 0))
            for o in poll.options.all()
        ]
        total = poll.ballots.count() if poll.method == "card" else sum(n for _, n in rows)
        results.append(PollResult(poll=poll, rows=rows, total=total))
    return results


def promises_open(*, site: Site) -> QuerySet[Promise]:
    return (
        Promise.objects.filter(session__site=site, done_at__isnull=True)
        .select_related("session")
        .order_by("due_date", "id")
    )


def promises_done(*, site: Site, limit: int = 50) -> QuerySet[Promise]:
    return (
        Promise.objects.filter(session__site=site, done_at__isnull=False)
        .select_related("session", "done_by")
        .order_by("-done_at")[:limit]
    )


def board(*, site: Site) -> QuerySet[Session]:
    """Published minutes with their answered questions, newest first (public page)."""
    return (
        Session.objects.filter(site=site, published_at__isnull=False)
        .prefetch_related(
            Prefetch(
                "questions",
                queryset=Question.objects.filter(status=QuestionStatus.ANSWERED).order_by(
                    "answered_at"
                ),
                to_attr="answered_questions",
            ),
            Prefetch(
                "agenda",
                queryset=AgendaItem.objects.filter(policy__isnull=False).select_related("policy"),
                to_attr="policy_items",
            ),
        )
        .order_by("-starts_at")
    )

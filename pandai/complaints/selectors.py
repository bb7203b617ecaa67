"""Reads of complaints for the staff screens, the queues and the public pages. Nothing here
returns identity in a list: lists carry numbers, categories, dates and status only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate, TruncMonth

from pandai.complaints.models import (
    OPEN_STATUSES,
    BoxOpening,
    Category,
    Complaint,
    ComplaintHistory,
    Rating,
    ResponseTemplate,
    RetaliationFlag,
    Status,
)
from pandai.complaints.services.deadlines import due_expression
from pandai.complaints.services.identity import may_access, may_see_identity
from pandai.core.calendar import site_day_bounds
from pandai.core.models import Role, Site, User
from pandai.core.permissions import Perm, perms_for

__all__ = ["may_access", "may_see_identity"]

QUEUES = ("mine", "unassigned", "overdue", "emergency", "open", "all")


def visible_to(*, site: Site, user: User) -> QuerySet[Complaint]:
    """The site's items, minus those naming `user` (they must not even see them)."""
    return Complaint.objects.filter(site=site).exclude(named_staff=user)


def queue(
    *, site: Site, user: User, roles: frozenset[str], name: str, today: dt.date
) -> QuerySet[Complaint]:
    """One of QUEUES; emergencies first, then the nearest deadline. An official who may only
    handle sees the items disposed to them."""
    qs = visible_to(site=site, user=user).select_related("category").alias(due=due_expression())
    if Perm.COMPLAINT_ASSIGN not in perms_for(roles) and Role.HEAD not in roles:
        qs = qs.filter(assigned_to=user)
    open_qs = qs.filter(status__in=OPEN_STATUSES)
    if name == "mine":
        qs = open_qs.filter(Q(officer=user) | Q(assigned_to=user))
    elif name == "unassigned":
        qs = open_qs.filter(assigned_to__isnull=True)
    elif name == "overdue":
        qs = open_qs.filter(due__lt=today)
    elif name == "emergency":
        qs = open_qs.filter(is_emergency=True)
    elif name == "open":
        qs = open_qs
    return qs.annotate(due_on=due_expression()).order_by("-is_emergency", "due_on", "pk")


def queue_counts(
    *, site: Site, user: User, roles: frozenset[str], today: dt.date
) -> dict[str, int]:
    return {
        n: queue(site=site, user=user, roles=roles, name=n, today=today).count()
        for n in ("mine", "unassigned", "overdue", "emergency")
    }


def complaint_qs() -> QuerySet[Complaint]:
    """Every site's items (views narrow it with in_acting_site: 403 for another site's)."""
    return Complaint.objects.select_related(
        "category", "officer", "assigned_to", "answered_by", "opening", "duplicate_of"
    )


def history_of(*, complaint: Complaint) -> QuerySet[ComplaintHistory]:
    return complaint.history.select_related("actor").order_by("at", "id")


def public_updates(*, complaint: Complaint) -> QuerySet[ComplaintHistory]:
    """What the complainant sees on the tracking page: this item's public rows and, for a
    duplicate, the original's too."""
    ids = [complaint.pk]
    if complaint.duplicate_of_id:
        ids.append(complaint.duplicate_of_id)
    return ComplaintHistory.objects.filter(complaint_id__in=ids, public=True).order_by("at", "id")


def assignable_staff(*, complaint: Complaint) -> QuerySet[User]:
    """Staff of the site who may handle complaints, without anyone named in this one."""
    roles = [r for r in Role.values if Perm.COMPLAINT_HANDLE in perms_for([r])]
    return (
        User.objects.filter(
            is_active=True, memberships__site=complaint.site, memberships__role__in=roles
        )
        .exclude(pk__in=complaint.named_staff.values("pk"))
        .distinct()
        .order_by("full_name", "username")
    )


def site_staff(*, site: Site) -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, memberships__site=site)
        .distinct()
        .order_by("full_name", "username")
    )


def categories(*, site: Site, active_only: bool = True) -> QuerySet[Category]:
    qs = Category.objects.filter(site=site).select_related("default_handler")
    return qs.filter(is_active=True) if active_only else qs


def templates_for(*, complaint: Complaint) -> QuerySet[ResponseTemplate]:
    return ResponseTemplate.objects.filter(site=complaint.site, is_active=True).filter(
        Q(category=complaint.category) | Q(category__isnull=True)
    )


def openings_qs() -> QuerySet[BoxOpening]:
    """Box openings with `entered`, the number of slips typed in so far (to compare with the
    `slip_count` the two officers wrote down)."""
    return (
        BoxOpening.objects.select_related("officer_1", "officer_2", "recorded_by")
        .annotate(entered=Count("complaints"))
        .order_by("-opened_at")
    )


def openings(*, site: Site) -> QuerySet[BoxOpening]:
    return openings_qs().filter(site=site)


def openings_mismatched(*, site: Site) -> list[BoxOpening]:
    return [o for o in openings(site=site) if o.entered != o.slip_count]  # type: ignore[attr-defined]


def board(*, site: Site) -> QuerySet[Complaint]:
    """Published answers, newest first (C2's public board renders these; only
    `answer_public_text` is public, never `text` or `answer_text`)."""
    return (
        Complaint.objects.filter(site=site, published_at__isnull=False)
        .select_related("category")
        .order_by("-published_at")
    )


def awaiting_session(*, site: Site) -> QuerySet[Complaint]:
    """For the town-hall app: answered items to be read out at the next sosialisasi."""
    return Complaint.objects.filter(
        site=site,
        answer_at_session=True,
        session_answered_at__isnull=True,
        status__in=[Status.ANSWERED, Status.CLOSED],
    ).select_related("category")


# --- figures for the head's dashboard (aggregated in SQL) -------------------------------------


@dataclass(frozen=True)
class CategoryLoad:
    category_id: int
    name: str
    open: int
    overdue: int


def open_by_category(*, site: Site, today: dt.date) -> list[CategoryLoad]:
    """Items still owed work and those past their deadline, per category (one query)."""
    rows = (
        Complaint.objects.filter(site=site, status__in=OPEN_STATUSES)
        .alias(due=due_expression())
        .values_list("category_id", "category__name")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(due__lt=today)))
        .order_by("-n", "category__name")
    )
    return [CategoryLoad(pk, name, n, late) for pk, name, n, late in rows]


def received_by_month_and_category(
    *, site: Site, start: dt.date, end: dt.date
) -> list[tuple[dt.date, int, str, int]]:
    """(first day of the month, category id, category name, items received) — site-local."""
    begin_at, _ = site_day_bounds(site, start)
    _, end_at = site_day_bounds(site, end)
    rows = (
        Complaint.objects.filter(site=site, received_at__gte=begin_at, received_at__lt=end_at)
        .annotate(month=TruncMonth("received_at", tzinfo=ZoneInfo(site.time_zone)))
        .values_list("month", "category_id", "category__name")
        .annotate(n=Count("pk"))
        .order_by("month", "category__name")
    )
    return [(_as_date(month), pk, name, n) for month, pk, name, n in rows]


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


@dataclass(frozen=True)
class AnswerFigures:
    received: int = 0
    answered: int = 0
    on_time: int = 0  # answered on or before the answer deadline (site-local day)
    rated: int = 0
    satisfied: int = 0  # satisfied or very satisfied

    @property
    def on_time_pct(self) -> int | None:
        return round(100 * self.on_time / self.answered) if self.answered else None

    @property
    def satisfied_pct(self) -> int | None:
        return round(100 * self.satisfied / self.rated) if self.rated else None


def answer_figures(*, site: Site, start: dt.date, end: dt.date) -> AnswerFigures:
    """For items received `start`..`end`, the same counts as the statistics page (one query)."""
    begin_at, _ = site_day_bounds(site, start)
    _, end_at = site_day_bounds(site, end)
    totals = (
        Complaint.objects.filter(site=site, received_at__gte=begin_at, received_at__lt=end_at)
        .alias(answered_on=TruncDate("answered_at", tzinfo=ZoneInfo(site.time_zone)))
        .aggregate(
            received=Count("pk"),
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
            on_time=Count("pk", filter=Q(answered_on__lte=F("answer_due"))),
            rated=Count("pk", filter=~Q(rating="")),
            satisfied=Count("pk", filter=Q(rating__in=[Rating.VERY_SATISFIED, Rating.SATISFIED])),
        )
    )
    return AnswerFigures(**totals)


def retaliation_waiting_count(*, site: Site) -> int:
    """Retaliation-watch flags the head has not decided on yet."""
    return RetaliationFlag.objects.filter(site=site, decision="").count()

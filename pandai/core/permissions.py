"""Who may do what, where: the one table of role rights and the one helper that checks it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from pandai.core.http import PandaiRequest
from pandai.core.models import Role

M = TypeVar("M", bound=Model)
V = TypeVar("V", bound=Callable[..., HttpResponseBase])


class Perm(StrEnum):
    INMATE_VIEW = "inmate.view"
    INMATE_EDIT = "inmate.edit"
    INMATE_IMPORT = "inmate.import"
    INMATE_MOVE = "inmate.move"
    DISCIPLINE_EDIT = "inmate.discipline"
    CARD_ISSUE = "card.issue"
    PIN_RESET = "pin.reset"
    STAFF_MANAGE = "staff.manage"
    DEVICE_MANAGE = "device.manage"
    SITE_SETTINGS = "site.settings"
    CALENDAR_EDIT = "calendar.edit"
    AUDIT_VIEW = "audit.view"
    # wallet (ledger)
    DEPOSIT_CREATE = "wallet.deposit"  # counter deposits and counter shifts
    BALANCE_VIEW = "wallet.balance"  # balances and statements
    PAYOUT = "wallet.payout"  # release payouts and transfers between sites
    ADJUST_MAKE = "wallet.adjust_make"
    ADJUST_APPROVE = "wallet.adjust_approve"
    LIMIT_EXCEPTION = "wallet.limit_exception"
    LEDGER_SETTINGS = "wallet.settings"  # balance cap, limits, monitoring thresholds
    MONITOR_REVIEW = "wallet.monitor"
    RECONCILE = "wallet.reconcile"  # bank statements, suspense
    CLOSING_VIEW = "wallet.closing"
    DAY_CLOSE = "reports.day_close"  # close a day (the signed daily closing) and countersign it
    # shop (koperasi)
    SHOP_SELL = "shop.sell"  # POS, own shifts, receipts
    SHOP_ORDERS = "shop.orders"  # pre-orders from the blocks: packing lists, delivery
    SHOP_MANAGE = "shop.manage"  # catalogue, prices, stock receipts, adjustments, counts
    SHOP_APPROVE = "shop.approve"  # approve voids and returns (by PIN/password at the till)
    SHOP_REPORTS = "shop.reports"
    # complaints (kotak pengaduan)
    COMPLAINT_INTAKE = "complaint.intake"  # box openings, slips, oral and counter intake
    COMPLAINT_HANDLE = "complaint.handle"  # work on items: verify, act, answer (own section)
    COMPLAINT_ASSIGN = "complaint.assign"  # dispose to an official, reject, publish, extend
    COMPLAINT_SETTINGS = "complaint.settings"  # categories, deadlines, templates, limits
    COMPLAINT_STATS = "complaint.stats"
    RETALIATION_REVIEW = "complaint.retaliation"
    # programmes (pembinaan)
    PROGRAM_MANAGE = "program.manage"  # catalogue, schedules, enrolment, pay rates
    PROGRAM_ATTEND = "program.attend"  # record attendance and pieces produced
    PREMI_RUN = "program.premi"  # prepare and post premi payout runs
    PROGRAM_VIEW = "program.view"  # programmes, attendance, participation records (read)
    # sosialisasi (town hall)
    POLICY_MANAGE = "townhall.policy"  # the policy register and settings switched by policies
    SESSION_MANAGE = "townhall.manage"  # prepare sessions, agenda, minutes, promises
    SESSION_RUN = "townhall.run"  # door attendance, moderation, floor questions, polls
    SESSION_VIEW = "townhall.view"  # sessions, minutes, promises (read)
    # reports
    REPORTS_VIEW = "reports.view"  # the head's dashboard and the regional view (read)


P = Perm
ROLE_PERMS: dict[str, frozenset[Perm]] = {
    Role.ADMIN: frozenset(
        {
            P.INMATE_VIEW,
            P.INMATE_EDIT,
            P.INMATE_IMPORT,
            P.STAFF_MANAGE,
            P.DEVICE_MANAGE,
            P.SITE_SETTINGS,
            P.CALENDAR_EDIT,
            P.AUDIT_VIEW,
        }
    ),
    Role.HEAD: frozenset(
        {
            P.INMATE_VIEW,
            P.INMATE_EDIT,
            P.INMATE_IMPORT,
            P.INMATE_MOVE,
            P.DISCIPLINE_EDIT,
            P.CARD_ISSUE,
            P.PIN_RESET,
            P.SITE_SETTINGS,
            P.CALENDAR_EDIT,
            P.AUDIT_VIEW,
            P.BALANCE_VIEW,
            P.PAYOUT,
            P.ADJUST_APPROVE,
            P.LIMIT_EXCEPTION,
            P.LEDGER_SETTINGS,
            P.MONITOR_REVIEW,
            P.RECONCILE,
            P.CLOSING_VIEW,
            P.DAY_CLOSE,
            P.SHOP_REPORTS,
            P.COMPLAINT_INTAKE,
            P.COMPLAINT_HANDLE,
            P.COMPLAINT_ASSIGN,
            P.COMPLAINT_SETTINGS,
            P.COMPLAINT_STATS,
            P.RETALIATION_REVIEW,
            P.PROGRAM_VIEW,
            P.POLICY_MANAGE,
            P.SESSION_MANAGE,
            P.SESSION_RUN,
            P.SESSION_VIEW,
            P.REPORTS_VIEW,
        }
    ),
    Role.OFFICIAL: frozenset(
        {
            P.INMATE_VIEW,
            P.INMATE_EDIT,
            P.INMATE_IMPORT,
            P.INMATE_MOVE,
            P.DISCIPLINE_EDIT,
            P.BALANCE_VIEW,
            P.PAYOUT,
            P.ADJUST_MAKE,
            P.ADJUST_APPROVE,
            P.RECONCILE,
            P.CLOSING_VIEW,
            P.DAY_CLOSE,
            P.SHOP_REPORTS,
            P.COMPLAINT_HANDLE,
            P.COMPLAINT_STATS,
            P.PROGRAM_VIEW,
            P.SESSION_MANAGE,
            P.SESSION_RUN,
            P.SESSION_VIEW,
            P.REPORTS_VIEW,
        }
    ),
    Role.COUNTER_OFFICER: frozenset(
        {
            P.INMATE_VIEW,
            P.CARD_ISSUE,
            P.PIN_RESET,
            P.DEPOSIT_CREATE,
            P.BALANCE_VIEW,
            P.PAYOUT,
            P.ADJUST_MAKE,
        }
    ),
    Role.CASHIER: frozenset({P.INMATE_VIEW, P.SHOP_SELL, P.SHOP_ORDERS}),
    Role.SHOP_MANAGER: frozenset(
        {P.INMATE_VIEW, P.SHOP_SELL, P.SHOP_ORDERS, P.SHOP_MANAGE, P.SHOP_APPROVE, P.SHOP_REPORTS}
    ),
    Role.COMPLAINT_OFFICER: frozenset(
        {
            P.INMATE_VIEW,
            P.COMPLAINT_INTAKE,
            P.COMPLAINT_HANDLE,
            P.COMPLAINT_ASSIGN,
            P.COMPLAINT_STATS,
            P.SESSION_RUN,
            P.SESSION_VIEW,
        }
    ),
    Role.PROGRAM_OFFICER: frozenset(
        {P.INMATE_VIEW, P.PROGRAM_MANAGE, P.PROGRAM_ATTEND, P.PREMI_RUN, P.PROGRAM_VIEW}
    ),
    Role.AUDITOR: frozenset(
        {
            P.INMATE_VIEW,
            P.AUDIT_VIEW,
            P.BALANCE_VIEW,
            P.CLOSING_VIEW,
            P.SHOP_REPORTS,
            P.COMPLAINT_STATS,
            P.PROGRAM_VIEW,
            P.SESSION_VIEW,
            P.REPORTS_VIEW,
        }
    ),
}


def perms_for(roles: Iterable[str]) -> frozenset[Perm]:
    out: set[Perm] = set()
    for role in roles:
        out |= ROLE_PERMS.get(role, frozenset())
    return frozenset(out)


def can(request: PandaiRequest, perm: Perm) -> bool:
    user = request.user
    if not user.is_authenticated or getattr(request, "site", None) is None:
        return False
    return perm in perms_for(request.roles)


def authorize(request: PandaiRequest, perm: Perm) -> None:
    """Raise PermissionDenied unless the user may do `perm` at the site they act in."""
    if not can(request, perm):
        raise PermissionDenied(_("Anda tidak berwenang untuk tindakan ini di UPT ini."))


def in_acting_site(request: PandaiRequest, queryset: QuerySet[M], **lookup: Any) -> M:
    """Fetch one object by `lookup`; 404 if missing, 403 if it belongs to another site."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404(_("Data tidak ditemukan."))
    if getattr(obj, "site_id", None) != request.site.pk:
        raise PermissionDenied(_("Data ini milik UPT lain."))
    return obj


def requires(perm: Perm) -> Callable[[V], V]:
    """View decorator: log in first, then `authorize`."""

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapped(request: PandaiRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            authorize(request, perm)
            return view(request, *args, **kwargs)

        # Read by the permission matrix test to know what each URL needs.
        wrapped.required_perm = perm  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator

"""Disputes about money: a complaint linked to the ledger transfer or the shop sale it is
about, chosen from the complainant's own statement and receipts. The handler then starts a
return (shop) or a reversal (ledger) on those apps' own screens, with their approvals: this
module only records the link and finds the candidates.

The other side (the sale or transfer page) learns of the dispute through
`disputes_for_sale` / `disputes_for_transfer`, which show a link only to someone who may know
who complained (a confidential complainant stays hidden from the cashier)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from pandai.complaints.models import Complaint, MoneyLink
from pandai.complaints.services.base import (
    ComplaintError,
    audit,
    clean_text,
    history_add,
    lock,
    now,
)
from pandai.complaints.services.identity import may_see_identity
from pandai.core.calendar import site_today
from pandai.core.models import User
from pandai.core.permissions import Perm, perms_for
from pandai.shop.models import Sale
from pandai.wallet import selectors as wallet_selectors
from pandai.wallet.models import Transfer

# How far back the statement is offered: a dispute is usually about the last weeks before
# the complaint, and a long list is hard to read at the desk.
CANDIDATE_DAYS_BEFORE = 60


def _check_inmate(c: Complaint) -> None:
    if c.inmate_id is None:
        raise ComplaintError(
            "no_inmate",
            _(
                "Pengaduan ini tidak menyebut WBP (anonim), jadi tidak ada mutasi yang bisa "
                "dipilih."
            ),
        )


@transaction.atomic
def money_link_add(
    *,
    complaint: Complaint,
    actor: User,
    transfer: Transfer | None = None,
    sale: Sale | None = None,
    note: str = "",
) -> MoneyLink:
    """Link the complaint to one transfer or one sale of the complainant (same site)."""
    if (transfer is None) == (sale is None):
        raise ComplaintError("target", _("Pilih satu transaksi atau satu struk."))
    note = clean_text(note, label=_("Catatan"), max_chars=200, required=False)
    c = lock(complaint)
    if c.named_staff.filter(pk=actor.pk).exists():
        raise ComplaintError(
            "named_staff", _("Anda disebut dalam pengaduan ini dan tidak boleh menanganinya.")
        )
    _check_inmate(c)
    if transfer is not None:
        own = transfer.site_id == c.site_id and (
            transfer.debit_account.inmate_id == c.inmate_id
            or transfer.credit_account.inmate_id == c.inmate_id
        )
        if not own:
            raise ComplaintError("not_own", _("Transaksi itu bukan milik WBP pelapor."))
        if c.money_links.filter(transfer=transfer).exists():
            raise ComplaintError("linked", _("Transaksi itu sudah ditautkan."))
    if sale is not None:
        if sale.site_id != c.site_id or sale.inmate_id != c.inmate_id:
            raise ComplaintError("not_own", _("Struk itu bukan milik WBP pelapor."))
        if c.money_links.filter(sale=sale).exists():
            raise ComplaintError("linked", _("Struk itu sudah ditautkan."))
    link = MoneyLink.objects.create(
        complaint=c, transfer=transfer, sale=sale, note=note, added_by=actor
    )
    what = (
        _("transaksi #%(n)s") % {"n": transfer.pk}
        if transfer is not None
        else _("struk %(n)s") % {"n": sale.number}  # type: ignore[union-attr]
    )
    history_add(
        complaint=c,
        action="money_link",
        actor=actor,
        note=_("Ditautkan ke %(what)s.") % {"what": what},
        public=True,
    )
    audit(c, "complaint.money_link", actor, transfer=link.transfer_id, sale=link.sale_id)
    return link


# --- reads ---------------------------------------------------------------------------------


def links_of(*, complaint: Complaint) -> QuerySet[MoneyLink]:
    return complaint.money_links.select_related(
        "transfer", "sale", "added_by", "transfer__debit_account", "transfer__credit_account"
    ).order_by("created_at", "pk")


@dataclass(frozen=True)
class Candidates:
    start: dt.date
    end: dt.date
    statement: wallet_selectors.Statement
    sales: list[Sale]


def candidates(*, complaint: Complaint, start: dt.date | None = None) -> Candidates:
    """The complainant's statement lines and receipts from `start` (default: 60 days before
    the complaint) to today."""
    _check_inmate(complaint)
    inmate = complaint.inmate
    assert inmate is not None
    today = site_today(complaint.site, now())
    received = site_today(complaint.site, complaint.received_at)
    start = start or received - dt.timedelta(days=CANDIDATE_DAYS_BEFORE)
    statement = wallet_selectors.statement(inmate=inmate, start=start, end=today)
    sales = list(
        Sale.objects.filter(
            site=complaint.site, inmate=inmate, created_at__date__gte=start
        ).order_by("-created_at")[:200]
    )
    return Candidates(start=start, end=today, statement=statement, sales=sales)


@dataclass(frozen=True)
class Dispute:
    complaint_id: int
    number: str
    status: str
    status_label: str


def _disputes(links: QuerySet[MoneyLink], user: User, roles: frozenset[str]) -> list[Dispute]:
    if Perm.COMPLAINT_HANDLE not in perms_for(roles):
        return []
    out = []
    for link in links.select_related("complaint"):
        c = link.complaint
        if may_see_identity(user=user, roles=roles, complaint=c):
            out.append(Dispute(c.pk, c.number, c.status, c.get_status_display()))
    return out


def disputes_for_sale(*, sale: Sale, user: User, roles: frozenset[str]) -> list[Dispute]:
    """Complaints disputing this sale, for the shop's receipt page: shown only to complaint
    handlers who may know the complainant (URL: complaints:money_links, pk=complaint_id)."""
    return _disputes(MoneyLink.objects.filter(sale=sale), user, roles)


def disputes_for_transfer(
    *, transfer: Transfer, user: User, roles: frozenset[str]
) -> list[Dispute]:
    """The same for a ledger transfer (statement and reversal pages)."""
    links = MoneyLink.objects.filter(Q(transfer=transfer) | Q(sale__batch_id=transfer.batch_id))
    return _disputes(links, user, roles)

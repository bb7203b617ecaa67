"""The head's dashboard, the regional view (several sites side by side) and the deposits
behind the dashboard's figures. Thin: parse the filters, read `reports.selectors`, render."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from pandai.core import selectors as core_selectors
from pandai.core.calendar import site_day_bounds, site_today
from pandai.core.http import PandaiRequest
from pandai.core.middleware import SESSION_KEY
from pandai.core.models import Site
from pandai.core.permissions import Perm, perms_for, requires
from pandai.reports import charts
from pandai.reports.forms_dashboard import DayForm, DepositFilterForm
from pandai.reports.selectors import dashboard as dashboard_figures
from pandai.reports.selectors import regional as regional_figures
from pandai.reports.tiles import Tile, sections
from pandai.wallet import clock
from pandai.wallet import selectors as wallet

PAGE = 50
SITES_PER_PAGE = 8


def reporting_sites(request: PandaiRequest) -> list[Site]:
    """The sites where the user may see the dashboard, by name."""
    memberships = core_selectors.memberships_by_site(user=request.user)
    sites = [s for s, roles in memberships.values() if Perm.REPORTS_VIEW in perms_for(roles)]
    return sorted(sites, key=lambda s: s.name)


@requires(Perm.REPORTS_VIEW)
def dashboard(request: PandaiRequest) -> HttpResponse:
    today = site_today(request.site, clock.now())
    form = DayForm(request.GET or None, today=today)
    day = form.cleaned_data["tanggal"] if form.is_bound and form.is_valid() else today
    d = dashboard_figures(site=request.site, day=day)
    perms = perms_for(request.roles)
    by_category = [
        (
            c,
            charts.link("complaints:queue", q="open", kategori=c.category_id)
            if Perm.COMPLAINT_HANDLE in perms
            else "",
        )
        for c in d.complaints_by_category
    ]
    return render(
        request,
        "reports/dashboard/dashboard.html",
        {
            "d": d,
            "form": form,
            "sections": sections(d, perms),
            "by_category": by_category,
            "best_sellers_url": charts.link(
                "shop:reports_best_sellers", dari=d.month_start, sampai=d.day
            )
            if Perm.SHOP_REPORTS in perms
            else "",
            "is_today": day == today,
            "deposits_chart": charts.deposits_chart(d),
            "sales_chart": charts.sales_chart(d),
            "complaints_chart": charts.complaints_chart(d),
            "attendance_bars": charts.attendance_bars(d),
            "regional": len(reporting_sites(request)) > 1,
        },
    )


def _via(site: Site) -> Callable[[str], str]:
    """A link that first switches the user to `site`, then opens `url` there."""
    jump = reverse("reports:site_jump", kwargs={"pk": site.pk})
    return lambda url: f"{jump}?{urlencode({'next': url})}"


@requires(Perm.REPORTS_VIEW)
def regional(request: PandaiRequest) -> HttpResponse:
    memberships = core_selectors.memberships_by_site(user=request.user)
    # A page of sites at a time: each column costs one dashboard (~20 small queries), and
    # more than a screenful of columns cannot be read side by side anyway.
    page = Paginator(reporting_sites(request), SITES_PER_PAGE).get_page(request.GET.get("hal"))
    boards = regional_figures(sites=list(page.object_list))
    columns = []
    for d in boards:
        perms = perms_for(memberships[d.site.pk][1])
        tiles = [t for section in sections(d, perms, wrap=_via(d.site)) for t in section.tiles]
        columns.append((d, tiles))
    rows: list[tuple[str, list[Tile]]] = []
    if columns:
        first = columns[0][1]
        rows = [(t.label, [tiles[i] for _d, tiles in columns]) for i, t in enumerate(first)]
    return render(
        request,
        "reports/dashboard/regional.html",
        {"columns": columns, "rows": rows, "page": page},
    )


@requires(Perm.REPORTS_VIEW)
def site_jump(request: PandaiRequest, pk: int) -> HttpResponse:
    """Act in another of the user's sites and open a page there (the regional view's figures
    link through here, so the records shown are that site's)."""
    if pk not in {s.pk for s in reporting_sites(request)}:
        raise PermissionDenied(_("Anda tidak berwenang melihat laporan UPT itu."))
    request.session[SESSION_KEY] = pk
    target = request.GET.get("next", "")
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect("reports:dashboard")
    return redirect(target)


@requires(Perm.REPORTS_VIEW)
def deposits(request: PandaiRequest) -> HttpResponse:
    """The counter deposits and bank credits of a period: the records behind the dashboard's
    deposit figures."""
    site = request.site
    today = site_today(site, clock.now())
    form = DepositFilterForm(request.GET or None, today=today)
    context: dict[str, object] = {"form": form}
    if form.is_bound and not form.is_valid():
        return render(request, "reports/dashboard/deposits.html", context, status=400)
    data = form.cleaned_data if form.is_bound else {}
    start: dt.date = data.get("dari") or today
    end: dt.date = data.get("sampai") or today
    channel: str = data.get("saluran") or ""
    start_at, _end = site_day_bounds(site, start)
    _start, end_at = site_day_bounds(site, end)
    context.update(start=start, end=end, channel=channel)
    if channel in ("", "loket"):
        rows = wallet.counter_deposits(site=site, start_at=start_at, end_at=end_at)
        context["show_counter"] = True
        context["counter"] = Paginator(rows, PAGE).get_page(request.GET.get("hal_loket"))
        context["counter_total"] = rows.aggregate(n=Count("pk"), rp=Sum("amount_rp"))
    if channel in ("", "bank"):
        rows_bank = wallet.bank_deposits(site=site, start_at=start_at, end_at=end_at)
        context["show_bank"] = True
        context["bank"] = Paginator(rows_bank, PAGE).get_page(request.GET.get("hal_bank"))
        context["bank_total"] = rows_bank.aggregate(n=Count("pk"), rp=Sum("amount_rp"))
    query = request.GET.copy()
    for key in ("hal_loket", "hal_bank"):
        query.pop(key, None)
    context["query"] = query.urlencode()
    return render(request, "reports/dashboard/deposits.html", context)

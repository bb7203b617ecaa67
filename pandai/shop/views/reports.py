"""Koperasi reports: one page per report with its filters (the site's days, a category, a
cashier) and the same table as an XLSX file (`?format=xlsx`), built from one ReportTable so the
file holds exactly what the page shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pandai.core.calendar import site_today
from pandai.core.http import PandaiRequest
from pandai.core.models import Role, Site, User
from pandai.core.money import format_rp
from pandai.core.permissions import Perm, perms_for, requires
from pandai.shop import report_selectors as sales
from pandai.shop import report_selectors_stock as goods
from pandai.shop.catalogue_io import write_xlsx
from pandai.shop.models import Category
from pandai.shop.report_selectors import Period, ReportTable

MAX_DAYS = 400
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Report:
    name: str  # URL name shop:reports_<name>, XLSX file name
    slug: str  # path under /koperasi/laporan/
    title: str | Promise
    summary: str | Promise
    build: Callable[[Period], ReportTable]
    dates: bool = True  # False: a picture of now (stock), the date filter is not shown
    category: bool = True
    cashier: bool = False


REPORTS = [
    Report(
        "sales_day",
        "penjualan-harian",
        gettext_lazy("Penjualan per hari"),
        gettext_lazy("Struk, penjualan, pembatalan dan retur setiap hari"),
        sales.sales_by_day,
    ),
    Report(
        "sales_product",
        "penjualan-barang",
        gettext_lazy("Penjualan per barang"),
        gettext_lazy("Jumlah dan nilai per barang, dengan harga dan perubahannya"),
        sales.sales_by_product,
    ),
    Report(
        "sales_category",
        "penjualan-kategori",
        gettext_lazy("Penjualan per kategori"),
        gettext_lazy("Nilai penjualan bersih per kategori dan bagiannya"),
        sales.sales_by_category,
    ),
    Report(
        "best_sellers",
        "terlaris",
        gettext_lazy("Barang terlaris"),
        gettext_lazy("Barang yang paling banyak terjual"),
        sales.best_sellers,
    ),
    Report(
        "margin",
        "margin",
        gettext_lazy("Margin"),
        gettext_lazy("Pendapatan dikurangi harga pokok, bersih dari retur"),
        sales.margin,
    ),
    Report(
        "stock",
        "stok",
        gettext_lazy("Stok dan nilainya"),
        gettext_lazy("Stok saat ini dinilai dengan harga pokok rata-rata"),
        goods.stock_on_hand,
        dates=False,
    ),
    Report(
        "low_stock",
        "stok-menipis",
        gettext_lazy("Stok menipis"),
        gettext_lazy("Barang aktif di bawah stok minimum"),
        goods.low_stock,
        dates=False,
    ),
    Report(
        "count_variances",
        "selisih-opname",
        gettext_lazy("Selisih stok opname"),
        gettext_lazy("Selisih hitungan yang sudah dikonfirmasi, dalam jumlah dan rupiah"),
        goods.count_variances,
    ),
    Report(
        "prices",
        "harga",
        gettext_lazy("Harga dan perubahannya"),
        gettext_lazy("Harga setiap barang di samping perubahan terakhirnya"),
        goods.prices,
        dates=False,
    ),
    Report(
        "shifts",
        "shift-kasir",
        gettext_lazy("Shift kasir"),
        gettext_lazy("Shift setiap kasir dengan laporan Z dan kecocokan dengan buku besar"),
        goods.shifts,
        category=False,
        cashier=True,
    ),
]
BY_NAME = {r.name: r for r in REPORTS}


def cashiers(site: Site) -> list[User]:
    """Staff of the site who may sell (the choices of the cashier filter)."""
    selling = [role for role in Role.values if Perm.SHOP_SELL in perms_for([role])]
    return list(
        User.objects.filter(memberships__site=site, memberships__role__in=selling)
        .distinct()
        .order_by("full_name", "username")
    )


class ReportFilterForm(forms.Form):
    dari = forms.DateField(
        label=gettext_lazy("Dari"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    sampai = forms.DateField(
        label=gettext_lazy("Sampai"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    kategori = forms.TypedChoiceField(
        label=gettext_lazy("Kategori"), required=False, coerce=int, empty_value=None
    )
    kasir = forms.TypedChoiceField(
        label=gettext_lazy("Kasir"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, report: Report, site: Site, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category, cashier = self.fields["kategori"], self.fields["kasir"]
        assert isinstance(category, forms.ChoiceField) and isinstance(cashier, forms.ChoiceField)
        if report.category:
            category.choices = [("", _("Semua kategori"))] + [
                (c.pk, c.name) for c in Category.objects.filter(site=site)
            ]
        else:
            del self.fields["kategori"]
        if report.cashier:
            cashier.choices = [("", _("Semua kasir"))] + [
                (u.pk, u.display_name) for u in cashiers(site)
            ]
        else:
            del self.fields["kasir"]
        if not report.dates:
            del self.fields["dari"]
            del self.fields["sampai"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("dari"), data.get("sampai")
        if start and end:
            if start > end:
                raise forms.ValidationError(_("Tanggal awal harus sebelum tanggal akhir."))
            if (end - start).days >= MAX_DAYS:
                raise forms.ValidationError(
                    _("Periode paling panjang %(n)d hari.") % {"n": MAX_DAYS}
                )
        return data


def _period(
    request: PandaiRequest, report: Report, site: Site
) -> tuple[ReportFilterForm, Period | None]:
    """The filters from the query string; by default this month up to today (site's days).
    Invalid filters: the form with its errors and no period (nothing is computed)."""
    today = site_today(site)
    initial = {"dari": today.replace(day=1), "sampai": today}
    data = request.GET.copy()
    for key, value in initial.items():
        if not data.get(key):
            data[key] = value.isoformat()
    form = ReportFilterForm(data, report=report, site=site, initial=initial)
    if not form.is_valid():
        return form, None
    clean = form.cleaned_data
    return form, Period(
        site=site,
        start=clean.get("dari") or initial["dari"],
        end=clean.get("sampai") or initial["sampai"],
        category_id=clean.get("kategori"),
        cashier_id=clean.get("kasir"),
    )


def _cell(value: Any, kind: str) -> str:
    if value is None or value == "":
        return "–" if kind != "text" else ""
    if kind == "rp" and isinstance(value, int):
        return format_rp(value)
    if kind == "int" and isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if kind == "pct" and isinstance(value, float):
        return f"{value:.1f}".replace(".", ",") + "%"
    if isinstance(value, dt.datetime):
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    return str(value)


def _shown(table: ReportTable, row: list[Any]) -> list[tuple[str, str]]:
    return [
        (_cell(v, c.kind), "num" if c.kind in ("int", "rp", "pct") else "")
        for v, c in zip(row, table.columns, strict=True)
    ]


def _filters_text(report: Report, period: Period, form: ReportFilterForm) -> list[str]:
    """The filters in words, at the top of the XLSX (what the page showed them with)."""
    lines = [str(period.site)]
    if report.dates:
        lines.append(
            _("Periode: %(start)s s.d. %(end)s (%(tz)s)")
            % {
                "start": period.start.strftime("%d-%m-%Y"),
                "end": period.end.strftime("%d-%m-%Y"),
                "tz": period.site.time_zone,
            }
        )
    for name, value in (("kategori", period.category_id), ("kasir", period.cashier_id)):
        if name in form.fields and value:
            field = form.fields[name]
            assert isinstance(field, forms.ChoiceField)
            label = dict(field.choices).get(value, value)  # type: ignore[arg-type]
            lines.append(f"{field.label}: {label}")
    return lines


def xlsx_rows(report: Report, table: ReportTable, heading: list[str]) -> list[list[Any]]:
    """Title, the filters, the column headers, the rows and the totals: the page's table."""
    out: list[list[Any]] = [[str(report.title)], *[[line] for line in heading], []]
    out.append([str(c.label) for c in table.columns])
    for row in [*table.rows, *([table.totals] if table.totals else [])]:
        out.append(
            [
                (_("ya") if v else _("tidak"))
                if isinstance(v, bool)
                else ("" if v is None else (str(v) if isinstance(v, Promise) else v))
                for v in row
            ]
        )
    if table.note:
        out += [[], [str(table.note)]]
    return out


def _report_view(report: Report) -> Callable[..., HttpResponse]:
    @requires(Perm.SHOP_REPORTS)
    def view(request: PandaiRequest) -> HttpResponse:
        site = request.site
        assert site is not None
        form, period = _period(request, report, site)
        table = report.build(period) if period is not None else None
        if period is not None and table is not None and request.GET.get("format") == "xlsx":
            rows = xlsx_rows(report, table, _filters_text(report, period, form))
            response = HttpResponse(write_xlsx(rows, title=str(report.title)), content_type=XLSX)
            stamp = site_today(site).strftime("%Y%m%d")
            response["Content-Disposition"] = (
                f'attachment; filename="koperasi-{report.slug}-{site.code}-{stamp}.xlsx"'
            )
            return response
        query = request.GET.copy()
        query["format"] = "xlsx"
        return render(
            request,
            "shop/reports/report.html",
            {
                "report": report,
                "reports": REPORTS,
                "form": form,
                "period": period,
                "table": table,
                "rows": [_shown(table, r) for r in table.rows] if table else [],
                "totals": _shown(table, table.totals) if table and table.totals else None,
                "xlsx_query": query.urlencode(),
            },
        )

    view.__name__ = f"report_{report.name}"
    return view


@requires(Perm.SHOP_REPORTS)
def index(request: PandaiRequest) -> HttpResponse:
    return render(request, "shop/reports/index.html", {"reports": REPORTS})


VIEWS = {r.name: _report_view(r) for r in REPORTS}

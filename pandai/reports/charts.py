"""The dashboard's charts (pandai.core.charts geometry), each column or bar linked to the
records behind it."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from pandai.complaints.stats import MONTHS
from pandai.core.charts import Bar, ColumnChart, bars, column_chart
from pandai.reports.selectors import Dashboard

OTHER_CATEGORIES = 5  # the busiest categories get a colour each, the rest share one


def link(name: str, **query: object) -> str:
    url = reverse(name)
    params = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in query.items()}
    return f"{url}?{urlencode(params)}" if params else url


def deposits_chart(d: Dashboard) -> ColumnChart:
    return column_chart(
        series=[_("Loket"), _("Bank")],
        columns=[
            (
                day.day.isoformat(),
                str(day.day.day),
                [day.counter.amount_rp, day.bank.amount_rp],
                link("reports:deposits", dari=day.day, sampai=day.day),
            )
            for day in d.days
        ],
    )


def sales_chart(d: Dashboard) -> ColumnChart:
    return column_chart(
        series=[_("Penjualan bersih")],
        columns=[
            (
                day.day.isoformat(),
                str(day.day.day),
                [max(day.sales.amount_rp, 0)],
                link("shop:reports_sales_day", dari=day.day, sampai=day.day),
            )
            for day in d.days
        ],
    )


def _month_end(first: dt.date, today: dt.date) -> dt.date:
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return min(following - dt.timedelta(days=1), today)


def complaints_chart(d: Dashboard) -> ColumnChart:
    """Items received per month, stacked by category (the busiest few, then "others")."""
    totals: dict[str, int] = {}
    for _month, _pk, name, n in d.complaints_by_month:
        totals[name] = totals.get(name, 0) + n
    named = sorted(totals, key=lambda name: (-totals[name], name))[:OTHER_CATEGORIES]
    series = [*named, _("Lainnya")] if len(totals) > len(named) else named
    months: list[dt.date] = []
    first = d.complaints_from or d.month_start
    while first <= d.day:
        months.append(first)
        first = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    values = {m: [0] * len(series) for m in months}
    for month, _pk, name, n in d.complaints_by_month:
        slot = named.index(name) if name in named else len(series) - 1
        if month in values:
            values[month][slot] += n
    return column_chart(
        series=series or [_("Pengaduan")],
        columns=[
            (
                m.isoformat(),
                f"{MONTHS[m.month - 1]}",
                values[m] or [0],
                link("complaints:stats", start=m, end=_month_end(m, d.day)),
            )
            for m in months
        ],
        column_width=40,
        gap=14,
    )


def attendance_bars(d: Dashboard) -> list[Bar]:
    by_id = {p.programme_id: p for p in d.attendance}
    return bars(
        ((str(p.programme_id), p.name, p.attended) for p in d.attendance),
        keep_zero=True,
        url=lambda pk: link(
            "programs:session_list",
            dari=d.month_start,
            sampai=d.day,
            program=by_id[int(pk)].programme_id,
        ),
    )

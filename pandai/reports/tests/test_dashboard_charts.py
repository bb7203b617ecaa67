"""The server-drawn charts: column geometry (scaled to the highest column, stacked series,
a small amount still visible, labels thinned on a long month) and the rendered SVG (links
on columns and bars, a table for screen readers, nothing but Pandai's own markup)."""

from __future__ import annotations

from django.template.loader import render_to_string

from pandai.core.charts import MIN_WIDTH, bars, column_chart


def test_columns_stack_their_series_and_scale_to_the_highest():
    chart = column_chart(
        series=["Loket", "Bank"],
        columns=[("a", "1", [100, 50], "/a"), ("b", "2", [0, 1], ""), ("c", "3", [0, 0], "")],
        height=150,
    )
    a, b, c = chart.columns
    assert chart.top == 150
    assert [s.height for s in a.segments] == [100, 50]
    assert a.segments[0].y == 50 and a.segments[1].y == 0  # counter at the bottom, bank on top
    assert b.segments[1].height == 1  # Rp1 of 150 still shows
    assert c.total == 0 and all(s.height == 0 for s in c.segments)
    assert chart.width == MIN_WIDTH  # three columns keep the chart's proportions
    assert [s.name for s in chart.series] == ["Loket", "Bank"]


def test_a_long_month_labels_every_other_day_and_an_empty_chart_says_so():
    chart = column_chart(series=["x"], columns=[(str(d), str(d), [d], "") for d in range(1, 32)])
    shown = [c.label for c in chart.columns if c.show_label]
    assert shown[:3] == ["1", "3", "5"] and len(shown) == 16
    html = render_to_string(
        "charts/_columns.html",
        {"chart": column_chart(series=["x"], columns=[("a", "1", [0], "")]), "title": "Kosong"},
    )
    assert "Tidak ada data." in html and '<svg class="chart' not in html


def test_the_svg_links_columns_and_bars_and_escapes_labels():
    chart = column_chart(series=["<b>Loket</b>"], columns=[("a", "1", [5], "/laporan/?a=1&b=2")])
    html = render_to_string("charts/_columns.html", {"chart": chart, "title": "T", "money": True})
    assert 'href="/laporan/?a=1&amp;b=2"' in html
    assert "<b>Loket</b>" not in html and "&lt;b&gt;Loket&lt;/b&gt;" in html
    assert "Rp5" in html and '<table class="sr-only">' in html
    rows = bars([("1", "<i>Tata boga</i>", 4), ("2", "Kosong", 0)], url=lambda k: f"/p/{k}")
    assert [(b.label, b.width_pct, b.url) for b in rows] == [("<i>Tata boga</i>", 100, "/p/1")]
    html = render_to_string("charts/_bars.html", {"bars": rows, "title": "Kehadiran"})
    assert '<a href="/p/1">' in html and "<i>Tata" not in html

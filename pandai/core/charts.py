"""Charts drawn on the server as inline SVG (no chart library, nothing fetched from outside):
the geometry is worked out here, the templates in templates/charts/ only place it.

- `bars()`: horizontal bars, one per label (templates/charts/_bars.html);
- `column_chart()`: vertical columns, one per label, each stacked from one or more series
  (templates/charts/_columns.html), e.g. counter and bank deposits per day.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

# Series colours, as SVG fill attributes (a Content-Security-Policy may refuse inline styles).
MIN_WIDTH = 320  # a chart of a few columns keeps its proportions instead of growing tall
PALETTE = ("#1f5f8b", "#e08a1e", "#3b8d4f", "#8e4585", "#6b7b8c", "#b3261e", "#2a9d8f")


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    count: int
    width_pct: int  # of the longest bar in its chart
    url: str = ""  # the records behind the bar, when there is a page for them


def bars(
    pairs: Iterable[tuple[str, str, int]],
    keep_zero: bool = False,
    url: Callable[[str], str] | None = None,
) -> list[Bar]:
    """(key, label, count) rows as bars scaled to the longest; zero rows dropped unless
    `keep_zero` (a month without items is worth seeing)."""
    rows = [(k, label, n) for k, label, n in pairs if n or keep_zero]
    top = max((n for _k, _l, n in rows), default=0) or 1
    return [Bar(k, label, n, round(100 * n / top), url(k) if url else "") for k, label, n in rows]


@dataclass(frozen=True)
class Segment:
    series: int
    name: str
    value: int
    y: int
    height: int
    colour: str


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    total: int
    x: int
    segments: list[Segment]
    url: str = ""
    show_label: bool = True  # every label where there is room, else every few


@dataclass(frozen=True)
class Series:
    name: str
    colour: str


@dataclass(frozen=True)
class ColumnChart:
    series: list[Series]
    columns: list[Column]
    width: int
    height: int  # of the plotting area; labels go below it
    column_width: int
    top: int  # the highest column's total (the scale)

    @property
    def view_height(self) -> int:
        return self.height + 34

    @property
    def empty(self) -> bool:
        return self.top == 0


def column_chart(
    *,
    series: Sequence[str],
    columns: Sequence[tuple[str, str, Sequence[int], str]],
    height: int = 140,
    column_width: int = 18,
    gap: int = 6,
) -> ColumnChart:
    """`columns`: (key, label, one value per series, url) in order of display."""
    top = max((sum(values) for _k, _l, values, _u in columns), default=0)
    scale = height / top if top else 0.0
    step = column_width + gap
    every = max(1, round(len(columns) / 16))  # at most ~16 labels under the columns
    out = []
    for i, (key, label, values, url) in enumerate(columns):
        y = height
        segments = []
        for s, value in enumerate(values):
            h = round(value * scale)
            if value and h == 0:
                h = 1  # a small amount still shows
            y -= h
            segments.append(Segment(s, series[s], value, y, h, PALETTE[s % len(PALETTE)]))
        out.append(
            Column(
                key=key,
                label=label,
                total=sum(values),
                x=i * step,
                segments=segments,
                url=url,
                show_label=i % every == 0,
            )
        )
    return ColumnChart(
        series=[Series(name, PALETTE[i % len(PALETTE)]) for i, name in enumerate(series)],
        columns=out,
        width=max(len(columns) * step, MIN_WIDTH),
        height=height,
        column_width=column_width,
        top=top,
    )

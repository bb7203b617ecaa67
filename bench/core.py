"""The harness: result rows, sides, suites and the registry that parts 1-3 plug into.

- A **side** is one thing measured as operations per second in fixed time windows (Pandai's
  purchase with 8 workers, pgbench, the raw sqlite3 floor, django-hordak...). It is set up once,
  then asked for windows.
- A **suite** groups the sides that share a database engine and measures them interleaved:
  a warm-up window each, then `rounds` rounds in which every side gets one window, the order
  rotating each round, so slow drift (a neighbour's test run, a growing table, a checkpoint)
  falls on every side alike. Its row builders turn the sides' totals into result rows.
- A **measurement** is anything else that returns rows (e.g. the growth timings of part 3).

Parts 2 and 3 add sides, rows and measurements with `suite(...).add_side/add_ratio/add_rows`
and `add_measurement` from their own modules, listed in `bench.run.MODULES`.
"""

from __future__ import annotations

import statistics
import time
import traceback
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Context:
    """What every suite and measurement gets: the scratch directory of this run, options."""

    tmp: Path
    window_s: float
    rounds: int
    warmup_s: float
    workers: int
    run_id: str
    log: Callable[[str], None]
    # Only these sides (empty: every side); rows that need a side left out are skipped.
    sides: frozenset[str] = frozenset()


@dataclass
class Row:
    name: str
    value: float | None
    unit: str
    baseline: str | None = None
    baseline_value: float | None = None
    ratio: float | None = None
    bar: float | None = None
    bar_op: str = ">="  # ">=": the ratio must reach the bar; "<=": must stay under it
    passed: bool | None = None
    note: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def judge(self) -> Row:
        if self.bar is None:
            self.passed = None
        elif self.ratio is None:
            self.passed = False
        else:
            ok = self.ratio >= self.bar if self.bar_op == ">=" else self.ratio <= self.bar
            errors = self.details.get("errors", 0) + self.details.get("baseline_errors", 0)
            self.passed = ok and not errors and self.details.get("verified") is not False
        return self

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Window:
    ok: int
    errors: int
    elapsed: float
    error_kinds: dict[str, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.ok / self.elapsed if self.elapsed > 0 else 0.0


class Side(ABC):
    """Override setup/window/close. `label` says in a few words what is measured."""

    key = "side"
    label = ""
    unit = "ops/s"

    def setup(self, ctx: Context) -> None:  # noqa: B027  (optional hook: most sides need none)
        pass

    @abstractmethod
    def window(self, seconds: float) -> Window:
        """Measure for `seconds` and return what was done."""

    def checks(self) -> dict[str, Any]:
        """After the last window: cross-checks worth reporting (e.g. rows written = counted)."""
        return {}

    def close(self) -> None:  # noqa: B027  (optional hook)
        pass


@dataclass
class SideResult:
    key: str
    label: str
    unit: str
    windows: list[Window] = field(default_factory=list)
    failure: str | None = None
    checks: dict[str, Any] = field(default_factory=dict)

    @property
    def rate(self) -> float | None:
        if self.failure or not self.windows:
            return None
        elapsed = sum(w.elapsed for w in self.windows)
        return sum(w.ok for w in self.windows) / elapsed if elapsed else None

    @property
    def errors(self) -> int:
        return sum(w.errors for w in self.windows)

    def summary(self) -> dict[str, Any]:
        latencies = sorted(x for w in self.windows for x in w.latencies)
        out: dict[str, Any] = {
            "side": self.label,
            "windows_per_s": [round(w.rate, 1) for w in self.windows],
            "ops": sum(w.ok for w in self.windows),
            "seconds": round(sum(w.elapsed for w in self.windows), 2),
            "errors": self.errors,
        }
        kinds: dict[str, int] = {}
        for w in self.windows:
            for kind, count in w.error_kinds.items():
                kinds[kind] = kinds.get(kind, 0) + count
        if kinds:
            out["error_kinds"] = kinds
        if len(self.windows) > 1:
            rates = [w.rate for w in self.windows]
            out["spread_pct"] = round(100 * statistics.pstdev(rates) / statistics.mean(rates), 1)
        if latencies:
            out["latency_ms"] = {
                p: round(1000 * latencies[min(len(latencies) - 1, int(q * len(latencies)))], 2)
                for p, q in (("p50", 0.50), ("p95", 0.95), ("p99", 0.99))
            }
        names = {name for w in self.windows for name in w.extra}
        for name in sorted(names):
            values = [v for w in self.windows if isinstance(v := w.extra.get(name), int | float)]
            if not values:
                continue
            if name.startswith(("rss", "max")):
                out[f"max_{name}"] = max(values)
            else:
                out[f"median_{name}"] = round(statistics.median(values), 2)
        out.update(self.checks)
        if self.failure:
            out["failure"] = self.failure
        return out


RowBuilder = Callable[[dict[str, SideResult], Context], list[Row]]


def ratio_row(
    name: str, ours: str, floor: str, bar: float, unit: str = "ops/s", note: str = ""
) -> RowBuilder:
    """The usual row: ours ÷ floor, both as operations per second."""

    def build(results: dict[str, SideResult], ctx: Context) -> list[Row]:
        a, b = results[ours], results[floor]
        ratio = a.rate / b.rate if a.rate is not None and b.rate else None
        row = Row(
            name=name,
            value=round(a.rate, 1) if a.rate is not None else None,
            unit=unit,
            baseline=b.label,
            baseline_value=round(b.rate, 1) if b.rate is not None else None,
            ratio=round(ratio, 3) if ratio is not None else None,
            bar=bar,
            note=note or "; ".join(x for x in (a.failure, b.failure) if x),
            details={
                # Each round's ratio (the two sides' windows of one round are close in time):
                # their spread shows how much of the noise the interleaving could not remove.
                "ratio_per_round": [
                    round(x.rate / y.rate, 3)
                    for x, y in zip(a.windows, b.windows, strict=False)
                    if y.rate
                ],
                "verified": a.checks.get("verified"),
                "errors": a.errors,
                "baseline_errors": b.errors,
                "ours": a.summary(),
                "baseline_side": b.summary(),
            },
        )
        return [row.judge()]

    return build


@dataclass
class Suite:
    name: str
    sides: dict[str, Callable[[], Side]] = field(default_factory=dict)
    rows: list[RowBuilder] = field(default_factory=list)
    # Cut each of the run's windows into `split` shorter ones (more rounds, same time per
    # side): for sides that switch in no time.
    split: int = 1

    def add_side(self, key: str, factory: Callable[[], Side]) -> None:
        self.sides[key] = factory

    def add_rows(self, builder: RowBuilder) -> None:
        self.rows.append(builder)

    def add_ratio(self, name: str, *, ours: str, floor: str, bar: float, unit: str) -> None:
        self.rows.append(ratio_row(name, ours, floor, bar, unit))

    def run(self, ctx: Context) -> list[Row]:
        results: dict[str, SideResult] = {}
        live: dict[str, Side] = {}
        try:
            for key, factory in self.sides.items():
                if ctx.sides and key not in ctx.sides:
                    continue
                side = factory()
                results[key] = SideResult(key, side.label, side.unit)
                started = time.monotonic()
                try:
                    ctx.log(f"[{self.name}] setting up {key} ...")
                    side.setup(ctx)
                    side.window(ctx.warmup_s)  # warm-up, not counted
                    live[key] = side
                    ctx.log(f"[{self.name}] {key} ready in {time.monotonic() - started:.0f} s")
                except Exception as exc:
                    results[key].failure = f"{key}: {type(exc).__name__}: {exc}"
                    ctx.log(f"[{self.name}] {key} FAILED:\n{traceback.format_exc()}")
                    side.close()
            keys = list(live)
            rounds, window_s = ctx.rounds * self.split, ctx.window_s / self.split
            for round_no in range(rounds):
                shift = round_no % max(1, len(keys))
                for key in keys[shift:] + keys[:shift]:
                    if results[key].failure:
                        continue
                    try:
                        window = live[key].window(window_s)
                    except Exception as exc:
                        results[key].failure = f"{key}: {type(exc).__name__}: {exc}"
                        ctx.log(f"[{self.name}] {key} FAILED:\n{traceback.format_exc()}")
                        continue
                    results[key].windows.append(window)
                    ctx.log(
                        f"[{self.name}] round {round_no + 1}/{rounds} {key}: "
                        f"{window.rate:.1f} {results[key].unit}"
                        + (f", {window.errors} errors" if window.errors else "")
                    )
            for key, side in live.items():
                try:
                    results[key].checks = side.checks()
                except Exception as exc:
                    results[key].checks = {"check_failed": f"{type(exc).__name__}: {exc}"}
        finally:
            for side in live.values():
                side.close()
        rows: list[Row] = []
        for build in self.rows:
            try:
                rows.extend(build(results, ctx))
            except KeyError as missing:  # a side this row needs was left out (--sides)
                ctx.log(f"[{self.name}] a row skipped: side {missing} not run")
        return rows


SUITES: dict[str, Suite] = {}
MEASUREMENTS: dict[str, Callable[[Context], list[Row]]] = {}


def suite(name: str, *, split: int = 1) -> Suite:
    """The suite of this name (created on first use; suites run in order of creation).
    `split` > 1 cuts each window into that many shorter ones, interleaved."""
    if name not in SUITES:
        SUITES[name] = Suite(name, split=split)
    return SUITES[name]


def add_measurement(name: str, fn: Callable[[Context], list[Row]]) -> None:
    MEASUREMENTS[name] = fn

"""`make bench`: run every suite and measurement, print the table, write bench/results.json.

    python -m bench.run [--only NAME,...] [--sides SIDE,...] [--window S] [--rounds N]
                        [--warmup S] [--keep] [--soak S] [--growth-sites N]

NAME is a suite (sqlite, postgres, http) or a measurement (load, growth); SIDE a side of a
suite (e.g. pandai_pg,hordak_pg: only the rows those sides make). See docs/benchmark.md.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
import traceback
from pathlib import Path

from bench.core import MEASUREMENTS, ROOT, SUITES, Context, Row

# Modules that register suites, sides, rows and measurements (parts 2 and 3 add theirs).
MODULES = [
    "bench.ledger_sqlite",
    "bench.ledger_pg",
    "bench.checkout",
    "bench.http_checkout",
    "bench.mixed_load",
    "bench.growth",
]
RESULTS = ROOT / "bench" / "results.json"


def log(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


def fmt(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "-"
    return f"{value:,.{digits}f}"


def side_line(info: dict[str, object]) -> str:
    """One side in a line: its windows, errors, latency, CPU per operation, the count check."""
    parts = [f"{info['side']}: windows/s {info['windows_per_s']}", f"errors {info['errors']}"]
    latency = info.get("latency_ms")
    if isinstance(latency, dict):
        parts.append("latency ms p50/p95/p99 " + "/".join(str(v) for v in latency.values()))
    for key, label in (
        ("median_client_cpu_ms_per_op", "client CPU ms/op"),
        ("median_server_cpu_ms_per_op", "server CPU ms/op"),
        ("median_latency_avg_ms", "latency avg ms"),
        ("max_rss_mb", "peak RSS MB"),
        ("verified", "count checked in DB"),
        ("error_kinds", "error kinds"),
        ("failure", "FAILED"),
    ):
        if key in info:
            parts.append(f"{label} {info[key]}")
    return "; ".join(parts)


def table(rows: list[Row]) -> str:
    head = ["name", "value", "unit", "baseline value", "ratio", "bar", "result"]
    lines = []
    for row in rows:
        result = {True: "PASS", False: "FAIL", None: "info"}[row.passed]
        bar = f"{row.bar_op} {row.bar}" if row.bar is not None else "-"
        lines.append(
            [
                row.name,
                fmt(row.value),
                row.unit,
                fmt(row.baseline_value),
                fmt(row.ratio, 3),
                bar,
                result,
            ]
        )
    widths = [max(len(str(x)) for x in col) for col in zip(head, *lines, strict=False)]
    out = [
        "  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)),
        "  ".join("-" * w for w in widths),
    ]
    for line in lines:
        out.append("  ".join(str(x).ljust(w) for x, w in zip(line, widths, strict=True)))
    out.append("")
    for row in rows:
        if row.baseline:
            out.append(f"{row.name}: ours / {row.baseline}")
        elif row.note:
            out.append(f"{row.name}:")
        for side in ("ours", "baseline_side"):
            info = row.details.get(side)
            if info:
                out.append(f"    {side_line(info)}")
        per_round = row.details.get("ratio_per_round")
        if per_round:
            out.append(f"    ratio per round: {per_round}")
        if row.note:
            out.append(f"    note: {row.note}")
    return "\n".join(out)


def measure(
    ctx: Context, only: set[str], args: argparse.Namespace
) -> tuple[list[Row], float, float]:
    started = time.monotonic()
    load_before = os.getloadavg()[0]
    log(
        f"scratch {ctx.tmp}; {args.rounds} x {args.window:g} s windows per side after "
        f"{args.warmup:g} s warm-up; load average {load_before:.1f}"
    )
    rows: list[Row] = []
    for name, one_suite in SUITES.items():
        if not only or name in only:
            rows.extend(one_suite.run(ctx))
    for name, fn in MEASUREMENTS.items():
        if only and name not in only:
            continue
        try:
            rows.extend(fn(ctx))
        except Exception as exc:
            log(f"[{name}] FAILED:\n{traceback.format_exc()}")
            rows.append(Row(name=name, value=None, unit="", passed=False, note=repr(exc)))
    return rows, time.monotonic() - started, load_before


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run")
    parser.add_argument("--only", default="", help="comma-separated suites/measurements")
    parser.add_argument(
        "--sides", default="", help="comma-separated sides (e.g. pandai_pg,hordak_pg)"
    )
    parser.add_argument("--window", type=float, default=6.0, help="seconds per window")
    parser.add_argument("--rounds", type=int, default=3, help="measured windows per side")
    parser.add_argument("--warmup", type=float, default=3.0, help="warm-up seconds per side")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    parser.add_argument(
        "--soak", type=float, default=600, help="part 3: soak seconds at 70%% of the peak"
    )
    parser.add_argument(
        "--growth-sites",
        type=int,
        default=1000,
        help="part 3: sites of 1,000 inmates and 10,000 transfers in the large growth database",
    )
    args = parser.parse_args(argv)
    # Part 3's measurements read their options from the environment (their worker processes too).
    os.environ["BENCH_SOAK_SECONDS"] = str(args.soak)
    os.environ["BENCH_GROWTH_SITES"] = str(args.growth_sites)

    for module in MODULES:
        importlib.import_module(module)
    only = {x.strip() for x in args.only.split(",") if x.strip()}
    unknown = only - set(SUITES) - set(MEASUREMENTS)
    if unknown:
        parser.error(f"unknown: {sorted(unknown)}; known: {sorted(SUITES) + sorted(MEASUREMENTS)}")
    sides = frozenset(x.strip() for x in args.sides.split(",") if x.strip())
    known_sides = {key for s in SUITES.values() for key in s.sides}
    if sides - known_sides:
        parser.error(f"unknown sides: {sorted(sides - known_sides)}; known: {sorted(known_sides)}")

    (ROOT / "var").mkdir(exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="bench-", dir=ROOT / "var"))
    ctx = Context(
        tmp=tmp,
        window_s=args.window,
        rounds=args.rounds,
        warmup_s=args.warmup,
        workers=8,
        run_id=time.strftime("%Y%m%d%H%M%S"),
        log=log,
        sides=sides,
    )
    try:
        rows, elapsed, load_before = measure(ctx, only, args)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    RESULTS.write_text(json.dumps([r.as_json() for r in rows], indent=2) + "\n")
    print()
    print(
        f"Pandai benchmark, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"load average {load_before:.1f} -> {os.getloadavg()[0]:.1f}, {elapsed:.0f} s"
    )
    print()
    print(table(rows))
    print()
    print(f"written: {RESULTS.relative_to(ROOT)}")
    if args.keep:
        print(f"scratch kept: {tmp}")
    return 0 if all(r.passed is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

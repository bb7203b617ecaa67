"""Part 2 over HTTP: `POST /api/shop/checkout` on the production server setup against a trivial
JSON endpoint (`GET /api/ping`) of the same server, interleaved in the same run.

Row `checkout_http` = checkouts/s ÷ pings/s, bar >= 0.25; both sides' p50/p95/p99 latency and
errors are in the row (errors must be 0).

- Server: gunicorn `pandai.wsgi`, 2 sync workers, DEBUG=0, PostgreSQL (database
  pandai_bench_checkout, seeded by bench.checkout — or here when run alone — with 16 POS
  devices, each with a cashier's open shift), on a free port of 127.0.0.1.
- Clients: 2 bench.http_worker processes x 8 threads = 16 concurrent clients, each with its
  own http.client connection; a checkout client is one POS device (its Bearer token) and
  serves its own share of the 1,000 inmates with 3 random products of 240 per basket.
- Server CPU ms/op: the gunicorn workers' CPU time per request (from /proc).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from bench.checkout import pg_env, seed_once
from bench.core import Context, Window, suite
from bench.gunicorn import Gunicorn
from bench.procside import PYTHON, ProcessSide, run_json

SERVER_WORKERS = 2
# The setup is 2 sync workers (one request at a time each). BENCH_HTTP_THREADS=N runs
# the same 2 workers as gthread workers with N threads each: an experiment, not the row's
# definition (see docs/benchmark.md, part 2).
SERVER_THREADS = int(os.environ.get("BENCH_HTTP_THREADS", "0") or 0)
CLIENT_PROCESSES = 2
THREADS = 8  # per client process: 16 clients


class Server:
    """One gunicorn for both sides of the suite (started by the first, stopped by the last)."""

    def __init__(self) -> None:
        self.gunicorn: Gunicorn | None = None
        self.users = 0
        self.url = ""
        self.env: dict[str, str] = {}

    def acquire(self, ctx: Context) -> None:
        self.users += 1
        if self.gunicorn is not None:
            return
        self.env = pg_env(ctx)
        (ctx.tmp / "logs").mkdir(parents=True, exist_ok=True)
        seed_once(ctx, self.env, "http", parts=2)
        # gthread keeps connections open between requests: longer than the other side's
        # window, so an idle client's connection is still there for its next.
        extra = (
            ("--threads", str(SERVER_THREADS), "--keep-alive", "60") if SERVER_THREADS > 1 else ()
        )
        self.gunicorn = Gunicorn(
            self.env,
            ctx.tmp / "logs" / "gunicorn.log",
            workers=SERVER_WORKERS,
            extra=extra,
            start_timeout=60,
        )
        self.url = self.gunicorn.url
        threads = f" x {SERVER_THREADS} threads" if SERVER_THREADS > 1 else ""
        ctx.log(f"[http] gunicorn ({SERVER_WORKERS} workers{threads}) at {self.url}")

    def worker_pids(self) -> list[int]:
        return [] if self.gunicorn is None else self.gunicorn.worker_pids()

    def cpu_s(self) -> float | None:
        return None if self.gunicorn is None else self.gunicorn.cpu_s()

    def release(self) -> None:
        self.users -= 1
        if self.users > 0 or self.gunicorn is None:
            return
        self.gunicorn.stop()
        self.gunicorn = None


SERVER = Server()


class HttpSide(ProcessSide):
    workers = CLIENT_PROCESSES
    kind = "ping"

    def prepare(self, ctx: Context) -> None:
        self.run_id = ctx.run_id
        SERVER.acquire(ctx)
        self.acquired = True

    def worker_argv(self, ctx: Context) -> list[str]:
        devices = Path(SERVER.env["PANDAI_VAR_DIR"]) / "bench-devices.json"
        return [
            *(PYTHON, "-m", "bench.http_worker", "--url", SERVER.url, "--kind", self.kind),
            *("--threads", str(THREADS), "--devices", str(devices), "--run", ctx.run_id),
        ]

    def worker_env(self, ctx: Context) -> dict[str, str]:
        env = dict(SERVER.env)
        env.pop("DATABASE_URL", None)  # the clients speak HTTP only
        return env

    def window(self, seconds: float) -> Window:
        before = SERVER.cpu_s()
        window = super().window(seconds)
        after = SERVER.cpu_s()
        if before is not None and after is not None:
            window.extra["server_cpu_ms_per_op"] = round(
                1000 * (after - before) / max(1, window.ok), 2
            )
        return window

    def close(self) -> None:
        super().close()
        if getattr(self, "acquired", False):
            self.acquired = False
            SERVER.release()


class HttpPing(HttpSide):
    key = "http_ping"
    label = f"GET /api/ping (trivial JSON), gunicorn {SERVER_WORKERS} workers, 16 clients"
    unit = "requests/s"
    kind = "ping"


class HttpCheckout(HttpSide):
    key = "http_checkout"
    label = (
        f"POST /api/shop/checkout (3 lines, card + PIN), gunicorn {SERVER_WORKERS} workers, "
        "PostgreSQL, 16 clients"
    )
    unit = "checkouts/s"
    kind = "checkout"

    def checks(self) -> dict[str, Any]:
        assert self.log_dir is not None
        found = run_json(
            [
                *(PYTHON, "-m", "bench.checkout_worker", "verify"),
                *("--run", self.run_id, "--prefix", "http"),
            ],
            env=SERVER.env,
            log=self.log_dir / f"{self.key}-verify.log",
        )
        return {
            "checkouts_counted": self.total_ok,
            "sales_in_db": found.get("sales"),
            "stock_ok": found.get("stock_ok"),
            "ledger_ok": found.get("ledger_ok"),
            "verified": found.get("sales") == self.total_ok
            and bool(found.get("stock_ok"))
            and bool(found.get("ledger_ok")),
        }


HTTP = suite("http")
HTTP.add_side("http_ping", HttpPing)
HTTP.add_side("http_checkout", HttpCheckout)
HTTP.add_ratio(
    "checkout_http", ours="http_checkout", floor="http_ping", bar=0.25, unit="checkouts/s"
)

"""Where an HTTP checkout's CPU goes: the whole request as gunicorn runs it, in one process.

    DEBUG=0 DATABASE_URL=postgres://postgres@127.0.0.1:5432/pandai_bench_checkout \\
        PANDAI_VAR_DIR=<scratch>/checkout-pg python -m bench.profile_http_checkout [--n 200]

Needs the database and the devices file a run of the `http` suite leaves behind
(`python -m bench.run --only http --keep`). Calls `pandai.wsgi.application` as a WSGI server
does (an environ, `start_response`, the body read and closed, so `request_finished` runs) for
`GET /api/ping` and `POST /api/shop/checkout` with a POS device's token, and prints per request:
the statements run, then in interleaved rounds this process's CPU time (what a gunicorn worker
spends, without gunicorn's own socket work) and the PostgreSQL backend's CPU time (read from
/proc, so the server must run on this machine), then a cProfile of the checkouts (functions
by own CPU time, then cumulative: the middleware, ninja, the auth and the service).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _backend_ns(pid: int | None) -> int:
    if pid is None:
        return 0
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])
    except OSError:
        return 0


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_http_checkout")
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-profile", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pandai.settings")
    os.environ.setdefault("PANDAI_SSL_REDIRECT", "0")  # plain HTTP, as gunicorn behind nginx
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pandai.wsgi import application

    conf = json.loads((Path(os.environ["PANDAI_VAR_DIR"]) / "bench-devices.json").read_text())
    device = conf["devices"][0]
    cards, products, pin = conf["cards"], conf["products"], conf["pin"]
    rng = random.Random(7)
    run = f"profile-http:{time.time():.0f}"
    seq = [0]

    def call(method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None):
        environ: dict[str, Any] = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1:8000",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            "wsgi.version": (1, 0),
        }
        if body:
            environ["CONTENT_LENGTH"] = str(len(body))
            environ["CONTENT_TYPE"] = "application/json"
        for name, value in (headers or {}).items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        status: list[str] = []
        result = application(environ, lambda s, h, exc_info=None: status.append(s))
        try:
            data = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        if not status[0].startswith("200"):
            raise RuntimeError(f"{path}: {status[0]} {data[:200]!r}")
        return data

    def ping() -> None:
        call("GET", "/api/ping")

    auth = {"Authorization": f"Bearer {device['token']}"}

    def checkout() -> None:
        seq[0] += 1
        body = {
            "card_uid": cards[(seq[0] * 16) % len(cards)],
            "pin": pin,
            "lines": [{"product_id": pk, "quantity": 1} for pk in rng.sample(products, 3)],
            "idempotency_key": f"{run}:{seq[0]}",
        }
        call("POST", "/api/shop/checkout", json.dumps(body).encode(), auth)

    ping()
    checkout()  # connection, prepared statements, caches
    from bench.pandai_worker import backend_pid

    pid = backend_pid()
    for label, fn in (("ping", ping), ("checkout", checkout)):
        with CaptureQueriesContext(connection) as queries:
            fn()
        print(f"== {label}: {len(queries.captured_queries)} statements")
        for q in queries.captured_queries:
            print(f"  {q['time']:>6}  {' '.join(q['sql'].split())[:120]}")

    def measure(fn: Callable[[], None], n: int) -> tuple[float, float, float]:
        """Per request: this process's CPU ms, the backend's CPU ms, wall ms."""
        server = _backend_ns(pid)
        started, cpu = time.monotonic(), time.process_time()
        for _ in range(n):
            fn()
        cpu = time.process_time() - cpu
        wall = time.monotonic() - started
        server = _backend_ns(pid) - server
        return 1000 * cpu / n, server / 1e6 / n, 1000 * wall / n

    # Short interleaved batches, so both kinds see the same machine (the CPU time of one
    # request grows with the machine's load); medians over the rounds.
    results: dict[str, list[tuple[float, float, float]]] = {"ping": [], "checkout": []}
    batch = max(1, args.n // args.rounds)
    for _round in range(args.rounds):
        results["ping"].append(measure(ping, 10 * batch))
        results["checkout"].append(measure(checkout, batch))
    medians = {}
    for label, values in results.items():
        cpu, backend, wall = (statistics.median(v[i] for v in values) for i in range(3))
        medians[label] = cpu + backend
        print(
            f"== {label}: {args.rounds} rounds; per request (median): process CPU {cpu:.2f} ms "
            f"(rounds {', '.join(f'{v[0]:.2f}' for v in values)}), PostgreSQL backend CPU "
            f"{backend:.2f} ms, wall {wall:.2f} ms"
        )
    print(
        "== CPU of a ping / CPU of a checkout (process + backend, one process, no HTTP "
        f"server): {medians['ping'] / medians['checkout']:.3f}"
    )
    if args.no_profile:
        return
    profile = cProfile.Profile(time.process_time)
    profile.enable()
    for _ in range(args.n):
        checkout()
    profile.disable()
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats("tottime").print_stats(40)
    stats.sort_stats("cumulative").print_stats(60)
    print("\n== checkouts: functions by own CPU time, then cumulative")
    print(out.getvalue())


if __name__ == "__main__":
    main(sys.argv[1:])

"""An HTTP load client for the benchmark (stdlib only): T threads, each with its own
http.client connection (a real TCP socket), speaking bench.proto's window protocol.

    python -m bench.http_worker --url http://127.0.0.1:PORT --kind ping|checkout \\
        --threads 8 [--devices FILE --run RUN] --worker W --of N

- `ping`: GET /api/ping (the trivial JSON endpoint).
- `checkout`: POST /api/shop/checkout as a POS terminal (Bearer device token): a 3-line
  basket of random products, a card UID and its PIN, a fresh idempotency key. Client c (of
  all the workers' threads) is terminal c and serves inmates c, c+C, c+2C, ... so no two
  clients ever serve one inmate at the same moment, as at a real shop.

A request counts as done when a 200 answer was read in full; anything else is an error,
counted by kind ("HTTP 422 insufficient_funds", "ConnectionResetError", ...), never retried.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import resource
import sys
import threading
import time
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

from bench.proto import _cpu


class Client:
    def __init__(
        self, url: str, kind: str, index: int, clients: int, conf: dict[str, Any], run: str
    ):
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.kind = kind
        self.index = index
        self.seq = 0
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        if kind == "checkout":
            device = conf["devices"][index % len(conf["devices"])]
            self.headers = {
                "Authorization": f"Bearer {device['token']}",
                "Content-Type": "application/json",
            }
            self.cards = conf["cards"][index::clients]
            self.products = conf["products"]
            self.pin = conf["pin"]
            self.rng = random.Random(f"{run}:{index}")
            self.key = f"http:{run}:{index}"

    def request(self) -> None:
        self.seq += 1
        if self.kind == "ping":
            self.conn.request("GET", "/api/ping")
        else:
            body = {
                "card_uid": self.cards[self.seq % len(self.cards)],
                "pin": self.pin,
                "lines": [
                    {"product_id": pk, "quantity": 1} for pk in self.rng.sample(self.products, 3)
                ],
                "idempotency_key": f"{self.key}:{self.seq}",
            }
            self.conn.request(
                "POST", "/api/shop/checkout", body=json.dumps(body), headers=self.headers
            )
        response = self.conn.getresponse()
        data = response.read()
        if response.status != 200:
            try:
                code = json.loads(data).get("code", "")
            except ValueError:
                code = data[:80].decode(errors="replace")
            raise RuntimeError(f"HTTP {response.status} {code}")
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()  # a sync gunicorn worker closes after each answer

    def close(self) -> None:
        self.conn.close()


def run_window(clients: list[Client], start: float, end: float) -> dict[str, Any]:
    ok = [0] * len(clients)
    kinds: Counter[str] = Counter()
    latencies: list[list[float]] = [[] for _ in clients]
    finish = [start] * len(clients)
    lock = threading.Lock()

    def loop(i: int) -> None:
        client = clients[i]
        delay = start - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        now = time.monotonic()
        while now < end:
            try:
                client.request()
            except Exception as exc:  # counted and reported, never hidden
                with lock:
                    kinds[str(exc)[:80] or type(exc).__name__] += 1
                client.conn.close()
            else:
                ok[i] += 1
            done = time.monotonic()
            latencies[i].append(round(done - now, 6))
            now = done
        finish[i] = now

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(len(clients))]
    cpu_before = _cpu()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    errors = sum(kinds.values())
    return {
        "ok": sum(ok),
        "errors": errors,
        "error_kinds": dict(kinds),
        "finish": max(finish),
        "lat": [x for per in latencies for x in per],
        "cpu_s": _cpu() - cpu_before,
        "server_cpu_s": None,
        "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.http_worker")
    parser.add_argument("--url", required=True)
    parser.add_argument("--kind", choices=["ping", "checkout"], required=True)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--devices", default="")
    parser.add_argument("--run", default="")
    parser.add_argument("--worker", type=int, default=0)
    parser.add_argument("--of", type=int, default=1)
    args = parser.parse_args(argv)
    conf: dict[str, Any] = {}
    if args.kind == "checkout":
        with open(args.devices) as f:
            conf = json.load(f)
    total = args.threads * args.of
    clients = [
        Client(args.url, args.kind, args.worker * args.threads + t, total, conf, args.run)
        for t in range(args.threads)
    ]
    out = sys.stdout
    sys.stdout = sys.stderr

    def send(message: dict[str, Any]) -> None:
        out.write(json.dumps(message) + "\n")
        out.flush()

    send({"ready": True, "pid": os.getpid()})
    for line in sys.stdin:
        command = json.loads(line)
        if command["op"] == "quit":
            break
        send(run_window(clients, command["start"], command["end"]))
    for client in clients:
        client.close()


if __name__ == "__main__":
    main(sys.argv[1:])

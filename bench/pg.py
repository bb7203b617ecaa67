"""PostgreSQL helpers: the server's URL, fresh databases, pgbench as a side."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

from bench.core import Context, Side, Window

# The server every PostgreSQL side uses; only the database name differs.
SERVER_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")


def url(database: str) -> str:
    return f"{SERVER_URL}/{database}"


def _conn_args() -> list[str]:
    parts = urlsplit(SERVER_URL)
    return [
        "-h",
        parts.hostname or "127.0.0.1",
        "-p",
        str(parts.port or 5432),
        "-U",
        parts.username or "postgres",
    ]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    password = urlsplit(SERVER_URL).password
    if password:
        env["PGPASSWORD"] = password
    return env


def psql(sql: str, database: str = "postgres") -> str:
    done = subprocess.run(
        [
            "psql",
            *_conn_args(),
            "-d",
            database,
            "-X",
            "-q",
            "-t",
            "-A",
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            sql,
        ],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise RuntimeError(f"psql failed: {done.stderr.strip()}")
    return done.stdout.strip()


def recreate(database: str) -> None:
    """Drop (disconnecting anyone left over from an earlier run) and create `database`."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", database):
        raise ValueError(database)
    psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    psql(f"CREATE DATABASE {database}")


def drop(database: str) -> None:
    psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def server_settings() -> dict[str, str]:
    names = ("server_version", "synchronous_commit", "fsync", "shared_buffers", "max_connections")
    return {name: psql(f"SHOW {name}") for name in names}


class Pgbench(Side):
    """pgbench's built-in TPC-B-like script (UPDATE accounts; SELECT; UPDATE tellers;
    UPDATE branches; INSERT history, in one transaction) with 8 clients on 2 threads, scale 1:
    one branch row that every transaction updates -- the same hot row as Pandai's one shop
    account."""

    key = "pgbench"
    unit = "tx/s"
    database = "pgbench_floor"

    def __init__(self, clients: int = 8, threads: int = 2, scale: int = 1) -> None:
        self.clients, self.threads, self.scale = clients, threads, scale
        self.label = f"pgbench TPC-B-like, -c {clients} -j {threads}, scale {scale}"
        self.log: Path | None = None

    def setup(self, ctx: Context) -> None:
        self.log = ctx.tmp / "logs" / "pgbench.log"
        self.log.parent.mkdir(parents=True, exist_ok=True)
        recreate(self.database)
        self._run(["-i", "-q", "-s", str(self.scale), self.database])

    def _run(self, args: list[str], timeout: float = 300) -> str:
        done = subprocess.run(
            ["pgbench", *_conn_args(), *args],
            env=_env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert self.log is not None
        with self.log.open("a") as log:
            log.write(f"$ pgbench {' '.join(args)}\n{done.stdout}\n{done.stderr}\n")
        if done.returncode != 0:
            raise RuntimeError(f"pgbench {' '.join(args)} failed: {done.stderr.strip()[-500:]}")
        return done.stdout

    def window(self, seconds: float) -> Window:
        seconds = max(1, round(seconds))
        out = self._run(
            [
                "-n",
                "-c",
                str(self.clients),
                "-j",
                str(self.threads),
                "-T",
                str(seconds),
                self.database,
            ],
            timeout=seconds + 120,
        )
        processed = int(_find(r"number of transactions actually processed: (\d+)", out))
        failed = _find(r"number of failed transactions: (\d+)", out, default="0")
        tps = float(_find(r"tps = ([\d.]+) \(without initial connection time\)", out))
        latency = float(_find(r"latency average = ([\d.]+) ms", out, default="0"))
        return Window(
            ok=processed,
            errors=int(failed),
            elapsed=processed / tps if tps else 0.0,
            extra={"latency_avg_ms": latency},
        )

    def close(self) -> None:
        pass


def _find(pattern: str, text: str, default: str | None = None) -> str:
    match = re.search(pattern, text)
    if match:
        return match.group(1)
    if default is not None:
        return default
    raise RuntimeError(f"pgbench output without /{pattern}/:\n{text[-800:]}")

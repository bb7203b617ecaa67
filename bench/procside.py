"""A side made of N worker processes speaking bench.proto, plus the helpers to run the
one-shot commands (seed, verify) of a worker module."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from abc import abstractmethod
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bench.core import ROOT, Context, Side, Window
from bench.proto import Worker, run_window, start_workers

PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable


def clean_env(extra: Mapping[str, str]) -> dict[str, str]:
    """The parent's environment without anything that would point a worker at another
    database or settings module, plus `extra`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "PANDAI_VAR_DIR", "DJANGO_SETTINGS_MODULE", "PYTHONPATH"}
    }
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


def run_json(
    argv: list[str], *, env: Mapping[str, str], log: Path, timeout: float = 600
) -> dict[str, Any]:
    """Run a one-shot worker command; its last stdout line is JSON. Fails with the log's tail."""
    with log.open("ab") as err:
        done = subprocess.run(
            argv, env=dict(env), cwd=ROOT, stdout=subprocess.PIPE, stderr=err, timeout=timeout
        )
    if done.returncode != 0:
        tail = log.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"{' '.join(argv[2:5])} exited {done.returncode}; log {log}:\n{tail}")
    lines = done.stdout.decode().strip().splitlines()
    return dict(json.loads(lines[-1])) if lines else {}


class ProcessSide(Side):
    """`workers` processes running `argv + ["--worker", i, "--of", n]`, started together."""

    workers = 1

    def __init__(self) -> None:
        self.pool: list[Worker] = []
        self.total_ok = 0  # every success, warm-up included (to check against the database)
        self.log_dir: Path | None = None

    def prepare(self, ctx: Context) -> None:
        """Create the database and seed it (before the workers start)."""

    @abstractmethod
    def worker_argv(self, ctx: Context) -> list[str]:
        """The command line of one worker process."""

    @abstractmethod
    def worker_env(self, ctx: Context) -> dict[str, str]:
        """The environment of one worker process."""

    def setup(self, ctx: Context) -> None:
        self.log_dir = ctx.tmp / "logs"
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.prepare(ctx)
        argv, env = self.worker_argv(ctx), self.worker_env(ctx)
        for i in range(self.workers):
            self.pool.append(
                Worker(
                    [*argv, "--worker", str(i), "--of", str(self.workers)],
                    env=env,
                    log=self.log_dir / f"{self.key}-{i}.log",
                    cwd=ROOT,
                )
            )
        start_workers(self.pool)

    def window(self, seconds: float) -> Window:
        started = time.monotonic()
        answer = run_window(self.pool, seconds)
        self.total_ok += answer["ok"]
        ops = max(1, answer["ok"])
        return Window(
            ok=answer["ok"],
            errors=answer["errors"],
            elapsed=answer["elapsed"],
            error_kinds=answer["error_kinds"],
            latencies=answer["lat"],
            extra={
                "rss_mb": round(answer["maxrss_kb"] / 1024, 1),
                "client_cpu_ms_per_op": round(1000 * answer["cpu_s"] / ops, 2),
                "server_cpu_ms_per_op": (
                    None
                    if answer["server_cpu_s"] is None
                    else round(1000 * answer["server_cpu_s"] / ops, 2)
                ),
                "wall_s": round(time.monotonic() - started, 2),
            },
        )

    def close(self) -> None:
        for worker in self.pool:
            worker.close()
        self.pool = []

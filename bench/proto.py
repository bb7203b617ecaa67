"""The worker protocol: JSON lines over a worker process's stdin/stdout (stdlib only).

A worker (Pandai, django-hordak, ...) starts, prepares (Django set up, rows loaded, connection
open), prints {"ready": true} and then answers one command per line:

    {"op": "window", "start": <monotonic>, "end": <monotonic>}
        wait until `start` (the start barrier: the parent sends the same `start` to every
        worker, a moment after all of them said ready), run operations until `end`, answer
        {"ok": n, "errors": n, "error_kinds": {...}, "finish": <monotonic>, "lat": [...],
         "maxrss_kb": n}
    {"op": "quit"}

CLOCK_MONOTONIC is one clock for every process on a Linux machine, so a shared `start` works.
"""

from __future__ import annotations

import json
import os
import resource
import select
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, Any


class WorkerFailed(RuntimeError):
    pass


# --- Worker side ------------------------------------------------------------------------------


def _cpu() -> float:
    """CPU seconds (user + system) this process has used: unlike wall time, not inflated
    when other processes compete for the CPU."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _proc_cpu(pid: int | None) -> float | None:
    """CPU seconds used so far by another process on this machine (e.g. this worker's
    PostgreSQL backend), from /proc; None when it can't be read."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def serve(
    operation: Callable[[int], None],
    *,
    describe: Callable[[Exception], str],
    server_pid: int | None = None,
) -> None:
    """Answer window commands by calling `operation(seq)` in a loop (seq counts up over the
    worker's life, so it can make unique idempotency keys). Protocol output goes to the real
    stdout; anything else a library prints goes to stderr. `server_pid`: the database backend
    serving this worker, whose CPU time is reported too."""
    out = sys.stdout
    sys.stdout = sys.stderr
    seq = 0

    def send(message: Mapping[str, Any]) -> None:
        out.write(json.dumps(message) + "\n")
        out.flush()

    send({"ready": True, "pid": os.getpid()})
    for line in sys.stdin:
        command = json.loads(line)
        if command["op"] == "quit":
            break
        if command["op"] != "window":
            raise ValueError(f"unknown command {command!r}")
        delay = command["start"] - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        end = command["end"]
        ok = errors = 0
        kinds: Counter[str] = Counter()
        latencies: list[float] = []
        cpu_before = _cpu()
        server_before = _proc_cpu(server_pid)
        now = time.monotonic()
        while now < end:
            seq += 1
            try:
                operation(seq)
            except Exception as exc:  # counted and reported, never hidden
                errors += 1
                kinds[describe(exc)] += 1
            else:
                ok += 1
            done = time.monotonic()
            latencies.append(round(done - now, 6))
            now = done
        send(
            {
                "ok": ok,
                "errors": errors,
                "error_kinds": dict(kinds),
                "finish": now,
                "lat": latencies,
                "cpu_s": _cpu() - cpu_before,
                "server_cpu_s": (
                    None if server_before is None else (_proc_cpu(server_pid) or 0) - server_before
                ),
                "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            }
        )


# --- Parent side ------------------------------------------------------------------------------


class Worker:
    """One worker process, spoken to with JSON lines; its stderr goes to `log`."""

    def __init__(self, argv: list[str], *, env: Mapping[str, str], log: Path, cwd: Path) -> None:
        self.argv = argv
        self.log_path = log
        self._log: IO[bytes] = log.open("ab")
        self.proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            env=dict(env),
            cwd=cwd,
        )
        self._buffer = b""

    def send(self, message: Mapping[str, Any]) -> None:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write((json.dumps(message) + "\n").encode())
            self.proc.stdin.flush()
        except BrokenPipeError as exc:
            raise WorkerFailed(self._failure("died")) from exc

    def recv(self, timeout: float) -> dict[str, Any]:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise WorkerFailed(self._failure(f"gave no answer in {timeout:.0f} s"))
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    raise WorkerFailed(self._failure("exited"))
                self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return dict(json.loads(line))

    def _failure(self, what: str) -> str:
        self._log.flush()
        tail = self.log_path.read_text(errors="replace")[-3000:]
        return f"worker {' '.join(self.argv[-3:])} {what}; log {self.log_path}:\n{tail}"

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.send({"op": "quit"})
                self.proc.wait(timeout=10)
            except (WorkerFailed, subprocess.TimeoutExpired, OSError):
                self.proc.kill()
                self.proc.wait()
        self._log.close()


def start_workers(workers: list[Worker], timeout: float = 120.0) -> None:
    """Wait until every worker said ready (first half of the start barrier)."""
    for worker in workers:
        answer = worker.recv(timeout)
        if not answer.get("ready"):
            raise WorkerFailed(f"unexpected first message {answer!r}")


def run_window(workers: list[Worker], seconds: float) -> dict[str, Any]:
    """All workers start at the same moment and run for `seconds`; returns the totals.
    Elapsed time runs from the common start to the last worker's last completed operation."""
    start = time.monotonic() + 0.3
    end = start + seconds
    for worker in workers:
        worker.send({"op": "window", "start": start, "end": end})
    answers = [worker.recv(seconds + 120) for worker in workers]
    kinds: Counter[str] = Counter()
    for answer in answers:
        kinds.update(answer["error_kinds"])
    return {
        "ok": sum(a["ok"] for a in answers),
        "errors": sum(a["errors"] for a in answers),
        "error_kinds": dict(kinds),
        "elapsed": max(a["finish"] for a in answers) - start,
        "lat": [x for a in answers for x in a["lat"]],
        "maxrss_kb": max(a["maxrss_kb"] for a in answers),
        "cpu_s": sum(a["cpu_s"] for a in answers),
        "server_cpu_s": (
            None
            if any(a["server_cpu_s"] is None for a in answers)
            else sum(a["server_cpu_s"] for a in answers)
        ),
        "per_worker": [a["ok"] for a in answers],
    }

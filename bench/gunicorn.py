"""One gunicorn on a free local port, for the HTTP parts of the benchmark (part 2's checkout
and part 3's mixed load): started and waited for until /api/ping answers, its workers' CPU and
memory read from /proc, stopped with SIGTERM."""

from __future__ import annotations

import http.client
import signal
import socket
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from bench.core import ROOT
from bench.procside import PYTHON
from bench.proto import _proc_cpu

GUNICORN = str(Path(PYTHON).parent / "gunicorn")


def _rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


class Gunicorn:
    """`pandai.wsgi` under gunicorn with `workers` workers (plus `extra` arguments)."""

    def __init__(
        self,
        env: dict[str, str],
        log: Path,
        *,
        workers: int,
        extra: Sequence[str] = (),
        start_timeout: float = 90,
    ) -> None:
        self.env = env
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._log: IO[bytes] = log.open("ab")
        self.proc = subprocess.Popen(
            [
                *(GUNICORN, "pandai.wsgi", "--workers", str(workers), *extra),
                *("--bind", f"127.0.0.1:{self.port}", "--log-level", "warning"),
            ],
            env=env,
            cwd=ROOT,
            stdout=self._log,
            stderr=self._log,
        )
        deadline = time.monotonic() + start_timeout
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/api/ping")
                if conn.getresponse().status == 200:
                    conn.close()
                    break
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"gunicorn did not start; log {log}")
            time.sleep(0.3)

    def worker_pids(self) -> list[int]:
        try:
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        except OSError:
            return []
        return [int(x) for x in children.split()]

    def cpu_s(self) -> float | None:
        """CPU seconds the workers have used so far (None when a worker can't be read)."""
        values = [_proc_cpu(pid) for pid in self.worker_pids()]
        if not values or any(v is None for v in values):
            return None
        return sum(v for v in values if v is not None)

    def rss_mb(self) -> list[float]:
        return [x for pid in self.worker_pids() if (x := _rss_mb(pid)) is not None]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()

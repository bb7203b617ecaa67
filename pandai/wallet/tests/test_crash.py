"""Crash safety: a process posting batches is SIGKILLed at random moments 20 times. After each
kill the ledger checks pass and every batch the process reported as committed is there.

On SQLite this runs against a migrated temporary database file (WAL, synchronous=FULL as
configured in settings); on PostgreSQL against the test database."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
KILLS = 20


def _env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "PANDAI_VAR_DIR": str(tmp_path / "var"), "PANDAI_LOG_LEVEL": "ERROR"}
    if connection.vendor == "postgresql":
        db = settings.DATABASES["default"]
        auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
        env["DATABASE_URL"] = f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    else:
        env.pop("DATABASE_URL", None)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=300,
        )
    return env


def _worker(mode: str, out: Path, status: Path, env: dict[str, str], *extra: str):
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pandai.wallet.tests.ledger_worker",
            mode,
            str(out),
            str(status),
            *extra,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )


def _committed(out: Path) -> int:
    return len(out.read_text().split()) if out.exists() else 0


@pytest.mark.django_db(transaction=True)
def test_sigkill_at_random_moments_loses_no_committed_batch(tmp_path):
    env = _env(tmp_path)
    out, status = tmp_path / "committed.txt", tmp_path / "status.json"
    seed = random.randrange(10**6)
    rng = random.Random(seed)
    for run in range(KILLS):
        child = _worker("crash", out, status, env, str(run))
        try:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "READY", f"seed {seed}"
            state = json.loads(status.read_text())
            assert state["problems"] == [] and state["missing"] == [], (seed, run, state)
            before = _committed(out)
            deadline = time.monotonic() + 30
            while _committed(out) == before and time.monotonic() < deadline:
                time.sleep(0.01)  # let it commit at least once, then kill it at random
            time.sleep(rng.uniform(0, 0.4))
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
        assert child.returncode == -signal.SIGKILL
    final = _worker("verify", out, status, env)
    final.wait(timeout=120)
    state = json.loads(status.read_text())
    assert final.returncode == 0, (seed, state)
    assert state["problems"] == [] and state["missing"] == []
    assert state["committed"] >= KILLS  # it really worked between the kills

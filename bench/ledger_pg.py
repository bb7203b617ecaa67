"""Part 1, PostgreSQL: Pandai's purchase with 8 workers vs pgbench and vs django-hordak 2.0.

Rows: `ledger_pg` (Pandai ÷ pgbench, bar >= 0.12), `ledger_vs_hordak` (Pandai ÷ hordak,
bar >= 0.6) and `memory` (peak RSS of a Pandai worker, informational).
Sides registered here (part 2 reuses `pgbench` for checkout_pg):
- `pgbench`: bench.pg.Pgbench, 8 clients, on database pgbench_floor.
- `pandai_pg`: 8 bench.pandai_worker processes on database pandai_bench (migrated, 1,000
  funded inmates; every purchase credits the one shop account).
- `hordak_pg`: 8 bench.hordak_worker processes in bench/hordak-env on pandai_bench_hordak.
"""

from __future__ import annotations

import subprocess
from typing import Any

from bench import pg
from bench.core import ROOT, Context, Row, SideResult, suite
from bench.procside import PYTHON, ProcessSide, clean_env, run_json

WORKERS = 8
HORDAK_ENV = ROOT / "bench" / "hordak-env"
HORDAK_PYTHON = HORDAK_ENV / "bin" / "python"
HORDAK_REQUIREMENTS = ["django-hordak==2.0.*", "psycopg[binary]"]


class PandaiPg(ProcessSide):
    key = "pandai_pg"
    label = f"pandai wallet.services.purchase on PostgreSQL ({WORKERS} processes)"
    unit = "purchases/s"
    workers = WORKERS
    database = "pandai_bench"

    def prepare(self, ctx: Context) -> None:
        self.run_id = ctx.run_id
        pg.recreate(self.database)
        self.env = clean_env(
            {
                "DATABASE_URL": pg.url(self.database),
                "PANDAI_VAR_DIR": str(ctx.tmp / "pandai-pg"),
                "DEBUG": "0",  # as in production: no query log kept in memory
            }
        )
        assert self.log_dir is not None
        seeded = run_json(
            [PYTHON, "-m", "bench.pandai_worker", "seed", "--inmates", "1000", "--parts", "1"],
            env=self.env,
            log=self.log_dir / f"{self.key}-seed.log",
        )
        ctx.log(f"[postgres] pandai seeded {seeded}")

    def worker_argv(self, ctx: Context) -> list[str]:
        return [PYTHON, "-m", "bench.pandai_worker", "serve", "--run", ctx.run_id]

    def worker_env(self, ctx: Context) -> dict[str, str]:
        return self.env

    def checks(self) -> dict[str, Any]:
        assert self.log_dir is not None
        found = run_json(
            [PYTHON, "-m", "bench.pandai_worker", "verify", "--run", self.run_id],
            env=self.env,
            log=self.log_dir / f"{self.key}-verify.log",
        )
        return {
            "purchases_counted": self.total_ok,
            "purchases_in_db": found.get("purchases"),
            "verified": found.get("purchases") == self.total_ok,
        }


def ensure_hordak_env(ctx: Context) -> None:
    """Create bench/hordak-env with django-hordak 2.0 when it is missing (once; ~1 minute)."""
    if HORDAK_PYTHON.exists():
        return
    ctx.log(f"[postgres] creating {HORDAK_ENV} with {' '.join(HORDAK_REQUIREMENTS)} ...")
    log = ctx.tmp / "logs" / "hordak-env.log"
    with log.open("ab") as out:
        for argv in (
            ["python3", "-m", "venv", str(HORDAK_ENV)],
            [str(HORDAK_ENV / "bin" / "pip"), "install", "--quiet", *HORDAK_REQUIREMENTS],
        ):
            done = subprocess.run(argv, stdout=out, stderr=out, cwd=ROOT, timeout=600)
            if done.returncode != 0:
                tail = log.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"{' '.join(argv)} failed; log {log}:\n{tail}")


class HordakPg(ProcessSide):
    key = "hordak_pg"
    label = f"django-hordak 2.0 Account.transfer_to on PostgreSQL ({WORKERS} processes)"
    unit = "transfers/s"
    workers = WORKERS
    database = "pandai_bench_hordak"

    def prepare(self, ctx: Context) -> None:
        ensure_hordak_env(ctx)
        self.tag = f"bench-{ctx.run_id}"
        pg.recreate(self.database)
        self.env = clean_env(
            {
                "HORDAK_DATABASE_URL": pg.url(self.database),
                "DJANGO_SETTINGS_MODULE": "bench.hordak_project.settings",
            }
        )
        assert self.log_dir is not None
        seeded = run_json(
            [str(HORDAK_PYTHON), "-m", "bench.hordak_worker", "seed", "--inmates", "1000"],
            env=self.env,
            log=self.log_dir / f"{self.key}-seed.log",
        )
        ctx.log(f"[postgres] hordak seeded {seeded}")

    def worker_argv(self, ctx: Context) -> list[str]:
        return [str(HORDAK_PYTHON), "-m", "bench.hordak_worker", "serve", "--tag", self.tag]

    def worker_env(self, ctx: Context) -> dict[str, str]:
        return self.env

    def checks(self) -> dict[str, Any]:
        assert self.log_dir is not None
        found = run_json(
            [str(HORDAK_PYTHON), "-m", "bench.hordak_worker", "verify", "--tag", self.tag],
            env=self.env,
            log=self.log_dir / f"{self.key}-verify.log",
        )
        return {
            "transfers_counted": self.total_ok,
            "transfers_in_db": found.get("transfers"),
            "verified": found.get("transfers") == self.total_ok,
        }


def memory_rows(results: dict[str, SideResult], ctx: Context) -> list[Row]:
    """Peak RSS (ru_maxrss) of the largest Pandai worker; informational."""
    rows = []
    for key in ("pandai_pg", "pandai_sqlite"):
        result = results.get(key)
        if result is None or result.failure or not result.windows:
            continue
        peak = max(w.extra.get("rss_mb", 0) for w in result.windows)
        rows.append(
            Row(
                name="memory",
                value=peak,
                unit="MB",
                note=f"peak RSS of one Pandai worker ({result.label})",
                details={"per_window_mb": [w.extra.get("rss_mb") for w in result.windows]},
            )
        )
        break
    return rows


POSTGRES = suite("postgres")
POSTGRES.add_side("pgbench", lambda: pg.Pgbench(clients=WORKERS, threads=2, scale=1))
POSTGRES.add_side("pandai_pg", PandaiPg)
POSTGRES.add_side("hordak_pg", HordakPg)
POSTGRES.add_ratio("ledger_pg", ours="pandai_pg", floor="pgbench", bar=0.12, unit="purchases/s")
POSTGRES.add_ratio(
    "ledger_vs_hordak", ours="pandai_pg", floor="hordak_pg", bar=0.6, unit="purchases/s"
)
POSTGRES.add_rows(memory_rows)

"""Part 2: a 3-line basket checkout through pandai.shop.services.checkout (card and PIN, basket
checks, stock moves, the ledger purchase, the receipt) against the same floors as part 1,
measured in the same suites (so interleaved with them, in the same run).

Rows: `checkout_sqlite` (÷ raw sqlite3 floor, bar >= 0.07), `checkout_pg` (÷ pgbench TPC-B with
8 clients, bar >= 0.08). Sides registered here:
- `checkout_sqlite`: 1 bench.checkout_worker process on a fresh SQLite file (Pandai's settings:
  WAL, synchronous=FULL, IMMEDIATE transactions).
- `checkout_pg`: 8 bench.checkout_worker processes on database pandai_bench_checkout, each on
  its own POS device and open shift, over 1,000 inmates, random products of a 240-product
  catalogue. The HTTP part (bench.http_checkout) serves the same database afterwards.
"""

from __future__ import annotations

from abc import abstractmethod
from pathlib import Path
from typing import Any

from bench import pg
from bench.core import Context, suite
from bench.procside import PYTHON, ProcessSide, clean_env, run_json

INMATES = 1000
PRODUCTS = 240
TERMINALS = 16  # 8 for the worker processes, all 16 for the HTTP clients
PG_DATABASE = "pandai_bench_checkout"


def seed_once(ctx: Context, env: dict[str, str], key: str, parts: int) -> Path:
    """Seed a checkout database once per run (the HTTP part reuses the PostgreSQL one).
    Returns the marker file written once it is done."""
    marker = Path(env["PANDAI_VAR_DIR"]) / "bench-seeded.json"
    if marker.exists():
        return marker
    Path(env["PANDAI_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    if "DATABASE_URL" in env:
        pg.recreate(PG_DATABASE)
    seeded = run_json(
        [
            *(PYTHON, "-m", "bench.checkout_worker", "seed"),
            *("--inmates", str(INMATES), "--products", str(PRODUCTS)),
            *("--terminals", str(TERMINALS), "--parts", str(parts)),
        ],
        env=env,
        log=ctx.tmp / "logs" / f"{key}-seed.log",
        timeout=1500,  # mostly the migrations; minutes on a busy machine
    )
    marker.write_text(str(seeded))
    ctx.log(f"[{key}] seeded {seeded}")
    return marker


def pg_env(ctx: Context) -> dict[str, str]:
    return clean_env(
        {
            "DATABASE_URL": pg.url(PG_DATABASE),
            "PANDAI_VAR_DIR": str(ctx.tmp / "checkout-pg"),
            "DEBUG": "0",
            # The HTTP part speaks plain HTTP to gunicorn on 127.0.0.1 (nginx's side of a
            # site): DEBUG=0 alone would redirect every request to https.
            "PANDAI_SSL_REDIRECT": "0",
        }
    )


class CheckoutSide(ProcessSide):
    unit = "checkouts/s"
    seed_parts = 1  # processes admitting and funding the inmates (SQLite: one writer)

    @abstractmethod
    def env_for(self, ctx: Context) -> dict[str, str]:
        """The environment of the worker processes (database, scratch directory)."""

    def prepare(self, ctx: Context) -> None:
        self.run_id = ctx.run_id
        self.env = self.env_for(ctx)
        (ctx.tmp / "logs").mkdir(parents=True, exist_ok=True)
        seed_once(ctx, self.env, self.key, parts=self.seed_parts)

    def worker_argv(self, ctx: Context) -> list[str]:
        return [PYTHON, "-m", "bench.checkout_worker", "serve", "--run", ctx.run_id]

    def worker_env(self, ctx: Context) -> dict[str, str]:
        return self.env

    def checks(self) -> dict[str, Any]:
        assert self.log_dir is not None
        found = run_json(
            [PYTHON, "-m", "bench.checkout_worker", "verify", "--run", self.run_id],
            env=self.env,
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


class CheckoutSqlite(CheckoutSide):
    key = "checkout_sqlite"
    label = "pandai shop.services.checkout, 3 lines, card + PIN, on SQLite (1 process)"

    def env_for(self, ctx: Context) -> dict[str, str]:
        return clean_env({"PANDAI_VAR_DIR": str(ctx.tmp / "checkout-sqlite"), "DEBUG": "0"})


class CheckoutPg(CheckoutSide):
    key = "checkout_pg"
    label = "pandai shop.services.checkout, 3 lines, card + PIN, on PostgreSQL (8 processes)"
    workers = 8
    seed_parts = 2

    def env_for(self, ctx: Context) -> dict[str, str]:
        return pg_env(ctx)


SQLITE = suite("sqlite", split=3)
SQLITE.add_side("checkout_sqlite", CheckoutSqlite)
SQLITE.add_ratio(
    "checkout_sqlite", ours="checkout_sqlite", floor="sqlite_floor", bar=0.07, unit="checkouts/s"
)
POSTGRES = suite("postgres")
POSTGRES.add_side("checkout_pg", CheckoutPg)
POSTGRES.add_ratio("checkout_pg", ours="checkout_pg", floor="pgbench", bar=0.08, unit="checkouts/s")

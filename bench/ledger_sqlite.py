"""Part 1, SQLite: Pandai's purchase vs the raw sqlite3 floor, one process each.

Row `ledger_sqlite` = Pandai purchases/s ÷ floor purchases/s, bar >= 0.10.
Sides registered here (part 2 reuses `sqlite_floor` for checkout_sqlite):
- `sqlite_floor`: bench.sqlite_floor (BEGIN IMMEDIATE; 2 UPDATEs; 1 INSERT; COMMIT).
- `pandai_sqlite`: bench.pandai_worker serve against a fresh var/pandai.sqlite3 (Pandai's own
  SQLite settings: WAL, synchronous=FULL, IMMEDIATE transactions), seeded with 1,000 funded
  inmates.
"""

from __future__ import annotations

from typing import Any

from bench.core import Context, suite
from bench.procside import PYTHON, ProcessSide, clean_env, run_json


class SqliteFloor(ProcessSide):
    key = "sqlite_floor"
    label = "raw sqlite3: BEGIN IMMEDIATE; 2 UPDATE; 1 INSERT; COMMIT (WAL, synchronous=FULL)"
    unit = "purchases/s"

    def prepare(self, ctx: Context) -> None:
        self.path = ctx.tmp / "floor" / "floor.sqlite3"
        self.path.parent.mkdir(parents=True, exist_ok=True)

    def worker_argv(self, ctx: Context) -> list[str]:
        return [PYTHON, "-m", "bench.sqlite_floor", "serve", "--db", str(self.path)]

    def worker_env(self, ctx: Context) -> dict[str, str]:
        return clean_env({})


class PandaiSqlite(ProcessSide):
    key = "pandai_sqlite"
    label = "pandai wallet.services.purchase on SQLite (1 process)"
    unit = "purchases/s"

    def prepare(self, ctx: Context) -> None:
        self.run_id = ctx.run_id
        self.env = clean_env({"PANDAI_VAR_DIR": str(ctx.tmp / "pandai-sqlite"), "DEBUG": "0"})
        assert self.log_dir is not None
        seeded = run_json(
            [PYTHON, "-m", "bench.pandai_worker", "seed", "--inmates", "1000"],
            env=self.env,
            log=self.log_dir / f"{self.key}-seed.log",
        )
        ctx.log(f"[sqlite] seeded {seeded}")

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


# Both sides are one process and switch in no time: 3x shorter windows, 3x more rounds, so
# the floor's bursts of slow fsyncs (another process writing to the disk) hit both sides.
SQLITE = suite("sqlite", split=3)
SQLITE.add_side("sqlite_floor", SqliteFloor)
SQLITE.add_side("pandai_sqlite", PandaiSqlite)
SQLITE.add_ratio(
    "ledger_sqlite", ours="pandai_sqlite", floor="sqlite_floor", bar=0.10, unit="purchases/s"
)

"""The SQLite floor: Python's sqlite3 doing one purchase's shape of transaction by hand.

    python -m bench.sqlite_floor serve --db PATH [--worker W --of N]

On a file database in WAL mode with synchronous=FULL (Pandai's own settings), per operation:
BEGIN IMMEDIATE; UPDATE the inmate's balance; UPDATE the shop's balance; INSERT one transfer
row; COMMIT. 1,000 inmate accounts and one shop account, cycled like Pandai's side. No ORM,
no checks, no idempotency key, no audit: the least work a durable purchase can be.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time

INMATES = 1000
SHOP = INMATES + 1


def open_db(path: str) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None, timeout=20)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute(
        "CREATE TABLE IF NOT EXISTS account ( id INTEGER PRIMARY KEY, balance INTEGER NOT NULL)"
    )
    db.execute(
        "CREATE TABLE IF NOT EXISTS transfer ("
        " id INTEGER PRIMARY KEY, debit_id INTEGER NOT NULL, credit_id INTEGER NOT NULL,"
        " amount INTEGER NOT NULL, created_at REAL NOT NULL)"
    )
    if db.execute("SELECT count(*) FROM account").fetchone()[0] == 0:
        db.execute("BEGIN IMMEDIATE")
        db.executemany(
            "INSERT INTO account (id, balance) VALUES (?, ?)",
            [(i, 1_000_000) for i in range(1, SHOP + 1)],
        )
        db.execute("COMMIT")
    return db


def serve(path: str, worker: int, of: int) -> None:
    from bench.proto import serve as proto_serve

    db = open_db(path)
    mine = list(range(1 + worker, INMATES + 1, of))

    def purchase(seq: int) -> None:
        inmate = mine[seq % len(mine)]
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("UPDATE account SET balance = balance - ? WHERE id = ?", (1000, inmate))
            db.execute("UPDATE account SET balance = balance + ? WHERE id = ?", (1000, SHOP))
            db.execute(
                "INSERT INTO transfer (debit_id, credit_id, amount, created_at)"
                " VALUES (?, ?, ?, ?)",
                (inmate, SHOP, 1000, time.time()),
            )
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    proto_serve(purchase, describe=lambda exc: f"{type(exc).__name__}: {exc}")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.sqlite_floor")
    parser.add_argument("command", choices=["serve"])
    parser.add_argument("--db", required=True)
    parser.add_argument("--worker", type=int, default=0)
    parser.add_argument("--of", type=int, default=1)
    args = parser.parse_args(argv)
    serve(args.db, args.worker, args.of)


if __name__ == "__main__":
    main(sys.argv[1:])

"""backup and restore: a backup taken while deposits and purchases go on, restored by
`manage.py restore` (a real process) into a fresh database — a new SQLite file, or a new
PostgreSQL database created and dropped here — then verified: ledger_check and audit_verify
clean, and the restored rows exactly those committed up to one moment. A file whose checksum
does not match, and a database that is not empty, are refused with nothing changed."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from pandai.core.models import AuditEvent, Site, User
from pandai.inmates.models import Inmate
from pandai.inmates.tests.factories import InmateFactory
from pandai.ops.backup import backup_create, backups_rotate, checksum_path, file_sha256
from pandai.wallet import services
from pandai.wallet.errors import LedgerError
from pandai.wallet.models import Batch, Transfer
from pandai.wallet.tests.conftest import ledger_snapshot

ROOT = Path(settings.BASE_DIR)
# Append-only tables whose ids grow in commit order under one writer: the restored rows must be
# exactly the live rows up to the restored maximum id (no hole, nothing half-written).
APPEND_ONLY = {
    "batches": Batch._meta.db_table,
    "transfers": Transfer._meta.db_table,
    "audit": AuditEvent._meta.db_table,
}


class Writer(threading.Thread):
    """Deposits and purchases through the wallet's services, one transaction each, until
    stopped. Runs in its own thread, with its own database connection."""

    def __init__(self, inmates: list[Inmate], officer: User, site: Site) -> None:
        super().__init__(daemon=True)
        self.inmates, self.officer, self.site = inmates, officer, site
        self.stop = threading.Event()
        self.committed = 0
        self.refused = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            drawer = services.counter_account(site=self.site, counter="LOKET-BACKUP")
            step = 0
            while not self.stop.is_set():
                step += 1
                inmate = self.inmates[step % len(self.inmates)]
                key = f"backup-test:{step}"
                try:
                    if step % 3:
                        services.deposit_credit(
                            inmate=inmate,
                            amount_rp=10_000,
                            source=drawer,
                            actor=self.officer,
                            idempotency_key=key,
                            enforce_rules=False,
                        )
                    else:
                        services.purchase(
                            inmate=inmate, amount_rp=3_000, idempotency_key=key, actor=self.officer
                        )
                    self.committed += 1
                except LedgerError:
                    self.refused += 1  # a limit reached: refused, nothing written
        except BaseException as error:  # reported to the test
            self.error = error
        finally:
            connection.close()

    def wait_for(self, count: int, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while self.committed < count:
            assert self.error is None, self.error
            assert time.monotonic() < deadline, f"writer stuck at {self.committed}"
            time.sleep(0.02)


@pytest.fixture
def writer(site: Site, staff: Any) -> Iterator[Writer]:
    officer = staff("counter_officer", username="loket-backup")
    inmates = [InmateFactory(site=site) for _ in range(4)]
    thread = Writer(inmates, officer, site)
    yield thread
    thread.stop.set()
    if thread.is_alive():
        thread.join(timeout=60)


def _live_counts_up_to(max_ids: dict[str, int]) -> dict[str, int]:
    with connection.cursor() as cursor:
        out = {}
        for label, table in APPEND_ONLY.items():
            cursor.execute(f"SELECT count(*) FROM {table} WHERE id <= %s", [max_ids[label]])
            out[label] = cursor.fetchone()[0]
    return out


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.pop("DATABASE_URL", None)
    env.update(extra)
    return env


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _spoil(path: Path) -> Path:
    """A copy of the backup with one byte changed, beside its (now wrong) checksum file."""
    bad = path.with_name("pandai-20000101-000000" + path.suffix)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    bad.write_bytes(bytes(data))
    checksum_path(bad).write_text(checksum_path(path).read_text())
    return bad


def _backup_while_writing(writer: Writer, tmp_path: Path) -> tuple[Path, int, int]:
    writer.start()
    writer.wait_for(20)
    before = Batch.objects.count()
    made = backup_create(directory=tmp_path / "backups")
    after_backup = Batch.objects.count()
    writer.wait_for(writer.committed + 10)  # still writing after the backup
    writer.stop.set()
    writer.join(timeout=60)
    assert writer.error is None, writer.error
    assert made.sha256 == file_sha256(made.path)
    assert checksum_path(made.path).read_text() == f"{made.sha256}  {made.path.name}\n"
    assert Batch.objects.count() > after_backup >= before
    return made.path, before, after_backup


def _check_restored(
    counts: dict[str, int], max_ids: dict[str, int], before: int, after: int, output: str
) -> None:
    assert "ledger_check: OK" in output
    assert "audit_verify: OK" in output
    # The backup is one moment: every batch committed by then and none after.
    assert before <= counts["batches"] <= after
    assert counts == _live_counts_up_to(max_ids)


@pytest.mark.sqlite
@pytest.mark.django_db(transaction=True)
def test_sqlite_backup_during_writes_restores_and_verifies(writer: Writer, tmp_path: Path):
    path, before, after = _backup_while_writing(writer, tmp_path)

    fresh = tmp_path / "fresh"
    fresh.mkdir()
    env = _env(PANDAI_VAR_DIR=str(fresh))
    refused = _manage("restore", str(_spoil(path)), env=env)
    assert refused.returncode == 1
    assert "Checksum berkas cadangan tidak cocok" in refused.stderr
    assert not (fresh / "pandai.sqlite3").exists()  # nothing restored, nothing created

    done = _manage("restore", str(path), env=env)
    assert done.returncode == 0, done.stderr
    restored = sqlite3.connect(fresh / "pandai.sqlite3")
    try:
        counts, max_ids = {}, {}
        for label, table in APPEND_ONLY.items():
            counts[label], max_ids[label] = restored.execute(
                f"SELECT count(*), coalesce(max(id), 0) FROM {table}"
            ).fetchone()
    finally:
        restored.close()
    _check_restored(counts, max_ids, before, after, done.stdout)

    again = _manage("restore", str(path), env=env)
    assert again.returncode == 1
    assert "tidak kosong" in again.stderr


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_backup_during_writes_restores_into_a_new_database(writer: Writer, tmp_path: Path):
    import psycopg

    path, before, after = _backup_while_writing(writer, tmp_path)
    assert path.suffix == ".pgdump"
    db = connection.settings_dict
    target = f"pandai_restore_{uuid.uuid4().hex[:10]}"
    server = {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "password": db["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{target}"')
    try:
        auth = f"{db['USER']}:{db['PASSWORD']}@" if db["PASSWORD"] else f"{db['USER']}@"
        url = f"postgres://{auth}{server['host']}:{server['port']}/{target}"
        env = _env(DATABASE_URL=url)

        refused = _manage("restore", str(_spoil(path)), env=env)
        assert refused.returncode == 1
        assert "Checksum berkas cadangan tidak cocok" in refused.stderr
        with psycopg.connect(dbname=target, **server) as conn:
            tables = conn.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
            ).fetchone()
        assert tables == (0,)  # nothing restored

        done = _manage("restore", str(path), env=env)
        assert done.returncode == 0, done.stderr
        counts, max_ids = {}, {}
        with psycopg.connect(dbname=target, **server) as conn:
            for label, table in APPEND_ONLY.items():
                row = conn.execute(f"SELECT count(*), coalesce(max(id), 0) FROM {table}").fetchone()
                assert row is not None
                counts[label], max_ids[label] = row
            # The append-only guards came back with the data.
            with pytest.raises(psycopg.Error):
                conn.execute(f"DELETE FROM {APPEND_ONLY['transfers']}")
        _check_restored(counts, max_ids, before, after, done.stdout)

        again = _manage("restore", str(path), env=env)
        assert again.returncode == 1
        assert "tidak kosong" in again.stderr
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')


@pytest.mark.django_db
def test_restore_refuses_a_bad_checksum_and_a_database_in_use(
    site: Site, inmate: Inmate, staff: Any, tmp_path: Path
):
    services.deposit_credit(
        inmate=inmate,
        amount_rp=50_000,
        source=services.counter_account(site=site, counter="LOKET-1"),
        actor=staff("counter_officer"),
        idempotency_key="dep:1",
    )
    made = backup_create(directory=tmp_path)
    snapshot = ledger_snapshot()
    with pytest.raises(CommandError, match="Checksum berkas cadangan tidak cocok"):
        call_command("restore", str(_spoil(made.path)))
    with pytest.raises(CommandError, match="tidak kosong"):
        call_command("restore", str(made.path))
    checksum_path(made.path).unlink()
    with pytest.raises(CommandError, match="tanpa checksum"):
        call_command("restore", str(made.path))
    with pytest.raises(CommandError, match="tidak ada"):
        call_command("restore", str(tmp_path / "pandai-19990101-000000.sqlite3"))
    assert ledger_snapshot() == snapshot


def _touch_backup(directory: Path, when: dt.datetime) -> Path:
    path = directory / f"pandai-{when:%Y%m%d-%H%M%S}.sqlite3"
    path.write_bytes(b"x")
    checksum_path(path).write_text(f"{file_sha256(path)}  {path.name}\n")
    return path


def test_rotation_keeps_n_daily_and_m_monthly(tmp_path: Path):
    start = dt.datetime(2026, 1, 1, 2, 0)
    made = [_touch_backup(tmp_path, start + dt.timedelta(days=day)) for day in range(100)]
    extra = _touch_backup(tmp_path, start + dt.timedelta(days=99, hours=3))  # two on the last day
    (tmp_path / "notes.txt").write_text("bukan cadangan")

    deleted = backups_rotate(directory=tmp_path, keep_daily=7, keep_monthly=3)

    kept = sorted(p.name for p in tmp_path.glob("pandai-*.sqlite3"))
    last_seven = [p.name for p in made[93:99]] + [extra.name]
    # The newest of each of the last 3 months: 28 Feb, 31 Mar, and April's (the last day's).
    monthly = ["pandai-20260228-020000.sqlite3", "pandai-20260331-020000.sqlite3"]
    assert kept == sorted({*last_seven, *monthly})
    assert made[99] in deleted  # same day as a newer one
    assert not checksum_path(made[0]).exists()
    assert (tmp_path / "notes.txt").exists()


def test_backup_command_writes_a_file_with_its_checksum(tmp_path: Path, db: None):
    out = tmp_path / "out"
    call_command("backup", "--dir", str(out))
    files = sorted(out.iterdir())
    assert [f.suffix for f in files] == [
        ".sqlite3" if connection.vendor == "sqlite" else ".pgdump",
        ".sha256",
    ]
    assert oct(files[0].stat().st_mode & 0o777) == "0o600"
    assert checksum_path(files[0]).read_text().split()[0] == file_sha256(files[0])

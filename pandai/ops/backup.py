"""Backups of the database while Pandai is in use, their checksums and rotation, and restoring
one into an empty database followed by the ledger and audit checks.

- SQLite: Python's sqlite3 online backup API in one step, from a connection of its own. In WAL
  mode that step reads one snapshot while tills and counters go on writing, so the copy is the
  database as of one moment.
- PostgreSQL: `pg_dump --format=custom`, which dumps from one snapshot of its own.

Each backup is `pandai-YYYYmmdd-HHMMSS.<sqlite3|pgdump>` (server local time) next to
`<name>.sha256` in `sha256sum` format, so `sha256sum -c` checks it by hand too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils import timezone

SQLITE_SUFFIX = ".sqlite3"
PG_SUFFIX = ".pgdump"
NAME_RE = re.compile(r"^pandai-(\d{8})-(\d{6})\.(sqlite3|pgdump)$")


class BackupError(Exception):
    """A refusal with a message for the operator (Bahasa Indonesia); nothing was changed."""


@dataclass(frozen=True)
class BackupFile:
    path: Path
    sha256: str
    size: int


@dataclass
class RestoreReport:
    path: Path
    ledger_problems: list[str] = field(default_factory=list)
    audit_ok: bool = False
    audit_summary: str = ""
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.audit_ok and not self.ledger_problems


def backup_dir() -> Path:
    return Path(getattr(settings, "PANDAI_BACKUP_DIR", Path(settings.BASE_DIR) / "var/backups"))


def _database(alias: str = "default") -> dict[str, Any]:
    return connections[alias].settings_dict


def _vendor(alias: str = "default") -> str:
    return connections[alias].vendor


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def checksum_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def pg_env(database: dict[str, Any]) -> dict[str, str]:
    """libpq's variables for pg_dump / pg_restore (the password never on a command line)."""
    env = dict(os.environ)
    values = {
        "PGHOST": database.get("HOST") or "",
        "PGPORT": str(database.get("PORT") or ""),
        "PGUSER": database.get("USER") or "",
        "PGPASSWORD": database.get("PASSWORD") or "",
        "PGDATABASE": database.get("NAME") or "",
    }
    env.update({key: value for key, value in values.items() if value})
    return env


def _sqlite_copy(source: str, target: str, *, source_read_only: bool = False) -> None:
    uri = f"file:{source}?mode=ro" if source_read_only else f"file:{source}"
    src = sqlite3.connect(uri, uri=True, timeout=60)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)  # pages=-1: the whole database in one step, from one snapshot
        finally:
            dst.close()
    finally:
        src.close()


def backup_create(*, directory: Path | None = None, now: dt.datetime | None = None) -> BackupFile:
    """Write a consistent backup of the default database and its checksum file."""
    directory = directory or backup_dir()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    database = _database()
    suffix = SQLITE_SUFFIX if _vendor() == "sqlite" else PG_SUFFIX
    final = directory / f"pandai-{stamp}{suffix}"
    if final.exists():
        raise BackupError(f"Berkas cadangan {final.name} sudah ada; coba lagi sedetik lagi.")
    part = final.with_name(final.name + ".part")
    part.unlink(missing_ok=True)
    try:
        if suffix == SQLITE_SUFFIX:
            _sqlite_copy(str(database["NAME"]), str(part))
        else:
            _pg_dump(database, part)
        part.chmod(0o600)  # inmates' data: readable by the service account only
        _fsync(part)
        part.rename(final)
    finally:
        part.unlink(missing_ok=True)
    digest = file_sha256(final)
    checksum = checksum_path(final)
    checksum.write_text(f"{digest}  {final.name}\n")
    checksum.chmod(0o600)
    _fsync(checksum)
    return BackupFile(path=final, sha256=digest, size=final.stat().st_size)


def _pg_dump(database: dict[str, Any], out: Path) -> None:
    if shutil.which("pg_dump") is None:
        raise BackupError("pg_dump tidak ditemukan; pasang paket postgresql-client.")
    done = subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={out}"],
        env=pg_env(database),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(f"pg_dump gagal: {done.stderr.strip()}")


# --- rotation ----------------------------------------------------------------------------------


def backup_files(directory: Path) -> list[tuple[dt.datetime, Path]]:
    """The backups in `directory`, oldest first (other files are left alone)."""
    found = []
    for path in directory.iterdir() if directory.is_dir() else []:
        match = NAME_RE.match(path.name)
        if match:
            when = dt.datetime.strptime(match[1] + match[2], "%Y%m%d%H%M%S")
            found.append((when, path))
    return sorted(found)


def backups_rotate(
    *, directory: Path | None = None, keep_daily: int | None = None, keep_monthly: int | None = None
) -> list[Path]:
    """Keep the newest backup of each of the last `keep_daily` days that have one and of each of
    the last `keep_monthly` months; delete the rest (with their checksums). Returns the deleted."""
    directory = directory or backup_dir()
    daily = keep_daily if keep_daily is not None else settings.PANDAI_BACKUP_KEEP_DAILY
    monthly = keep_monthly if keep_monthly is not None else settings.PANDAI_BACKUP_KEEP_MONTHLY
    newest_of_day: dict[dt.date, Path] = {}
    newest_of_month: dict[tuple[int, int], Path] = {}
    for when, path in backup_files(directory):  # oldest first: the last one written wins
        newest_of_day[when.date()] = path
        newest_of_month[(when.year, when.month)] = path
    keep = {newest_of_day[day] for day in sorted(newest_of_day)[-daily:]} if daily > 0 else set()
    if monthly > 0:
        keep |= {newest_of_month[month] for month in sorted(newest_of_month)[-monthly:]}
    deleted = []
    for _when, path in backup_files(directory):
        if path not in keep:
            path.unlink()
            checksum_path(path).unlink(missing_ok=True)
            deleted.append(path)
    return deleted


# --- restore -----------------------------------------------------------------------------------


def checksum_verify(path: Path) -> str:
    """The file's SHA-256 when it matches its `.sha256` file; a BackupError otherwise."""
    if not path.is_file():
        raise BackupError(f"Berkas cadangan {path} tidak ada.")
    checksum = checksum_path(path)
    if not checksum.is_file():
        raise BackupError(
            f"Berkas checksum {checksum.name} tidak ada; tanpa checksum cadangan tidak dipulihkan."
        )
    expected = checksum.read_text().split()[0].lower() if checksum.read_text().strip() else ""
    actual = file_sha256(path)
    if actual != expected:
        raise BackupError(
            f"Checksum berkas cadangan tidak cocok (tercatat {expected or '-'}, dihitung "
            f"{actual}). Berkas rusak atau diubah; tidak ada yang dipulihkan dan basis data "
            "tidak diubah."
        )
    return actual


def _sqlite_is_empty(name: str) -> bool:
    path = Path(name)
    if not path.exists() or path.stat().st_size == 0:
        return True
    probe = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        (tables,) = probe.execute(
            "SELECT count(*) FROM sqlite_master WHERE type='table'"
        ).fetchone()
    finally:
        probe.close()
    return tables == 0


def _pg_is_empty(database: dict[str, Any]) -> bool:
    import psycopg

    env = pg_env(database)
    with psycopg.connect(
        host=env.get("PGHOST"),
        port=env.get("PGPORT"),
        user=env.get("PGUSER"),
        password=env.get("PGPASSWORD"),
        dbname=env.get("PGDATABASE"),
    ) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "AND n.nspname NOT LIKE 'pg_toast%' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')"
        ).fetchone()
    return row is not None and row[0] == 0


def backup_restore(*, path: Path) -> RestoreReport:
    """Restore `path` into the (empty) default database, then check the ledger and the audit
    chain. Refuses, changing nothing, a file whose checksum does not match, a backup of the
    other kind of database, and a database that is not empty."""
    path = Path(path)
    checksum_verify(path)
    database = _database()
    vendor = _vendor()
    if path.suffix == SQLITE_SUFFIX and vendor != "sqlite":
        raise BackupError("Cadangan SQLite hanya dipulihkan ke basis data SQLite.")
    if path.suffix == PG_SUFFIX and vendor != "postgresql":
        raise BackupError("Cadangan PostgreSQL hanya dipulihkan ke basis data PostgreSQL.")
    if path.suffix not in (SQLITE_SUFFIX, PG_SUFFIX):
        raise BackupError(f"{path.name} bukan berkas cadangan Pandai (.sqlite3 atau .pgdump).")
    if vendor == "sqlite":
        name = str(database["NAME"])
        if not _sqlite_is_empty(name):
            raise BackupError(
                f"Basis data {name} tidak kosong; pemulihan hanya ke basis data baru yang kosong."
            )
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        connections["default"].close()
        _sqlite_copy(str(path), name, source_read_only=True)
    else:
        if not _pg_is_empty(database):
            raise BackupError(
                f"Basis data {database['NAME']} tidak kosong; pemulihan hanya ke basis data baru "
                "yang kosong (createdb dulu)."
            )
        _pg_restore(database, path)
    connections["default"].close()
    return _verify(path)


def _pg_restore(database: dict[str, Any], path: Path) -> None:
    if shutil.which("pg_restore") is None:
        raise BackupError("pg_restore tidak ditemukan; pasang paket postgresql-client.")
    done = subprocess.run(
        [
            "pg_restore",
            "--single-transaction",  # all or nothing: a failed restore leaves the database empty
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            f"--dbname={database['NAME']}",
            str(path),
        ],
        env=pg_env(database),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(f"pg_restore gagal (tidak ada yang dipulihkan): {done.stderr.strip()}")


def _verify(path: Path) -> RestoreReport:
    from pandai.core.audit import audit_verify
    from pandai.core.models import AuditEvent
    from pandai.wallet.checks import run_checks
    from pandai.wallet.models import Account, Transfer

    report = RestoreReport(path=path)
    report.ledger_problems = [str(problem) for problem in run_checks(audit=False)]
    result = audit_verify()
    report.audit_ok = result.ok
    report.audit_summary = (
        f"{result.checked} baris cocok, hash terakhir {result.last_hash}"
        if result.ok
        else f"RUSAK di seq={result.first_bad_seq} id={result.first_bad_id}: {result.problem}"
    )
    report.rows = {
        "rekening": Account.objects.count(),
        "transaksi": Transfer.objects.count(),
        "jejak audit": AuditEvent.objects.count(),
    }
    return report

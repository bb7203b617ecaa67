"""manage.py restore FILE: restore a backup into an empty database (refusing a non-empty one
and a file whose checksum does not match), then run ledger_check and audit_verify on it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pandai.ops.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Pulihkan cadangan ke basis data kosong, lalu periksa buku besar (ledger_check) dan "
        "rantai audit (audit_verify). Menolak berkas yang checksum-nya tidak cocok."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="berkas cadangan (.sqlite3 atau .pgdump)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup_restore(path=Path(options["file"]))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"dipulihkan: {report.path.name}")
        for label, count in report.rows.items():
            self.stdout.write(f"  {label}: {count} baris")
        if report.ledger_problems:
            for problem in report.ledger_problems:
                self.stderr.write(problem)
            self.stderr.write(f"ledger_check: {len(report.ledger_problems)} masalah")
        else:
            self.stdout.write("ledger_check: OK")
        if report.audit_ok:
            self.stdout.write(f"audit_verify: OK: {report.audit_summary}")
        else:
            self.stderr.write(f"audit_verify: {report.audit_summary}")
        if not report.ok:
            raise CommandError("hasil pemulihan tidak lolos pemeriksaan", returncode=1)

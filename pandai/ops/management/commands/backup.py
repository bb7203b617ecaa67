"""manage.py backup: a consistent backup of the database while Pandai is in use, with its
SHA-256 checksum, then rotation (PANDAI_BACKUP_KEEP_DAILY / PANDAI_BACKUP_KEEP_MONTHLY)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pandai.ops.backup import BackupError, backup_create, backup_dir, backups_rotate


class Command(BaseCommand):
    help = (
        "Buat cadangan basis data yang konsisten saat Pandai dipakai (SQLite: backup API; "
        "PostgreSQL: pg_dump), dengan berkas checksum SHA-256, lalu rotasi cadangan lama."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", help="folder cadangan (default: PANDAI_BACKUP_DIR)")
        parser.add_argument("--no-rotate", action="store_true", help="jangan hapus cadangan lama")

    def handle(self, *args: Any, **options: Any) -> None:
        directory = Path(options["dir"]) if options.get("dir") else backup_dir()
        try:
            made = backup_create(directory=directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"cadangan: {made.path} ({made.size} bita)")
        self.stdout.write(f"sha256: {made.sha256}")
        if not options["no_rotate"]:
            for path in backups_rotate(directory=directory):
                self.stdout.write(f"dihapus (rotasi): {path.name}")

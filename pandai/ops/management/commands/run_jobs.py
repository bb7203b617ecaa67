"""manage.py run_jobs: run every scheduled job that is due — safe every minute from cron or a
systemd timer, and twice at once (a lease row keeps each job single; see pandai.ops.services)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from pandai.ops.selectors import job_status
from pandai.ops.services import jobs_run_due


class Command(BaseCommand):
    help = (
        "Jalankan tugas terjadwal yang sudah waktunya (batas waktu pengaduan, penahanan dan "
        "dana tertahan, pesanan koperasi, kebijakan, pemantauan, pemeriksaan malam). Aman "
        "dijalankan tiap menit dan dua kali bersamaan."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--job", action="append", dest="only", help="hanya tugas ini (boleh berulang)"
        )
        parser.add_argument(
            "--force", action="store_true", help="jalankan walau belum waktunya (kunci tetap)"
        )
        parser.add_argument("--list", action="store_true", help="tampilkan status tiap tugas")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            self._list()
            return
        try:
            results = jobs_run_due(only=options["only"], force=options["force"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        for result in results:
            where = f"@{result.site.code}" if result.site else ""
            mark = "OK" if result.ok else "GAGAL"
            line = f"{result.job}{where}: {mark}: {result.summary}"
            self.stdout.write(line) if result.ok else self.stderr.write(line)
        if any(not result.ok for result in results):
            raise CommandError("ada tugas yang gagal (lihat di atas)", returncode=1)

    def _list(self) -> None:
        for status in job_status():
            where = f"@{status.site.code}" if status.site else ""
            run = status.last_run
            last = (
                f"{timezone.localtime(run.started_at):%Y-%m-%d %H:%M} "
                f"{'OK' if run.ok else ('GAGAL' if run.ok is False else 'berjalan')}"
                if run
                else "belum pernah"
            )
            due = (
                f"{timezone.localtime(status.next_due):%Y-%m-%d %H:%M}" if status.next_due else "-"
            )
            self.stdout.write(f"{status.job}{where}: terakhir {last}; berikutnya {due}")

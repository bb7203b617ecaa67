"""manage.py complaints_tick: warn before complaint deadlines, escalate overdue items to the
head, and run the retaliation watch — safe to run every few minutes from cron or a systemd
timer, and from two places at once (each item is warned and escalated once per deadline)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pandai.complaints.services import complaints_tick
from pandai.complaints.services.retaliation import retaliation_scan


class Command(BaseCommand):
    help = (
        "Beri peringatan pengaduan yang mendekati batas waktu dan teruskan yang terlambat ke "
        "Karutan/Kalapas."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = complaints_tick()
        flags = retaliation_scan()
        self.stdout.write(
            f"{result.warned} peringatan, {result.escalated} diteruskan ke Karutan/Kalapas, "
            f"{result.flood_rows_purged} penghitung harian dihapus, "
            f"{flags} tanda pantauan pembalasan baru"
        )

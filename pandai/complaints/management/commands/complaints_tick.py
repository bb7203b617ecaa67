"""manage.py complaints_tick: warn before complaint deadlines and escalate overdue items to the
head — safe to run every few minutes from cron or a systemd timer, and from two places at
once (each item is warned and escalated once per deadline)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pandai.complaints.services import complaints_tick


class Command(BaseCommand):
    help = (
        "Beri peringatan pengaduan yang mendekati batas waktu dan teruskan yang terlambat ke "
        "Karutan/Kalapas."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = complaints_tick()
        self.stdout.write(
            f"{result.warned} peringatan, {result.escalated} diteruskan ke Karutan/Kalapas, "
            f"{result.flood_rows_purged} penghitung harian dihapus"
        )

"""manage.py townhall_tick — put policies in force on their effective date (safe every minute:
each policy is applied exactly once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pandai.townhall.services import policies_tick


class Command(BaseCommand):
    help = "Put announced policies in force on their effective date and switch their settings."

    def handle(self, *args: Any, **options: Any) -> None:
        result = policies_tick()
        for pk, error in result.failed:
            self.stderr.write(f"policy {pk}: {error}")
        self.stdout.write(f"applied {len(result.applied)}, failed {len(result.failed)}")

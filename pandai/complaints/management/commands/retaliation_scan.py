"""manage.py retaliation_scan: flag cell moves, Register F entries, blocked cards, frozen
accounts and lowered limits that happen to a complainant within the watch period — safe to
run every few minutes from cron or a systemd timer, and from two places at once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pandai.complaints.services.retaliation import retaliation_scan


class Command(BaseCommand):
    help = "Periksa kejadian yang menimpa pelapor dalam masa pantau pembalasan."

    def handle(self, *args: Any, **options: Any) -> None:
        found = retaliation_scan()
        self.stdout.write(f"{found} tanda pembalasan baru")

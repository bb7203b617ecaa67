"""manage.py shop_tick: the koperasi's periodic work, safe to run every minute (and twice at
once) from cron or a systemd timer — pre-orders from the block past their delivery deadline
expire, and the money held for them is released (each order and its hold exactly once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pandai.core.models import Site
from pandai.shop.services.preorders import preorders_expire


class Command(BaseCommand):
    help = "Kedaluwarsakan pesanan dari blok yang lewat batas antar dan lepaskan dana yang ditahan."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--site", help="kode UPT (default: semua UPT aktif)")

    def handle(self, *args: Any, **options: Any) -> None:
        sites = Site.objects.filter(is_active=True).order_by("code")
        if options.get("site"):
            sites = Site.objects.filter(code=options["site"].upper())
            if not sites.exists():
                raise CommandError(f"UPT {options['site']} tidak ditemukan")
        for site in sites:
            expired = preorders_expire(site=site)
            self.stdout.write(f"{site.code}: {expired} pesanan kedaluwarsa")

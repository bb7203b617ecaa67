"""manage.py monitoring_scan: evaluate the monitoring rules of every active site (or one) and
raise flags for the head's review queue. Safe to run often (e.g. every hour from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pandai.core.models import Site
from pandai.wallet.monitoring import monitoring_scan


class Command(BaseCommand):
    help = (
        "Jalankan aturan pemantauan (penyetor ke banyak WBP, WBP dari banyak penyetor, setoran "
        "berulang di bawah batas) dan catat tanda baru untuk ditinjau Karutan/Kalapas."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--site", help="kode UPT (default: semua UPT aktif)")

    def handle(self, *args: Any, **options: Any) -> None:
        sites = Site.objects.filter(is_active=True).order_by("code")
        if options.get("site"):
            sites = Site.objects.filter(code=options["site"].upper())
            if not sites.exists():
                raise CommandError(f"UPT {options['site']} tidak ditemukan")
        for site in sites:
            result = monitoring_scan(site=site)
            self.stdout.write(
                f"{site.code}: {len(result.raised)} tanda baru, "
                f"{len(result.extended)} tanda terbuka ditambah"
            )

"""manage.py va_create: give every active inmate of every active site (or one) a virtual
account number (docs/virtual-accounts.md). Numbers are also created on first use."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pandai.core.models import Site
from pandai.wallet.virtual_accounts import virtual_accounts_create


class Command(BaseCommand):
    help = "Buat nomor rekening virtual (VA) untuk semua WBP aktif yang belum punya."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--site", help="kode UPT (default: semua UPT aktif)")

    def handle(self, *args: Any, **options: Any) -> None:
        sites = Site.objects.filter(is_active=True).order_by("code")
        if options.get("site"):
            sites = Site.objects.filter(code=options["site"].upper())
            if not sites.exists():
                raise CommandError(f"UPT {options['site']} tidak ditemukan")
        for site in sites:
            created = virtual_accounts_create(site=site)
            self.stdout.write(f"{site.code}: {created} nomor VA baru")

"""manage.py ledger_tick: the ledger's periodic work, safe to run every minute from cron or a
systemd timer — expire holds past their deadline, move HELD money (deposits that arrived
over the balance cap) into SPENDABLE where the balance has room, oldest first, and add the
increments waiting for shared accounts (AccountDelta) to them."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pandai.core.models import Site
from pandai.wallet import services


class Command(BaseCommand):
    help = (
        "Kedaluwarsakan penahanan yang lewat batas waktu dan pindahkan uang titipan yang "
        "tertahan (di atas batas saldo) ke saldo bila sudah ada ruang."
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
            expired = services.holds_expire(site=site)
            released = services.cap_rebalance_site(site=site)
            applied = services.deltas_apply(site=site)
            self.stdout.write(
                f"{site.code}: {expired} penahanan kedaluwarsa, {released} pelepasan dana "
                f"tertahan, {applied} tambahan rekening bersama dibukukan"
            )

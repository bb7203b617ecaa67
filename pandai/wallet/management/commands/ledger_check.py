"""manage.py ledger_check: verify the ledger's invariants and the audit chain."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pandai.core.models import Site
from pandai.wallet.checks import run_checks


class Command(BaseCommand):
    help = (
        "Periksa buku besar: batch seimbang, total rekening = jumlah transaksi, tidak ada saldo "
        "WBP di bawah nol, hold selesai sekali, batas belanja, rekening tertutup, kunci "
        "idempotensi, dan rantai audit. Keluar dengan kode 1 bila ada masalah."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--site", help="kode UPT (default: semua)")
        parser.add_argument("--no-audit", action="store_true", help="lewati rantai audit")

    def handle(self, *args: Any, **options: Any) -> None:
        site = None
        if options.get("site"):
            site = Site.objects.filter(code=options["site"].upper()).first()
            if site is None:
                raise CommandError(f"UPT {options['site']} tidak ditemukan")
        problems = run_checks(site=site, audit=not options["no_audit"])
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            self.stderr.write(f"ledger_check: {len(problems)} masalah")
            sys.exit(1)
        self.stdout.write("ledger_check: OK")

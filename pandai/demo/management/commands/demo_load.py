"""`manage.py demo_load [--if-empty]`: load the demo sites, staff, inmates, cards and PINs."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pandai.core.models import Site
from pandai.demo.build import demo_load
from pandai.demo.staff import SITES

# Photo files the demo writes: "<site code>-<inmate id>[_suffix].jpg".
_CODES = "|".join(str(s["code"]) for s in SITES)
_DEMO_PHOTO = re.compile(rf"^({_CODES})-\d+(_\w+)?\.jpg$")


class Command(BaseCommand):
    help = "Memuat data demo (Rutan Kelas IIB Blora dan Lapas Kelas IIA Semarang)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Tidak melakukan apa-apa bila sudah ada UPT di basis data.",
        )
        parser.add_argument(
            "--inmates", type=int, default=300, help="Jumlah WBP di Rutan Blora (bawaan 300)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if Site.objects.exists():
            if options["if_empty"]:
                self.stdout.write("Data sudah ada; data demo tidak dimuat ulang.")
                return
            raise CommandError(
                "Basis data sudah berisi UPT. Untuk memuat ulang data demo: make demo "
                "(menghapus basis data SQLite di var/)."
            )
        self._remove_stale_photos()
        started = time.monotonic()
        self.stdout.write("Memuat data demo…")
        ctx = demo_load(inmate_count=options["inmates"], log=self.stdout.write)
        held = sum(len(v) for v in ctx.inmates.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Selesai dalam {time.monotonic() - started:.1f} detik: {len(ctx.sites)} UPT, "
                f"{len(ctx.staff)} petugas, {held} WBP aktif."
            )
        )

    def _remove_stale_photos(self) -> None:
        """Photos left by an earlier demo database: nothing refers to them any more (there is
        no site), and leaving them would make every new photo file get a suffixed name."""
        folder = Path(settings.MEDIA_ROOT) / "inmates" / "photos"
        if folder.is_dir():
            for path in folder.iterdir():
                if _DEMO_PHOTO.match(path.name):
                    path.unlink()

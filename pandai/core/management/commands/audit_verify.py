"""`manage.py audit_verify`: seal pending rows, walk the audit chain, name the first bad row."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pandai.core.audit import audit_verify


class Command(BaseCommand):
    help = "Memeriksa rantai jejak audit dari awal; menyebut baris pertama yang rusak."

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit_verify()
        if result.ok:
            self.stdout.write(
                self.style.SUCCESS(f"OK: {result.checked} baris, hash terakhir {result.last_hash}")
            )
            return
        seq = result.first_bad_seq if result.first_bad_seq is not None else "-"
        self.stderr.write(
            f"RUSAK: baris seq={seq} id={result.first_bad_id}: {result.problem} "
            f"({result.checked} baris sebelumnya cocok, hash terakhir yang sah {result.last_hash})"
        )
        raise CommandError("rantai audit tidak utuh", returncode=1)

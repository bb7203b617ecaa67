"""`manage.py demo_logins`: the demo staff logins and a few demo cards with their PINs."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pandai.core.models import Membership
from pandai.demo.context import DEMO_CARDS, DEMO_PASSWORD, DEMO_URL
from pandai.demo.staff import REGIONAL, STAFF
from pandai.inmates.models import Card, CardStatus


class Command(BaseCommand):
    help = "Menampilkan akun demo (semua peran) dan beberapa kartu demo beserta PIN-nya."

    def handle(self, *args: Any, **options: Any) -> None:
        out = self.stdout.write
        out("")
        out(f"Pandai berjalan di {DEMO_URL}")
        out(f"Kata sandi semua akun demo: {DEMO_PASSWORD}")
        out("")
        usernames = [s[0] for s in STAFF] + [REGIONAL[0]]
        roles: dict[str, list[str]] = {name: [] for name in usernames}
        for m in (
            Membership.objects.filter(user__username__in=usernames, user__is_active=True)
            .select_related("user", "site")
            .order_by("site__code", "role")
        ):
            roles[m.user.username].append(f"{m.get_role_display()} @ {m.site.code}")
        out(f"  {'Nama pengguna':<14} {'Peran':<48} Kata sandi")
        out(f"  {'-' * 14} {'-' * 48} {'-' * 16}")
        for name in usernames:
            if roles[name]:
                out(f"  {name:<14} {', '.join(roles[name]):<48} {DEMO_PASSWORD}")
        if not any(roles.values()):
            out("  (belum ada data demo: jalankan `manage.py demo_load`)")
        out("")
        out("Kartu demo (ketik UID di kolom cari, lalu Enter, seperti pembaca kartu):")
        out(f"  {'UID':<16} {'PIN':<7} {'WBP':<44} Keterangan")
        out(f"  {'-' * 16} {'-' * 7} {'-' * 44} {'-' * 20}")
        cards = {
            c.uid: c
            for c in Card.objects.filter(
                uid__in=[d.uid for d in DEMO_CARDS], status=CardStatus.ACTIVE
            ).select_related("inmate", "site")
        }
        for demo in DEMO_CARDS:
            card = cards.get(demo.uid)
            if card is None:
                continue
            who = f"{card.inmate.full_name} ({card.inmate.reg_no}, {card.site.code})"
            out(f"  {demo.uid:<16} {demo.pin:<7} {who:<44} {demo.note}")
        out("")

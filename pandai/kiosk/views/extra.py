"""Menu tiles of the screens that come from other domain apps: the town hall's rules and
announcements and its sessions, and the programmes."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _


def extra_tiles() -> list[dict[str, Any]]:
    return [
        {"url": reverse("kiosk:rules"), "icon": "megaphone", "label": _("Aturan & pengumuman")},
        {"url": reverse("kiosk:sessions"), "icon": "people", "label": _("Sosialisasi")},
        {"url": reverse("kiosk:programmes"), "icon": "sprout", "label": _("Pembinaan")},
    ]

"""Menu tiles of the screens that come from other domain apps (programmes). The town hall's
screens (rules and announcements, sessions) are not on the kiosk yet."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _


def extra_tiles() -> list[dict[str, Any]]:
    return [{"url": reverse("kiosk:programmes"), "icon": "sprout", "label": _("Pembinaan")}]

"""Kiosk template tags: `{% kicon "wallet" %}` draws one of the kiosk's own line icons (inline
SVG, no external asset), and `category_icon` picks the icon of a complaint category code."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# 24x24 line drawings (stroke = currentColor, so they follow the high-contrast text colour).
ICONS: dict[str, str] = {
    "wallet": '<rect x="2" y="6" width="20" height="14" rx="2"/><path d="M2 10h20M16 15h2"/>'
    '<path d="M5 6l11-4 2 4"/>',
    "cart": '<path d="M2 3h3l3 12h11l2-8H7"/><circle cx="10" cy="20" r="1.5"/>'
    '<circle cx="17" cy="20" r="1.5"/>',
    "chat": '<path d="M3 4h18v12H8l-5 4z"/><path d="M7 9h10M7 12h6"/>',
    "board": '<rect x="3" y="3" width="18" height="18" rx="2"/><path d="M7 8h10M7 12h10M7 16h6"/>',
    "book": '<path d="M4 4h7a2 2 0 0 1 2 2v14a2 2 0 0 0-2-2H4zM20 4h-5a2 2 0 0 0-2 2v14'
    'a2 2 0 0 1 2-2h5z"/>',
    "people": '<circle cx="8" cy="8" r="3"/><circle cx="17" cy="9" r="2.5"/>'
    '<path d="M2 20c0-4 3-6 6-6s6 2 6 6M14 20c0-3 2-5 4-5s4 2 4 5"/>',
    "sprout": '<path d="M12 21V11M12 11c0-4-3-7-8-7 0 5 3 7 8 7zM12 13c0-4 3-6 8-6 0 4-3 6-8 6z"/>',
    "power": '<path d="M12 2v10"/><path d="M6 6a8 8 0 1 0 12 0"/>',
    "speaker": '<path d="M3 9h4l5-4v14l-5-4H3z"/>'
    '<path d="M16 8a5 5 0 0 1 0 8M19 5a9 9 0 0 1 0 14"/>',
    "card": '<rect x="2" y="5" width="20" height="14" rx="2"/><path d="M2 10h20M6 15h4"/>',
    "back": '<path d="M15 4l-8 8 8 8"/>',
    "home": '<path d="M3 11l9-8 9 8"/><path d="M5 10v10h14V10"/>',
    "search": '<circle cx="10" cy="10" r="6"/><path d="M15 15l6 6"/>',
    "check": '<path d="M4 12l5 5L20 6"/>',
    "x": '<path d="M5 5l14 14M19 5L5 19"/>',
    "lock": '<rect x="4" y="10" width="16" height="11" rx="2"/><path d="M8 10V7a4 4 0 0 1 8 0v3"/>',
    "star": '<path d="M12 2l3 7 7 .6-5.3 4.6L18.4 22 12 18l-6.4 4 1.7-7.8L2 9.6 9 9z"/>',
    "clock": '<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 3"/>',
    "receipt": '<path d="M5 2h14v20l-3-2-2 2-2-2-2 2-2-2-3 2z"/><path d="M8 7h8M8 11h8M8 15h5"/>',
    "plus": '<path d="M12 5v14M5 12h14"/>',
    "minus": '<path d="M5 12h14"/>',
    "user": '<circle cx="12" cy="8" r="4"/><path d="M4 21c0-4 4-7 8-7s8 3 8 7"/>',
    "shield": '<path d="M12 2l8 3v6c0 5-3.5 9-8 11-4.5-2-8-6-8-11V5z"/>',
    "mask": '<path d="M3 8c3-2 15-2 18 0 0 6-3 9-9 9S3 14 3 8z"/><path d="M7 11h3M14 11h3"/>',
    "bulb": '<path d="M9 18h6M10 21h4"/>'
    '<path d="M12 3a6 6 0 0 0-4 10.5V16h8v-2.5A6 6 0 0 0 12 3z"/>',
    "info": '<circle cx="12" cy="12" r="9"/><path d="M12 11v6M12 7v.5"/>',
    "alert": '<path d="M12 3l10 18H2z"/><path d="M12 10v5M12 18v.5"/>',
    "food": '<path d="M4 3v8a3 3 0 0 0 6 0V3M7 3v18M17 21V3c-2 0-4 3-4 8h4"/>',
    "health": '<path d="M9 3h6v6h6v6h-6v6H9v-6H3V9h6z"/>',
    "visit": '<path d="M3 21V9l9-6 9 6v12"/><path d="M9 21v-6h6v6"/>',
    "broom": '<path d="M14 3l-4 10M6 13h8l2 8H4z"/>',
    "scale": '<path d="M12 3v18M5 21h14M4 8h16M4 8l-2 6a3 3 0 0 0 6 0zM20 8l-2 6a3 3 0 0 0 6 0z"/>',
    "badge": '<circle cx="12" cy="9" r="6"/><path d="M8 14l-2 8 6-3 6 3-2-8"/>',
    "tag": '<path d="M3 3h8l10 10-8 8L3 11z"/><circle cx="7.5" cy="7.5" r="1.5"/>',
    "keyboard": '<rect x="2" y="6" width="20" height="12" rx="2"/>'
    '<path d="M6 10h1M10 10h1M14 10h1M18 10h1M7 14h10"/>',
    "refresh": '<path d="M20 11a8 8 0 1 0-2.3 5.7"/><path d="M20 4v7h-7"/>',
    "megaphone": '<path d="M3 10v4h3l9 5V5L6 10z"/><path d="M6 14l1.5 6h3L9 15.5"/>'
    '<path d="M18 9a4 4 0 0 1 0 6"/>',
    "thumb": '<path d="M7 11v10H3V11z"/><path d="M7 11l4-8a2 2 0 0 1 3 2l-1 5h6a2 2 0 0 1 2 '
    '2.3l-1.4 7A2 2 0 0 1 17.6 21H7"/>',
    "printer": '<path d="M6 9V3h12v6"/><rect x="3" y="9" width="18" height="8" rx="1"/>'
    '<path d="M7 14h10v7H7z"/>',
}

CATEGORY_ICONS = {
    "makanan": "food",
    "kesehatan": "health",
    "kunjungan": "visit",
    "koperasi": "cart",
    "keamanan": "shield",
    "kebersihan": "broom",
    "pembinaan": "sprout",
    "hak-wbp": "scale",
    "petugas": "badge",
}


@register.simple_tag
def kicon(name: str, size: int = 40) -> SafeString:
    body = ICONS.get(name, ICONS["tag"])
    return format_html(
        '<svg class="k-icon" width="{}" height="{}" viewBox="0 0 24 24" fill="none" '
        'stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" '
        'aria-hidden="true" focusable="false">{}</svg>',
        size,
        size,
        mark_safe(body),  # noqa: S308 - our own constant drawings above
    )


@register.filter
def category_icon(code: str) -> str:
    return CATEGORY_ICONS.get(code, "tag")

"""Pandai's template filters: `{% load pandai %}{{ amount_rp|rupiah }}`."""

from __future__ import annotations

from django import template

from pandai.core.money import format_rp

register = template.Library()


@register.filter
def rupiah(amount_rp: object, sign: bool = False) -> str:
    """Rp1.234.567; `|rupiah:True` shows "+" on credits. Empty for None or a non-integer value,
    so a template never shows a wrong amount (floats and strings are not money here)."""
    if amount_rp is None or isinstance(amount_rp, bool) or not isinstance(amount_rp, int):
        return ""
    return format_rp(amount_rp, sign=bool(sign))

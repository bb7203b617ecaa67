"""What every kiosk screen renders with: the signed-in person, the idle timer, the speaker."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render

from pandai.kiosk import session, tts
from pandai.kiosk.access import KioskRequest


def first_name(full_name: str) -> str:
    return (full_name or "").split(" ")[0]


def page(
    request: KioskRequest,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    speech: str = "",
    status: int = 200,
) -> HttpResponse:
    """Render a kiosk screen. `speech` is its main text read aloud by the speaker button."""
    ctx = {
        "kiosk_user": getattr(request, "kiosk_user", None),
        "idle_seconds": session.idle_seconds(),
        "speech_url": tts.register(request, speech) if speech else None,
        **(context or {}),
    }
    return render(request, template, ctx, status=status)

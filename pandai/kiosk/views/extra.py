"""Menu tiles of the screens that come from the town-hall and programmes apps."""

from __future__ import annotations

from typing import Any


def extra_tiles() -> list[dict[str, Any]]:
    return []

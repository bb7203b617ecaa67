"""Why the shop refused something: a stable `code` (API, tests) and a message in the user's
language with the figures that matter. A refusal changes nothing."""

from __future__ import annotations

from typing import Any


class ShopError(ValueError):
    def __init__(self, code: str, message: str, **figures: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.figures = figures

    def __str__(self) -> str:
        return self.message

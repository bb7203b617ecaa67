"""Why a sosialisasi action was refused: a stable `code` (tests, API) and a translated message."""

from __future__ import annotations


class TownhallError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message

"""The one exception the importer raises: a French message for the person who gave the file."""

from __future__ import annotations


class AnnexError(Exception):
    """The annex could not be imported. ``message`` is in French; ``line`` points at the culprit when known."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        return self.message

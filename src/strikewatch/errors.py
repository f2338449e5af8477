"""The exception tree. The CLI turns any ``StrikewatchError`` into one sentence on stderr.

StrikewatchError
├── UserError          a mistake in what the user asked for (bad flag value, missing file)
├── DocumentError      one document could not be read; the batch goes on without it
└── StoreError         the database could not be opened or written
"""

from __future__ import annotations


class StrikewatchError(Exception):
    """Base class; ``str(error)`` is one sentence that says what to do."""


class UserError(StrikewatchError):
    pass


class DocumentError(StrikewatchError):
    """A document that cannot be read. ``source`` names it for the error line."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.message = message


class StoreError(StrikewatchError):
    pass

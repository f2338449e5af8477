"""The exception tree. The CLI turns any ``StrikewatchError`` into one sentence on stderr.

StrikewatchError
├── UserError          a mistake in what the user asked for (bad flag value, missing file)
├── DocumentError      one document could not be read; the batch goes on without it
└── StoreError         the database could not be opened or written
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


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


def describe(exc: BaseException) -> str:
    """``Type: first line of the message``, for a failure that has no sentence of its own."""
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text.splitlines()[0]}" if text else type(exc).__name__


@contextmanager
def bad_document(source: str, wording: str = "could not be read ({error}).") -> Iterator[None]:
    """Turn whatever one document's reading, extraction or storing raises into that document's
    ``DocumentError``, so the batch goes on without it: **the one place** a bad document is reported and
    skipped (reading in ``strikewatch.ingest``, extraction and storing in ``strikewatch.pipeline``).

    ``wording`` formats ``{error}`` (``describe(exc)``) and ``{kind}`` (the exception's type name). A
    ``StoreError`` (the database down, locked or full) is never one document's fault and passes through,
    as do ``BaseException``s (Ctrl-C, a time budget running out)."""
    try:
        yield
    except (DocumentError, StoreError):
        raise
    except StrikewatchError as exc:
        raise DocumentError(source, str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - the one report-and-skip guard of a document (see docstring)
        raise DocumentError(source, wording.format(error=describe(exc), kind=type(exc).__name__)) from None

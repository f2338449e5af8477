"""Bounds on the work one document may cost: its text, each PDF page, and the time spent reading and
extracting it. A document past a bound fails alone with one clear line; the batch goes on.

The time budget counts the process's CPU seconds (``ITIMER_PROF``, so a machine busy with other work does
not fail documents) and is delivered as a signal in the main thread: it interrupts pure-Python code and
spaCy's tokenizer alike (a text of ``'[' * n + ']' * n`` is quadratic in it). Elsewhere (a Dask worker's
thread, Windows) documents run without a budget. ``STRIKEWATCH_DOC_SECONDS`` sets it (0 turns it off).
Waiting on the network is bounded by the fetcher's own timeouts instead.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator

MAX_TEXT_CHARS = 5_000_000  # characters of text one document may hold once extracted (~1,000 articles)
MAX_PAGE_CHARS = 200_000  # characters one PDF page may contribute (a dense page holds ~10,000)
# characters of a document id (given on a .jsonl line, or a parent id): the same on both back ends; 512
# characters of up to 4 UTF-8 bytes each stay under PostgreSQL's 2,704-byte limit on a unique index key
MAX_ID_CHARS = 512
CHUNK_CHARS = 200_000  # texts longer than this are read by the NLP pipeline in pieces of about this size
DEFAULT_DOC_SECONDS = 120.0


class BudgetExceeded(BaseException):  # noqa: N818 - not an Exception, so no blanket `except` swallows it
    """Raised by the timer's signal when a document runs past its time budget."""


def doc_seconds() -> float | None:
    """The time budget per document in seconds, or None when it is off."""
    raw = os.environ.get("STRIKEWATCH_DOC_SECONDS", "")
    try:
        value = float(raw) if raw.strip() else DEFAULT_DOC_SECONDS
    except ValueError:
        value = DEFAULT_DOC_SECONDS
    return value if value > 0 else None


def _alarm(_signum: int, _frame: object) -> None:
    raise BudgetExceeded()


@contextlib.contextmanager
def time_budget(seconds: float | None = None) -> Iterator[None]:
    """Raise ``BudgetExceeded`` inside the block once ``seconds`` (default ``doc_seconds()``; 0: none)
    have passed. Nested budgets leave the outer one in charge; off the main thread this does nothing.
    """
    seconds = doc_seconds() if seconds is None else seconds
    usable = (bool(seconds) and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable or signal.getitimer(signal.ITIMER_PROF)[0] > 0:
        yield
        return
    previous = signal.signal(signal.SIGPROF, _alarm)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def over_budget_message(what: str = "read") -> str:
    seconds = doc_seconds() or DEFAULT_DOC_SECONDS
    return (f"took more than {seconds:g} CPU seconds to {what} and was stopped (the time budget for one "
            "document; set STRIKEWATCH_DOC_SECONDS to change it).")


def chunks(text: str, size: int = CHUNK_CHARS) -> list[tuple[int, str]]:
    """``text`` cut into pieces of at most about ``size`` characters, each with its offset, at a paragraph
    break, else a line break, else a sentence end or a space, near the end of each piece; pieces put
    back together are the text."""
    if len(text) <= size:
        return [(0, text)]
    out = []
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            window = text[start + size // 2:end]
            for sep in ("\n\n", "\n", ". ", " "):
                at = window.rfind(sep)
                if at >= 0:
                    end = start + size // 2 + at + len(sep)
                    break
        out.append((start, text[start:end]))
        start = end
    return out

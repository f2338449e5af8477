"""extract stage: from a ``Document`` to its events (``records.Event``) and negative reports.

The entry point is ``strikewatch.pipeline.extract_document``; ``extract_events`` here is the same
function without the pipeline's batching. Submodules: ``nlp`` (the spaCy pipeline), ``lexicon`` (the data
files), ``events`` (the rules), ``strikes`` (strike-release clauses), ``places``, ``attribution``,
``timex`` and ``numbers`` (time and counts). Imported lazily so ``strikewatch.extract.timex`` alone does
not load spaCy.
"""

from __future__ import annotations

from typing import Any

__all__ = ["extract_events"]


def __getattr__(name: str) -> Any:
    if name == "extract_events":
        from strikewatch.extract.events import extract_events

        return extract_events
    raise AttributeError(name)

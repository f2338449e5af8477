"""extract stage: from a ``Document`` to its events (``records.Event``) and negative reports.

The entry point is ``strikewatch.pipeline.extract_document``; ``extract_events`` here is the same
function without the pipeline's batching. Submodules: ``nlp`` (the spaCy pipeline), ``lexicon`` (the data
files), ``events`` (the rules), ``strikes`` (strike-release clauses), ``places``, ``attribution``,
``timex`` and ``numbers`` (time and counts). Imported lazily so ``strikewatch.extract.timex`` alone does
not load spaCy.
"""

from __future__ import annotations

import sys
import types
from typing import Any

__all__ = ["extract_events"]


def _defer_spacy_cli() -> None:
    """Keep ``import spacy`` from importing spaCy's command line (typer, weasel, httpx, every command:
    a quarter of a CPU-second of each start-up), which the extractor never uses. ``spacy/__init__`` only
    binds ``spacy.info`` from it; until something asks for more, ``spacy.cli`` is a stand-in whose first
    attribute access imports the real package in its place."""
    if "spacy" in sys.modules or "spacy.cli" in sys.modules:
        return

    class _Deferred(types.ModuleType):
        def __getattr__(self, name: str) -> Any:
            if name.startswith("__"):  # looked up by tools that scan modules (__file__, __wrapped__ ...)
                raise AttributeError(name)
            for stub in ("spacy.cli.info", "spacy.cli"):
                if isinstance(sys.modules.get(stub), _Deferred):
                    del sys.modules[stub]
            import importlib

            real = importlib.import_module(self.__name__)
            if self.__name__ == "spacy.cli" and "spacy" in sys.modules:
                sys.modules["spacy"].cli = real
            return getattr(real, name)

    def info(*args: Any, **kwargs: Any) -> Any:
        from spacy.cli.info import info as real

        return real(*args, **kwargs)

    cli, cli_info = _Deferred("spacy.cli"), _Deferred("spacy.cli.info")
    cli.__path__ = []  # a package, so that ``spacy.cli.info`` is looked up in sys.modules
    cli_info.info = info
    sys.modules["spacy.cli"], sys.modules["spacy.cli.info"] = cli, cli_info


_defer_spacy_cli()


def __getattr__(name: str) -> Any:
    if name == "extract_events":
        from strikewatch.extract.events import extract_events

        return extract_events
    raise AttributeError(name)

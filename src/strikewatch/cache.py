"""Where the per-user caches live (the gazetteer's index, compiled regular expressions).

``STRIKEWATCH_CACHE`` names the folder; ``off`` disables caching; the default is
``$XDG_CACHE_HOME/strikewatch`` (``~/.cache/strikewatch``).
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path | None:
    value = os.environ.get("STRIKEWATCH_CACHE")
    if value == "off":
        return None
    if value:
        return Path(value)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "strikewatch"

"""``yaml.safe_load`` through libyaml's parser when PyYAML has it (the same data, 5-30x less CPU: the
pure-Python parser took over 0.2 CPU-s of every extraction's start-up on the lexicon files).

Modules import it as ``from strikewatch import fastyaml as yaml`` and call ``yaml.safe_load``.
"""

from __future__ import annotations

from typing import Any

import yaml as _yaml

_LOADER = getattr(_yaml, "CSafeLoader", _yaml.SafeLoader)


def safe_load(stream: Any) -> Any:
    """Parse one YAML document with the safe loader."""
    return _yaml.load(stream, Loader=_LOADER)  # noqa: S506 - a safe loader either way

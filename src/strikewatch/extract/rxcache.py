"""Compiled regular expressions kept across processes: the lexicon's few hundred alternations of words
took 0.2 CPU-s of every start-up to compile (Python's ``re`` parses and compiles in Python).

``compile`` gives the very pattern ``re.compile`` gives (it runs the same two steps, ``re._parser.parse``
and ``re._compiler._code``, then ``_sre.compile``), and keeps the compiled program of each (pattern, flags)
in a file of the cache folder, keyed by the interpreter and the regex engine's version. A later process
hands the stored program to ``_sre.compile`` directly. Anything unexpected (another interpreter, a damaged
file) falls back to ``re.compile``.
"""

from __future__ import annotations

import marshal
import os
import re
import sys
import threading
from typing import Any

try:  # CPython's regex engine and compiler; elsewhere every pattern is compiled by ``re``
    import _sre
    from re import _compiler, _parser

    _VERSION = ".".join(map(str, sys.version_info[:3]))
    _TAG = f"{sys.implementation.cache_tag}-{_sre.MAGIC}-{_sre.CODESIZE}-{_VERSION}"
except (ImportError, AttributeError):  # pragma: no cover - not CPython
    _sre = None
    _TAG = None

_LIMIT = 5_000  # patterns kept in the file (a changed lexicon adds new ones; old ones are dropped)
_lock = threading.Lock()
_table: dict[tuple[str, int], tuple] | None = None
_used: dict[tuple[str, int], tuple] = {}
_dirty = False


def _path() -> Any:
    from strikewatch.cache import cache_dir

    folder = cache_dir()
    return None if folder is None or _TAG is None else folder / f"regex-{_TAG}.marshal"


def _stored() -> dict[tuple[str, int], tuple]:
    global _table
    if _table is None:
        _table = {}
        path = _path()
        if path is not None:
            try:
                got = marshal.loads(path.read_bytes())
                if isinstance(got, dict):
                    _table = got
            except (OSError, EOFError, ValueError, TypeError):
                pass
    return _table


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:  # noqa: A001 - the name re gives it
    """``re.compile(pattern, flags)``, from the stored program when there is one."""
    global _dirty
    if _sre is None:
        return re.compile(pattern, flags)
    flags = int(flags)
    k = (pattern, flags)
    with _lock:
        got = _stored().get(k)
    if got is not None:
        try:
            out = _sre.compile(pattern, *got)
            _used[k] = got
            return out
        except (TypeError, ValueError, RuntimeError):
            pass
    if flags & (re.DEBUG | re.TEMPLATE):
        return re.compile(pattern, flags)
    p = _parser.parse(pattern, flags)
    code = [int(c) for c in _compiler._code(p, flags)]  # opcodes are int subclasses
    groupindex = p.state.groupdict
    indexgroup = [None] * p.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    args = (int(flags | p.state.flags), code, p.state.groups - 1, dict(groupindex), tuple(indexgroup))
    out = _sre.compile(pattern, *args)
    with _lock:
        _used[k] = args
        _stored()[k] = args
        _dirty = True
    return out


def save() -> None:
    """Write the programs compiled since the file was read (nothing when every pattern was stored)."""
    global _dirty
    path = _path()
    if not _dirty or path is None:
        return
    with _lock:
        table = _stored()
        if len(table) > _LIMIT:  # keep what this process used
            table = dict(_used)
        data = marshal.dumps(table)
        _dirty = False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError:
        pass  # a read-only home: compiled again next time

"""The gazetteer's cached index as an SQLite file that is read on demand.

Unpickling the whole index built a few hundred thousand Python objects (places, name entries, fuzzy
tables) before the first query: 0.6 CPU-s of every command's start-up. Here each name key's entries,
each place and each place's scoring facts are one row, read and turned into objects the first time a
query asks for them (and kept); the fuzzy tables, needed only when nothing matched by key, are one blob
each, read on their first use. A process that geocodes a few names reads a few rows.

The file is written once per index (``gazetteer._write_cache``) and never changed afterwards (a new
index is a new file, renamed into place), so it is opened read-only and immutable.
"""

from __future__ import annotations

import marshal
import os
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any

from strikewatch.geo.gazetteer import Choices, Gazetteer, Place, _Entry

FORMAT = "3"
_KINDS = ("exact", "skel", "loose", "qualified")
_PLACE_FIELDS = tuple(f.name for f in fields(Place))
_FUZZY = ("fuzzy_strings", "fuzzy_entries", "fuzzy_block", "by_admin1")
_MISS = object()


def _entries(entries: list[_Entry]) -> bytes:
    return marshal.dumps([(e.place, e.trust, e.name, e.soft) for e in entries])


def _ckey(key: tuple) -> str:
    """A fuzzy-table key ((first consonant, country) or (governorate, first consonant)) as text."""
    return "\x1f".join("n" if x is None else "s" + x for x in key)


def _unckey(text: str) -> tuple:
    return tuple(None if x == "n" else x[1:] for x in text.split("\x1f"))


def write(path: Path, gaz: Gazetteer) -> None:
    """Write ``gaz`` (a built, in-memory index) to ``path`` (a new file)."""
    db = sqlite3.connect(path)
    try:
        db.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
            "CREATE TABLE meta (k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID;"
            "CREATE TABLE keys (kind INTEGER, k TEXT, v BLOB, PRIMARY KEY (kind, k)) WITHOUT ROWID;"
            "CREATE TABLE places (i INTEGER PRIMARY KEY, v BLOB);"
            "CREATE TABLE statics (i INTEGER PRIMARY KEY, v BLOB);"
            "CREATE TABLE fuzzy (i INTEGER PRIMARY KEY, v BLOB);"
            "CREATE TABLE choices (kind INTEGER, k TEXT, v BLOB, PRIMARY KEY (kind, k)) WITHOUT ROWID;")
        db.executemany("INSERT INTO fuzzy VALUES (?, ?)",
                       ((i, _entries(es)) for i, es in enumerate(gaz.fuzzy_entries)))
        for kind, table in enumerate((gaz._blocks, gaz._admin1_choices)):
            db.executemany("INSERT INTO choices VALUES (?, ?, ?)",
                           ((kind, _ckey(k), marshal.dumps((c.strings, c.lengths, c.positions)))
                            for k, c in (table or {}).items()))
        settled = gaz.derived.get("by_admin1")
        if settled is not None:
            at = {id(p): i for i, p in enumerate(gaz.places)}
            settled = {k: [at[id(p)] for p in ps] for k, ps in settled.items()}
        for kind, name in enumerate(_KINDS):
            table = getattr(gaz, name)
            db.executemany("INSERT INTO keys VALUES (?, ?, ?)",
                           ((kind, k, _entries(v)) for k, v in table.items() if v))
        db.executemany("INSERT INTO places VALUES (?, ?)",
                       ((i, marshal.dumps(tuple(getattr(p, f) for f in _PLACE_FIELDS)))
                        for i, p in enumerate(gaz.places)))
        statics = gaz.derived.get("static")
        if statics is not None:
            names = tuple(f.name for f in fields(statics[0])) if statics else ()
            db.executemany("INSERT INTO statics VALUES (?, ?)",
                           ((i, marshal.dumps(tuple(getattr(s, f) for f in names)))
                            for i, s in enumerate(statics)))
        meta = {
            "format": FORMAT.encode(),
            "places": marshal.dumps((_PLACE_FIELDS, len(gaz.places))),
            # every place at once, for the few uses that walk them all (one read, not 36,000)
            "all_places": marshal.dumps([tuple(getattr(p, f) for f in _PLACE_FIELDS) for p in gaz.places]),
            "sizes": marshal.dumps({n: sum(1 for v in getattr(gaz, n).values() if v) for n in _KINDS}),
            "statics": marshal.dumps(None if statics is None else len(statics)),
            "admin": marshal.dumps((dict(gaz.admin1_names), dict(gaz.admin2_names))),
            "fuzzy": marshal.dumps((gaz.fuzzy_strings, gaz.fuzzy_block, gaz.by_admin1)),
            "n_fuzzy": marshal.dumps(len(gaz.fuzzy_entries)),
            "choices": marshal.dumps((gaz._blocks is not None, gaz._admin1_choices is not None)),
            "skel_softs": marshal.dumps(gaz.derived.get("skel_softs")),
            "settled": marshal.dumps(settled),
        }
        db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        db.commit()
    finally:
        db.close()


class _Rows:
    """Read-only queries on one index file; one connection per process (a forked child opens its own),
    shared by threads under a lock."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = threading.Lock()
        self.pid = -1
        self.db: sqlite3.Connection | None = None
        self.one("SELECT v FROM meta WHERE k = 'format'")  # open now: a bad file fails here

    def _conn(self) -> sqlite3.Connection:
        if self.db is None or self.pid != os.getpid():
            uri = f"{self.path.resolve().as_uri()}?mode=ro&immutable=1"
            self.db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self.pid = os.getpid()
        return self.db

    def one(self, sql: str, args: tuple = ()) -> Any:
        with self.lock:
            row = self._conn().execute(sql, args).fetchone()
        return None if row is None else row[0]

    def all(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self.lock:
            return self._conn().execute(sql, args).fetchall()

    def meta(self, name: str) -> Any:
        raw = self.one("SELECT v FROM meta WHERE k = ?", (name,))
        if raw is None:
            raise KeyError(name)
        return marshal.loads(raw)


def _make_entries(raw: list[tuple]) -> list[_Entry]:
    return [_Entry(p, t, n, s) for p, t, n, s in raw]


class _KeyIndex(Mapping):
    """One of the name-key tables (exact, skel, loose, qualified): key -> list of entries, read per key."""

    def __init__(self, rows: _Rows, kind: int, size: int) -> None:
        self._rows, self._kind, self._size = rows, kind, size
        self._got: dict[str, list[_Entry] | None] = {}

    def get(self, k: str, default: Any = None) -> Any:
        got = self._got.get(k, _MISS)
        if got is _MISS:
            raw = self._rows.one("SELECT v FROM keys WHERE kind = ? AND k = ?", (self._kind, k))
            got = None if raw is None else _make_entries(marshal.loads(raw))
            if len(self._got) < 500_000:
                self._got[k] = got
        return default if got is None else got

    def __getitem__(self, k: str) -> list[_Entry]:
        got = self.get(k)
        if got is None:
            raise KeyError(k)
        return got

    def __contains__(self, k: object) -> bool:
        return isinstance(k, str) and self.get(k) is not None

    def __iter__(self) -> Iterator[str]:
        keys = self._rows.all("SELECT k FROM keys WHERE kind = ? ORDER BY k", (self._kind,))
        return iter([r[0] for r in keys])

    def __len__(self) -> int:
        return self._size


class _Rowed:
    """A list whose items are read one row at a time on first access (places, their scoring facts)."""

    def __init__(self, rows: _Rows, table: str, size: int, make: Any, bulk: str | None = None) -> None:
        self._rows, self._table, self._make, self._bulk = rows, table, make, bulk
        self._items: list[Any] = [None] * size
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, i: int) -> Any:
        got = self._items[i]
        if got is None:
            if isinstance(i, slice):
                return [self[j] for j in range(*i.indices(len(self._items)))]
            with self._lock:  # one object per row: callers compare places by identity
                got = self._items[i]
                if got is None:
                    raw = self._rows.one(f"SELECT v FROM {self._table} WHERE i = ?", (i % len(self._items),))
                    got = self._items[i] = self._make(marshal.loads(raw))
        return got

    def __iter__(self) -> Iterator[Any]:
        if any(x is None for x in self._items):
            with self._lock:
                if self._bulk is not None:
                    items = self._items
                    for i, raw in enumerate(self._rows.meta(self._bulk)):
                        if items[i] is None:
                            items[i] = self._make(raw)
                else:
                    for i, raw in self._rows.all(f"SELECT i, v FROM {self._table} ORDER BY i"):
                        if self._items[i] is None:
                            self._items[i] = self._make(marshal.loads(raw))
        return iter(self._items)


class _ChoiceIndex(Mapping):
    """``Gazetteer._blocks`` / ``_admin1_choices``: the strings of one fuzzy search, read per key."""

    def __init__(self, rows: _Rows, kind: int) -> None:
        self._rows, self._kind = rows, kind
        self._got: dict[tuple, Choices | None] = {}

    def get(self, k: tuple, default: Any = None) -> Any:
        got = self._got.get(k, _MISS)
        if got is _MISS:
            raw = self._rows.one("SELECT v FROM choices WHERE kind = ? AND k = ?", (self._kind, _ckey(k)))
            got = self._got[k] = None if raw is None else Choices(*marshal.loads(raw))
        return default if got is None else got

    def __getitem__(self, k: tuple) -> Choices:
        got = self.get(k)
        if got is None:
            raise KeyError(k)
        return got

    def __iter__(self) -> Iterator[tuple]:
        keys = self._rows.all("SELECT k FROM choices WHERE kind = ? ORDER BY k", (self._kind,))
        return iter([_unckey(r[0]) for r in keys])

    def __len__(self) -> int:
        return self._rows.one("SELECT count(*) FROM choices WHERE kind = ?", (self._kind,))


class _Groups(dict):
    """``derived["by_admin1"]``: each governorate's settled places, made into objects when asked for."""

    def __init__(self, places: _Rowed, index: dict[tuple, list[int]]) -> None:
        super().__init__()
        self._places, self._index = places, index

    def get(self, k: Any, default: Any = None) -> Any:
        if not dict.__contains__(self, k):
            idx = self._index.get(k)
            if idx is None:
                return default
            dict.__setitem__(self, k, [self._places[i] for i in idx])
        return dict.__getitem__(self, k)


class _Derived(dict):
    """``Gazetteer.derived`` whose stored tables are read on first use."""

    def __init__(self, loaders: dict[str, Any]) -> None:
        super().__init__()
        self._loaders = loaders

    def _pull(self, k: Any) -> None:
        if self._loaders and k in self._loaders:
            with _SECTION_LOCK:  # another thread asking meanwhile waits for the table, not rebuilds it
                load = self._loaders.get(k)
                if load is not None:
                    value = load()
                    if value is not None:
                        dict.__setitem__(self, k, value)
                    del self._loaders[k]

    def get(self, k: Any, default: Any = None) -> Any:
        self._pull(k)
        return dict.get(self, k, default)

    def __getitem__(self, k: Any) -> Any:
        self._pull(k)
        return dict.__getitem__(self, k)

    def __contains__(self, k: object) -> bool:
        self._pull(k)
        return dict.__contains__(self, k)

    def setdefault(self, k: Any, default: Any = None) -> Any:
        self._pull(k)
        return dict.setdefault(self, k, default)

    def clear(self) -> None:
        self._loaders.clear()
        dict.clear(self)


def _section(name: str) -> property:
    """An attribute of the fuzzy tables, read from the file on first access."""

    def get(self: _Indexed) -> Any:
        d = self.__dict__
        if name not in d:
            self._load_section(name)
        return d[name]

    def put(self: _Indexed, value: Any) -> None:
        self.__dict__[name] = value

    return property(get, put)


class _Indexed(Gazetteer):
    """A Gazetteer over an index file: the same attributes, read as they are used."""

    fuzzy_strings = _section("fuzzy_strings")
    fuzzy_entries = _section("fuzzy_entries")
    fuzzy_block = _section("fuzzy_block")
    by_admin1 = _section("by_admin1")
    _fuzzy_index = _section("_fuzzy_index")
    _blocks = _section("_blocks")
    _admin1_choices = _section("_admin1_choices")

    def _load_section(self, name: str) -> None:
        with _SECTION_LOCK:
            if name in self.__dict__:
                return
            d = self.__dict__
            rows: _Rows = d["_rows"]
            if name == "fuzzy_entries":
                d["fuzzy_entries"] = _Rowed(rows, "fuzzy", rows.meta("n_fuzzy"), _make_entries)
            elif name in _FUZZY:  # the tables the fuzzy searches are built from
                strings, block, by_admin1 = rows.meta("fuzzy")
                d.setdefault("fuzzy_strings", strings)
                d.setdefault("fuzzy_block", block)
                d.setdefault("by_admin1", by_admin1)
            elif name == "_fuzzy_index":  # only adding places needs it
                d["_fuzzy_index"] = {s: i for i, s in enumerate(self.fuzzy_strings)}
            elif name in ("_blocks", "_admin1_choices"):
                built = rows.meta("choices")[name == "_admin1_choices"]
                d[name] = _ChoiceIndex(rows, int(name == "_admin1_choices")) if built else None

    def extend(self, places: Any) -> Gazetteer:
        """Adding places to a read index: every table is read into memory first."""
        self._materialize()
        return super().extend(places)

    def _materialize(self) -> None:
        d = self.__dict__
        for name in _KINDS:
            table = d[name]
            if isinstance(table, _KeyIndex):
                d[name] = defaultdict(list, {k: list(table[k]) for k in table})
        d["places"] = list(d["places"])
        for name in (*_FUZZY, "_fuzzy_index"):
            value = getattr(self, name)
            d[name] = list(value) if isinstance(value, _Rowed) else value
        d["_blocks"] = d["_admin1_choices"] = None  # built again from the tables above
        statics = self.derived.get("static")
        skel_softs = self.derived.get("skel_softs")
        derived: dict = {}
        if statics is not None:
            derived["static"] = list(statics)
        if skel_softs is not None:
            derived["skel_softs"] = skel_softs
        d["derived"] = derived
        d["admin1_names"] = defaultdict(set, d["admin1_names"])
        d["admin2_names"] = defaultdict(set, d["admin2_names"])


_SECTION_LOCK = threading.RLock()


def read(path: Path) -> Gazetteer | None:
    """The index in ``path``, or None when the file is not an index of this format."""
    try:
        rows = _Rows(path)
        if rows.one("SELECT v FROM meta WHERE k = 'format'") != FORMAT.encode():
            return None
        stored, n_places = rows.meta("places")
        sizes = rows.meta("sizes")
        n_statics = rows.meta("statics")
        admin1_names, admin2_names = rows.meta("admin")
    except (sqlite3.Error, KeyError, ValueError, EOFError, TypeError):
        return None
    if tuple(stored) != _PLACE_FIELDS:
        return None
    gaz = object.__new__(_Indexed)
    d = gaz.__dict__
    d["_rows"] = rows
    d["places"] = _Rowed(rows, "places", n_places, lambda t: Place(*t), bulk="all_places")
    for kind, name in enumerate(_KINDS):
        d[name] = _KeyIndex(rows, kind, sizes[name])
    d["admin1_names"] = admin1_names
    d["admin2_names"] = admin2_names
    d["match_cache"] = {}
    d["context_cache"] = {}

    def statics() -> Any:
        if n_statics is None:
            return None
        from strikewatch.geo.resolve import _Static  # resolve imports the gazetteer module

        return _Rowed(rows, "statics", n_statics, lambda t: _Static(*t))

    def settled() -> Any:
        index = rows.meta("settled")
        return None if index is None else _Groups(d["places"], index)

    d["derived"] = _Derived({"static": statics, "skel_softs": lambda: rows.meta("skel_softs"),
                             "by_admin1": settled})
    return gaz

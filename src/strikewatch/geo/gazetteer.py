"""The gazetteer service: the shipped places plus a user's own, with the indexes the matcher needs.

Loaded once per process (``default_gazetteer()``) and passed around as an object, so tests and users can
build one from their own files. A user's CSV places (``--gazetteer FILE``, or every
``$STRIKEWATCH_HOME/gazetteer/*.csv``, default ``~/.strikewatch/gazetteer``) take precedence over the
shipped ones that share a name.

User CSV columns: ``name,lat,lon`` are required; ``country`` (ISO code), ``admin1``, ``admin2``,
``feature`` (city, town, village, neighbourhood, landmark, base, region ...), ``population``,
``names`` (other spellings, ``|``-separated) and ``id`` are optional.
"""

from __future__ import annotations

import csv
import gc
import gzip
import hashlib
import io
import os
import sqlite3
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from strikewatch.cache import cache_dir
from strikewatch.errors import UserError
from strikewatch.geo.keys import fold, forms, key, loose_variants, qualified_keys, skeleton, soft_of

DATA = Path(__file__).resolve().parent / "data"
SHIPPED = DATA / "gazetteer.tsv.gz"

# Features that stand for an area rather than a point (ACLED precision 3 when named alone).
AREA_FEATURES = frozenset({"country", "admin1", "admin2", "region"})


@dataclass(slots=True)
class Place:
    """One place of the gazetteer."""

    id: str
    name: str
    feature: str
    country: str
    lat: float
    lon: float
    admin1: str = ""
    admin2: str = ""
    population: int = 0
    names: tuple[str, ...] = ()
    other: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    user: bool = False

    @property
    def precision(self) -> int:
        """ACLED geo_precision when this place is named alone: 3 for an area, else 1."""
        return 3 if self.feature in AREA_FEATURES else 1


@dataclass(slots=True)
class _Entry:
    place: int  # index into Gazetteer.places
    trust: float  # 1.0 a main name, lower for a source's long tail of spellings
    name: str
    soft: str = ""  # the name as skeleton matches are compared (keys.soft)


@dataclass(slots=True)
class Choices:
    """Strings for one fuzzy search, sorted by length (a length window then bounds the search), with
    their lengths and their positions in ``Gazetteer.fuzzy_strings``."""

    strings: list[str]
    lengths: list[int]
    positions: list[int]

    @classmethod
    def of(cls, strings: list[str], positions: list[int]) -> Choices:
        # sorted by length; equal lengths keep the positions' order
        order = sorted(positions, key=lambda p: (len(strings[p]), p))
        return cls([strings[p] for p in order], [len(strings[p]) for p in order], order)


_NO_CHOICES = Choices([], [], [])


@dataclass
class Gazetteer:
    """Places and their match indexes (exact key, skeleton, fuzzy strings)."""

    places: list[Place] = field(default_factory=list)
    exact: dict[str, list[_Entry]] = field(default_factory=lambda: defaultdict(list))
    skel: dict[str, list[_Entry]] = field(default_factory=lambda: defaultdict(list))
    fuzzy_strings: list[str] = field(default_factory=list)
    fuzzy_entries: list[list[_Entry]] = field(default_factory=list)
    fuzzy_block: list[str] = field(default_factory=list)  # first consonant of each fuzzy string
    admin1_names: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    admin2_names: dict[str, set[tuple[str, str]]] = field(default_factory=lambda: defaultdict(set))
    loose: dict[str, list[_Entry]] = field(default_factory=lambda: defaultdict(list))
    qualified: dict[str, list[_Entry]] = field(default_factory=lambda: defaultdict(list))  # qualified_keys
    by_admin1: dict[str, set[int]] = field(default_factory=dict)  # admin1 -> fuzzy string positions
    _fuzzy_index: dict[str, int] = field(default_factory=dict)
    _admin1_choices: dict[tuple[str, str], Choices] | None = None
    _blocks: dict[tuple[str, str | None], Choices] | None = None
    match_cache: dict = field(default_factory=dict)  # resolve's caches, per gazetteer
    context_cache: dict = field(default_factory=dict)
    derived: dict = field(default_factory=dict)  # resolve's per-place tables, rebuilt when places change

    def block_choices(self, first: str, country: str | None = None) -> Choices:
        """The fuzzy strings whose consonant skeleton starts with ``first`` (the blocking that keeps the
        last-resort fuzzy search fast; q/k/g/j and the vowels already share a class), optionally only
        the names of one country's places."""
        if self._blocks is None:
            groups: dict[tuple[str, str | None], list[int]] = defaultdict(list)
            for pos, block in enumerate(self.fuzzy_block):
                countries = {self.places[e.place].country for e in self.fuzzy_entries[pos]}
                for c in (None, *sorted(countries)):
                    groups[(block, c)].append(pos)
            self._blocks = {k: Choices.of(self.fuzzy_strings, v) for k, v in groups.items()}
        return self._blocks.get((first, country), _NO_CHOICES)

    def admin1_choices(self, admin1: str, first: str) -> Choices:
        """The fuzzy strings of one governorate whose skeleton starts with ``first`` (the fuzzy search
        restricted by context)."""
        if self._admin1_choices is None:
            groups: dict[tuple[str, str], list[int]] = defaultdict(list)
            for a1, positions in self.by_admin1.items():
                for pos in sorted(positions):
                    groups[(a1, self.fuzzy_block[pos])].append(pos)
            self._admin1_choices = {k: Choices.of(self.fuzzy_strings, v) for k, v in groups.items()}
        return self._admin1_choices.get((admin1, first), _NO_CHOICES)

    def prepare(self) -> Gazetteer:
        """Build the lazy search tables now (before the index is cached, so later runs load them)."""
        # resolve imports this module: it is imported here, when both are loaded
        from strikewatch.geo import resolve

        self.block_choices("")
        self.admin1_choices("", "")
        resolve.prepare(self)
        return self

    def add(self, place: Place) -> None:
        idx = len(self.places)
        # Answers print coordinates to 5 decimals (about a metre): rounded once here, not per answer.
        place.lat, place.lon = round(place.lat, 5), round(place.lon, 5)
        self.places.append(place)
        seen: set[str] = set()
        loose: list[tuple[float, str, str]] = []
        for trust, names in ((1.0, (place.name, *place.names)), (0.92, place.other)):
            for name in names:
                k, sk, s = forms(name)
                if not k or k in seen:
                    continue
                seen.add(k)
                entry = _Entry(idx, trust, name, soft_of(k))
                self.exact[k].append(entry)
                if len(sk) >= 2:
                    self.skel[sk].append(entry)
                # Latin and Arabic spellings alike go to the fuzzy index
                pos = self._fuzzy_index.get(s)
                if pos is None:
                    pos = self._fuzzy_index[s] = len(self.fuzzy_strings)
                    self.fuzzy_strings.append(s)
                    self.fuzzy_entries.append([])
                    self.fuzzy_block.append(sk[:1])
                self.fuzzy_entries[pos].append(entry)
                self.by_admin1.setdefault(place.admin1, set()).add(pos)
                loose.extend((trust, name, v) for v in loose_variants(name))
                for qk in qualified_keys(name) or ():
                    if qk not in seen:
                        seen.add(qk)
                        self.qualified[qk].append(entry)
        for trust, name, variant in loose:
            k, sk, _ = forms(variant)
            if len(k) >= 3 and k not in seen:
                seen.add(k)
                entry = _Entry(idx, trust * 0.9, name, soft_of(k))
                self.loose[k].append(entry)
                if len(sk) >= 2 and sk not in seen:  # "Maarat Elnashwan" ~ "Ma'arrat an-Nishwan"
                    seen.add(sk)
                    self.skel[sk].append(entry)
        if place.feature == "admin1":
            own = place.admin1 or place.name
            covers = {own, *_admin1_also().get(own, ())}
            for name in (place.name, *place.names, *place.other):
                self.admin1_names[key(name)] |= covers
                self.admin1_names[skeleton(name)] |= covers
        if place.feature == "admin2" or place.admin2:
            a2 = place.admin2 or place.name
            for k in {key(a2), skeleton(a2)}:
                self.admin2_names[k].add((a2, place.admin1))
            if place.feature == "admin2":
                for name in (place.name, *place.names):
                    for k in {key(name), skeleton(name)}:
                        self.admin2_names[k].add((a2, place.admin1))

    def extend(self, places: Iterable[Place]) -> Gazetteer:
        for p in places:
            self.add(p)
        self._blocks = None
        self._admin1_choices = None
        self.match_cache.clear()
        self.context_cache.clear()
        self.derived.clear()
        return self

    def __len__(self) -> int:
        return len(self.places)


def read_own_table(name: str) -> list[dict[str, str]]:
    """One of the project's own tables in ``geo/data`` (tab-separated, ``#`` lines are comments)."""
    text = (DATA / name).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


@lru_cache(maxsize=1)
def _admin1_also() -> dict[str, tuple[str, ...]]:
    """Governorates that reporting often names by another one (admin1.tsv, column ``also``)."""
    return {r["name"]: _split(r.get("also")) for r in read_own_table("admin1.tsv")}


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v for v in (value or "").split("|") if v)


def read_shipped(path: Path = SHIPPED) -> list[Place]:
    """The places of the shipped gazetteer (built by ``strikewatch gazetteer build``)."""
    if not path.is_file():
        raise UserError(f"the gazetteer {path} is missing; run `make gazetteer` to build it.")
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\")
        return [
            Place(id=r["id"], name=r["name"], feature=r["feature"], country=r["country"],
                  lat=float(r["lat"]), lon=float(r["lon"]), admin1=r["admin1"], admin2=r["admin2"],
                  population=int(r["population"] or 0), names=_split(r["names"]), other=_split(r["other"]),
                  ids=_split(r["ids"]))
            for r in reader
        ]


def read_user_csv(path: Path | str) -> list[Place]:
    """A user's own places. Raises UserError naming the file and line when a row is unusable."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise UserError(f"cannot read the gazetteer file {path}: {exc.strerror or exc}.") from None
    reader = csv.DictReader(io.StringIO(text))
    cols = {c.strip().lower() for c in reader.fieldnames or []}
    missing = {"name", "lat", "lon"} - cols
    if missing:
        gone = ", ".join(sorted(missing))
        raise UserError(f"{path} needs the columns name, lat and lon (missing: {gone}).")
    out = []
    for n, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
        except ValueError:
            raise UserError(f"{path} line {n}: lat and lon must be numbers.") from None
        if not row["name"] or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise UserError(f"{path} line {n}: a place needs a name and a valid lat/lon.")
        pop = row.get("population") or "0"
        out.append(Place(
            id=row.get("id") or f"user:{path.stem}:{n - 1}", name=row["name"],
            feature=(row.get("feature") or "landmark").lower(), country=(row.get("country") or "").upper(),
            lat=lat, lon=lon, admin1=row.get("admin1", ""), admin2=row.get("admin2", ""),
            population=int(pop) if pop.isdigit() else 0, names=_split(row.get("names")), user=True,
        ))
    return out


def user_dir() -> Path:
    """Where a user's own gazetteer CSVs are picked up: ``$STRIKEWATCH_HOME/gazetteer``."""
    home = os.environ.get("STRIKEWATCH_HOME") or str(Path.home() / ".strikewatch")
    return Path(home) / "gazetteer"


def user_files(extra: Sequence[Path | str] = ()) -> tuple[str, ...]:
    """The user CSVs in effect: those of the config directory, then those given explicitly."""
    folder = user_dir()
    return _csvs_in(str(folder), _mtime(folder)) + tuple(str(Path(p)) for p in extra)


def _mtime(folder: Path) -> int | None:
    try:
        return folder.stat().st_mtime_ns
    except OSError:
        return None


@lru_cache(maxsize=8)
def _csvs_in(folder: str, mtime: int | None) -> tuple[str, ...]:
    """The CSVs of a folder, listed again only when the folder changed (its mtime moves when a file is
    added, removed or renamed): every geocode asks, and a glob per query cost more than the query."""
    path = Path(folder)
    return tuple(sorted(str(p) for p in path.glob("*.csv"))) if mtime is not None and path.is_dir() else ()


@lru_cache(maxsize=4)
def _load(files: tuple[str, ...]) -> Gazetteer:
    for f in files:  # a user's mistake in a CSV is reported even when an index is cached
        if not Path(f).is_file():
            raise UserError(f"the gazetteer file {f} does not exist.")
    sig = _signature(files)
    gaz = _read_cache(sig)
    if gaz is None:
        gaz = Gazetteer().extend(read_shipped())
        for f in files:
            gaz.extend(read_user_csv(f))
        gaz.prepare()
        _write_cache(sig, gaz)
    # The index is a few hundred thousand long-lived objects: kept out of the collector's full passes,
    # which would otherwise walk all of them again and again while queries are answered.
    gc.freeze()
    return gaz


# The built indexes are cached per user (geo/index.py: an SQLite file read row by row as queries need
# it, so a start-up pays for the few names it looks up, not for the whole index).
# The cache key covers everything the index depends on, so a changed gazetteer, user CSV or matching
# code is never served stale. STRIKEWATCH_CACHE names the folder; "off" disables the cache.
_INDEX_CODE = ("keys.py", "gazetteer.py", "resolve.py", "index.py", "data/phrases.yaml", "data/admin1.tsv")


def _signature(files: tuple[str, ...]) -> str:
    h = hashlib.sha256(sys.version.encode())
    here = Path(__file__).resolve().parent
    for part in (SHIPPED, *(here / p for p in _INDEX_CODE), *map(Path, files)):
        h.update(str(part).encode())
        h.update(part.read_bytes() if part.is_file() else b"-")
    return h.hexdigest()[:20]


def _read_cache(sig: str) -> Gazetteer | None:
    folder = cache_dir()
    path = folder / f"gazetteer-{sig}.sqlite" if folder else None
    if path is None or not path.is_file():
        return None
    from strikewatch.geo import index  # the index file is read row by row, as queries need it

    return index.read(path)


_CACHE_KEEP = 4  # indexes kept in the cache folder (about 60 MB each)
_TMP_STALE_SECONDS = 3600  # a half-written index this old is no other process's work in progress


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # someone else's process, or a name that is no pid: leave it to the age rule
    return True


def clean_stale_tmp(folder: Path) -> list[Path]:
    """Remove the half-written indexes (``.gazetteer-SIG.PID.tmp``) that killed processes left: those of
    a process that no longer runs, or older than an hour. A live writer's file is never touched."""
    removed = []
    for tmp in folder.glob(".gazetteer-*.tmp"):
        pid = tmp.suffixes[-2].lstrip(".") if len(tmp.suffixes) >= 2 else ""
        try:
            age = time.time() - tmp.stat().st_mtime
        except OSError:
            continue
        if (pid.isdigit() and int(pid) != os.getpid() and not _pid_alive(int(pid))) \
                or age > _TMP_STALE_SECONDS:
            try:
                tmp.unlink()
                removed.append(tmp)
            except OSError:
                pass  # gone already, or not ours to remove
    return removed


def _write_cache(sig: str, gaz: Gazetteer) -> None:
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # Keep the most recent indexes (with and without a user CSV, two installed versions or checkouts
        # sharing one home: with only two kept they rebuilt each other's, 6-25 s each), drop older ones.
        olds = sorted(folder.glob("gazetteer-*.sqlite"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in olds[_CACHE_KEEP - 1 :]:
            old.unlink(missing_ok=True)
        clean_stale_tmp(folder)
        from strikewatch.geo import index

        tmp = folder / f".gazetteer-{sig}.{os.getpid()}.tmp"
        tmp.unlink(missing_ok=True)
        index.write(tmp, gaz)
        tmp.replace(folder / f"gazetteer-{sig}.sqlite")
    except (OSError, sqlite3.Error):
        pass  # a read-only home: the index is simply built each time


def default_gazetteer(extra: Sequence[Path | str] = ()) -> Gazetteer:
    """The process-wide gazetteer: shipped places, then the user's CSVs (loaded once and cached)."""
    return _load(user_files(extra))


__all__ = ["Gazetteer", "Place", "default_gazetteer", "read_shipped", "read_user_csv", "user_dir", "fold"]

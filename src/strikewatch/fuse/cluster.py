"""Which events describe the same occurrence: greedy assignment to incidents, blocked by day and map cell.

Events are taken in a fixed order (day, most precise place first, publication, id) and each joins the best
compatible incident or starts one. Comparing against the incident (its common day span, its most precise
place, every actor side already in it) rather than against single members prevents chaining: three strikes
5 km apart on one day do not become one incident because each is near the next.

Compatible means all of:
- dates overlap (an incident's dates are the intersection of its day-level members);
- sub-types share a family (lexicon/fusion.yaml);
- places within the sum of both precision radii; an event without coordinates only joins an incident that
  already holds an event of its own document (and then only when exactly one such incident fits);
- the same document never places one incident in two different places (a release's lines are distinct);
- actors do not conflict: unknown fits anything, the same or a partner affiliation fits; a different
  affiliation fits only as a credit dispute (two ranged strikers, same day, tight place, other speaker,
  same target) or as the other side of the same clash (actor and target swapped).

Ranged events (a weekly summary) then attach to every day-level incident they cover, without merging
those incidents together; with none to cover, they group among themselves. Undated events join an incident
of their own document when exactly one fits.

``blocked=False`` runs the same rules against every incident (quadratic): the reference the blocked index
must reproduce exactly.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

from strikewatch.fuse.features import Features, km
from strikewatch.fuse.lexicon import FusionLexicon

CELL_DEG = 0.25
LON_SQUEEZE = 0.8  # cells are about square at the latitudes of Syria and Iraq (correct anywhere, just slower)
SAME_PLACE_KM = 3.0  # one document's two events farther apart than this are two places


class Cluster:
    """An incident while it is being built."""

    __slots__ = ("n", "d0", "d1", "lat", "lon", "prec", "radius", "fam", "sides", "tsides", "tkeys",
                 "doc_members", "doc_voices", "members", "covering", "anchor", "numbers", "ranged", "gid",
                 "voices", "dirs", "admin1")

    def __init__(self, n: int, f: Features) -> None:
        self.n = n
        self.d0, self.d1 = f.d0, f.d1
        self.lat, self.lon, self.prec, self.radius = f.lat, f.lon, f.prec, f.radius
        self.gid = f.gid
        self.admin1 = f.admin1
        self.fam = f.fam
        self.voices: set[str] = set()
        self.sides: set[str] = set()
        self.tsides: set[str] = set()
        self.tkeys: set[str] = set()
        self.doc_members: dict[str, list[Features]] = {}
        self.dirs: frozenset[str] = frozenset()
        self.doc_voices: set[tuple[str, str, str | None]] = set()
        self.members: list[Features] = []
        self.covering: list[Features] = []
        self.numbers: set[tuple[int, int]] = set()
        self.ranged = f.ranged
        self.add(f)

    def add(self, f: Features) -> None:
        if self.members:
            if f.d0 is not None and self.d0 is not None and f.d0 <= self.d1 and f.d1 >= self.d0:
                self.d0, self.d1 = max(self.d0, f.d0), min(self.d1, f.d1)  # (a day's slack narrows nothing)
            if f.lat is not None and (self.lat is None or f.prec < self.prec):
                self.lat, self.lon, self.prec, self.radius, self.gid = f.lat, f.lon, f.prec, f.radius, f.gid
                self.admin1 = f.admin1
            self.fam = self.fam & f.fam
        self.members.append(f)
        self.voices.add(f.voice)
        if f.side:
            self.sides.add(f.side)
        if f.tside:
            self.tsides.add(f.tside)
        if f.tkey:
            self.tkeys.add(f.tkey)
        self.doc_members.setdefault(f.doc, []).append(f)
        if f.dirs:
            self.dirs = self.dirs | f.dirs
        self.doc_voices.add((f.doc, f.speaker, f.side))
        for i, v in enumerate(f.numbers):
            if v is not None:
                self.numbers.add((i, v))


def _actors_fit(f: Features, c: Cluster, lex: FusionLexicon, dist: float | None, strict: bool) -> bool:
    if f.side is None or not c.sides or f.side in c.sides:
        return True
    if "ground" in f.fam or "remote" not in f.fam:  # partners fight together on the ground, not in the air
        partners = lex.partner_map.get(f.side)
        if partners and c.sides <= partners:
            return True
    if strict:
        return False
    # the other side of the same clash or change of hands: my actor is their target and my target their
    # actor (either target may be unnamed: "the army withdrew from X" beside "ISIS took X from the army")
    if "ground" in (f.fam & c.fam) and (
            (f.side in c.tsides and (f.tside is None or f.tside in c.sides))
            or (f.tside in c.sides and not c.tsides)):
        return True
    # a credit dispute: another voice credits a different striker with the same strike
    if not ("remote" in (f.fam & c.fam) and f.side in lex.strikers and c.sides <= lex.strikers):
        return False
    if dist is None or f.prec is None or c.prec is None or f.prec > 2 or c.prec > 2:
        return False
    if not (f.d0 == f.d1 == c.d0 == c.d1):
        return False
    if any(doc == f.doc and spk == f.speaker and side != f.side for doc, spk, side in c.doc_voices):
        return False  # one voice naming two strikers is telling of two strikes
    agree = (f.tkey is not None and f.tkey in c.tkeys) or any(
        (i, v) in c.numbers for i, v in enumerate(f.numbers) if v)
    return agree


def match(f: Features, c: Cluster, lex: FusionLexicon, *, covering: bool = False) -> float | None:
    """How well event ``f`` fits incident ``c`` (lower is better), or None when it must not join."""
    slack = 0.0
    if f.d0 is None:
        if covering or f.doc not in c.doc_members:
            return None  # an undated event joins only an incident of its own document
    elif c.d0 is None:
        return None  # a dated event never joins an undated incident
    elif covering:
        if not (f.d0 <= c.d0 and c.d1 <= f.d1):
            return None
    elif f.d0 > c.d1 or f.d1 < c.d0:
        if not _slack_fits(f, c, lex):
            return None
        slack = 1.0
    if not (f.fam & c.fam):
        return None
    if f.gid is not None and c.gid is not None and f.gid != c.gid:
        return None  # two different named places
    if f.dirs and c.dirs and not (f.dirs & c.dirs):
        return None  # "east Aleppo" and "west Aleppo"
    own = c.doc_members.get(f.doc)
    if own and not all(_same_story(f, m) for m in own):
        return None
    if f.lat is not None and c.lat is not None:
        dist = km(f.lat, f.lon, c.lat, c.lon)
        if dist <= f.radius + c.radius:
            score = slack + dist / (f.radius + c.radius)
        elif (f.prec == 3 or c.prec == 3) and f.admin1 is not None and f.admin1 == c.admin1:
            score = slack + 1.0  # "in Idlib province" and a town of Idlib province
        else:
            return None
    else:
        if own is None or slack:
            return None
        dist = None
        score = 1.0
    if not _actors_fit(f, c, lex, dist, strict=covering or f.d0 is None):
        return None
    return score


def _lon_span(lat: float, km_: float) -> float:
    """Degrees of longitude that certainly cover ``km_`` kilometres east or west of latitude ``lat``."""
    dlat = km_ / 110.0
    return dlat / max(0.05, math.cos(math.radians(min(89.0, abs(lat) + dlat))))


def _same_story(f: Features, m: Features) -> bool:
    """Can two events of one document be mentions of one occurrence? Not when they are in two places, or when
    one voice tells of them with other place words and another kind or object (a ministry's headquarters
    strike and its convoy strike)."""
    if f.lat is not None and m.lat is not None and km(f.lat, f.lon, m.lat, m.lon) > SAME_PLACE_KM:
        return False
    other_words = f.voice == m.voice and f.locn and m.locn and f.locn != m.locn
    other_thing = f.event.sub_type != m.event.sub_type or (f.tobj and m.tobj and f.tobj != m.tobj)
    return not (other_words and other_thing)


def _slack_fits(f: Features, c: Cluster, lex: FusionLexicon) -> bool:
    """Independent voices a day apart about one precisely placed strike by the same named side (reports
    differ by a day: a night strike, a time zone, "yesterday" read from the wrong date)."""
    days = lex.date_slack_days
    if not days or f.d0 - days > c.d1 or f.d1 + days < c.d0:
        return False
    if f.prec is None or c.prec is None or f.prec > 2 or c.prec > 2:
        return False
    if f.voice in c.voices or f.doc in c.doc_members:
        return False
    return f.side is not None and f.side in c.sides  # the same side named by both


class _Grid:
    """Incidents indexed by day and map cell (dated, placed ones), and by document.

    An incident is filed in every cell its catch area touches: the disc within which an event of ordinary
    precision (radius up to ``near_km``) could join it. Such an event then looks in its own cell only; a
    vaguer event also looks in the cells around it. Incidents with a wide radius (a region) have their
    own, coarser grid so that precise events are not filed over large areas.
    """

    def __init__(self, near_km: float, max_km: float) -> None:
        self.near_km = near_km
        self.margin_deg = 2.0 * max(max_km, near_km) / 110.0  # the widest reach, in degrees of latitude
        self.grids: dict[float, dict[tuple[int, int, int], list[Cluster]]] = {}
        self.size: dict[float, float] = {}
        self.by_doc: dict[str, dict[int, Cluster]] = defaultdict(dict)
        self.where: dict[int, tuple[float, list[tuple[int, int, int]]]] = {}
        # by (day, governorate): regional incidents (for precise events) and all (for regional events)
        self.regional: dict[tuple[int, str], dict[int, Cluster]] = defaultdict(dict)
        self.everyone: dict[tuple[int, str], dict[int, Cluster]] = defaultdict(dict)
        self.where_admin1: dict[int, list[tuple[bool, tuple[int, str]]]] = {}

    def _bucket(self, radius: float) -> float:
        bucket = max(radius, self.near_km)
        if bucket not in self.grids:
            self.grids[bucket] = defaultdict(list)
            self.size[bucket] = 2.0 * (bucket + self.near_km) / 110.0  # a catch area spans 2 x 2 cells
        return bucket

    @staticmethod
    def _cells(size: float, lat: float, lon: float, km_: float) -> tuple[range, range]:
        dlat, dlon = km_ / 110.0, _lon_span(lat, km_)
        return (range(math.floor((lat - dlat) / size), math.floor((lat + dlat) / size) + 1),
                range(math.floor((lon - dlon) * LON_SQUEEZE / size),
                      math.floor((lon + dlon) * LON_SQUEEZE / size) + 1))

    def put(self, c: Cluster) -> None:
        self._put_admin1(c)
        if c.lat is None or c.d0 is None:
            self.remove(c)
            return
        bucket = self._bucket(c.radius)
        rows, cols = self._cells(self.size[bucket], c.lat, c.lon, c.radius + self.near_km)
        keys = [(day, i, j) for day in range(c.d0, c.d1 + 1) for i in rows for j in cols]
        if self.where.get(c.n) == (bucket, keys):
            return  # moved within the same cells
        self.remove(c)
        grid = self.grids[bucket]
        for key in keys:
            grid[key].append(c)
        self.where[c.n] = (bucket, keys)

    def _put_admin1(self, c: Cluster) -> None:
        for regional, key in self.where_admin1.pop(c.n, []):
            (self.regional if regional else self.everyone)[key].pop(c.n, None)
        if c.lat is None or c.d0 is None or c.admin1 is None:
            return
        keys = []
        for day in range(c.d0, c.d1 + 1):
            self.everyone[(day, c.admin1)][c.n] = c
            keys.append((False, (day, c.admin1)))
            if c.prec == 3:
                self.regional[(day, c.admin1)][c.n] = c
                keys.append((True, (day, c.admin1)))
        self.where_admin1[c.n] = keys

    def remove(self, c: Cluster) -> None:
        bucket, keys = self.where.pop(c.n, (0.0, []))
        for key in keys:
            self.grids[bucket][key].remove(c)

    def add_doc(self, c: Cluster, doc: str) -> None:
        self.by_doc[doc].setdefault(c.n, c)

    def near(self, f: Features, d0: int, d1: int) -> list[Cluster]:
        """Dated, placed incidents on days d0..d1 within reach of f's place, plus f's document's own."""
        seen: set[int] = set()
        out: list[Cluster] = []
        if f.lat is not None:
            flat, flon, frad = f.lat, f.lon, f.radius
            extra = max(0.0, frad - self.near_km)
            # one cosine per event: 1.0 degree of latitude margin covers every reach up to 110 km
            stretch = 1.0 / max(0.05, math.cos(math.radians(min(89.0, abs(flat) + self.margin_deg))))
            for bucket, grid in self.grids.items():
                size = self.size[bucket]
                dlat = (frad + bucket) / 110.0
                dlon = dlat * stretch
                if extra:
                    rows, cols = self._cells(size, flat, flon, extra)
                    cells = [(i, j) for i in rows for j in cols]
                else:
                    cells = [(math.floor(flat / size), math.floor(flon * LON_SQUEEZE / size))]
                for day in range(d0, d1 + 1):
                    for i, j in cells:
                        cell = grid.get((day, i, j))
                        if not cell:
                            continue
                        for c in cell:
                            if c.n not in seen and abs(c.lat - flat) <= dlat and abs(c.lon - flon) <= dlon:
                                seen.add(c.n)
                                out.append(c)
            if f.admin1 is not None:  # a governorate-wide mention meets the places of its governorate
                pool = self.everyone if f.prec == 3 else self.regional
                for day in range(d0, d1 + 1):
                    for c in pool.get((day, f.admin1), {}).values():
                        if c.n not in seen:
                            seen.add(c.n)
                            out.append(c)
        for c in self.by_doc.get(f.doc, {}).values():
            if c.n not in seen:
                seen.add(c.n)
                out.append(c)
        return out


class _Everything:
    """The unblocked reference: every incident is a candidate."""

    def __init__(self, clusters: list[Cluster]) -> None:
        self.clusters = clusters

    def put(self, c: Cluster) -> None:  # noqa: D102 - nothing to index
        pass

    def add_doc(self, c: Cluster, doc: str) -> None:
        pass

    def near(self, f: Features, d0: int, d1: int) -> list[Cluster]:
        return self.clusters


def _is_context(f: Features) -> bool:
    """A reader comment, or a post quoted in an article ("@handle" as speaker): without a place of its own
    it is context of its article, not an incident."""
    return f.comment or (f.event.claim.speaker or "").lstrip().startswith("@")


UNPLACED_SUMMARY_MAX = 50  # a summary "across Syria" covering more day-level incidents says too little


def _country_covered(f: Features, by_day: dict[tuple[int, str], list[Cluster]], lex: FusionLexicon
                     ) -> list[Cluster]:
    """The day-level incidents an unplaced summary ("struck ISIS targets across Syria between Nov. 30 and
    Dec. 5") covers: inside its dates, in its country, of its kind and a compatible actor."""
    seen: dict[int, Cluster] = {}
    for day in range(f.d0, f.d1 + 1):
        for c in by_day.get((day, f.country), ()):
            if c.n in seen or c.ranged or c.d0 < f.d0 or c.d1 > f.d1 or not (f.fam & c.fam):
                continue
            if _actors_fit(f, c, lex, None, strict=True):
                seen[c.n] = c
                if len(seen) > UNPLACED_SUMMARY_MAX:
                    return []  # too broad to say anything about any one of them
    return [seen[k] for k in sorted(seen)]


MIN_TOLL_TO_MEET = 2  # "one killed" is too common a figure to tell one day's incidents apart


def _same_toll(f: Features, tolls: dict[tuple[int, str, int], list[Cluster]], lex: FusionLexicon
               ) -> Cluster | None:
    """An unplaced mention ("a bomb blast killed six people", its place lost) joins the one placed incident
    of its day and kind whose sources give the same toll, in its country, with no actor in conflict; with
    two or more such incidents, or none, it stays apart (unknown is not guessed)."""
    k = f.event.fatalities.killed
    if k is None or k < MIN_TOLL_TO_MEET or f.d0 is None:
        return None
    found: dict[int, Cluster] = {}
    for day in range(f.d0, f.d1 + 1):
        for c in tolls.get((day, f.event.sub_type, k), ()):
            if f.doc in c.doc_members or (f.country and any(
                    m.country and m.country != f.country for m in c.members)):
                continue
            if _actors_fit(f, c, lex, None, strict=True):
                found[c.n] = c
    return next(iter(found.values())) if len(found) == 1 else None


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / CELL_DEG), math.floor(lon / CELL_DEG)


def _vague(f: Features) -> bool:
    return f.lat is None or (f.prec or 3) >= 3


def cluster(feats: list[Features], lex: FusionLexicon, *, blocked: bool = True) -> list[Cluster]:
    """Group events (already in processing order) into incidents; see the module docstring for the rules."""
    clusters: list[Cluster] = []
    radii = lex.radius_km
    index: _Grid | _Everything = (_Grid(radii.get(2, 10.0), max(radii.values(), default=50.0)) if blocked
                                  else _Everything(clusters))

    def new(f: Features) -> Cluster:
        c = Cluster(len(clusters), f)
        clusters.append(c)
        index.put(c)
        index.add_doc(c, f.doc)
        return c

    def join(c: Cluster, f: Features) -> None:
        """Add ``f`` to ``c``; re-file ``c`` in the index only when its place or dates changed."""
        old = (c.lat, c.lon, c.d0, c.d1, c.prec, c.admin1)
        c.add(f)
        index.add_doc(c, f.doc)
        if (c.lat, c.lon, c.d0, c.d1, c.prec, c.admin1) != old:
            index.put(c)

    def best(f: Features, candidates: Iterable[Cluster]) -> Cluster | None:
        scored = []
        vague = _vague(f)
        for c in candidates:
            s = match(f, c, lex)
            if s is not None:
                if vague and scored:
                    return None  # a vague place or no place: only an unambiguous fit
                scored.append((s, c.n, c))
        if not scored:
            return None
        scored.sort(key=lambda t: (t[0], t[1]))
        return scored[0][2]

    core = [f for f in feats if f.core]
    ranged = [f for f in feats if f.ranged]
    undated = [f for f in feats if f.d0 is None]

    doc_clusters: dict[str, dict[int, Cluster]] = defaultdict(dict)  # the incidents each document feeds
    later: list[Features] = []  # unplaced comments and quoted posts that fit nothing: context, decided last

    def context_of(f: Features) -> bool:
        """Attach an unplaced reader comment or quoted post to its article's incidents; False if none."""
        home = f.parent if f.comment and f.parent else f.doc
        owners = [c for _, c in sorted(doc_clusters.get(home, {}).items())]
        if not owners:
            return False
        for c in owners:
            c.covering.append(f)
        return True

    slack = lex.date_slack_days
    tolls: dict[tuple[int, str, int], list[Cluster]] = defaultdict(list)  # placed incidents: day, kind, toll

    def file_toll(c: Cluster, f: Features) -> None:
        k = f.event.fatalities.killed
        if f.lat is not None and k is not None and k >= MIN_TOLL_TO_MEET:
            for day in range(f.d0, f.d1 + 1):
                if c not in tolls[(day, f.event.sub_type, k)]:
                    tolls[(day, f.event.sub_type, k)].append(c)

    for f in core:
        c = best(f, index.near(f, f.d0 - slack, f.d1 + slack))  # no ranged incidents exist yet
        if f.lat is None and (c is None or c.lat is None):  # no place, or only its own unplaced mentions
            c = _same_toll(f, tolls, lex) or c
        if c is None:
            if f.lat is None and _is_context(f):
                later.append(f)
                continue
            c = new(f)
            doc_clusters[f.doc][c.n] = c
            file_toll(c, f)
            continue
        join(c, f)
        doc_clusters[f.doc][c.n] = c
        file_toll(c, f)
    for f in later:
        if not context_of(f):
            c = new(f)
            doc_clusters[f.doc][c.n] = c

    ranged_cells: dict[tuple[int, int], list[Cluster]] = defaultdict(list)
    ranged_unplaced: dict[str, list[Cluster]] = defaultdict(list)
    ranged_clusters: list[Cluster] = []
    ranged_at: dict[int, list[tuple[str, object]]] = {}

    def index_ranged(c: Cluster) -> None:
        for kind, key in ranged_at.pop(c.n, []):
            (ranged_cells if kind == "cell" else ranged_unplaced)[key].remove(c)
        keys: list[tuple[str, object]] = []
        if c.lat is not None:
            key = _cell(c.lat, c.lon)
            ranged_cells[key].append(c)
            keys.append(("cell", key))
        if c.admin1 is not None:
            ranged_unplaced["admin1:" + c.admin1].append(c)
            keys.append(("doc", "admin1:" + c.admin1))
        for doc in c.doc_members:  # an unplaced mention finds its own document's incidents
            ranged_unplaced[doc].append(c)
            keys.append(("doc", doc))
        ranged_at[c.n] = keys

    def ranged_pool(f: Features) -> Iterable[Cluster]:
        if not blocked:
            return ranged_clusters
        pool: dict[int, Cluster] = {c.n: c for c in ranged_unplaced.get(f.doc, ())}
        if f.admin1 is not None:
            pool.update((c.n, c) for c in ranged_unplaced.get("admin1:" + f.admin1, ()))
        if f.lat is not None:
            cx, cy = _cell(f.lat, f.lon)
            reach = int(math.ceil((f.radius + max(lex.radius_km.values())) / (111.0 * CELL_DEG * 0.2)))
            for i in range(cx - reach, cx + reach + 1):
                for j in range(cy - reach, cy + reach + 1):
                    for c in ranged_cells.get((i, j), ()):
                        pool[c.n] = c
        return [pool[k] for k in sorted(pool)]

    # day-level incidents by (day, country), for unplaced summaries (only built when there are some)
    by_day: dict[tuple[int, str], list[Cluster]] = defaultdict(list)
    if any(f.lat is None and f.summary and f.country for f in ranged):
        for c in clusters:
            country = next((m.country for m in c.members if m.country), None)
            if c.d0 is not None and country:
                for day in range(c.d0, c.d1 + 1):
                    by_day[(day, country)].append(c)

    for f in ranged:
        if f.d1 - f.d0 >= lex.cover_max_days:
            covered = []  # "in October": too long to be a source of any one day's strike
        else:
            covered = [c for c in index.near(f, f.d0, f.d1)
                       if not c.ranged and c.d0 is not None and match(f, c, lex, covering=True) is not None]
        if not covered and f.lat is None and f.summary and f.country and f.d1 - f.d0 < lex.cover_max_days:
            covered = _country_covered(f, by_day, lex)
        if len(covered) == 1 and not f.summary:  # a short range about one occurrence: a full member
            join(covered[0], f)
            continue
        if covered:
            for c in sorted(covered, key=lambda c: c.n):
                c.covering.append(f)
            continue
        scored = []
        for c in ranged_pool(f):
            overlap = min(f.d1, c.d1) - max(f.d0, c.d0) + 1
            union = max(f.d1, c.d1) - min(f.d0, c.d0) + 1
            if overlap <= 0 or overlap * 2 < union:
                continue
            s = match(f, c, lex)
            if s is not None:
                scored.append((s, c.n, c))
        if scored and not (_vague(f) and len(scored) > 1):
            scored.sort(key=lambda t: (t[0], t[1]))
            c = scored[0][2]
            c.add(f)
            index.add_doc(c, f.doc)
        else:
            c = new(f)
            ranged_clusters.append(c)
        index_ranged(c)

    for f in undated:
        c = best(f, index.near(f, 0, -1))
        if c is None:
            if not (f.lat is None and _is_context(f) and context_of(f)):
                new(f)
        else:
            c.add(f)
            index.add_doc(c, f.doc)
    return clusters

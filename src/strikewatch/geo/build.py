"""Build the shipped gazetteer from the shared sources (``strikewatch gazetteer build``).

Sources (read at build time only, see NOTICE): Who's On First for Syria and Iraq, UN OCHA Syria
communities, GeoNames cities and first-level divisions; plus the project's own hand-written tables in
``geo/data`` (admin1 names, world countries and capitals, speaker cities, well-known sites, reporting
regions).

Records of the same place from different sources are merged when they share a name key and lie within
a few kilometres, keeping every English, Arabic-script and other Latin-script name. The output is one
gzip TSV sorted by id and written with a fixed gzip header, so the same sources always give the same
bytes (a test rebuilds it and compares).
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from strikewatch.errors import UserError
from strikewatch.geo.gazetteer import read_own_table
from strikewatch.geo.keys import fold, is_arabic, key, skeleton

DATA = Path(__file__).resolve().parent / "data"
OUTPUT = DATA / "gazetteer.tsv.gz"
COLUMNS = ("id", "feature", "country", "admin1", "admin2", "lat", "lon", "population", "name", "names",
           "other",
           "ids")
SOURCES = (
    "whosonfirst_sy_iq.tsv",
    "ocha_syria_communities.tsv",
    "geonames_cities1000_sy_iq.tsv",
    "geonames_subdivisions_sy_iq.tsv",
)
_LATIN_OR_ARABIC = re.compile(r"^[\s0-9A-Za-z\u00c0-\u024f\u1e00-\u1eff\u0600-\u06ff'’‘`ʿʾ.,()\-/&]+$")
MERGE_KM = {"city": 8.0, "town": 5.0}
# The kind word a site of sites.tsv is printed with, by its feature.
SITE_LABELS = {"airbase": "airbase", "base": "base", "dam": "dam", "camp": "camp", "field": "field",
               "crossing": "border crossing", "site": ""}
DEFAULT_MERGE_KM = 3.0
SAME_SOURCE_KM = 2.0


@dataclass
class Rec:
    """One place while building: a primary name, every other name, and the ids it was merged from."""

    id: str
    feature: str
    country: str
    lat: float
    lon: float
    name: str
    admin1: str = ""
    admin2: str = ""
    population: int = 0
    names: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    source: str = ""

    def add_names(self, names: Iterable[str], *, other: bool = False) -> None:
        """Add names; ``other`` ones (a source's long tail of foreign-language spellings, which holds
        some errors) are trusted a little less when matching."""
        seen = {self.name, *self.names}
        if other:
            seen.update(self.other)
        target = self.other if other else self.names
        for n in names:
            n = clean_name(n)
            if n and n not in seen:
                target.append(n)
                seen.add(n)
        if not other:
            self.other = [n for n in self.other if n not in seen]

    def keys(self) -> set[str]:
        return {k for k in (key(n) for n in (self.name, *self.names, *self.other)) if k}


def clean_name(name: str) -> str:
    """A usable name: trimmed, single spaces, Latin or Arabic script only (other scripts never occur
    in the reporting this gazetteer serves and would only bloat it), and not an airport code ("KAC")."""
    name = " ".join((name or "").split())
    if not name or not _LATIN_OR_ARABIC.match(name) or (name.isupper() and name.isalpha() and len(name) <= 4):
        return ""
    return name


def split_names(value: str) -> list[str]:
    return [n for n in (clean_name(v) for v in (value or "").split("|")) if n]


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


def _read_tsv(path: Path, header: bool = True) -> list[dict[str, str]] | list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        if header:
            return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
        return list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


class Admin1Table:
    """Maps any spelling of a governorate used by the sources to the name Strikewatch prints."""

    def __init__(self) -> None:
        self.rows = read_own_table("admin1.tsv")
        self.by_key: dict[tuple[str, str], dict[str, str]] = {}
        self.by_gn: dict[str, dict[str, str]] = {}
        for row in self.rows:
            country = row["iso"][:2]
            for n in [row["name"], *split_names(row["variants"])]:
                self.by_key[(country, key(n))] = row
            if row["geonameid"]:
                self.by_gn[row["geonameid"]] = row

    def name(self, country: str, value: str) -> str:
        row = self.by_key.get((country, key(value))) if value else None
        return row["name"] if row else ""


class _Grid:
    """Records bucketed by 0.1 degree cells, to find merge partners nearby."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[Rec]] = defaultdict(list)

    def add(self, rec: Rec) -> None:
        self.cells[(int(math.floor(rec.lat * 10)), int(math.floor(rec.lon * 10)))].append(rec)

    def near(self, lat: float, lon: float, reach: int = 1) -> Iterable[Rec]:
        ci, cj = int(math.floor(lat * 10)), int(math.floor(lon * 10))
        for i in range(ci - reach, ci + reach + 1):
            for j in range(cj - reach, cj + reach + 1):
                yield from self.cells.get((i, j), ())


def _feature_for(code: str, population: int, placetype: str) -> str:
    if placetype == "neighbourhood" or code == "PPLX":
        return "neighbourhood"
    if placetype == "campus":
        return "landmark"
    if code in ("PPLC", "PPLA") or population >= 100_000:
        return "city"
    if code == "PPLA2" or population >= 10_000:
        return "town"
    return "village"


_LONE_LETTER = re.compile(r"(?:^|\s)[A-Za-z](?:\s|$)")


def _display_name(row: dict[str, str]) -> str:
    """The name to print for a Who's On First row: its Latin-script name without diacritics marks. A name
    that lost an apostrophe to a space ("Dar a") gives way to the English name ("Daraa") when there is one."""
    english = [n for n in map(clean_name, split_names(row["name_eng"])) if n and not is_arabic(n)]
    for cand in (row["gn_asciiname"], row["name"], *english):
        cand = clean_name(cand)
        if not cand or is_arabic(cand):
            continue
        if _LONE_LETTER.search(cand) and any(not _LONE_LETTER.search(e) for e in english):
            continue
        return _strip_marks(cand)
    return clean_name(row["name"])


def _strip_marks(name: str) -> str:
    out = unicodedata.normalize("NFKD", name)
    out = "".join(c for c in out if not unicodedata.combining(c))
    out = out.replace("‘", "'").replace("’", "'").replace("`", "'").replace("ʿ", "'").replace("ʾ", "'")
    return " ".join(w.strip("'") or w for w in out.split())


def _wof_records(src: Path, admin1: Admin1Table) -> tuple[list[Rec], list[Rec], list[Rec], list[Rec]]:
    """Who's On First rows as (countries, admin1s, admin2s, places)."""
    countries, regions, counties, places = [], [], [], []
    for row in _read_tsv(src / "whosonfirst_sy_iq.tsv"):
        if row["deprecated"].strip():
            continue
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
        except ValueError:
            continue
        pop = int(row["population"]) if row["population"].isdigit() else 0
        names = [row["name"], *split_names(row["name_eng"]), row["gn_name"], row["gn_asciiname"]]
        names += [n for n in split_names(row["name_ara"]) if is_arabic(n)]
        ptype, country = row["placetype"], row["country"]
        rec = Rec(id=f"wof:{row['wof_id']}", feature="", country=country, lat=lat, lon=lon,
                  name=_display_name(row), population=pop,
                  admin1=admin1.name(country, row["region"]), admin2=row["county"].strip(), source="wof")
        if not rec.name:
            continue
        if row["gn_id"] and row["gn_id"] != "0":
            rec.ids.append(f"gn:{row['gn_id']}")
        rec.add_names(names)
        rec.add_names(split_names(row["names_other"]), other=True)
        if ptype == "country":
            rec.feature, rec.admin1, rec.admin2 = "country", "", ""
            countries.append(rec)
        elif ptype == "region":
            row1 = admin1.by_gn.get(row["gn_id"]) or admin1.by_key.get((country, key(row["name"])))
            if not row1:
                continue  # a region outside Syria and Iraq's governorates (Akkar, UNDOF zone)
            rec.feature, rec.admin1, rec.admin2 = "admin1", row1["name"], ""
            regions.append(rec)
        elif ptype == "county":
            rec.feature, rec.admin2 = "admin2", rec.name
            counties.append(rec)
        else:
            rec.feature = _feature_for(row["gn_feature_code"], pop, ptype)
            places.append(rec)
    return countries, regions, counties, places


def _ocha_records(src: Path, admin1: Admin1Table) -> list[Rec]:
    out = []
    for row in _read_tsv(src / "ocha_syria_communities.tsv"):
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
        except ValueError:
            continue
        adm2 = row["admin2_en"].strip()
        admins = [x for x in (adm2, row["admin3_en"], row["admin1_en"]) if x]
        admin_keys = {key(x) for x in admins} | {skeleton(x) for x in admins}
        base = clean_name(row["name_base"]) or clean_name(row["name_en"])
        if not base:
            continue
        sa = row["kind"] == "sa_only"
        if sa and not admin1.name("SY", row["admin1_en"]):
            # An extra point whose governorate column holds something else (its own name) has shifted
            # columns: its coordinates cannot be trusted either.
            continue
        rec = Rec(id=f"ocha:{row['pcode']}" if not sa else f"ocha:{row['pcode']}-{row['id']}",
                  feature="neighbourhood" if sa else "village", country="SY", lat=lat, lon=lon,
                  name=base, admin1=admin1.name("SY", row["admin1_en"]), admin2=adm2, source="ocha")
        # "Arabic name - Kurdish name": both parts name the village, unless a part is the district's
        # or sub-district's name ("Ras El Ein - Yabrud" is Ras El Ein near Yabrud).
        alts = [a for a in split_names(row["alt_en"]) if not {key(a), skeleton(a)} & admin_keys]
        if " - " in base:
            alts += [p for p in base.split(" - ") if not {key(p), skeleton(p)} & admin_keys]
        rec.add_names([row["name_en"] if "(" not in row["name_en"] else "", *alts])
        if is_arabic(row["name_ar"]):
            rec.add_names([row["name_ar"].replace("- ", " ").strip()])
            if sa and row["name_ar"].startswith("حي "):
                rec.add_names([row["name_ar"][3:]])
        out.append(rec)
    return out


def _geonames_cities(src: Path) -> dict[str, dict[str, str]]:
    return {row["geonameid"]: row for row in _read_tsv(src / "geonames_cities1000_sy_iq.tsv")}


def _own_records() -> list[Rec]:
    """The project's hand-written world, speaker-city, site and region tables."""
    out = []
    for row in read_own_table("world.tsv"):
        iso = row["iso"]
        if iso in ("SY", "IQ"):
            continue
        c = Rec(id=f"world:{iso}", feature="country", country=iso, lat=float(row["lat"]),
                lon=float(row["lon"]), name=row["country"], source="own")
        c.add_names(split_names(row["country_variants"]))
        cap = Rec(id=f"world:{iso}-capital", feature="capital", country=iso, lat=float(row["cap_lat"]),
                  lon=float(row["cap_lon"]), name=row["capital"], population=1_000_000, source="own")
        cap.add_names(split_names(row["capital_variants"]))
        out += [c, cap]
    for row in read_own_table("speakers.tsv"):
        rec = Rec(id=f"world:{row['country']}-{key(row['name'])}", feature="city", country=row["country"],
                  lat=float(row["lat"]), lon=float(row["lon"]), name=row["name"],
                  population=int(row["population"]), source="own")
        rec.add_names(split_names(row["variants"]))
        out.append(rec)
    for row in read_own_table("sites.tsv"):
        # Printed with its kind ("Tabqa dam"); matched also by its own name, which a query's facility words
        # of the same class pick out from the town of that name (resolve: facility classes).
        label = SITE_LABELS.get(row["feature"], "")
        rec = Rec(id=f"site:{key(row['name'])}-{row['feature']}", feature=row["feature"],
                  country=row["country"], admin1=row["admin1"], lat=float(row["lat"]), lon=float(row["lon"]),
                  name=f"{row['name']} {label}".strip(), source="own")
        rec.add_names([row["name"], *split_names(row["variants"])])
        out.append(rec)
    for row in read_own_table("regions.tsv"):
        rec = Rec(id=f"region:{key(row['name'])}", feature="region", country=row["country"],
                  admin1=row.get("admin1") or "", lat=float(row["lat"]), lon=float(row["lon"]),
                  name=row["name"], source="own")
        rec.add_names(split_names(row["variants"]))
        out.append(rec)
    return out


def _merge_into(target: Rec, other: Rec) -> None:
    target.add_names([other.name, *other.names])
    target.add_names(other.other, other=True)
    for i in [other.id, *other.ids]:
        if i not in target.ids and i != target.id:
            target.ids.append(i)
    target.population = max(target.population, other.population)
    target.admin1 = target.admin1 or other.admin1
    target.admin2 = target.admin2 or other.admin2
    rank = {"city": 3, "town": 2, "village": 1}
    if rank.get(other.feature, 0) > rank.get(target.feature, 0) and target.feature in rank:
        target.feature = other.feature


def _merge_places(primary: list[Rec], secondary: list[Rec]) -> list[Rec]:
    """Add ``secondary`` records to ``primary``, merging each into the nearest primary record of another
    source that shares a name key within the merge radius."""
    grid = _Grid()
    keys: dict[int, set[str]] = {}
    for rec in primary:
        grid.add(rec)
        keys[id(rec)] = rec.keys()
    out = list(primary)
    for rec in secondary:
        rk = rec.keys()
        reach_km = MERGE_KM.get(rec.feature, DEFAULT_MERGE_KM)
        best, best_d = None, reach_km
        for cand in grid.near(rec.lat, rec.lon):
            same = cand.source == rec.source
            if cand.feature in ("admin1", "admin2", "country"):
                continue
            d = km(rec.lat, rec.lon, cand.lat, cand.lon)
            limit = max(reach_km, MERGE_KM.get(cand.feature, DEFAULT_MERGE_KM))
            if same:  # one source's duplicates: only the same primary name, very close
                same_limit = limit if cand.feature in MERGE_KM else SAME_SOURCE_KM
                if d > same_limit or key(cand.name) != key(rec.name):
                    continue
            close = d <= limit and d <= best_d + (limit - reach_km)
            if close and keys[id(cand)] & rk and (best is None or d < best_d):
                best, best_d = cand, d
        if best is not None:
            _merge_into(best, rec)
            keys[id(best)] |= rk
        else:
            grid.add(rec)
            keys[id(rec)] = rk
            out.append(rec)
    return out


def _fill_admin1(recs: list[Rec]) -> None:
    """A place without a governorate takes the one of its nearest neighbour that has one (within 25 km)."""
    grid = _Grid()
    for r in recs:
        if r.admin1 and r.feature not in ("country", "region", "capital"):
            grid.add(r)
    for r in recs:
        if r.admin1 or r.feature in ("country", "region", "capital") or r.country not in ("SY", "IQ"):
            continue
        best, best_d = None, 25.0
        for cand in grid.near(r.lat, r.lon, reach=3):
            if cand.country != r.country:
                continue
            d = km(r.lat, r.lon, cand.lat, cand.lon)
            if d < best_d:
                best, best_d = cand, d
        if best is not None:
            r.admin1 = best.admin1


def _mark_neighbourhoods(recs: list[Rec]) -> None:
    """OCHA's extra points inside a big city are its quarters; elsewhere they are villages or landmarks."""
    cities = [r for r in recs if r.feature == "city" and r.country == "SY"]
    for r in recs:
        if r.source != "ocha" or r.feature != "neighbourhood":
            continue
        if not any(km(r.lat, r.lon, c.lat, c.lon) < 10 for c in cities):
            r.feature = "village"


def build_records(src: Path) -> list[Rec]:
    """Every merged record, from the shared sources in ``src``."""
    missing = [name for name in SOURCES if not (src / name).is_file()]
    if missing:
        raise UserError(f"{src} does not hold the gazetteer sources ({', '.join(missing)} missing); "
                        "pass --from ../shared/data/gazetteer.")
    admin1 = Admin1Table()
    countries, regions, counties, wof_places = _wof_records(src, admin1)

    # GeoNames cities: population and alternate names for the Who's On First record of the same id.
    cities = _geonames_cities(src)
    by_gn = {i[3:]: r for r in wof_places for i in r.ids if i.startswith("gn:")}
    for gid, row in sorted(cities.items()):
        pop = int(row["population"] or 0)
        names = [row["name"], row["asciiname"], *split_names(row["alternatenames"])]
        rec = by_gn.get(gid)
        if rec is None:
            rec = Rec(id=f"gn:{gid}", feature="", country=row["country_code"], lat=float(row["latitude"]),
                      lon=float(row["longitude"]), name=clean_name(row["asciiname"]), source="gn")
            wof_places.append(rec)
        rec.population = max(rec.population, pop)
        rec.add_names(names[:2])
        rec.add_names(names[2:], other=True)
        rec.feature = _feature_for(row["feature_code"], rec.population, "locality")

    # GeoNames governorates: their alternate names join the admin1 records.
    by_gn_region = {i[3:]: r for r in regions for i in r.ids}
    for row in _read_tsv(src / "geonames_subdivisions_sy_iq.tsv", header=False):
        if len(row) > 5 and row[3] in by_gn_region:
            by_gn_region[row[3]].add_names([row[0], *split_names(row[5])], other=True)
    seen_adm1: dict[str, Rec] = {}
    for r in list(regions):  # two source regions for one governorate (a former name): one record
        if r.admin1 in seen_adm1:
            _merge_into(seen_adm1[r.admin1], r)
            regions.remove(r)
        else:
            seen_adm1[r.admin1] = r
    for r in regions:  # the printed name first, the sources' spellings after it
        row1 = next(x for x in admin1.rows if x["name"] == r.admin1)
        r.add_names([r.name, *split_names(row1["variants"])])
        r.name = row1["name"]
        r.names = [n for n in r.names if n != r.name]
        r.id = f"adm1:{row1['iso']}"

    ocha = _ocha_records(src, admin1)
    ocha.sort(key=lambda r: (r.feature != "village", r.id))
    # Cities first (their wide merge radius), then OCHA's surveyed points, then the rest of WOF.
    big = sorted((r for r in wof_places if r.feature in ("city", "town")), key=lambda r: r.id)
    rest = sorted((r for r in wof_places if r.feature not in ("city", "town")), key=lambda r: r.id)
    places = _merge_places(big, [r for r in ocha if r.feature == "village"])
    places = _merge_places(places, rest)
    places = _merge_places(places, [r for r in ocha if r.feature != "village"])
    _mark_neighbourhoods(places)
    recs = countries + regions + counties + places + _own_records()
    _fill_admin1(recs)
    return sorted(recs, key=lambda r: r.id)


def _row(r: Rec) -> list[str]:
    return [r.id, r.feature, r.country, r.admin1, r.admin2, f"{r.lat:.5f}", f"{r.lon:.5f}",
            str(r.population or ""), r.name, "|".join(r.names), "|".join(r.other), "|".join(r.ids)]


def write_records(recs: list[Rec], out: Path) -> int:
    """Write the gzip TSV deterministically (fixed gzip mtime and no file name in the header)."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\", lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in recs:
        writer.writerow([v.replace("\t", " ") for v in _row(r)])
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as fh, gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0,
                                             compresslevel=9) as gz:
        gz.write(buf.getvalue().encode("utf-8"))
    return len(recs)


def build(src: Path | str, out: Path | str = OUTPUT) -> int:
    """Build the gazetteer from ``src`` (the shared gazetteer folder) into ``out``; returns the count."""
    src, out = Path(src), Path(out)
    if not src.is_dir():
        raise UserError(f"{src} is not a folder; pass --from ../shared/data/gazetteer.")
    return write_records(build_records(src), out)


__all__ = ["build", "build_records", "write_records", "fold", "OUTPUT", "COLUMNS", "km"]

"""The gazetteer's cached index file (geo/index.py) answers exactly as the index it was written from."""

from __future__ import annotations

from strikewatch.geo import geocode
from strikewatch.geo.gazetteer import Gazetteer, Place, read_shipped
from strikewatch.geo.index import read, write

# Invented places: two namesakes in different governorates, a settlement with parts, a district.
_PLACES = [
    Place(id="t:1", name="Tell Qarnab", feature="village", country="SY", lat=35.10, lon=37.20,
          admin1="Hama", admin2="Salamiyeh", names=("Tal Qarnab",)),
    Place(id="t:2", name="Tell Qarnab", feature="village", country="SY", lat=36.40, lon=37.90,
          admin1="Aleppo", admin2="Al Bab"),
    Place(id="t:3", name="Eastern Qarnab", feature="village", country="SY", lat=36.41, lon=37.91,
          admin1="Aleppo", admin2="Al Bab"),
    Place(id="t:4", name="Hama", feature="admin1", country="SY", lat=35.13, lon=36.75, admin1="Hama"),
    Place(id="t:5", name="Aleppo", feature="admin1", country="SY", lat=36.2, lon=37.15, admin1="Aleppo"),
    Place(id="t:6", name="Al Bab", feature="admin2", country="SY", lat=36.37, lon=37.51, admin1="Aleppo",
          admin2="Al Bab"),
    Place(id="t:7", name="Wadi Sumbul", feature="region", country="IQ", lat=33.5, lon=43.1, admin1="Anbar",
          population=0, other=("Wady Sombol",)),
]

_QUERIES = ["Tell Qarnab", "near Tal Qarnab, Aleppo", "Tell Qarnab, Hama province", "Eastern Qarnab",
            "Tel Karnab", "Wady Sombol", "Wadi Sambool", "Al Bab district", "Qarnab", "Nowhere at all"]


def _answers(gaz: Gazetteer) -> list[list[dict]]:
    return [[c.to_dict() for c in geocode(q, limit=5, gazetteer=gaz)] for q in _QUERIES]


def test_index_file_answers_as_the_built_index(tmp_path):
    built = Gazetteer().extend(_PLACES).prepare()
    path = tmp_path / "index.sqlite"
    write(path, built)
    back = read(path)
    assert back is not None and len(back) == len(built)
    assert _answers(back) == _answers(built)
    # one object per place: scoring compares places by identity
    assert back.places[1] is back.places[1]
    assert [p.id for p in back.places] == [p.id for p in built.places]


def test_unprepared_index_and_places_added_later(tmp_path):
    built = Gazetteer().extend(_PLACES[:4])  # never prepared: the search tables are made on first use
    path = tmp_path / "index.sqlite"
    write(path, built)
    back = read(path)
    assert _answers(back) == _answers(built)
    extra = [Place(id="t:9", name="Qasr Nimrat", feature="village", country="IQ", lat=34.0, lon=42.0,
                   admin1="Anbar")]
    back.extend(extra)
    built.extend(extra)
    assert _answers(back) == _answers(built)
    assert geocode("Qasr Nimrat", gazetteer=back)[0].gazetteer_id == "t:9"


def test_a_file_that_is_no_index_is_not_read(tmp_path):
    bad = tmp_path / "index.sqlite"
    bad.write_bytes(b"not a database at all")
    assert read(bad) is None


def test_shipped_index_round_trip_on_a_sample(tmp_path):
    sample = [p for p in read_shipped() if p.admin1 in ("Idlib", "Deir ez-Zor")][:3000]
    built = Gazetteer().extend(sample).prepare()
    path = tmp_path / "index.sqlite"
    write(path, built)
    back = read(path)
    names = [p.name for p in sample[::97]]
    queries = names + [f"near {n}" for n in names[:10]] + [n[:-1] + "e" for n in names[:10] if len(n) > 4]
    for q in queries:
        got = [c.to_dict() for c in geocode(q, gazetteer=back)]
        assert got == [c.to_dict() for c in geocode(q, gazetteer=built)]

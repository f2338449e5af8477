"""The shipped gazetteer rebuilds byte for byte from the shared sources (skipped without ../shared)."""

from __future__ import annotations

import gzip

from strikewatch.geo.build import COLUMNS, OUTPUT, build


def test_shipped_gazetteer_rebuilds_identically(shared_data, tmp_path):
    out = tmp_path / "gazetteer.tsv.gz"
    n = build(shared_data / "gazetteer", out)
    assert n > 30_000
    assert out.read_bytes() == OUTPUT.read_bytes(), "run `make gazetteer` and commit the result"


def test_shipped_gazetteer_is_small_and_complete():
    assert OUTPUT.stat().st_size < 5_000_000
    with gzip.open(OUTPUT, "rt", encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        rows = [line.rstrip("\n").split("\t") for line in fh]
    assert tuple(header) == COLUMNS
    features = {r[1] for r in rows}
    expected = {"admin1", "admin2", "city", "town", "village", "neighbourhood", "country", "capital",
                "region"}
    assert expected <= features
    countries = {r[2] for r in rows}
    assert {"SY", "IQ", "RU", "FR", "US", "TR", "IR", "LB"} <= countries
    ids = [r[0] for r in rows]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    # Merged records keep the ids and the Arabic names of every source.
    merged = [r for r in rows if r[0].startswith("ocha:") and "wof:" in r[11]]
    assert len(merged) > 3000
    assert any(any("\u0600" <= ch <= "\u06ff" for ch in r[9]) for r in merged[:50])


def test_a_name_that_lost_its_apostrophe_gives_way_to_the_english_one():
    from strikewatch.geo.build import _display_name

    row = {"gn_asciiname": "", "name": "Qal a", "name_eng": "Qal'a|Qala"}
    assert _display_name(row) == "Qal'a"
    # Without an English name the source's own stays (Kurdish "i" joins words: "Kani Hah Najir I Sirwan").
    kurdish = {"gn_asciiname": "", "name": "Kani Zard I Barz", "name_eng": ""}
    assert _display_name(kurdish) == "Kani Zard I Barz"

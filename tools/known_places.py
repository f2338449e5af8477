"""Write ``src/strikewatch/geo/data/known_places.txt``: the names a report may write bare ("the siege of
Mosul", "SDF fighters isolate Raqqa") and still mean the place. They are the shipped gazetteer's countries,
capitals, governorates, districts and its cities and towns of 20,000 people or more, in the spellings the
gazetteer lists as the place's own (``name`` and ``names``, Latin script), plus the countries of
``world.tsv`` (not their capitals, which bare mostly stand for a government: "Moscow denied"). Facts
from the project's own gazetteer build, no benchmark involved.

    .venv/bin/python tools/known_places.py
"""

from __future__ import annotations

import csv
import gzip
import re
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "src" / "strikewatch" / "geo" / "data"
MIN_POPULATION = 20_000
KINDS = {"country", "capital", "admin1", "admin2"}
_LATIN = re.compile(r"^[A-Z][A-Za-z'’\- ]{2,40}$")


def main() -> None:
    names: set[str] = set()
    with gzip.open(DATA / "gazetteer.tsv.gz", "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["feature"] == "capital" and row["country"] not in ("SY", "IQ"):
                continue  # "Ankara said": a government, not a place
            if row["feature"] in KINDS or int(row["population"] or 0) >= MIN_POPULATION:
                for n in [row["name"], *(row["names"] or "").split("|")]:
                    n = n.strip()
                    if _LATIN.match(n) and not n.lower().endswith((" governorate", " province", " district")):
                        names.add(n)
    with (DATA / "world.tsv").open(encoding="utf-8") as fh:
        rows = csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t")
        for row in rows:
            # a foreign capital written bare is mostly its government ("Moscow denied"): countries only
            for col in ("country", "country_variants"):
                for n in (row.get(col) or "").split("|"):
                    n = n.strip()
                    if _LATIN.match(n):
                        names.add(n)
    out = DATA / "known_places.txt"
    head = ("# Names a report may write without 'in' or 'near' and still mean the place\n"
            "# (tools/known_places.py, from the shipped gazetteer and world.tsv).\n")
    out.write_text(head + "\n".join(sorted(names)) + "\n", encoding="utf-8")
    print(f"{out}: {len(names)} names")


if __name__ == "__main__":
    main()

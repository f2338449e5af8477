"""Every distinct place of the coalition strike lines resolves in the right country (Syria or Iraq).

Reads ../shared/data/benchmarks/centcom/strike_lines_refined.csv (evaluation only). Each distinct
(location, country) is geocoded as the release line gives it ("near <location>") twice: with the
country of the release heading (as `extract` does: "Strikes in Syria") and with no country at all.

    .venv/bin/python bench/geocode_centcom.py
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from strikewatch.geo import default_gazetteer, geocode

ROOT = Path(__file__).resolve().parent.parent
LINES = ROOT.parent / "shared" / "data" / "benchmarks" / "centcom" / "strike_lines_refined.csv"
CODES = {"syria": "SY", "iraq": "IQ"}


def places() -> list[tuple[str, str]]:
    out = set()
    with LINES.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            country = CODES.get(r["country"].split(",")[-1].strip().lower())
            if r["location"].strip() and country:
                out.add((r["location"].strip(), country))
    return sorted(out)


def main() -> int:
    if not LINES.is_file():
        print(f"{LINES} is absent: this benchmark needs ../shared/data.", file=sys.stderr)
        return 1
    gaz = default_gazetteer()
    todo = places()
    for label, hint in (("with the release's country", True), ("with no country hint", False)):
        right, wrong = 0, []
        for place, country in todo:
            cands = geocode(f"near {place}", country=country if hint else None, limit=1, gazetteer=gaz)
            got = cands[0].country if cands else None
            if got == country:
                right += 1
            else:
                answer = f"{cands[0].name}, {got}" if cands else "nothing"
                wrong.append(f"{place} ({country}) -> {answer}")
        print(f"{label:<28} {right}/{len(todo)} distinct places in the right country = "
              f"{100 * right / len(todo):.1f}%")
        for w in wrong:
            print(f"    {w}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The work of a cold batch, for instruction counting: wall-clock speed on a shared machine swings by
10-40% within minutes, instruction counts do not.

Loads the gazetteer (from the index cache: run the script once first) and answers one query; with
``--queries`` it then answers the 4,278 distinct queries of ``bench/geocode_speed.py`` through
``geocode_lines``, as a fresh batch would. The queries' work is the count of a run with ``--queries``
minus the count of a run without::

    .venv/bin/python bench/geocode_work.py
    valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \\
        .venv/bin/python bench/geocode_work.py --queries
    valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \\
        .venv/bin/python bench/geocode_work.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> int:
    from geocode_speed import queries

    from strikewatch.geo import default_gazetteer
    from strikewatch.geo.batch import geocode_lines

    gaz = default_gazetteer()
    list(geocode_lines(["Aleppo"], country="SY", gazetteer=gaz))
    distinct = list(dict.fromkeys(queries()))
    if "--queries" in sys.argv[1:]:
        answered = sum(1 for _ in geocode_lines(distinct, country="SY", gazetteer=gaz))
        print(f"{answered} distinct queries answered")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""End-to-end ingest rate (documents/s) into SQLite and into PostgreSQL.

The documents are the coalition's daily strike releases rebuilt from ../shared/data (one document per
release date, its lines joined), read at benchmark time only. Extraction runs once (it does not depend on
the database) and is timed; then the same extractions are stored, fused and indexed in each back end.
The end-to-end rate is documents / (extraction time + storage time). Times are CPU seconds of this
process (time.process_time) and wall seconds; PostgreSQL's server CPU is not in the CPU figure.

    .venv/bin/python bench/ingest_rate.py [--limit N] [--pg URL]

Without --pg (or $STRIKEWATCH_TEST_PG) a throwaway PostgreSQL server is started with tools/pg-throwaway.sh.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "benchmarks" / "centcom" / "strike_lines_refined.csv"


def releases(limit: int | None) -> list:
    """One Document per release date: the header sentence and that day's strike lines."""
    from strikewatch.ids import document_id
    from strikewatch.records import Document

    by_date: dict[str, list[str]] = defaultdict(list)
    with DATA.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            by_date[row["date"]].append(row["line"].strip())
    docs = []
    for raw in sorted(by_date, key=lambda d: datetime.strptime(d, "%m/%d/%Y")):
        day = datetime.strptime(raw, "%m/%d/%Y").date()
        text = "\n".join(by_date[raw]) + "\n"
        docs.append(
            Document(
                id=document_id(text),
                text=text,
                published=day,
                outlet="CENTCOM",
                kind="military",
                source=f"centcom:{day.isoformat()}",
            )
        )
        if limit and len(docs) >= limit:
            break
    return docs


def _timed(fn):  # noqa: ANN001, ANN202
    cpu, wall = time.process_time(), time.perf_counter()
    out = fn()
    return out, time.process_time() - cpu, time.perf_counter() - wall


def store_into(url: str, extractions: list, fuse: str = "each") -> tuple[object, float, float]:
    from strikewatch.pipeline import ingest
    from strikewatch.store import Store

    def run():  # noqa: ANN202
        with Store(url) as store:
            return ingest(store, extractions, fuse=fuse)

    return _timed(run)


def pg_database(base: str) -> str:
    import sqlalchemy as sa

    name = "bench_" + uuid.uuid4().hex[:10]
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return base.rsplit("/", 1)[0] + "/" + name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="at most this many release documents")
    parser.add_argument("--pg", default=os.environ.get("STRIKEWATCH_TEST_PG"), help="PostgreSQL server URL")
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"benchmark data missing: {DATA}")

    from strikewatch.pipeline import extract_document

    docs = releases(args.limit)
    n_lines = sum(d.text.count("\n") for d in docs)
    extractions, ex_cpu, ex_wall = _timed(lambda: [extract_document(d) for d in docs])
    n_events = sum(len(x.events) for x in extractions)
    print(f"documents: {len(docs)} releases, {n_lines} strike lines, {n_events} events extracted")
    print(f"extraction: {ex_cpu:.1f} s CPU, {ex_wall:.1f} s wall ({len(docs) / ex_cpu:.1f} documents/s CPU)")

    pg_dir = None
    base = args.pg
    if not base:
        out = subprocess.run(
            ["bash", str(ROOT / "tools" / "pg-throwaway.sh"), "start"], capture_output=True, text=True
        )
        if out.returncode == 0:
            pg_dir, base = out.stdout.splitlines()[:2]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            targets = [("SQLite", f"sqlite:///{tmp}/bench.db", f"sqlite:///{tmp}/bulk.db")]
            if base:
                targets.append(("PostgreSQL", pg_database(base), pg_database(base)))
            else:
                print("PostgreSQL: no server could be started; skipped")
            for name, url, bulk_url in targets:
                summary, cpu, wall = store_into(url, extractions)
                # A release whose lines repeat another day's word for word is the same text: stored once.
                assert summary.documents_new + summary.documents_unchanged == len(docs), summary.to_dict()
                print(
                    f"{name}: stored {summary.documents_new} documents ({summary.documents_unchanged} repeat "
                    f"another's text), {summary.events} events; incidents {summary.incidents_created} "
                    f"created, {summary.incidents_updated} updated, {summary.incidents_removed} merged away"
                )
                print(
                    f"{name}: storage+fusion per document {cpu:.1f} s CPU, {wall:.1f} s wall = "
                    f"{len(docs) / cpu:.1f} documents/s CPU, {len(docs) / wall:.1f} documents/s wall"
                )
                print(
                    f"{name}: end to end (extract + store) {len(docs) / (ex_cpu + cpu):.1f} documents/s CPU, "
                    f"{len(docs) / (ex_wall + wall):.1f} documents/s wall"
                )
                again, cpu2, wall2 = store_into(url, extractions)
                assert again.documents_new == 0 and again.documents_unchanged == len(docs)
                print(
                    f"{name}: re-ingest of the same documents {len(docs) / wall2:.0f} documents/s wall "
                    "(all unchanged)"
                )
                bulk, cpu3, wall3 = store_into(bulk_url, extractions, fuse="end")
                assert bulk.documents_new == summary.documents_new
                print(
                    f"{name}: bulk load (fuse='end') {len(docs) / cpu3:.1f} documents/s CPU, "
                    f"{len(docs) / wall3:.1f} documents/s wall"
                )
    finally:
        if pg_dir:
            subprocess.run(
                ["bash", str(ROOT / "tools" / "pg-throwaway.sh"), "stop", pg_dir], capture_output=True
            )
    print(f"run on {date.today().isoformat()}")


if __name__ == "__main__":
    main()

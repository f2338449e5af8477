"""Scale-out: the whole `strikewatch ingest --workers N` on real news-length documents, SQLite and PostgreSQL.

Corpus (read at run time, never copied into the project): the body of the Wikipedia battle articles in
``../shared/data/benchmarks/wikipedia-battles`` cut at paragraph ends into documents of about ``--words``
words, with one FA-KES news article (``fa-kes/FA-KES-Dataset.csv``) after every three, to ``--docs``
documents; repeated (with a numbered line, so each repeat is a new document) only when more are asked
for than the two sets hold. ``--samples`` uses the project's own sample reports instead (variants with
their places, dates and numbers substituted from the lists below).

Each run is the real command in a fresh process tree (the CLI, its Dask LocalCluster, the workers) on a
fresh database, so start-up, the cluster's start and the final fusion are all in the figure:

    strikewatch ingest corpus.jsonl --workers N --db URL --no-progress --format json

Printed per run: wall-clock seconds, the CPU-seconds of the whole process tree (sampled every 0.25 s
with psutil, so the speed-up an idle 2-core machine would show can be checked against the CPU spent), the
peak RSS of the main process and of the largest worker, and the load average before and after (other
people's jobs share this machine: a wall-clock speed-up is only clean when the load before was low).

``--profile`` instead runs one parallel ingest in this process with cProfile in the main process and in
every worker (``Client.run``) and prints where the time goes.

    .venv/bin/python bench/scale.py [--docs 600] [--words 1600] [--db sqlite,postgresql] [--workers 1,2]
    .venv/bin/python bench/scale.py --samples --docs 2000
    .venv/bin/python bench/scale.py --profile --docs 200
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
BIN = Path(sys.executable).parent

# Our own substitution lists for --samples (not taken from any benchmark).
PLACES = [
    "Raqqa", "Mosul", "Manbij", "Hit", "Fallujah", "Tikrit", "Idlib", "Palmyra", "Deir ez-Zor", "Kirkuk",
    "Tal Afar", "Ramadi", "Homs", "Hama", "Baiji", "Al-Bab", "Jarabulus", "Qaim", "Haditha", "Sinjar",
    "Tabqa", "Ain Issa", "Daraa", "Hasakah", "Qamishli", "Samarra", "Baqubah", "Rutba", "Abu Kamal",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
_MONTH = re.compile(r"\b(" + "|".join(MONTHS) + r")\b")
_YEAR = re.compile(r"\b(201[0-9])\b")
_NUMBER = re.compile(r"(?<![\d.,/-])\b([2-9]|[1-9][0-9]{1,2})\b(?![\d.,/-])")


# ---------------------------------------------------------------------------------------------- corpora

def real_documents(data: Path, n: int, words: int) -> list[dict]:
    """Wikipedia chunks of about ``words`` words interleaved with FA-KES articles, ``n`` in all."""
    wiki: list[dict] = []
    # ids short of 64 characters: PostgreSQL's documents.id is VARCHAR(64) (a longer given id fails there)
    for a, path in enumerate(sorted((data / "benchmarks/wikipedia-battles/articles").glob("*.md"))):
        text = path.read_text(encoding="utf-8", errors="replace")
        body = re.split(r"^---\s*$", text, maxsplit=2, flags=re.M)[-1]
        part: list[str] = []
        count = k = 0
        for para in body.split("\n\n"):
            part.append(para)
            count += len(para.split())
            if count >= words:
                wiki.append({"id": f"wiki-{a}-{k}", "text": "\n\n".join(part),
                             "published": "2023-07-31"})
                part, count, k = [], 0, k + 1
    csv.field_size_limit(1 << 26)
    fakes: list[dict] = []
    with (data / "benchmarks/fa-kes/FA-KES-Dataset.csv").open(encoding="utf-8", errors="replace") as fh:
        for row in csv.DictReader(fh):
            fakes.append({"id": f"fakes-{row['unit_id']}", "text": row["article_content"]})
    pool: list[dict] = []
    for k, doc in enumerate(wiki):  # a news article after every 3 Wikipedia documents: any prefix is alike
        pool.append(doc)
        if k % 3 == 2 and k // 3 < len(fakes):
            pool.append(fakes[k // 3])
    out = []
    for i in range(n):
        doc = dict(pool[i % len(pool)])
        if i >= len(pool):  # a repeat is a new document: its own id and a line of its own
            doc["id"] = f"{doc['id']}-r{i // len(pool)}"
            doc["text"] += f"\n\nRepeat {i // len(pool)}."
        out.append(doc)
    return out


def sample_documents(n: int, seed: int = 7) -> list[dict]:
    """Variants of the project's own sample reports (months, years, numbers and places substituted)."""
    from strikewatch.errors import DocumentError
    from strikewatch.ingest import read_paths

    docs = [d for d in read_paths([str(ROOT / "samples" / "reports")]) if not isinstance(d, DocumentError)]
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        doc = docs[i % len(docs)]
        text = doc.text
        year, month = rnd.choice([2014, 2015, 2016, 2017, 2018, 2019]), rnd.randrange(12)
        for p in [p for p in PLACES if p in text]:
            text = text.replace(p, rnd.choice(PLACES))
        text = _MONTH.sub(lambda m, k=month: MONTHS[(MONTHS.index(m.group(1)) + k) % 12], text)
        text = _YEAR.sub(str(year), text)
        text = _NUMBER.sub(lambda m: str(rnd.randint(2, 60)), text)
        published = date(year, month + 1, 1) + timedelta(days=rnd.randrange(28))
        text += f"\n\nReference {i}."  # short posts have nothing to substitute; equal texts are stored once
        out.append({"id": f"scale-{i}", "text": text, "published": published.isoformat(),
                    "outlet": doc.outlet, "kind": doc.kind})
    return out


def write_jsonl(path: Path, docs: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(d) + "\n")


# --------------------------------------------------------------------------------------------- databases

class Postgres:
    """A throwaway PostgreSQL server (tools/pg-throwaway.sh), one fresh database per run."""

    def __init__(self) -> None:
        out = subprocess.run(["bash", str(ROOT / "tools/pg-throwaway.sh"), "start"], capture_output=True,
                             text=True, check=True).stdout.split()
        self.dir, self.url = out[0], out[1]
        self.n = 0

    def fresh(self) -> str:
        import sqlalchemy as sa

        self.n += 1
        name = f"bench{self.n}"
        engine = sa.create_engine(self.url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text(f"CREATE DATABASE {name}"))
        engine.dispose()
        return self.url.rsplit("/", 1)[0] + "/" + name

    def stop(self) -> None:
        subprocess.run(["bash", str(ROOT / "tools/pg-throwaway.sh"), "stop", self.dir], check=False)


# ------------------------------------------------------------------------------------------------ a run

def run_ingest(corpus: Path, url: str, workers: int | None) -> dict:
    """``strikewatch ingest`` in a fresh process tree; wall time, tree CPU, peak RSS, load."""
    import psutil

    cmd = [str(BIN / "strikewatch"), "ingest", str(corpus), "--db", url, "--no-progress", "--format", "json"]
    if workers is not None:
        cmd += ["--workers", str(workers)]
    load0 = os.getloadavg()[0]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    top = psutil.Process(proc.pid)
    cpu: dict[int, float] = {}
    peak_main = peak_worker = 0
    while proc.poll() is None:
        try:
            tree = [top, *top.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        for p in tree:
            try:
                with p.oneshot():
                    c = p.cpu_times()
                    cpu[p.pid] = c.user + c.system
                    rss = p.memory_info().rss
            except psutil.NoSuchProcess:
                continue
            if p.pid == proc.pid:
                peak_main = max(peak_main, rss)
            else:
                peak_worker = max(peak_worker, rss)
        time.sleep(0.25)
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"ingest failed ({proc.returncode}): {err.strip()[-500:]}")
    summary = json.loads(out)
    return {"workers": workers, "wall": wall, "cpu": sum(cpu.values()), "main_cpu": cpu.get(proc.pid, 0.0),
            "main_peak": peak_main,
            "worker_peak": peak_worker, "load0": load0, "load1": os.getloadavg()[0],
            "new": summary["documents_new"], "events": summary["events"],
            "copies": summary["documents_copies"],
            "incidents": summary["incidents_created"] - summary.get("incidents_removed", 0),
            "failed": summary["documents_failed"]}


def describe(r: dict) -> str:
    mib = 1024 * 1024
    label = "single process (no Dask)" if r["workers"] is None else f"--workers {r['workers']}"
    return (f"| {label} | {r['wall']:.1f} s | {r['new'] / r['wall']:.1f} | {r['cpu']:.1f} "
            f"({r['main_cpu']:.1f} main) | {r['new']} ({r['copies']} copies) / {r['failed']} | "
            f"{r['main_peak'] / mib:.0f} / {r['worker_peak'] / mib:.0f} | {r['events']:,} | "
            f"{r['load0']:.1f} -> {r['load1']:.1f} |")


# ------------------------------------------------------------------------------------------- profiling

def _profiled_batch(docs, model=None, geocode=True):  # noqa: ANN001, ANN201 - stands in for extract_batch
    """``scale.extract_batch`` under a per-process cProfile (Dask runs tasks on an executor thread, which a
    profiler enabled from ``Client.run`` would not see). Defined here, it travels to the workers by value."""
    import cProfile

    import strikewatch
    import strikewatch.scale

    prof = getattr(strikewatch, "_bench_profile", None)
    if prof is None:
        prof = strikewatch._bench_profile = cProfile.Profile()  # type: ignore[attr-defined]
    prof.enable()
    try:
        return strikewatch.scale._real_extract_batch(docs, model, geocode)  # type: ignore[attr-defined]
    finally:
        prof.disable()


def _install_real(_: object = None) -> bool:
    import strikewatch.scale

    strikewatch.scale._real_extract_batch = strikewatch.scale.extract_batch  # type: ignore[attr-defined]
    return True


def _profile_report(lines: int) -> str:
    import io
    import pstats

    import strikewatch

    buf = io.StringIO()
    prof = getattr(strikewatch, "_bench_profile", None)
    if prof is None:
        return "(no task ran here)"
    stats = pstats.Stats(prof, stream=buf)
    stats.sort_stats("tottime").print_stats(lines)
    stats.sort_stats("cumulative").print_stats(r"strikewatch/(pipeline|extract/events|geo/resolve)", 8)
    return buf.getvalue()


def profile(corpus: Path, workers: int, lines: int) -> None:
    """One parallel ingest into SQLite, cProfile in the main process and in each worker."""
    import cProfile
    import pstats

    from strikewatch import scale
    from strikewatch.ingest import read_paths
    from strikewatch.pipeline import ingest
    from strikewatch.scale import DaskRunner
    from strikewatch.store import Store

    with tempfile.TemporaryDirectory() as tmp, Store(f"sqlite:///{tmp}/p.db") as store, \
            DaskRunner(workers=workers) as runner:
        runner.warm_up()
        runner.client.run(_install_real)
        scale.extract_batch = _profiled_batch  # what DaskRunner submits
        main = cProfile.Profile()
        t0 = time.perf_counter()
        c0 = time.process_time()
        main.enable()
        summary = ingest(store, runner.extract(read_paths([str(corpus)]), skip=store.known), fuse="end")
        main.disable()
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        reports = runner.client.run(_profile_report, lines)
    print(f"profile: {summary.documents_new} documents, {summary.events} events, {wall:.1f} s wall, main "
          f"process {cpu:.1f} CPU-s (under the profiler), {workers} workers, load {os.getloadavg()[0]:.1f}")
    print("== main process (reading, the Dask client and scheduler, the writer, the final fusion)")
    stats = pstats.Stats(main)
    stats.sort_stats("cumulative").print_stats(r"strikewatch/(store|scale|ingest|pipeline|fuse)/?\w*\.py", 24)
    stats.sort_stats("tottime").print_stats(lines)
    for address, text in reports.items():
        print(f"== worker {address} (its extraction tasks)")
        print(text)


# ------------------------------------------------------------------------------------------------- main

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=600)
    ap.add_argument("--words", type=int, default=1600, help="words per Wikipedia document")
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("--samples", action="store_true", help="the project's own sample reports instead")
    ap.add_argument("--db", default="sqlite,postgresql")
    ap.add_argument("--workers", default="1,2", help="comma-separated; 0 = single process without Dask")
    ap.add_argument("--no-double", action="store_true", help="skip the half-corpus memory run")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--lines", type=int, default=25, help="profile lines per process")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        docs = sample_documents(args.docs) if args.samples else real_documents(Path(args.data), args.docs,
                                                                                args.words)
        corpus, half = Path(tmp) / "corpus.jsonl", Path(tmp) / "half.jsonl"
        write_jsonl(corpus, docs)
        write_jsonl(half, docs[: len(docs) // 2])
        words = sum(len(d["text"].split()) for d in docs)
        what = "samples/reports variants" if args.samples else "Wikipedia battle chunks + FA-KES articles"
        print(f"corpus: {len(docs):,} documents ({what}), {words:,} words, {words / len(docs):,.0f} per "
              f"document; {os.cpu_count()} CPUs; load average at start {os.getloadavg()[0]:.1f}")
        if args.profile:
            profile(corpus, max(int(w) for w in args.workers.split(",")), args.lines)
            return 0
        counts = [None if w == "0" else int(w) for w in args.workers.split(",")]
        pg = Postgres() if "postgresql" in args.db else None
        try:
            for kind in args.db.split(","):
                print(f"\n{kind}: `strikewatch ingest corpus.jsonl --workers N` on a fresh database\n")
                print("| run | wall | docs/s | CPU-s, process tree | stored / failed | peak RSS MiB main / "
                      "worker | events | load before -> after |")
                print("| --- | --- | --- | --- | --- | --- | --- | --- |")
                runs = {}
                for n in counts:
                    url = pg.fresh() if kind == "postgresql" and pg else f"sqlite:///{tmp}/{kind}-{n}.db"
                    runs[n] = run_ingest(corpus, url, n)
                    print(describe(runs[n]), flush=True)
                if 1 in runs and 2 in runs:
                    one, two = runs[1], runs[2]
                    same = "same" if (one["events"], one["incidents"]) == (two["events"], two["incidents"]) \
                        else "DIFFERENT"
                    goal = 1.7 if kind == "postgresql" else 1.5
                    print(f"\nspeed-up, 2 workers vs 1: {one['wall'] / two['wall']:.2f}x wall-clock (goal "
                          f">= {goal}x); CPU-s {one['cpu']:.1f} vs {two['cpu']:.1f}; events and incidents "
                          f"{same} ({two['events']:,} / {two['incidents']:,})")
                if 2 in runs and not args.no_double:
                    url = pg.fresh() if kind == "postgresql" and pg else f"sqlite:///{tmp}/{kind}-half.db"
                    h = run_ingest(half, url, 2)
                    mib = 1024 * 1024
                    print(f"memory as the corpus doubles (--workers 2): {len(docs) // 2} docs -> main "
                          f"{h['main_peak'] / mib:.0f} MiB, worker {h['worker_peak'] / mib:.0f} MiB; "
                          f"{len(docs)} docs -> main {runs[2]['main_peak'] / mib:.0f} MiB, worker "
                          f"{runs[2]['worker_peak'] / mib:.0f} MiB")
        finally:
            if pg:
                pg.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Scale-out: extraction on a Dask LocalCluster with 1 and 2 workers, and the whole ingest through the store.

The corpus is generated from the project's own sample reports (``samples/reports``, read through
``strikewatch.ingest``): each variant substitutes dates, places and numbers from the lists below, so no
two documents are alike and the gazetteer's cache does not flatter the figures. It is written as JSONL and
streamed back with ``read_paths`` exactly as ``strikewatch ingest corpus.jsonl --workers N`` would.

Figures printed:
- extraction only (``DaskRunner.extract``), N documents with 1 and 2 workers: wall-clock documents/s,
  speed-up, and the CPU-seconds each worker spent (``time.process_time`` on the workers), from which the
  speed-up on an otherwise idle machine follows (1-worker CPU / slowest 2-worker worker's CPU);
- memory as the corpus doubles (N/2 then N): peak RSS of the main process and of each worker;
- the whole ingest (``--ingest`` documents) into a fresh SQLite file: single process (no Dask), then 1
  and 2 workers; the store writes in the main process, one transaction per document.

    .venv/bin/python bench/scale.py [--docs 20000] [--ingest 2000] [--batch 32]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Our own substitution lists (not taken from any benchmark).
PLACES = [
    "Raqqa", "Mosul", "Manbij", "Hit", "Fallujah", "Tikrit", "Idlib", "Palmyra", "Deir ez-Zor", "Kirkuk",
    "Tal Afar", "Ramadi", "Homs", "Hama", "Baiji", "Al-Bab", "Jarabulus", "Qaim", "Haditha", "Sinjar",
    "Tabqa", "Ain Issa", "Daraa", "Hasakah", "Qamishli", "Samarra", "Baqubah", "Rutba", "Abu Kamal",
    "Mayadin", "Saraqib", "Maarat al-Numan", "Azaz", "Kobani", "Shaddadi", "Makhmour", "Qayyarah",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
_MONTH = re.compile(r"\b(" + "|".join(MONTHS) + r")\b")
_YEAR = re.compile(r"\b(201[0-9])\b")
_NUMBER = re.compile(r"(?<![\d.,/-])\b([2-9]|[1-9][0-9]{1,2})\b(?![\d.,/-])")


def sample_documents() -> list:
    from strikewatch.errors import DocumentError
    from strikewatch.ingest import read_paths

    return [d for d in read_paths([str(ROOT / "samples" / "reports")]) if not isinstance(d, DocumentError)]


def variant(doc, i: int, rnd: random.Random) -> dict:
    """One new document: the sample's text with its months, years, numbers and places substituted."""
    text = doc.text
    year = rnd.choice([2014, 2015, 2016, 2017, 2018, 2019])
    month = rnd.randrange(12)
    present = [p for p in PLACES if p in text]
    for p in present:
        text = text.replace(p, rnd.choice(PLACES))
    text = _MONTH.sub(lambda m: MONTHS[(MONTHS.index(m.group(1)) + month) % 12], text)
    text = _YEAR.sub(str(year), text)
    text = _NUMBER.sub(lambda m: str(rnd.randint(2, 60)), text)
    published = date(year, month + 1, 1) + timedelta(days=rnd.randrange(28))
    text += f"\n\nReference {i}."  # short posts have nothing to substitute; equal texts are stored once
    return {"id": f"scale-{i}", "text": text, "published": published.isoformat(), "outlet": doc.outlet,
            "kind": doc.kind}


def write_corpus(path: Path, n: int, seed: int = 7) -> None:
    docs = sample_documents()
    rnd = random.Random(seed)
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps(variant(docs[i % len(docs)], i, rnd)) + "\n")


def stream(path: Path):
    from strikewatch.ingest import read_paths

    return read_paths([str(path)])


def _rss() -> int:
    import psutil

    return psutil.Process().memory_info().rss


class PeakRss:
    """Samples this process's RSS every 0.2 s (ru_maxrss only ever grows, so it cannot show flatness)."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, _rss())
            time.sleep(0.2)

    def __enter__(self) -> PeakRss:
        self.peak = _rss()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _worker_cpu() -> float:
    return time.process_time()


def _worker_peak() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def extract_run(path: Path, n: int, workers: int, batch: int) -> dict:
    """Stream the corpus through a fresh cluster; wall time, worker CPU, memory."""
    from strikewatch.errors import DocumentError
    from strikewatch.scale import DaskRunner

    with DaskRunner(workers=workers, batch_size=batch, memory_limit=0) as runner:
        runner.warm_up()
        cpu0 = runner.client.run(_worker_cpu)
        main0 = time.process_time()
        events = failed = done = 0
        with PeakRss() as peak:
            t0 = time.perf_counter()
            for item in runner.extract(stream(path)):
                done += 1
                if isinstance(item, DocumentError):
                    failed += 1
                else:
                    events += len(item.events)
            wall = time.perf_counter() - t0
        cpu1 = runner.client.run(_worker_cpu)
        worker_rss = runner.client.run(_worker_peak)
    cpus = sorted(cpu1[w] - cpu0[w] for w in cpu1)
    return {"workers": workers, "docs": done, "failed": failed, "events": events, "wall": wall,
            "worker_cpu": cpus, "main_cpu": time.process_time() - main0, "main_peak": peak.peak,
            "worker_peak": max(worker_rss.values()), "load": os.getloadavg()[0]}


def ingest_run(path: Path, workers: int | None, batch: int) -> dict:
    from strikewatch.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/bench.db")
        try:
            t0 = time.perf_counter()
            c0 = time.process_time()
            if workers is None:
                from strikewatch.scale import _warm

                _warm(None, True)  # load the pipeline and gazetteer outside the timing, as the workers do
                t0 = time.perf_counter()
                c0 = time.process_time()
                summary = store.ingest_documents(stream(path))
            else:
                from strikewatch.scale import DaskRunner

                with DaskRunner(workers=workers, batch_size=batch) as runner:
                    runner.warm_up()
                    t0 = time.perf_counter()
                    c0 = time.process_time()
                    # as `strikewatch ingest --workers`: store as results arrive, fuse once at the end
                    summary = store.ingest_documents(runner.extract(stream(path), skip=store._known),
                                                     fuse="end")
            wall = time.perf_counter() - t0
            cpu = time.process_time() - c0
        finally:
            store.close()
    return {"workers": workers, "wall": wall, "main_cpu": cpu, "new": summary.documents_new,
            "events": summary.events, "failed": summary.documents_failed, "load": os.getloadavg()[0]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=20_000)
    ap.add_argument("--ingest", type=int, default=2_000, help="documents for the whole-ingest runs")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--skip-ingest", action="store_true")
    ap.add_argument("--skip-extract", action="store_true")
    args = ap.parse_args()
    mib = 1024 * 1024
    with tempfile.TemporaryDirectory() as tmp:
        full, half, small = Path(tmp) / "full.jsonl", Path(tmp) / "half.jsonl", Path(tmp) / "small.jsonl"
        write_corpus(full, args.docs)
        write_corpus(half, args.docs // 2)
        write_corpus(small, args.ingest)
        n_samples = len(sample_documents())
        import strikewatch

        print(f"code: {Path(strikewatch.__file__).parent} (run on a frozen copy, e.g. `git archive HEAD src` "
              "with PYTHONPATH, when others are changing the tree: the workers import it afresh)")
        print(f"corpus: {args.docs:,} documents generated from {n_samples} sample documents "
              f"({full.stat().st_size / mib:.1f} MiB JSONL); {os.cpu_count()} CPUs; batch {args.batch}")
        print(f"load average at start: {os.getloadavg()[0]:.1f} (other processes share the machine)")
        runs = {}
        for workers in () if args.skip_extract else (1, 2):
            r = extract_run(full, args.docs, workers, args.batch)
            runs[workers] = r
            cpu = " + ".join(f"{c:.1f}" for c in r["worker_cpu"])
            print(f"extract, {workers} worker(s): {r['docs']:,} docs ({r['failed']} failed, {r['events']:,} "
                  f"events) in {r['wall']:.1f} s wall = {r['docs'] / r['wall']:,.0f} docs/s; worker CPU "
                  f"{cpu} s = {r['docs'] / sum(r['worker_cpu']):,.0f} docs per worker CPU-s; main CPU "
                  f"{r['main_cpu']:.1f} s; load {r['load']:.1f}")
        if runs:
            report_extract(args, runs[1], runs[2], half, mib)
        if not args.skip_ingest:
            for workers in (None, 1, 2):
                r = ingest_run(small, workers, args.batch)
                label = "single process (no Dask)" if workers is None else f"{workers} worker(s)"
                print(f"ingest into SQLite, {label}: {r['new']:,} new docs, {r['events']:,} events, "
                      f"{r['failed']} failed in {r['wall']:.1f} s wall = {r['new'] / r['wall']:,.1f} docs/s; "
                      f"main-process CPU {r['main_cpu']:.1f} s; load {r['load']:.1f}")
    return 0


def report_extract(args: argparse.Namespace, one: dict, two: dict, half: Path, mib: int) -> None:
    """Speed-up three ways (the machine may be shared) and memory as the corpus doubles."""
    same = "same" if one["events"] == two["events"] else "DIFFERENT (the code changed between runs?)"
    print(f"events found: {one['events']:,} with 1 worker, {two['events']:,} with 2 ({same})")
    wall_speedup = one["wall"] / two["wall"]
    cpu_speedup = sum(one["worker_cpu"]) / max(two["worker_cpu"])
    # On an idle 2-core machine the main process (reading, the scheduler, unpickling) shares the cores.
    idle_two = max(max(two["worker_cpu"]), (sum(two["worker_cpu"]) + two["main_cpu"]) / 2)
    idle_one = max(sum(one["worker_cpu"]), (sum(one["worker_cpu"]) + one["main_cpu"]) / 2)
    print(f"speed-up, 2 workers vs 1: {wall_speedup:.2f}x wall-clock on this (shared) machine; "
          f"{cpu_speedup:.2f}x from worker CPU time (1-worker CPU / slowest 2-worker worker); "
          f"{idle_one / idle_two:.2f}x counting the main process CPU against the 2 cores; goal 1.7x")
    h = extract_run(half, args.docs // 2, 2, args.batch)
    print(f"memory, 2 workers: {args.docs // 2:,} docs -> main peak RSS {h['main_peak'] / mib:.0f} MiB, "
          f"worker peak {h['worker_peak'] / mib:.0f} MiB; {args.docs:,} docs -> main peak "
          f"{two['main_peak'] / mib:.0f} MiB, worker peak {two['worker_peak'] / mib:.0f} MiB")


if __name__ == "__main__":
    sys.exit(main())

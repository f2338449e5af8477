"""The gazetteer's index cache: half-written files that killed processes left are cleaned up, never a
live writer's (issue 16, small leftovers)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from strikewatch.geo import gazetteer
from strikewatch.geo.gazetteer import Gazetteer, clean_stale_tmp


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_stale_tmp_files_are_removed_and_live_ones_kept(tmp_path: Path) -> None:
    dead = tmp_path / f".gazetteer-0123abcd.{_dead_pid()}.tmp"
    live = tmp_path / f".gazetteer-0123abcd.{os.getpid()}.tmp"
    old = tmp_path / f".gazetteer-4567ef.{os.getppid()}.tmp"  # a live pid, but hours old: abandoned
    index = tmp_path / "gazetteer-0123abcd.sqlite"
    for f in (dead, live, old, index):
        f.write_bytes(b"half an index")
    hours_ago = time.time() - 3 * 3600
    os.utime(old, (hours_ago, hours_ago))
    removed = clean_stale_tmp(tmp_path)
    assert sorted(removed) == sorted([dead, old])
    assert live.exists() and index.exists()
    assert not dead.exists() and not old.exists()


def test_writing_an_index_cleans_what_a_killed_writer_left(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("STRIKEWATCH_CACHE", str(tmp_path))
    left = tmp_path / f".gazetteer-0123abcd.{_dead_pid()}.tmp"
    left.write_bytes(b"the first 4 MB of an index, then kill -9")
    gazetteer._write_cache("0123abcd", Gazetteer())
    assert not left.exists()
    assert (tmp_path / "gazetteer-0123abcd.sqlite").is_file()
    assert list(tmp_path.glob(".gazetteer-*.tmp")) == []

"""Shared fixtures. Data tiers: tests that read ../shared skip when it is absent (a user's machine);
PostgreSQL tests skip with a visible reason when no server was started (STRIKEWATCH_TEST_PG unset)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SAMPLES = ROOT / "samples"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = SHARED / "data"
    if not path.is_dir():
        pytest.skip("../shared/data is absent (only developers and CI have it)")
    return path


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def pg_url() -> str:
    """A fresh, empty database on the throwaway PostgreSQL server started by tools/run-tests.sh."""
    base = os.environ.get("STRIKEWATCH_TEST_PG")
    if not base:
        pytest.skip("no PostgreSQL server (STRIKEWATCH_TEST_PG unset): run `make test` to start one")
    import sqlalchemy as sa

    name = "t_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    url = base.rsplit("/", 1)[0] + "/" + name
    yield url
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Run a storage test on both back ends."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return request.getfixturevalue("pg_url")


def run_cli(*args: str, input: str | None = None, cwd: Path | None = None, env: dict | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the real `strikewatch` command (the installed console script) and capture its output."""
    exe = Path(sys.executable).with_name("strikewatch")
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([str(exe), *args], input=input, capture_output=True, text=True, cwd=cwd,
                          env=full_env, timeout=timeout)


@pytest.fixture
def cli():
    return run_cli

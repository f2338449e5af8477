"""Opening a database: the engine, SQLite's pragmas, and Alembic migrations applied on open."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from strikewatch.errors import StoreError

MIGRATIONS = Path(__file__).with_name("migrations")
HEAD = "0007"


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001 - DBAPI connection
    """WAL lets readers (the dashboard) run while a writer ingests; foreign keys keep members honest."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def create_engine(url: str) -> Engine:
    """An engine for `url`; a bare path means an SQLite file. Raises StoreError with what to fix."""
    if "://" not in url:
        url = f"sqlite:///{url}"
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError:
        raise StoreError(
            f"cannot read the database URL {url!r}; use sqlite:///file.db or "
            "postgresql+psycopg://user@host/db."
        ) from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            parent = Path(parsed.database).expanduser().resolve().parent
            if not parent.is_dir():
                raise StoreError(f"the folder for the database file {parsed.database!r} does not exist.")
        engine = sa.create_engine(parsed)
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        try:
            return sa.create_engine(parsed, pool_pre_ping=True)
        except ModuleNotFoundError as exc:
            raise StoreError(
                f"the PostgreSQL driver is missing ({exc.name}); install psycopg[binary]."
            ) from None
    raise StoreError(f"unsupported database {backend!r}: use sqlite:///file.db or postgresql+psycopg://...")


def migrate(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration (a no-op when it is current)."""
    try:
        with engine.begin() as conn:
            insp = sa.inspect(conn)
            if insp.has_table("alembic_version"):
                current = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
                if current == HEAD:
                    return
            from alembic import command  # imported only when there is work to do (it is slow to import)
            from alembic.config import Config

            cfg = Config()
            cfg.set_main_option("script_location", str(MIGRATIONS))
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except sa.exc.OperationalError as exc:
        raise StoreError(f"cannot open the database: {_first_line(exc)}.") from None


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0].rstrip(".") if text else type(exc).__name__

"""Opening a database: the engine, SQLite's pragmas, and Alembic migrations applied on open."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from strikewatch.errors import StoreError

MIGRATIONS = Path(__file__).with_name("migrations")
HEAD = "0009"


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


# Any key will do as long as it is the same in every process; the store's write lock uses another.
PG_SCHEMA_LOCK = 0x5357_5343  # "SWSC"


def _current(conn: sa.Connection) -> str | None:
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def _schema_lock(conn: sa.Connection) -> None:
    """One creator at a time, for the whole creation: two first ingests at once must not both create
    the tables. SQLite: take the write lock now (BEGIN IMMEDIATE; pysqlite would otherwise run each
    CREATE outside any transaction, so a kill left a half-made file); PostgreSQL: an advisory lock held
    until the transaction ends (its DDL is transactional already)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_SCHEMA_LOCK})


def _recover_half_created(conn: sa.Connection) -> None:
    """Drop what an interrupted creation by an older version left (tables but no ``alembic_version``),
    provided it holds no document; a database with data but no version is not ours to touch."""
    from strikewatch.store.schema import metadata

    insp = sa.inspect(conn)
    ours = [name for name in metadata.tables if insp.has_table(name)]
    if not ours:
        return
    if "documents" in ours and conn.execute(sa.text("SELECT count(*) FROM documents")).scalar():
        raise StoreError("the database has Strikewatch tables and documents but no schema version "
                         "(alembic_version); it was not made by Strikewatch or was damaged: use another "
                         "--db or restore a backup.")
    if conn.dialect.name == "sqlite":
        for trig in ("documents_fts_ai", "documents_fts_ad", "documents_fts_au"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trig}")
        conn.exec_driver_sql("DROP TABLE IF EXISTS documents_fts")
    metadata.drop_all(conn, checkfirst=True)


def migrate(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration (a no-op when it is current).

    Creation is one transaction under a lock (``_schema_lock``): a process killed while creating leaves
    an empty database, a second process waits and then finds the schema made, and a half-made database
    left by an older version is recovered.
    """
    try:
        with engine.connect() as conn:
            if _current(conn) == HEAD:
                return
        with engine.begin() as conn:
            _schema_lock(conn)
            current = _current(conn)
            if current == HEAD:
                return
            if current is None:
                _recover_half_created(conn)
            from alembic import command  # imported only when there is work to do (it is slow to import)
            from alembic.config import Config
            from alembic.util import CommandError

            cfg = Config()
            cfg.set_main_option("script_location", str(MIGRATIONS))
            cfg.attributes["connection"] = conn
            try:
                command.upgrade(cfg, "head")
            except CommandError as exc:  # e.g. a schema version from a newer Strikewatch
                raise StoreError(f"cannot upgrade the database's schema (version {current}): "
                                 f"{_first_line(exc)}; is it from a newer Strikewatch?") from None
    except sa.exc.OperationalError as exc:
        raise StoreError(f"cannot open the database: {_first_line(exc)}.") from None
    except sa.exc.DatabaseError as exc:
        raise StoreError(f"cannot open the database: {_first_line(exc)}; is it a Strikewatch database?"
                         ) from None


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0].rstrip(".") if text else type(exc).__name__

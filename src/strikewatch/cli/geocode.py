"""``strikewatch geocode`` and ``strikewatch gazetteer build``: thin commands over strikewatch.geo."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from strikewatch.cli.options import country_code
from strikewatch.errors import UserError

gazetteer_app = typer.Typer(help="Build or inspect the gazetteer.", no_args_is_help=True)


def geocode_command(
    text: str = typer.Argument(..., help="A place expression, or - to read one per line from stdin."),
    country: str | None = typer.Option(None, "--country", help="Country of the document (SY, IQ ...)."),
    fmt: str = typer.Option("json", "--format", help="json (indented for one query) or jsonl."),
    limit: int = typer.Option(5, "--limit", min=1, max=50, help="How many candidates to print."),
    gazetteer: list[Path] = typer.Option(
        [], "--gazetteer", help="A CSV of your own places (name,lat,lon,...); takes precedence. Repeatable."),
    workers: int = typer.Option(1, "--workers", min=1, max=64,
                                help="With -: share a large batch between this many processes (answers "
                                     "come a chunk at a time; keep 1 for a live stream)."),
) -> None:
    """Resolve place expressions ("near Albu Kamal", "Al-Fatih, Jableh District") to ranked candidates."""
    from strikewatch.geo import default_gazetteer, geocode_noted

    if fmt not in ("json", "jsonl"):
        raise UserError(f"--format takes json or jsonl, not {fmt!r}.")
    code = country_code(country)
    for path in gazetteer:
        if not path.is_file():
            raise UserError(f"the gazetteer file {path} does not exist.")
    gaz = default_gazetteer(tuple(gazetteer))
    if code is not None and code not in {p.country for p in gaz.places if p.feature == "country"}:
        raise UserError(f"--country {code} is no country the gazetteer knows; give an ISO code such as SY.")

    def answer(query: str) -> dict:
        cands, note = geocode_noted(query, country=code, limit=limit, gazetteer=gaz)
        out: dict = {"query": query, "candidates": [c.to_dict() for c in cands]}
        if note:
            out["note"] = note  # why nothing that matched is an answer (the score floor)
        return out

    if text != "-":
        out = answer(text)
        print(json.dumps(out, ensure_ascii=False, indent=2 if fmt == "json" else None))
        return
    from strikewatch.geo.batch import geocode_lines

    write = sys.stdout.write
    for out in geocode_lines(sys.stdin, country=code, limit=limit, gazetteer=gaz, workers=workers):
        write(out + "\n")


@gazetteer_app.command("build")
def build_command(
    source: Path = typer.Option(Path("../shared/data/gazetteer"), "--from",
                                help="Folder with the shared gazetteer sources."),
    out: Path | None = typer.Option(None, "--out", help="Where to write (default: the package data)."),
) -> None:
    """Build the shipped gazetteer from the shared sources (deterministic output)."""
    from strikewatch.geo.build import OUTPUT, build

    target = out or OUTPUT
    n = build(source, target)
    print(f"wrote {n} places to {target}", file=sys.stderr)


@gazetteer_app.command("info")
def info_command(
    gazetteer: list[Path] = typer.Option([], "--gazetteer", help="Also load this CSV of your own places."),
) -> None:
    """Print how many places the gazetteer holds, by feature and country, and where user CSVs are read."""
    from collections import Counter

    from strikewatch.geo.gazetteer import default_gazetteer, user_dir, user_files

    gaz = default_gazetteer(tuple(gazetteer))
    print(json.dumps({
        "places": len(gaz),
        "by_feature": dict(sorted(Counter(p.feature for p in gaz.places).items())),
        "by_country": dict(Counter(p.country for p in gaz.places).most_common(5)),
        "user_dir": str(user_dir()),
        "user_files": list(user_files(tuple(gazetteer))),
    }, indent=2))


def register(app: typer.Typer) -> None:
    """Add ``geocode`` and the ``gazetteer`` group to `app`."""
    app.command("geocode")(geocode_command)
    app.add_typer(gazetteer_app, name="gazetteer")

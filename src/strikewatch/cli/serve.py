"""``strikewatch serve`` (the REST API and dashboard over a database) and ``strikewatch demo``."""

from __future__ import annotations

import os
import socket
import sys
import tempfile
from pathlib import Path

import typer

from strikewatch.cli import fail
from strikewatch.cli.options import DbOption, db_url

# Files in samples/ that describe the samples rather than being reports.
NOT_REPORTS = {"annotations.jsonl", "README.md", "LICENSE", "NOTICE"}


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _check_port(host: str, port: int) -> int:
    """The port to listen on (a free one for 0), or one sentence if it cannot be used."""
    if port == 0:
        return _free_port(host)
    if not 0 < port < 65536:
        fail(f"--port takes a number from 0 to 65535, not {port}.")
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((host, port))
    except OSError as exc:
        fail(f"cannot listen on {host}:{port} ({exc.strerror}); pick another --port or --host.")
    return port


def run_server(url: str, host: str, port: int, tiles: str | None, banner: str = "Strikewatch") -> None:
    """Open the database, print where the dashboard is, and serve until interrupted."""
    import uvicorn

    from strikewatch.api import create_app

    port = _check_port(host, port)
    app = create_app(url, tiles=tiles, warm=True)
    shown = f"[{host}]" if ":" in host else host
    print(f"{banner}: dashboard at http://{shown}:{port}/  (API under /api, docs at /docs; Ctrl-C stops)",
          flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def default_samples() -> Path:
    import strikewatch

    return Path(strikewatch.__file__).resolve().parents[2] / "samples"


def sample_files(folder: Path) -> list[Path]:
    """The sample reports: ``folder/reports`` when there is one (the project's layout, where the other
    files describe the reports), else every file under ``folder`` but those that describe samples."""
    if (folder / "reports").is_dir():
        folder = folder / "reports"
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name not in NOT_REPORTS
                  and not p.name.startswith("."))


def build_demo(url: str, samples: Path) -> dict:
    """Ingest the sample reports into the database at ``url``; returns the Store's summary as a dict."""
    from strikewatch.errors import DocumentError
    from strikewatch.ingest import read_paths
    from strikewatch.pipeline import ingest
    from strikewatch.store import Store

    files = sample_files(samples)
    outlets = samples / "outlets.csv"
    if outlets.is_file() and not os.environ.get("STRIKEWATCH_OUTLETS"):
        os.environ["STRIKEWATCH_OUTLETS"] = str(outlets)  # the sample outlets' kinds (news, military ...)
    if not files:
        fail(f"no sample reports in {samples}; give the folder with --samples.")
    failed: list[str] = []

    def documents():
        for item in read_paths([str(p) for p in files]):
            if isinstance(item, DocumentError):
                failed.append(str(item))
                print(f"strikewatch: skipped {item}", file=sys.stderr)
                continue
            yield item

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    store = Store(url)
    sources: set[str] = set()
    columns = (TextColumn("ingesting samples"), BarColumn(), MofNCompleteColumn(), TextColumn("files"),
               TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("ingest", total=len(files))

        def progress(_summary, item) -> None:  # noqa: ANN001 - the Store's callback signature
            doc = getattr(item, "document", item)
            source = (getattr(doc, "source", None) or "").split("#")[0]
            if source and source not in sources:
                sources.add(source)
                bar.update(task, completed=min(len(files), len(sources)))

        summary = ingest(store, documents(), progress=progress)
    out = summary.to_dict()
    out["failed_files"] = failed
    out["incidents_total"] = store.count_incidents()
    return out


def register(app: typer.Typer) -> None:
    """Add ``serve`` and ``demo`` to `app`."""

    @app.command()
    def serve(
        db: str | None = DbOption,
        host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (0.0.0.0 for all)."),
        port: int = typer.Option(8000, "--port", help="Port to listen on (0 picks a free one)."),
        tiles: str | None = typer.Option(
            None, "--tiles", help="Map tile URL template ({z}/{x}/{y}); 'none' shows the offline outlines "
            "only. Default OpenStreetMap or $STRIKEWATCH_TILES."),
    ) -> None:
        """Serve the read-only REST API and the web dashboard over a database."""
        url = db_url(db)
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            path = Path(url.removeprefix("sqlite:///"))
            if not path.exists():
                fail(f"no database at {path}; build one with `strikewatch ingest PATH --db {url}` "
                     "or try `strikewatch demo`.")
        run_server(url, host, port, tiles)

    @app.command()
    def demo(
        db: str | None = typer.Option(None, "--db", help="Database to build (default: a new temp file)."),
        samples: Path | None = typer.Option(None, "--samples",
                                            help="Folder of reports (default: the project's samples/)."),
        host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
        port: int = typer.Option(8000, "--port", help="Port to listen on (0 picks a free one)."),
        tiles: str | None = typer.Option(None, "--tiles", help="Map tile URL template, or 'none'."),
        no_serve: bool = typer.Option(False, "--no-serve", help="Build the database, print its URL, stop."),
    ) -> None:
        """Build a database from the project's sample reports and serve the dashboard over it."""
        folder = samples or default_samples()
        if not folder.is_dir():
            fail(f"no sample folder at {folder}; give one with --samples.")
        if db:
            url = db_url(db)
        else:
            url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='strikewatch-demo-')) / 'demo.db'}"
        summary = build_demo(url, folder)
        shown = ", ".join(f"{k} {v}" for k, v in summary.items() if isinstance(v, int))
        print(f"demo database: {url}", flush=True)
        print(f"ingested the reports in {folder}: {shown}", flush=True)
        if no_serve:
            return
        run_server(url, host, port, tiles, banner="Strikewatch demo")

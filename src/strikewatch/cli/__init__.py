"""The ``strikewatch`` command: thin typer commands over the stage functions, one module per group.

Each module below defines ``register(app)``; errors a user can fix become one sentence on stderr and a
non-zero exit, never a traceback.
"""

from __future__ import annotations

import sys

import typer

from strikewatch.errors import StrikewatchError

app = typer.Typer(
    name="strikewatch",
    help="Turn conflict reporting into a ledger of dated, placed, attributed, graded incidents.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register_all() -> None:
    from strikewatch.cli import extract, geocode, ledger, serve

    for module in (extract, geocode, ledger, serve):
        module.register(app)


@app.callback()
def _root() -> None:
    """Turn conflict reporting into a ledger of dated, placed, attributed, graded incidents."""


@app.command()
def version() -> None:
    """Print the installed version."""
    from strikewatch import __version__

    print(__version__)


def fail(message: str, code: int = 2) -> None:
    """Print one sentence to stderr and exit: the way every command reports a user's mistake."""
    print(f"strikewatch: {message}", file=sys.stderr)
    raise typer.Exit(code)


def main() -> None:
    _register_all()
    try:
        app()
    except StrikewatchError as exc:
        print(f"strikewatch: {exc}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("strikewatch: interrupted.", file=sys.stderr)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)

"""Options shared by several commands, declared once."""

from __future__ import annotations

import os
from datetime import date

import typer

from strikewatch.errors import UserError

DEFAULT_DB = "sqlite:///strikewatch.db"


def db_url(value: str | None) -> str:
    """The database URL: the flag, else ``STRIKEWATCH_DB``, else ``strikewatch.db`` here."""
    url = value or os.environ.get("STRIKEWATCH_DB") or DEFAULT_DB
    if "://" not in url:  # a bare path is taken as an SQLite file
        url = f"sqlite:///{url}"
    return url


def parse_date(value: str | None, flag: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UserError(f"{flag} takes a date as YYYY-MM-DD, not {value!r}.") from None


def country_code(country: str | None) -> str | None:
    """``--country`` as an upper-case ISO code (``Syria``/``Iraq`` accepted); a malformed one is refused."""
    if country is None:
        return None
    code = {"SYRIA": "SY", "IRAQ": "IQ"}.get(country.strip().upper(), country.strip().upper())
    if len(code) != 2 or not code.isalpha():
        raise UserError(f"--country takes a two-letter ISO code such as SY or IQ, not {country!r}.")
    return code


DbOption = typer.Option(
    None,
    "--db",
    help="SQLAlchemy URL (sqlite:///file.db, postgresql+psycopg://...); "
    "default $STRIKEWATCH_DB or ./strikewatch.db.",
)

"""Options shared by several commands, declared once."""

from __future__ import annotations

import functools
import os
import re
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


@functools.cache
def _countries() -> tuple[frozenset[str], dict[str, str]]:
    """The ISO codes of the world's countries, and their names and variants (folded) -> code, from the
    gazetteer's ``world.tsv`` (the other countries) and the store's ``countries.json`` (Syria, Iraq and
    their neighbours, as ACLED names them)."""
    import json
    from importlib import resources

    codes: set[str] = set()
    names: dict[str, str] = {}
    theatre = json.loads(resources.files("strikewatch.store").joinpath("countries.json").read_text("utf-8"))
    for code, name in theatre.items():
        codes.add(code.upper())
        names[" ".join(name.casefold().split())] = code.upper()
    text = resources.files("strikewatch.geo").joinpath("data/world.tsv").read_text("utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    for row in rows[1:]:
        if len(row) < 3 or len(row[0]) != 2:
            continue
        code = row[0].upper()
        codes.add(code)
        for name in [row[1], *row[2].split("|")]:
            if name.strip():
                names[" ".join(name.casefold().split())] = code
    return frozenset(codes), names


def country_code(country: str | None) -> str | None:
    """``--country`` as an upper-case ISO code: a code the world's list knows (SY, IQ) or a country's
    name (Syria, Iraq); anything else is refused in one sentence."""
    if country is None:
        return None
    codes, names = _countries()
    given = country.strip()
    if given.upper() in codes:
        return given.upper()
    code = names.get(" ".join(given.casefold().split()))
    if code is not None:
        return code
    raise UserError(f"--country takes a country's ISO code such as SY or IQ, or its name such as Syria; "
                    f"{country!r} is neither.")


_DURATION = re.compile(r"(\d+(?:\.\d+)?)(days?|d|hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s|)",
                       re.IGNORECASE)
_UNIT_SECONDS = {"d": 86400, "h": 3600, "m": 60, "s": 1, "": 1}


def parse_duration(value: str | None, flag: str) -> float | None:
    """``15m``, ``2h``, ``30s``, ``1h30m``, ``15min``, ``2 hours`` or a plain number of seconds, as
    seconds (over 0)."""
    if value is None:
        return None
    text = value.strip().replace(" ", "")
    parts = _DURATION.findall(text)
    if not text or not parts or "".join(n + u for n, u in parts).lower() != text.lower():
        raise UserError(f"{flag} takes a duration such as 30s, 15m, 2h or 1h30m, not {value!r}.")
    seconds = sum(float(n) * _UNIT_SECONDS[u[:1].lower()] for n, u in parts)
    if seconds <= 0:
        raise UserError(f"{flag} takes a duration greater than 0, not {value!r}.")
    return seconds


DbOption = typer.Option(
    None,
    "--db",
    help="SQLAlchemy URL (sqlite:///file.db, postgresql+psycopg://...); "
    "default $STRIKEWATCH_DB or ./strikewatch.db.",
)

"""The outlet table: which outlet a web address belongs to and what kind of source it is.

A CSV with the columns ``outlet,domain,kind`` (kind one of records.SOURCE_KINDS). The project ships
``lexicon/outlets.csv``; a user's own table (``STRIKEWATCH_OUTLETS`` or the ``table=`` argument) is read
on top and wins. A domain matches itself and its subdomains; the longest match wins. Blog platforms
(blogspot.com, substack.com ...) name the platform, so only their kind is used, not their outlet name.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from strikewatch.errors import UserError
from strikewatch.records import SOURCE_KINDS


@dataclass(frozen=True)
class Outlet:
    outlet: str | None
    domain: str
    kind: str | None
    platform: bool = False  # a blog platform: its subdomains are other people's blogs


def _parse(text: str, where: str, *, shipped: bool = False) -> dict[str, Outlet]:
    table: dict[str, Outlet] = {}
    reader = csv.DictReader(io.StringIO(text))
    missing = {"outlet", "domain", "kind"} - set(reader.fieldnames or [])
    if missing:
        raise UserError(f"{where} must be a CSV with the columns outlet,domain,kind "
                        f"(missing {', '.join(sorted(missing))}).")
    for number, row in enumerate(reader, 2):
        domain = (row.get("domain") or "").strip().lower().lstrip(".")
        if domain.startswith(("http://", "https://")):
            domain = urlsplit(domain).hostname or ""
        domain = domain.removeprefix("www.")
        kind = (row.get("kind") or "").strip().lower() or None
        if not domain:
            continue
        if kind is not None and kind not in SOURCE_KINDS:
            raise UserError(f"{where} line {number}: kind must be one of {', '.join(SOURCE_KINDS)}, "
                            f"not {kind!r}.")
        table[domain] = Outlet((row.get("outlet") or "").strip() or None, domain, kind,
                               platform=shipped and kind == "blog")
    return table


@lru_cache(maxsize=8)
def load_table(path: str | None = None) -> dict[str, Outlet]:
    """The shipped table, overlaid with the user's table at ``path`` when given."""
    text = resources.files("strikewatch.lexicon").joinpath("outlets.csv").read_text("utf-8")
    table = _parse(text, "lexicon/outlets.csv", shipped=True)
    if path:
        try:
            user = Path(path).read_text("utf-8")
        except OSError as exc:
            raise UserError(f"the outlet table {path} cannot be read ({exc.strerror or exc}).") from None
        table.update(_parse(user, str(path)))
    return table


def lookup(url: str | None, *, table: str | None = None) -> Outlet | None:
    """The outlet entry for ``url``'s host (longest matching domain), or None."""
    if not url:
        return None
    try:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    if not host:
        return None
    return _lookup_host(host.removeprefix("www."), table or os.environ.get("STRIKEWATCH_OUTLETS") or None)


@lru_cache(maxsize=4096)
def _lookup_host(host: str, table: str | None) -> Outlet | None:
    entries = load_table(table)
    parts = host.split(".")
    for i in range(len(parts) - 1):
        found = entries.get(".".join(parts[i:]))
        if found is not None:
            if found.platform and i > 0:
                return Outlet(None, found.domain, found.kind)  # a blog on a platform, not the platform
            return found
    return None


def fill_source(url: str | None, outlet: str | None, kind: str | None, *,
                table: str | None = None) -> tuple[str | None, str | None]:
    """``outlet`` and ``kind`` with blanks filled from the table; what the caller gave always wins."""
    if outlet and kind:
        return outlet, kind
    found = lookup(url, table=table)
    if found is None:
        return outlet, kind
    return outlet or found.outlet, kind or found.kind

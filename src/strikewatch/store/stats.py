"""Time series of events and incidents by day, week or month, grouped by actor, country or type."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from strikewatch.errors import UserError
from strikewatch.store import schema as t
from strikewatch.store.filters import conditions

if TYPE_CHECKING:
    from strikewatch.store.store import Store

PERIODS = ("day", "week", "month")
GROUPS = ("actor", "country", "type")
UNKNOWN = "unknown"


def period_of(iso: str, by: str) -> str:
    """The period a date falls in: the day, the Monday of its ISO week, or YYYY-MM."""
    d = date.fromisoformat(iso[:10])
    if by == "day":
        return d.isoformat()
    if by == "week":
        return (d - timedelta(days=d.weekday())).isoformat()
    return d.strftime("%Y-%m")


def stats(store: Store, *, by: str = "week", group: str = "type", **filters: Any) -> list[dict[str, Any]]:
    """Rows ``{"period", "group", "events", "incidents"}`` sorted by period then group.

    Undated records are left out (they belong to no period); an incident with two actors counts for each.
    """
    if by not in PERIODS:
        raise UserError(f"--by takes one of {', '.join(PERIODS)}, not {by!r}.")
    if group not in GROUPS:
        raise UserError(f"--group takes one of {', '.join(GROUPS)}, not {group!r}.")
    ev, inc = t.events, t.incidents
    ev_col = {"actor": ev.c.actor, "country": ev.c.country, "type": ev.c.type}[group]
    inc_col = {"actor": inc.c.actors, "country": inc.c.country, "type": inc.c.type}[group]
    n_events: Counter[tuple[str, str]] = Counter()
    n_incidents: Counter[tuple[str, str]] = Counter()
    # The database counts per day and value (a few thousand rows over 100k incidents, where reading
    # every row into Python took a CPU-second per request); days are then put in their periods here.
    periods: dict[str, str] = {}

    def period(day: str) -> str:
        got = periods.get(day)
        if got is None:
            got = periods[day] = period_of(day, by)
        return got

    n = sa.func.count()
    with store.engine.connect() as conn:
        q = sa.select(ev.c.date_start, ev_col, n).where(
            ev.c.date_start.is_not(None), *conditions(ev, store.dialect, **filters)
        ).group_by(ev.c.date_start, ev_col)
        for start, value, count in conn.execute(q):
            n_events[(period(start), value or UNKNOWN)] += count
        q = sa.select(inc.c.date_start, inc_col, n).where(
            inc.c.date_start.is_not(None), *conditions(inc, store.dialect, **filters)
        ).group_by(inc.c.date_start, inc_col)
        for start, value, count in conn.execute(q):
            if group == "actor":
                names = [a for a in (value or "").split("|") if a] or [UNKNOWN]
                for name in names:
                    n_incidents[(period(start), name)] += count
            else:
                n_incidents[(period(start), value or UNKNOWN)] += count
    keys = sorted(set(n_events) | set(n_incidents))
    return [
        {"period": p, "group": g, "events": n_events.get((p, g), 0), "incidents": n_incidents.get((p, g), 0)}
        for p, g in keys
    ]


def with_strikes(store: Store, rows: list[dict[str, Any]], by: str, group: str, *,
                 max_events: int | None = None, **filters: Any) -> list[dict[str, Any]]:
    """Add ``strikes`` (the sum of the events' strike counts; 0 where none is stated) to each stats row.

    Strike counts live inside the events' records, so this reads them; above ``max_events`` events the
    column is left out rather than making a chart wait. The CLI's table and CSV and the API share it.
    """
    if max_events is not None and store.count_events(**filters) > max_events:
        return rows
    totals: dict[tuple[str, str], int] = {}
    for e in store.events(**filters):
        if not e.date.start:
            continue
        n = e.quantities.strikes
        if n is None:
            continue
        key = {"actor": e.actor.name or e.actor.text, "country": e.location.country, "type": e.type}[group]
        slot = (period_of(e.date.start, by), key or UNKNOWN)
        totals[slot] = totals.get(slot, 0) + int(n)
    seen = set()
    for row in rows:
        slot = (row.get("period"), row.get("group"))
        row["strikes"] = totals.get(slot, 0)
        seen.add(slot)
    for (period, name), n in sorted(totals.items()):
        if (period, name) not in seen:
            rows.append({"period": period, "group": name, "events": 0, "incidents": 0, "strikes": n})
    rows.sort(key=lambda r: (r.get("period") or "", r.get("group") or ""))
    return rows

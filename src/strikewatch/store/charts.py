"""Printing and drawing the stats time series (matplotlib with the Agg back end: no display needed)."""

from __future__ import annotations

import csv
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import IO, Any

from strikewatch.store.export import is_terminal

STATS_COLUMNS = ["period", "group", "events", "incidents", "strikes"]


def write_stats(
    rows: list[dict[str, Any]],
    fmt: str,
    *,
    output: Path | None = None,
    by: str = "week",
    group: str = "type",
    out: IO[str] | None = None,
) -> None:
    """Write the rows of Store.stats as table, csv, json or a png chart (png needs `output`)."""
    if fmt == "png":
        assert output is not None
        draw_chart(rows, output, by=by, group=group)
        return
    target = out
    handle = None
    if output is not None:
        handle = target = open(output, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed below
    elif target is None:
        target = sys.stdout
    try:
        if fmt == "json":
            json.dump({"by": by, "group": group, "rows": rows}, target, ensure_ascii=False, indent=2)
            target.write("\n")
        elif fmt == "csv":
            writer = csv.DictWriter(target, fieldnames=STATS_COLUMNS, lineterminator="\n",
                                    extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
        else:
            from rich.console import Console
            from rich.table import Table

            table = Table(title=f"events, incidents and strikes per {by}, by {group}")
            for name in STATS_COLUMNS:
                table.add_column(name, justify="left" if name in ("period", "group") else "right")
            for r in rows:
                strikes = r.get("strikes")
                table.add_row(r["period"], str(r["group"]), str(r["events"]), str(r["incidents"]),
                              "" if strikes is None else str(strikes))
            Console(file=target, width=None if is_terminal(target) else 140).print(table)
    finally:
        if handle is not None:
            handle.close()


def period_starts(first: str, last: str, by: str) -> list[str]:
    """Every period from `first` to `last` (as period_of names them), quiet ones included."""
    from datetime import date, timedelta

    from strikewatch.store.stats import period_of

    def day(p: str) -> date:
        return date.fromisoformat(p + "-01" if len(p) == 7 else p)

    out: list[str] = []
    d = day(first)
    end = day(last)
    while d <= end:
        out.append(period_of(d.isoformat(), by))
        if by == "day":
            d += timedelta(days=1)
        elif by == "week":
            d += timedelta(days=7)
        else:
            d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return out


def core_span(days: list[int]) -> tuple[int, int]:
    """The indexes (lo, hi) of the dense core of sorted day numbers: a few background mentions years
    away, behind gaps wider than half the core's span, are left out (at most a fifth of them)."""
    n = len(days)
    cut = min(200, n // 5)
    best = (0, n - 1)
    for i in range(cut + 1):
        for j in range(n - 1, max(i, n - 1 - (cut - i)) - 1, -1):
            room = max(days[j] - days[i], 7)
            if i > 0 and days[i] - days[i - 1] < 0.5 * room:
                continue
            if j < n - 1 and days[j + 1] - days[j] < 0.5 * room:
                continue
            if days[j] - days[i] < days[best[1]] - days[best[0]]:
                best = (i, j)
    return best


def draw_chart(rows: list[dict[str, Any]], output: Path, *, by: str, group: str, top: int = 8) -> None:
    """Stacked bars of incidents per period for the `top` biggest groups (the rest as "other").

    Every period from the first to the last is drawn, quiet ones as gaps, each bar at its date on a time
    axis (so a quiet month looks like one); the legend sits outside the plot, never over a bar.
    """
    from datetime import date, timedelta

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    totals: dict[str, int] = defaultdict(int)
    for r in rows:
        totals[r["group"]] += r["incidents"] or r["events"]
    keep = [g for g, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]
    def ordinal(p: str) -> int:
        return date.fromisoformat(p + "-01" if len(p) == 7 else p).toordinal()

    dated = sorted(ordinal(r["period"]) for r in rows for _ in range(min(50, r["incidents"] or 0)))
    left_out = 0
    if dated:
        lo, hi = core_span(dated)
        left_out = lo + len(dated) - 1 - hi
        rows = [r for r in rows if dated[lo] <= ordinal(r["period"]) <= dated[hi]]
    known = sorted({r["period"] for r in rows})
    periods = period_starts(known[0], known[-1], by) if known else []
    series: dict[str, list[int]] = {g: [0] * len(periods) for g in [*keep, "other"]}
    index = {p: i for i, p in enumerate(periods)}
    for r in rows:
        name = r["group"] if r["group"] in keep else "other"
        if r["period"] in index:
            series[name][index[r["period"]]] += r["incidents"]
    if not any(series["other"]):
        series.pop("other")
    starts = [date.fromisoformat(p + "-01" if len(p) == 7 else p) for p in periods]
    width = {"day": 0.8, "week": 6.0, "month": 26.0}[by]
    if by == "week":
        starts = [d + timedelta(days=3) for d in starts]  # a week's bar stands over its seven days
    elif by == "month":
        starts = [d + timedelta(days=14) for d in starts]
    fig, ax = plt.subplots(figsize=(11, 4.5), dpi=100)
    bottom = [0] * len(periods)
    for name, values in series.items():
        ax.bar(starts, values, bottom=bottom, width=width, label=name, align="center")
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    locator = mdates.AutoDateLocator(minticks=4, maxticks=12)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_ylabel("incidents")
    ax.set_title(f"Incidents per {by}, by {group}")
    if left_out:
        ax.text(0, -0.16, f"{left_out} incident{'s' if left_out != 1 else ''} far from the others not drawn "
                "(use --since/--until to show them)", transform=ax.transAxes, fontsize=8, color="#555",
                va="top")
    ax.yaxis.get_major_locator().set_params(integer=True)
    if series and periods:
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0, frameon=False)
    if not periods:
        ax.text(0.5, 0.5, "no dated incidents", ha="center", va="center", transform=ax.transAxes)
    fig.tight_layout()
    try:
        fig.savefig(output, format="png", bbox_inches="tight")
    finally:
        plt.close(fig)

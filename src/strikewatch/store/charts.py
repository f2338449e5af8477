"""Printing and drawing the stats time series (matplotlib with the Agg back end: no display needed)."""

from __future__ import annotations

import csv
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import IO, Any

from strikewatch.store.export import is_terminal

STATS_COLUMNS = ["period", "group", "events", "incidents"]


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
            writer = csv.DictWriter(target, fieldnames=STATS_COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        else:
            from rich.console import Console
            from rich.table import Table

            table = Table(title=f"events and incidents per {by}, by {group}")
            for name in STATS_COLUMNS:
                table.add_column(name, justify="right" if name in ("events", "incidents") else "left")
            for r in rows:
                table.add_row(r["period"], str(r["group"]), str(r["events"]), str(r["incidents"]))
            Console(file=target, width=None if is_terminal(target) else 140).print(table)
    finally:
        if handle is not None:
            handle.close()


def draw_chart(rows: list[dict[str, Any]], output: Path, *, by: str, group: str, top: int = 8) -> None:
    """Stacked bars of incidents per period for the `top` biggest groups (the rest as "other")."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    totals: dict[str, int] = defaultdict(int)
    for r in rows:
        totals[r["group"]] += r["incidents"] or r["events"]
    keep = [g for g, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]
    periods = sorted({r["period"] for r in rows})
    series: dict[str, list[int]] = {g: [0] * len(periods) for g in [*keep, "other"]}
    index = {p: i for i, p in enumerate(periods)}
    for r in rows:
        name = r["group"] if r["group"] in keep else "other"
        series[name][index[r["period"]]] += r["incidents"]
    if not any(series["other"]):
        series.pop("other")
    fig, ax = plt.subplots(figsize=(10, 4.5), dpi=100)
    bottom = [0] * len(periods)
    for name, values in series.items():
        ax.bar(range(len(periods)), values, bottom=bottom, label=name)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_xticks(range(len(periods)))
    ax.set_xticklabels(periods, rotation=45, ha="right", fontsize=8)
    ax.set_ylabel("incidents")
    ax.set_title(f"Incidents per {by}, by {group}")
    if series:
        ax.legend(fontsize=8, loc="upper left")
    if not periods:
        ax.text(0.5, 0.5, "no dated incidents", ha="center", va="center", transform=ax.transAxes)
    fig.tight_layout()
    try:
        fig.savefig(output, format="png")
    finally:
        plt.close(fig)

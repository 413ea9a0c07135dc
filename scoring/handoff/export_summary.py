"""What an XLSX export says besides the leads: a Summary sheet and a Model sheet, as plain rows.

The Summary names the model, the threshold, the date the list was scored as of and the counts,
then MQLs by source; the Model sheet lists every rule in words, so the workbook explains itself
to whoever in sales opens it.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np

from scoring.insight.analytics import prepare_category
from scoring.insight.conversion import conversion_by_source
from scoring.model.describe import column_labels, describe_predicate
from scoring.reading.tagging import guess_tags

__all__ = ["summary_rows", "source_rows", "model_rows", "SOURCE_HEADER", "MODEL_HEADER"]

SOURCE_HEADER = ["Source", "Leads", "MQLs", "MQL rate"]
MODEL_HEADER = ["Rule", "Kind", "Points", "When", "Enabled"]
_KINDS = {"require": "Must have", "disqualify": "Disqualifies"}


def summary_rows(table, result, exported: int, *, now: datetime | None = None) -> list[list]:
    """Label/value rows: model, threshold, as-of date, counts, the list's file, when exported."""
    model, n = result.model, result.n_rows
    n_mql, blocked = int(result.n_mql), int(np.count_nonzero(result.blocked))
    source = getattr(table, "source", None)
    rows = [
        ["Model", model.name or "Untitled model"],
        ["MQL threshold", float(model.threshold)],
        ["Scored as of", result.as_of],
        ["Lead list", Path(source).name if source else "(not from a file)"],
        ["Leads in the list", n],
        ["MQLs", n_mql],
        ["MQL rate", n_mql / n if n else 0.0],
        ["Blocked by a gate", blocked],
        ["Leads in this export", int(exported)],
        ["Exported", (now or datetime.now()).replace(microsecond=0)],
    ]
    return rows


def source_column(table, result) -> str | None:
    """The model's source column, or the one its header suggests (None when there is none)."""
    columns = list(table.frame.columns)
    tagged = result.model.tagged("source")
    if tagged in columns:
        return tagged
    return guess_tags(columns, getattr(table, "types", None)).get("source")


def source_rows(table, result) -> tuple[str | None, list[list]]:
    """MQLs by source (most leads first): the source column's name and rows per ``SOURCE_HEADER``."""
    column = source_column(table, result)
    if column is None:
        return None, []
    frame = conversion_by_source(prepare_category(table.frame[column], merge_variants=True), result.mql)
    return column, [[str(r.source), int(r.leads), int(r.mqls), float(r.mql_rate)]
                    for r in frame.itertuples(index=False)]


def model_rows(model, columns=()) -> list[list]:
    """Every rule in words, per ``MODEL_HEADER`` (gates show no points)."""
    labels = column_labels(columns) if len(columns) else None
    rows = []
    for rule in model.rules:
        kind = _KINDS.get(rule.kind, f"{rule.group.capitalize()} points")
        points = None if rule.is_gate else float(rule.points)
        rows.append([rule.name, kind, points, describe_predicate(rule.when, labels, max_items=None),
                     "yes" if rule.enabled else "no"])
    return rows

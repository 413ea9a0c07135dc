"""Lookups: columns of another file brought to each lead (a left join that keeps every lead).

Each lead takes one row of the file: when its key matches several rows, the first (file order),
the latest by a date column, or an aggregate of them (numbers summed, dates the latest, other
values the distinct ones joined by ", "). Everything is vectorised: a representative row per key
is picked with one hash (first) or one sort (latest), then gathered to the leads.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from scoring.column_types import ColumnType
from scoring.combine.keys import KeyMatch
from scoring.reading import LeadTable

__all__ = ["representative_rows", "take_column", "aggregate_column"]


def representative_rows(match: KeyMatch, rows: LeadTable, many: str, order_by: str | None) -> np.ndarray:
    """Per lead, the row of the file it takes (-1: no match), for ``many`` first or latest."""
    codes = match.row_codes
    order = np.arange(len(codes))
    if many == "latest" and order_by is not None:      # latest first, rows without a date last
        dates = rows.frame[order_by]
        missing = dates.isna().to_numpy(bool)
        stamps = dates.to_numpy("datetime64[ns]").astype(np.int64)
        stamps[missing] = 0
        order = np.lexsort((-stamps, missing))
    ordered = codes[order]
    first = ~pd.Index(ordered).duplicated(keep="first") & (ordered >= 0)
    per_code = np.full(match.n_codes + 1, -1, np.intp)
    per_code[ordered[first]] = order[first]
    return per_code[match.lead_codes]


def take_column(rows: LeadTable, column: str, picked: np.ndarray) -> tuple[pd.Series, pa.Array]:
    """The typed values and cell texts of ``column`` for each lead (missing where ``picked`` is -1)."""
    values = rows.frame[column]
    taken = pd.api.extensions.take(values.array, picked, allow_fill=True)
    series = pd.Series(taken, name=column)
    if rows.types[column] == ColumnType.INTEGER and series.dtype != "Int64":
        series = series.astype("Int64")
    texts = rows.raw.column(column)
    texts = texts.combine_chunks() if isinstance(texts, pa.ChunkedArray) else texts
    cells = texts.take(pa.array(picked, mask=picked < 0))
    return series, cells


def aggregate_column(match: KeyMatch, rows: LeadTable, column: str) -> pd.Series:
    """``column`` aggregated over every row matching each lead: numbers summed, dates the
    latest, other values the distinct ones sorted and joined by ", " (missing: no row)."""
    ctype = rows.types[column]
    codes = match.row_codes
    keep = codes >= 0
    values = rows.frame[column][keep]
    grouped = values.groupby(codes[keep], sort=False)
    if ctype.is_numeric:
        per_code = grouped.sum(min_count=1)
    elif ctype.is_temporal:
        per_code = grouped.max()
    else:
        texts = values.astype("str")
        frame = pd.DataFrame({"code": codes[keep], "text": texts.to_numpy(object)}).dropna()
        frame = frame.drop_duplicates().sort_values(["code", "text"], kind="stable")
        per_code = frame.groupby("code", sort=False)["text"].agg(", ".join)
    per_lead = per_code.reindex(match.lead_codes)
    return pd.Series(per_lead.to_numpy(), name=column)

"""Aggregates: new lead columns from the many rows of an activity log that match each lead.

Rows are first narrowed by an optional condition (the rule editor's conditions, evaluated by
``scoring.evaluate``) and an optional window (dated within N days up to the scoring date); then
per key code: ``count`` of rows, ``latest`` / ``earliest`` date, ``sum`` / ``mean`` / ``max`` of a
number, ``distinct`` number of values. The work is integer and float arrays (``np.bincount``, a
pandas groupby for max/min), gathered to the leads through their key codes, so leads sharing a key
share its figures and a lead matching no row gets 0 for counts and sums, and no value otherwise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from scoring.column_types import ColumnType
from scoring.combine.errors import CombineError
from scoring.combine.keys import KeyMatch
from scoring.model.recipe import Aggregate
from scoring.reading import LeadTable

__all__ = ["aggregate_rows", "column_texts"]


def _numbers(rows: LeadTable, column: str, file_label: str, agg: Aggregate) -> np.ndarray:
    ctype = rows.types[column]
    if not (ctype.is_numeric or ctype == ColumnType.BOOLEAN):
        raise CombineError(f"{file_label}'s column '{column}' does not hold numbers "
                           f"(e.g. {_examples(rows, column)}), so '{agg.name}' cannot take its {agg.fn}; "
                           "choose a number column")
    values = rows.frame[column]
    if ctype == ColumnType.BOOLEAN:
        return pd.array(values, dtype="boolean").to_numpy(dtype=np.float64, na_value=np.nan)
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)


def _examples(rows: LeadTable, column: str) -> str:
    texts = pc.drop_null(rows.raw.column(column)).unique()[:2].to_pylist()
    return ", ".join(f"'{t[:30]}'" for t in texts) or "nothing filled"


def _gathered(per_code: np.ndarray, lead_codes: np.ndarray, empty) -> np.ndarray:
    return np.append(per_code, np.asarray([empty], per_code.dtype))[lead_codes]


def aggregate_rows(match: KeyMatch, rows: LeadTable, agg: Aggregate, mask: np.ndarray | None, *,
                   file_label: str) -> tuple[pd.Series, ColumnType]:
    """The new column for every lead, and its type. ``mask``: the rows that count (None: all)."""
    codes = match.row_codes
    keep = codes >= 0 if mask is None else (codes >= 0) & mask
    c = codes[keep]
    n, leads = match.n_codes, match.lead_codes
    if agg.fn == "count":
        per = np.bincount(c, minlength=n).astype(np.int64)
        return pd.Series(pd.array(_gathered(per, leads, 0), dtype="Int64")), ColumnType.INTEGER
    if agg.fn == "distinct":
        values = rows.frame[agg.column][keep]
        value_codes = pd.factorize(values, use_na_sentinel=True)[0].astype(np.int64)
        filled = value_codes >= 0
        pairs = c[filled] * (int(value_codes.max(initial=0)) + 1) + value_codes[filled]
        distinct_pairs = pd.unique(pairs)
        width = int(value_codes.max(initial=0)) + 1
        per = np.bincount(distinct_pairs // width, minlength=n).astype(np.int64)
        return pd.Series(pd.array(_gathered(per, leads, 0), dtype="Int64")), ColumnType.INTEGER
    if agg.fn in ("latest", "earliest"):
        ctype = rows.types[agg.column]
        if not ctype.is_temporal:
            raise CombineError(f"{file_label}'s column '{agg.column}' does not hold dates Leadbench can "
                               f"read (e.g. {_examples(rows, agg.column)}), so '{agg.name}' cannot take "
                               f"the {agg.fn} date; choose its date column or fix the dates in the file")
        stamps = rows.frame[agg.column].to_numpy("datetime64[ns]")[keep]
        filled = ~np.isnat(stamps)
        ints = stamps[filled].view(np.int64)
        none = np.iinfo(np.int64).min if agg.fn == "latest" else np.iinfo(np.int64).max
        per = np.full(n, none, np.int64)
        (np.maximum if agg.fn == "latest" else np.minimum).at(per, c[filled], ints)
        out = _gathered(per, leads, none)
        out = np.where(out == none, np.iinfo(np.int64).min, out).view("datetime64[ns]")   # NaT
        return pd.Series(out), ctype
    values = _numbers(rows, agg.column, file_label, agg)[keep]
    filled = ~np.isnan(values)
    integer = rows.types[agg.column] == ColumnType.INTEGER
    if agg.fn in ("sum", "mean"):
        sums = np.bincount(c[filled], weights=values[filled], minlength=n)
        if agg.fn == "sum":
            out = _gathered(sums, leads, 0.0)
            if integer:
                return pd.Series(pd.array(np.round(out).astype(np.int64), dtype="Int64")), ColumnType.INTEGER
            return pd.Series(out), ColumnType.NUMBER
        counts = np.bincount(c[filled], minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            means = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
        return pd.Series(_gathered(means, leads, np.nan)), ColumnType.NUMBER
    per = np.full(n, -np.inf)
    np.maximum.at(per, c[filled], values[filled])
    per[np.isneginf(per) & (np.bincount(c[filled], minlength=n) == 0)] = np.nan
    out = _gathered(per, leads, np.nan)
    if integer:
        return pd.Series(pd.array(out, dtype="Float64").astype("Int64")), ColumnType.INTEGER
    return pd.Series(out), ColumnType.NUMBER


def column_texts(series: pd.Series, ctype: ColumnType) -> pa.Array:
    """The cell texts of a computed column, as a file would hold them (null for missing)."""
    if ctype.is_temporal:
        stamps = series.to_numpy("datetime64[ns]")
        missing = np.isnat(stamps)
        if ctype == ColumnType.DATE:
            return pa.array(stamps.astype("datetime64[D]"), pa.date32(), mask=missing).cast(pa.string())
        return pc.strftime(pa.array(stamps, pa.timestamp("ns"), mask=missing), format="%Y-%m-%d %H:%M:%S")
    if ctype == ColumnType.INTEGER:
        return pa.array(series.array.to_numpy(dtype=np.float64, na_value=np.nan), pa.float64(),
                        from_pandas=True).cast(pa.int64()).cast(pa.string())
    if ctype == ColumnType.NUMBER:
        return pa.array(series.to_numpy(np.float64), pa.float64(), from_pandas=True).cast(pa.string())
    return pa.array(series.astype("str").to_numpy(object), pa.string(), from_pandas=True)

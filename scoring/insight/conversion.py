"""Conversion by source, cost per source, and which attribute values convert better.

All functions take prepared columns (:mod:`scoring.insight.analytics`) and per-lead bool arrays, and
return small DataFrames with one row per value. Rates with an outcome count only leads whose
outcome is settled (``known``); a rate over no leads is NaN, never 0.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from scoring.insight.analytics import PreparedCategory, merge_key, safe_ratio

__all__ = ["conversion_by_source", "cost_per_source", "wilson_interval", "attribute_insight",
           "MIN_SUPPORT", "Z95"]

#: Default least number of leads for a value's conversion rate to be trusted.
MIN_SUPPORT = 30
#: The normal quantile of a two-sided 95% interval.
Z95 = 1.959963984540054


def _outcome(won, known, n: int) -> tuple[np.ndarray, np.ndarray]:
    won = np.asarray(won, bool)
    known = np.ones(n, bool) if known is None else np.asarray(known, bool)
    return won & known, known


def conversion_by_source(source: PreparedCategory, mql: np.ndarray, *, won: np.ndarray | None = None,
                         known: np.ndarray | None = None, top: int | None = None) -> pd.DataFrame:
    """Leads, MQLs and conversion per source value, most leads first.

    Parameters
    ----------
    source : the prepared source column (merge case/space variants when preparing it;
        leads without a source are "(no source)")
    mql : bool per lead
    won, known : optional outcome (bool per lead)
    top : keep this many sources (most leads first) and fold the rest into one last row,
        "Other (N sources)", whose rates are computed from its leads (not averaged)

    Returns
    -------
    DataFrame
        ``source``, ``leads``, ``mqls``, ``mql_rate`` (lead-to-MQL) and, with an outcome,
        ``won``, ``won_rate`` (lead-to-won), ``mql_won_rate`` (MQL-to-won) and
        ``non_mql_won_rate`` (non-MQL-to-won). Sources with no leads are left out.
    """
    mql = np.asarray(mql, bool)
    n_codes = source.n_codes
    if won is None:
        cells = np.bincount(source.codes * 2 + mql, minlength=2 * n_codes).reshape(n_codes, 2)
    else:
        won_k, known = _outcome(won, known, len(mql))
        # one pass: each lead falls in one of 8 cells per source (mql x known x won)
        flags = mql * np.int64(4) + known * np.int64(2) + won_k
        cells = np.bincount(source.codes * 8 + flags, minlength=8 * n_codes).reshape(n_codes, 8)
    labels = list(source.labels)
    leads = cells.sum(axis=1)
    # most leads first, ties by name; sources with no leads are left out
    order = sorted(np.flatnonzero(leads > 0), key=lambda i: (-int(leads[i]), str(labels[i])))
    if top is not None and len(order) > top + 1:
        rest = order[top:]
        cells = np.vstack([cells[order[:top]], cells[rest].sum(axis=0, keepdims=True)])
        labels = [labels[i] for i in order[:top]] + [f"Other ({len(rest):,} sources)"]
    else:
        cells, labels = cells[order], [labels[i] for i in order]
    leads = cells.sum(axis=1)
    mqls = cells[:, cells.shape[1] // 2:].sum(axis=1)
    columns = {"source": labels, "leads": leads, "mqls": mqls,
               "mql_rate": safe_ratio(mqls, leads)}
    if won is not None:
        won_n = cells[:, [3, 7]].sum(axis=1)
        won_mql = cells[:, 7]
        known_n = cells[:, [2, 3, 6, 7]].sum(axis=1)
        known_mql = cells[:, [6, 7]].sum(axis=1)
        columns.update({
            "won": won_n,
            "won_rate": safe_ratio(won_n, known_n),
            "mql_won_rate": safe_ratio(won_mql, known_mql),
            "non_mql_won_rate": safe_ratio(won_n - won_mql, known_n - known_mql),
        })
    return pd.DataFrame(columns)


def cost_per_source(source: PreparedCategory, mql: np.ndarray, spend: Mapping[str, float], *,
                    won: np.ndarray | None = None, known: np.ndarray | None = None,
                    amount: np.ndarray | None = None) -> pd.DataFrame:
    """Cost per lead, per MQL and per won lead for each source with spend.

    Parameters
    ----------
    source : the prepared source column
    mql : bool per lead
    spend : money spent per source value; keys match source labels ignoring case and spaces
        (a key matching no lead gets a row with 0 leads and NaN costs)
    won, known : optional outcome (bool per lead), for the cost per won lead
    amount : optional deal amount per lead (float64, NaN when empty), for revenue: the sum of
        amounts of won leads (of all leads without an outcome)

    Returns
    -------
    DataFrame
        ``source``, ``spend``, ``leads``, ``mqls``, ``cost_per_lead``, ``cost_per_mql`` and,
        as available, ``won``, ``cost_per_won``, ``revenue``, ``revenue_per_mql``,
        ``return_on_spend`` (revenue / spend). In the order of ``spend``.
    """
    mql = np.asarray(mql, bool)
    by_key = {merge_key(label): code for code, label in enumerate(source.labels)}
    codes = np.array([by_key.get(merge_key(k), -1) for k in spend], np.int64)

    def per_source(weights) -> np.ndarray:
        counts = np.append(source.counts(weights), 0)      # code -1 (no such source) reads 0
        return counts[codes]

    money = np.array([float(v) for v in spend.values()], np.float64)
    leads = per_source(None).astype(np.int64)
    mqls = per_source(mql).astype(np.int64)
    frame = pd.DataFrame({
        "source": [source.labels[c] if c >= 0 else str(k) for k, c in zip(spend, codes)],
        "spend": money, "leads": leads, "mqls": mqls,
        "cost_per_lead": safe_ratio(money, leads), "cost_per_mql": safe_ratio(money, mqls),
    })
    won_k = None
    if won is not None:
        won_k, _known = _outcome(won, known, len(mql))
        frame["won"] = per_source(won_k).astype(np.int64)
        frame["cost_per_won"] = safe_ratio(money, frame["won"].to_numpy())
    if amount is not None:
        values = np.nan_to_num(np.asarray(amount, np.float64), nan=0.0)
        if won_k is not None:
            values = np.where(won_k, values, 0.0)
        revenue = per_source(values).astype(np.float64)
        frame["revenue"] = revenue
        frame["revenue_per_mql"] = safe_ratio(revenue, mqls)
        frame["return_on_spend"] = safe_ratio(revenue, money)
    return frame


def wilson_interval(successes, trials, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """The Wilson score interval of a proportion (vectorised); NaN where ``trials`` is 0."""
    k = np.asarray(successes, np.float64)
    n = np.asarray(trials, np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        denom = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    low = np.where(n > 0, np.clip(centre - half, 0, 1), np.nan)
    high = np.where(n > 0, np.clip(centre + half, 0, 1), np.nan)
    return low, high


def _support_note(leads: int, min_count: int) -> str:
    if leads >= min_count:
        return ""
    return f"only {leads} lead{'s' if leads != 1 else ''}: too few to trust"


def attribute_insight(columns: Sequence[PreparedCategory], won: np.ndarray, *,
                      known: np.ndarray | None = None, min_count: int = MIN_SUPPORT,
                      include_small: bool = True) -> pd.DataFrame:
    """Conversion per value of each column, with lift over the base rate and a 95% interval.

    Parameters
    ----------
    columns : prepared columns (:func:`scoring.insight.analytics.prepare_attribute`)
    won, known : the outcome (bool per lead)
    min_count : values with fewer settled leads are flagged ``enough=False`` with a note
        ("only 12 leads: too few to trust")
    include_small : keep flagged values (sorted after the trusted ones)

    Returns
    -------
    DataFrame
        ``column``, ``value``, ``code`` (the value's code in its prepared column), ``leads``
        (settled leads), ``won``, ``conversion_rate``, ``lift`` (rate / base rate),
        ``ci_low``, ``ci_high``, ``enough``, ``note``; trusted values first, each part sorted
        by lift, highest first. ``attrs["base_rate"]`` is the overall conversion.
    """
    won_k, known = _outcome(won, known, len(won))
    n_known = int(known.sum())
    base = won_k.sum() / n_known if n_known else math.nan
    parts = []
    for col in columns:
        leads = col.counts(known).astype(np.int64)
        wins = col.counts(won_k).astype(np.int64)
        rate = safe_ratio(wins, leads)
        low, high = wilson_interval(wins, leads)
        parts.append(pd.DataFrame({
            "column": col.name, "value": list(col.labels), "code": np.arange(col.n_codes),
            "leads": leads, "won": wins, "conversion_rate": rate,
            "lift": rate / base if base > 0 else np.full(col.n_codes, np.nan),
            "ci_low": low, "ci_high": high, "enough": leads >= min_count,
            "note": [_support_note(int(x), min_count) for x in leads],
        }))
    columns_out = ["column", "value", "code", "leads", "won", "conversion_rate", "lift",
                   "ci_low", "ci_high", "enough", "note"]
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns_out)
    frame = frame[frame["leads"] > 0]
    if not include_small:
        frame = frame[frame["enough"]]
    frame = frame.sort_values(["enough", "lift", "leads"], ascending=[False, False, False],
                              kind="stable", na_position="last").reset_index(drop=True)
    frame.attrs["base_rate"] = float(base)
    return frame

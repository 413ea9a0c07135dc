"""The funnel: all leads, MQLs, then the CRM stages in the order the user gives.

A lead at a later stage has passed every earlier one, so it counts at each of them ("Customer"
counts as SQL and Opportunity too). Stage steps count all leads at that stage or later, whether
or not the current model makes them MQLs; the ``mqls`` column says how many of them it does.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from scoring.errors import LeadbenchError
from scoring.insight.analytics import PreparedCategory, merge_key, safe_ratio

__all__ = ["stage_ranks", "funnel"]


def stage_ranks(stage: PreparedCategory, order: Sequence[str]) -> np.ndarray:
    """Per code of ``stage``, its position in ``order`` (0-based), or -1 when not in it.

    Values match ignoring case and spaces. Raises LeadbenchError for a repeated stage.
    """
    keys = [merge_key(s) for s in order]
    if len(set(keys)) != len(keys):
        raise LeadbenchError("Each funnel stage can appear only once: "
                             + ", ".join(map(str, order)) + ".")
    position = {k: i for i, k in enumerate(keys)}
    ranks = np.full(stage.n_codes, -1, np.int64)
    for code, variants in enumerate(stage.variants):
        found = [position[merge_key(v)] for v in variants if merge_key(v) in position]
        if found:
            ranks[code] = max(found)
    return ranks


def funnel(stage: PreparedCategory, mql: np.ndarray, order: Sequence[str]) -> pd.DataFrame:
    """Leads at each funnel step, with step-to-step conversion.

    Parameters
    ----------
    stage : the prepared stage/status column
    mql : bool per lead
    order : the stage values after MQL, earliest first (e.g. ``["SQL", "Opportunity",
        "Customer"]``)

    Returns
    -------
    DataFrame
        ``step`` ("Leads", "MQLs", then each stage), ``leads`` (leads that reached the step),
        ``mqls`` (of those, how many are MQLs), ``step_rate`` (leads / the previous step's leads;
        NaN for the first), ``overall_rate`` (leads / all leads).
    """
    mql = np.asarray(mql, bool)
    n = len(mql)
    n_mql = int(mql.sum())
    rank = stage_ranks(stage, order)[stage.codes] + 1          # 0: in no listed stage
    k = len(order)
    at = np.bincount(rank, minlength=k + 1)
    at_mql = np.bincount(rank, weights=mql, minlength=k + 1).astype(np.int64)
    reached = np.cumsum(at[::-1])[::-1][1:]                    # leads at stage i or later
    reached_mql = np.cumsum(at_mql[::-1])[::-1][1:]
    leads = np.concatenate([[n, n_mql], reached]).astype(np.int64)
    mqls = np.concatenate([[n_mql, n_mql], reached_mql]).astype(np.int64)
    step_rate = np.concatenate([[np.nan], safe_ratio(leads[1:], leads[:-1])])
    return pd.DataFrame({"step": ["Leads", "MQLs", *map(str, order)], "leads": leads,
                         "mqls": mqls, "step_rate": step_rate,
                         "overall_rate": safe_ratio(leads, n)})

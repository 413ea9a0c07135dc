"""MQLs over time: leads and MQLs per day, week, month, quarter or year of the created date.

The granularity is chosen from the date span so a chart shows about 10 to 60 bars, unless the
user picks one. Every bucket between the first and last date is present, with zeros where no
lead was created. Weeks start on Monday.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.errors import LeadbenchError
from scoring.insight.analytics import PreparedDates, safe_ratio

__all__ = ["GRANULARITIES", "auto_granularity", "mqls_over_time"]

#: Granularities, finest first.
GRANULARITIES = ("day", "week", "month", "quarter", "year")
_MAX_BUCKETS = 60
_EPOCH_WEEKDAY = 3          # 1970-01-01 was a Thursday (Monday = 0)


def _bucket_index(days: np.ndarray, granularity: str) -> np.ndarray:
    """A sortable integer per day number: consecutive buckets differ by 1."""
    if granularity == "day":
        return days
    if granularity == "week":
        return (days + _EPOCH_WEEKDAY) // 7
    months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    if granularity == "month":
        return months
    if granularity == "quarter":
        return months // 3
    return months // 12


def _bucket_start(index: np.ndarray, granularity: str) -> np.ndarray:
    """The first day (datetime64[D]) of each bucket index."""
    if granularity == "day":
        return index.astype("datetime64[D]")
    if granularity == "week":
        return (index * 7 - _EPOCH_WEEKDAY).astype("datetime64[D]")
    months = {"month": 1, "quarter": 3, "year": 12}[granularity] * index
    return months.astype("datetime64[M]").astype("datetime64[D]")


def _n_buckets(first: int, last: int, granularity: str) -> int:
    ends = _bucket_index(np.array([first, last], np.int64), granularity)
    return int(ends[1] - ends[0] + 1)


def auto_granularity(dates: PreparedDates) -> str:
    """The finest granularity giving at most 60 buckets over the dates' span ("day" when empty)."""
    if not dates.valid.any():
        return "day"
    for granularity in GRANULARITIES:
        if _n_buckets(dates.first_day, dates.last_day, granularity) <= _MAX_BUCKETS:
            return granularity
    return "year"


def _codes(dates: PreparedDates, granularity: str) -> tuple[np.ndarray, int, int]:
    """Bucket code per lead (0-based; empty dates get code n_buckets) and the first index."""
    cached = dates._buckets.get(granularity)
    if cached is None:
        index = _bucket_index(dates.days, granularity)
        first = int(_bucket_index(np.array([dates.first_day]), granularity)[0])
        n = _n_buckets(dates.first_day, dates.last_day, granularity) if dates.valid.any() else 0
        codes = np.where(dates.valid, index - first, n).astype(np.int64)
        cached = (codes, first, n)
        dates._buckets[granularity] = cached
    return cached


def mqls_over_time(dates: PreparedDates, mql: np.ndarray, granularity: str | None = None) -> pd.DataFrame:
    """Leads and MQLs per period of the created date.

    Parameters
    ----------
    dates : the prepared created-date column
    mql : bool per lead
    granularity : one of :data:`GRANULARITIES`; None picks one (:func:`auto_granularity`)

    Returns
    -------
    DataFrame
        ``period_start`` (datetime64), ``leads``, ``mqls``, ``mql_rate`` (NaN for empty
        periods); one row per period from the first to the last date. ``attrs["granularity"]``
        is the granularity used and ``attrs["undated"]`` the number of leads without a date
        (not in any row).
    """
    if granularity is None:
        granularity = auto_granularity(dates)
    if granularity not in GRANULARITIES:
        raise LeadbenchError(f'"{granularity}" is not a time period: choose one of '
                             + ", ".join(GRANULARITIES) + ".")
    codes, first, n = _codes(dates, granularity)
    leads = np.bincount(codes, minlength=n + 1)
    mqls = np.bincount(codes, weights=np.asarray(mql, bool), minlength=n + 1).astype(np.int64)
    frame = pd.DataFrame({
        "period_start": _bucket_start(np.arange(first, first + n), granularity).astype("datetime64[ns]"),
        "leads": leads[:n],
        "mqls": mqls[:n],
        "mql_rate": safe_ratio(mqls[:n], leads[:n]),
    })
    frame.attrs["granularity"] = granularity
    frame.attrs["undated"] = int(leads[n])
    return frame

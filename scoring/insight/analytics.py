"""Prepared columns for the analytics: the once-per-file work that makes each refresh cheap.

Charts and the back-test refresh after every rule edit, at up to a million leads. Everything
that depends only on the lead list (not on the scores) is done once here: a text column becomes
small integer codes plus labels (:class:`PreparedCategory`), a number column becomes quantile
bins, a date column becomes day numbers (:class:`PreparedDates`). The per-refresh functions in
``distribution``, ``conversion``, ``funnel``, ``timeline`` and ``backtest`` then only run
``np.bincount`` over codes.

Functions
---------
prepare_category(series, ...) : codes and labels of a text/category/boolean/number column
prepare_bins(series, bins=4) : a number column cut at its quantiles
prepare_attribute(series, name) : whichever of the two fits the column's dtype
prepare_dates(series) : day numbers of a date column
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["NO_SOURCE", "EMPTY", "PreparedCategory", "PreparedDates", "prepare_category",
           "prepare_bins", "prepare_attribute", "prepare_dates", "merge_key", "safe_ratio"]

#: Label of leads without a source in "conversion by source".
NO_SOURCE = "(no source)"
#: Label of leads with an empty cell in attribute tables.
EMPTY = "(empty)"

_SPACES = re.compile(r"\s+")


def merge_key(text: str) -> str:
    """The form two values share when they differ only in case and spaces ("Google ",
    "google", "Organic  Search", "GTXPro" / "GTX Pro")."""
    return _SPACES.sub("", str(text)).casefold()


def safe_ratio(num, den) -> np.ndarray:
    """``num / den`` as float64, NaN where ``den`` is 0 (a rate of nothing is unknown, not 0)."""
    num = np.asarray(num, np.float64)
    den = np.asarray(den, np.float64)
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den != 0)
    return out


@dataclass(frozen=True)
class PreparedCategory:
    """A column as integer codes: ``labels[codes[i]]`` is lead i's value.

    Attributes
    ----------
    name : the column name
    codes : int64 per lead, in ``0..len(labels)-1`` (missing values have their own label)
    labels : display label per code
    variants : per code, the original cell values it stands for (several when case/space
        variants were merged; empty for the missing label); rule suggestions use them
    kind : "category", "boolean" or "bins" (number ranges)
    edges : for "bins", the ``len(labels)+1`` bin edges (the missing bin, if any, is last)
    missing_code : the code of missing cells, or -1 when no cell is missing
    whole_numbers : for "bins", whether every value is a whole number
    """

    name: str
    codes: np.ndarray
    labels: tuple[str, ...]
    variants: tuple[tuple, ...]
    kind: str = "category"
    edges: tuple[float, ...] = ()
    missing_code: int = -1
    whole_numbers: bool = False

    @property
    def n_codes(self) -> int:
        return len(self.labels)

    def counts(self, weights: np.ndarray | None = None) -> np.ndarray:
        """Leads (or the sum of ``weights``) per code, in code order."""
        return np.bincount(self.codes, weights=weights, minlength=self.n_codes)


def _label(value) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "Yes" if value else "No"
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value


def prepare_category(series: pd.Series, *, name: str | None = None, merge_variants: bool = False,
                     missing_label: str = NO_SOURCE) -> PreparedCategory:
    """Codes and labels of a column with few distinct values.

    Parameters
    ----------
    series : the column (category, str, boolean, Int64, float64...)
    name : column name (default ``series.name``)
    merge_variants : merge values that differ only in case and spaces ("google", "Google ");
        the merged label is the most frequent spelling
    missing_label : label for empty cells ("(no source)")
    """
    name = str(series.name if name is None else name)
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy(np.int64)
        values = list(series.cat.categories)
    else:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        codes = codes.astype(np.int64, copy=False)
        values = list(uniques)
    kind = "boolean" if pd.api.types.is_bool_dtype(series.dtype) else "category"
    variants = [(_plain(v),) for v in values]
    labels = [_label(v) for v in values]
    if merge_variants and values:
        keys = [merge_key(label) for label in labels]
        key_codes, key_uniques = pd.factorize(pd.Series(keys, dtype=object))
        counts = np.bincount(codes[codes >= 0], minlength=len(values))
        merged_labels, merged_variants = [], []
        for k in range(len(key_uniques)):
            members = np.flatnonzero(key_codes == k)
            best = members[np.argmax(counts[members])]
            merged_labels.append(labels[best])
            merged_variants.append(tuple(variants[m][0] for m in members))
        remap = np.append(key_codes.astype(np.int64), -1)
        codes = remap[codes]                  # -1 stays -1 through the appended entry
        labels, variants = merged_labels, merged_variants
    missing_code = -1
    if (codes < 0).any():
        missing_code = len(labels)
        codes = np.where(codes < 0, missing_code, codes)
        labels.append(missing_label)
        variants.append(())
    return PreparedCategory(name, codes, tuple(labels), tuple(variants), kind,
                            missing_code=missing_code)


def _number_text(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() or abs(x) >= 100 else f"{x:,.3g}"


def prepare_bins(series: pd.Series, *, name: str | None = None, bins: int = 4,
                 missing_label: str = EMPTY) -> PreparedCategory:
    """A number column cut into up to ``bins`` ranges at its quantiles.

    Each range includes its low edge and excludes its high edge, except the top range, which
    includes the maximum. For whole numbers the labels show the values each range holds
    ("3 – 4"), for other numbers the edges. Repeated quantiles (many equal values) merge into
    fewer bins; a column with at most ``bins`` distinct values is treated as categories.
    ``variants[code]`` is ``(low, high)``, the range's edges.
    """
    name = str(series.name if name is None else name)
    values = pd.to_numeric(series, errors="coerce").to_numpy(np.float64, na_value=np.nan)
    finite = np.isfinite(values)
    distinct = np.unique(values[finite])
    if len(distinct) <= bins:
        return prepare_category(series.astype("float64"), name=name, missing_label=missing_label)
    whole = bool(np.array_equal(distinct, np.round(distinct)))
    edges = np.unique(np.quantile(values[finite], np.linspace(0, 1, bins + 1)))
    codes = np.searchsorted(edges[1:-1], values, side="right").astype(np.int64)
    labels = []
    for i, (lo, hi) in enumerate(zip(edges[:-1], edges[1:])):
        top = i == len(edges) - 2
        if whole:
            lo_v, hi_v = math.ceil(lo), (int(hi) if top else math.ceil(hi) - 1)
            labels.append(_number_text(lo_v) if lo_v == hi_v else f"{_number_text(lo_v)} – {_number_text(hi_v)}")
        else:
            labels.append(f"{_number_text(lo)} – {_number_text(hi)}")
    variants = [(float(lo), float(hi)) for lo, hi in zip(edges[:-1], edges[1:])]
    missing_code = -1
    if not finite.all():
        missing_code = len(labels)
        codes[~finite] = missing_code
        labels.append(missing_label)
        variants.append(())
    return PreparedCategory(name, codes, tuple(labels), tuple(variants), "bins",
                            tuple(float(e) for e in edges), missing_code, whole)


def prepare_attribute(series: pd.Series, *, name: str | None = None, bins: int = 4) -> PreparedCategory:
    """Numbers in quantile bins, everything else as categories (empty cells as "(empty)")."""
    dtype = series.dtype
    numeric = (pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
               and not isinstance(dtype, pd.CategoricalDtype))
    if numeric:
        return prepare_bins(series, name=name, bins=bins)
    return prepare_category(series, name=name, missing_label=EMPTY)


@dataclass(frozen=True)
class PreparedDates:
    """A date column as day numbers since 1970-01-01 (``valid`` False where the cell is empty).

    Buckets per granularity are computed on first use and kept (``bucket_codes``).
    """

    name: str
    days: np.ndarray
    valid: np.ndarray
    first_day: int
    last_day: int
    _buckets: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def span_days(self) -> int:
        """Days from the first to the last date, inclusive (0 without dates)."""
        return self.last_day - self.first_day + 1 if self.valid.any() else 0

    @property
    def span_months(self) -> float:
        """The span in average calendar months (30.44 days)."""
        return self.span_days / 30.436875


def prepare_dates(series: pd.Series, *, name: str | None = None) -> PreparedDates:
    """Day numbers of a datetime column (times of day are dropped)."""
    name = str(series.name if name is None else name)
    stamps = pd.to_datetime(series, errors="coerce")
    raw = stamps.to_numpy("datetime64[D]")
    valid = ~np.isnat(raw)
    days = raw.astype(np.int64)
    days = np.where(valid, days, 0)
    first = int(days[valid].min()) if valid.any() else 0
    last = int(days[valid].max()) if valid.any() else 0
    return PreparedDates(name, days, valid, first, last)

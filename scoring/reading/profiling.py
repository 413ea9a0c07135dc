"""Column profiles: what each column holds, at a glance."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import pandas as pd

from scoring.column_types import ColumnType
from scoring.errors import Cancelled
from scoring.reading.numbers import NumberFormat

__all__ = ["min_max", "ColumnProfile", "profile_column", "profile_table", "TOP_VALUES"]

TOP_VALUES = 10


@dataclass(frozen=True)
class ColumnProfile:
    """Type, fill rate, distinct count, top values with counts, and min/max for numbers and dates.

    Attributes
    ----------
    name, type : the column and its ``ColumnType``
    count : rows in the table; ``filled`` : rows with a value; ``fill_rate`` : filled / count
    distinct : how many different values
    top : the ``TOP_VALUES`` most frequent values with their counts, most frequent first
    minimum, maximum : for numbers and dates (None otherwise, or when nothing is filled)
    note : what did not fit the column's type ("3 values that are not dates treated as missing")
    number_format : for number columns, how the list writes them (marks, currency, percent)
    """

    name: str
    type: ColumnType
    count: int
    filled: int
    distinct: int
    top: list[tuple[Any, int]] = field(default_factory=list)
    minimum: Any = None
    maximum: Any = None
    note: str = ""
    number_format: NumberFormat | None = None

    @property
    def currency(self) -> str | None:
        """The column's currency sign ("€"), or None."""
        return self.number_format.currency if self.number_format is not None else None

    @property
    def fill_rate(self) -> float:
        return self.filled / self.count if self.count else 0.0

    def to_dict(self) -> dict:
        def plain(v):
            if isinstance(v, pd.Timestamp):
                return v.isoformat()
            if hasattr(v, "item"):
                return v.item()
            return v
        return {"name": self.name, "type": str(self.type), "rows": self.count, "filled": self.filled,
                "fill_rate": round(self.fill_rate, 4), "distinct": self.distinct,
                "top": [[plain(v), n] for v, n in self.top],
                "min": plain(self.minimum), "max": plain(self.maximum), "note": self.note,
                **({"number_format": {"decimal_mark": f.decimal, "thousands_mark": f.thousands,
                                      "currency": f.currency, "percent": f.percent}}
                   if (f := self.number_format) is not None else {})}


_NAT = np.iinfo(np.int64).min
_BLOCK = 1 << 20


def min_max(series: pd.Series):
    """The smallest and largest value of a column, missing values skipped. A plain datetime64
    column is reduced over its own integers a block at a time: pandas' reductions copy a column
    with missing dates whole, holding the interpreter (80 MB at ten million leads, a freeze of the
    window whose GUI thread waits for a worker doing it)."""
    if series.dtype != np.dtype("datetime64[ns]"):
        return series.min(), series.max()
    ticks = series.to_numpy().view(np.int64)
    high = ticks.max() if len(ticks) else _NAT        # NaT is the smallest integer: never the largest
    if high == _NAT:
        return pd.NaT, pd.NaT
    # negated, NaT stays the smallest integer (it has no positive counterpart), so the largest
    # negated tick is the earliest date
    block = np.empty(min(len(ticks), _BLOCK), np.int64)
    negated_max = _NAT
    for start in range(0, len(ticks), _BLOCK):
        part = ticks[start:start + _BLOCK]
        np.negative(part, out=block[:len(part)])
        negated_max = max(negated_max, int(block[:len(part)].max()))
    return pd.Timestamp(-negated_max), pd.Timestamp(high)


#: columns of this many rows or more are counted by sorting (see ``_value_counts``)
SORTED_COUNT_ROWS = 1_000_000


def _value_counts(series: pd.Series) -> pd.Series:
    """``series.value_counts(dropna=True, sort=True)``. For a big column of whole numbers, yes/no
    or dates it is counted by sorting (numpy lets other threads run meanwhile; pandas' hash
    count holds the interpreter for a fifth of a second at ten million rows, freezing the window
    that profiles on a worker); ties keep the order in which the values first appear."""
    dtype = series.dtype
    countable = (pd.api.types.is_integer_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)
                 or pd.api.types.is_datetime64_dtype(dtype))
    if len(series) < SORTED_COUNT_ROWS or not countable:
        return series.value_counts(dropna=True, sort=True)
    kept = series[series.notna()]
    numpy_dtype = getattr(dtype, "numpy_dtype", dtype)
    uniques, first, counts = np.unique(kept.to_numpy(numpy_dtype), return_index=True, return_counts=True)
    order = np.lexsort((first, -counts))
    return pd.Series(counts[order], index=pd.Index(uniques[order]).astype(dtype), name="count")


def profile_column(table, name: str) -> ColumnProfile:
    """The profile of one column of a ``LeadTable`` (one ``value_counts``, vectorised)."""
    series: pd.Series = table.frame[name]
    ctype = ColumnType(table.types[name])
    counts = _value_counts(series)
    filled = int(counts.sum())
    top = [(_value(v), int(n)) for v, n in counts.head(TOP_VALUES).items() if n > 0]
    minimum = maximum = None
    if filled and (ctype.is_numeric or ctype.is_temporal):
        low, high = min_max(series)
        minimum, maximum = _value(low), _value(high)
    return ColumnProfile(name, ctype, len(series), filled, int((counts > 0).sum()), top,
                         minimum, maximum, getattr(table, "notes", {}).get(name, ""),
                         getattr(table, "number_formats", {}).get(name))


def profile_table(table, *, on_progress: Callable[[float], None] | None = None,
                  is_cancelled: Callable[[], bool] | None = None) -> list[ColumnProfile]:
    """Profiles of every column of a ``LeadTable``, in column order.

    ``on_progress`` gets the fraction done after each column; ``is_cancelled`` is checked
    before each column (raises ``Cancelled``).
    """
    names = list(table.frame.columns)
    out = []
    for i, name in enumerate(names):
        if is_cancelled is not None and is_cancelled():
            raise Cancelled()
        out.append(profile_column(table, name))
        if on_progress is not None:
            on_progress((i + 1) / len(names))
    return out


def _value(v):
    if isinstance(v, pd.Timestamp):
        return v
    if hasattr(v, "item"):
        return v.item()
    return v

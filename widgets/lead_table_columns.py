"""The lead table's columns: cell text, sort keys and search, each prepared once per column.

Nothing is formatted up front. A column keeps the frame's own arrays (category codes, float or
integer values, datetime64, pyarrow strings) and formats one cell when the table paints it, so
loading a million rows costs nothing here and painting costs only the cells on screen: a cell is
read from the column as it is (``LeadColumn.cell``), never from a converted copy of the whole
column, so the first paint of ten million leads converts nothing on the GUI thread. A sort key
and a search index are built the first time a column is sorted or searched, then cached on the
column object (which dies with the frame).

Sort keys are one of two kinds, ordered by :func:`order_rows`:

* ``float64`` with NaN for missing values (numbers, dates, scores);
* integer ranks below a column's ``missing_rank``, which marks missing values (text, categories,
  yes/no); text ranks compare case-insensitively and equal ranks keep the frame order.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from functools import cached_property

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.core.arrays.masked import BaseMaskedArray

from scoring.column_types import ColumnType
from scoring.reading.numbers import NumberFormat, currency_text
from widgets.cell_text import clipped
from widgets.columns_panel import TYPE_LABELS     # the same type names as the Columns panel

__all__ = ["LeadColumn", "make_column", "order_rows"]

_RADIX_LIMIT = np.iinfo(np.uint16).max   # numpy's stable sort is a radix sort up to 16 bits
_SAMPLE = 20_000                         # rows sampled to judge whether a text column repeats


def order_rows(key: np.ndarray, rows: np.ndarray, descending: bool,
               missing: int | None = None) -> np.ndarray:
    """Positions that sort ``key[rows]``: stable, missing values last in both directions.

    Parameters
    ----------
    key : float64 (NaN missing) or integer ranks ``0 <= rank <= missing``
    rows : increasing frame rows to order
    descending : largest first; ties still keep their frame order
    missing : for integer keys, the rank that marks a missing value (the largest possible)
    """
    sub = key[rows]
    if sub.dtype.kind == "f":
        # numpy sorts NaN last, and -NaN is NaN: one stable argsort serves both directions
        return np.argsort(-sub if descending else sub, kind="stable")
    if missing is None:
        raise ValueError("integer sort keys need the rank that marks missing values")
    if descending:
        sub = np.where(sub == missing, missing, missing - 1 - sub)
    if missing <= _RADIX_LIMIT:
        return np.argsort(sub.astype(np.uint16), kind="stable")
    # unique composite keys make numpy's fast unstable sort stable
    return np.argsort(sub.astype(np.int64) * len(sub) + np.arange(len(sub)))


def _ranks_of_texts(texts: pa.Array, codes: np.ndarray) -> tuple[np.ndarray, int]:
    """Case-insensitive dense ranks of ``texts[codes]`` and the rank of missing values (code -1),
    which comes after every text."""
    lower = pc.utf8_lower(texts)
    order = pc.sort_indices(lower).to_numpy()
    ranks = np.empty(len(texts), np.int64)
    if len(texts):
        ordered = lower.take(order)
        new = np.ones(len(texts), bool)
        new[1:] = pc.not_equal(ordered.slice(1), ordered.slice(0, len(texts) - 1)).to_numpy(
            zero_copy_only=False)
        ranks[order] = np.cumsum(new) - 1
    missing = int(ranks.max()) + 1 if len(texts) else 0
    key = np.append(ranks, missing)[codes]      # code -1 picks the appended "missing" rank
    return key.astype(np.int32 if missing < 2**31 - 1 else np.int64), missing


def _contains(texts: pa.Array, needle: str) -> np.ndarray:
    """Case-insensitive substring test of each text (missing texts never match)."""
    hit = pc.match_substring(texts, needle, ignore_case=True)
    return hit.fill_null(False).to_numpy(zero_copy_only=False)


class LeadColumn(ABC):
    """One frame column as the table sees it (one subclass per kind of data).

    Parameters
    ----------
    series : the frame's column (never copied)
    ctype : its Leadbench type

    Attributes
    ----------
    name, type, right_aligned
    missing_rank : the sort-key value of missing cells for integer keys, None for float keys
    """

    right_aligned = False
    missing_rank: int | None = None

    def __init__(self, series: pd.Series, ctype: ColumnType) -> None:
        self.name = str(series.name)
        self.type = ctype
        self._series = series
        self._cells = series.array          # read one cell at a time, without a copy
        # a nullable column's values and missing flags, read directly: its own ``[row]`` checks
        # the index each time, a tenth of a millisecond per cell when the table paints
        masked = isinstance(self._cells, BaseMaskedArray)
        self._masked = (self._cells._data, self._cells._mask) if masked else None

    def cell(self, row: int):
        """The value in ``row`` as the frame holds it, or None when missing."""
        if self._masked is not None:
            values, missing = self._masked
            return None if missing[row] else values[row]
        value = self._cells[row]
        return None if value is None or value is pd.NA or value is pd.NaT or value != value else value

    @property
    def type_label(self) -> str:
        return TYPE_LABELS.get(self.type, str(self.type))

    @cached_property
    def missing(self) -> np.ndarray:
        return self._series.isna().to_numpy(bool)

    @abstractmethod
    def text(self, row: int) -> str:
        """The text shown in ``row`` ("" when missing)."""

    def sort_key(self) -> np.ndarray:
        """The column's sort key (see the module docstring), built once by each kind's ``_key``."""
        return self._key

    @abstractmethod
    def matches(self, needle: str) -> np.ndarray:
        """Rows whose shown text contains ``needle``, ignoring case."""

    def sort_value(self, row: int) -> float | int | None:
        """The sort key of one row (None when missing)."""
        if self.missing[row]:
            return None
        return self.sort_key()[row].item()


class _TextColumn(LeadColumn):
    """Free text and emails: a pyarrow string array read one cell at a time."""

    @cached_property
    def _arrow(self) -> pa.Array | pa.ChunkedArray:
        """The column as Arrow strings (its own chunks, without a copy, when it holds them)."""
        series = self._series
        if not isinstance(series.dtype, pd.StringDtype):
            series = series.astype("str").where(series.notna(), None)
        return pa.array(series.array)

    @cached_property
    def _strings(self) -> pa.Array:
        strings = self._arrow
        return strings.combine_chunks() if isinstance(strings, pa.ChunkedArray) else strings

    @cached_property
    def _encoded(self) -> tuple[pa.Array, np.ndarray]:
        encoded = pc.dictionary_encode(self._strings)
        codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
        return encoded.dictionary, codes

    def text(self, row: int) -> str:
        value = self._arrow[row].as_py()
        return "" if value is None else clipped(value)

    @cached_property
    def _key(self) -> np.ndarray:
        key, self.missing_rank = _ranks_of_texts(*self._encoded)
        return key

    @cached_property
    def _repetitive(self) -> bool:
        """Whether values repeat a lot, judged on a sample of rows spread over the column."""
        n = len(self._strings)
        sample = self._strings.take(np.arange(0, n, max(1, n // _SAMPLE)))
        return 4 * pc.count_distinct(sample).as_py() <= len(sample)

    def matches(self, needle: str) -> np.ndarray:
        # Testing every cell costs 40-70 ms a million; testing the distinct values and gathering
        # through codes costs a few ms, after encoding once (25 ms a million for company names,
        # but 190 ms for emails, which are mostly distinct and so gain nothing from it).
        if not self._repetitive:
            return _contains(self._strings, needle)
        texts, codes = self._encoded
        return np.append(_contains(texts, needle), False)[codes]


class _CategoryColumn(LeadColumn):
    """Categories: integer codes into a short list of texts."""

    @cached_property
    def _codes(self) -> np.ndarray:
        return np.asarray(self._series.array.codes)      # a view: no copy of ten million codes

    @cached_property
    def _labels(self) -> np.ndarray:
        return self._series.cat.categories.astype(str).to_numpy(dtype=object)

    @cached_property
    def _shown(self) -> list[str]:
        return [clipped(label) for label in self._labels]

    def text(self, row: int) -> str:
        code = self._codes[row]
        return "" if code < 0 else self._shown[code]

    @cached_property
    def _key(self) -> np.ndarray:
        key, self.missing_rank = _ranks_of_texts(pa.array(self._labels, pa.string()), self._codes)
        return key

    def matches(self, needle: str) -> np.ndarray:
        hit = _contains(pa.array(self._labels, pa.string()), needle)
        return np.append(hit, False)[self._codes]


class _NumberColumn(LeadColumn):
    """Whole numbers shown as typed (no separators: IDs, years, postcodes); decimals to two
    places with thousands separators; a column with a ``number_format`` in its currency
    ("€ 1,234.56") or, for percentages (kept as fractions), as "12.5%"."""

    right_aligned = True

    def __init__(self, series: pd.Series, ctype: ColumnType, number_format: NumberFormat | None = None) -> None:
        super().__init__(series, ctype)
        self._format = number_format if number_format is not None and (
            number_format.percent or number_format.currency) else None

    @cached_property
    def _values(self) -> np.ndarray:
        if self.type == ColumnType.INTEGER:
            return self._series.to_numpy(np.int64, na_value=0)
        return self._series.to_numpy(np.float64, na_value=np.nan)

    def text(self, row: int) -> str:
        value = self.cell(row)
        if value is None:
            return ""
        value = int(value) if self.type == ColumnType.INTEGER else float(value)
        if self._format is not None:
            return currency_text(float(value), self._format, None if self._format.percent else 2)
        if self.type == ColumnType.INTEGER:
            return str(value)
        if value.is_integer():
            return f"{value:,.0f}"
        return f"{value:,.2f}".rstrip("0").rstrip(".")

    @cached_property
    def _key(self) -> np.ndarray:
        key = self._values.astype(np.float64)
        key[self.missing] = np.nan
        return key

    @cached_property
    def _distinct(self) -> tuple[pa.Array, np.ndarray]:
        percent = self._format is not None and self._format.percent
        values = (np.round(self._values * 100, 6) if percent else
                  self._values if self.type == ColumnType.INTEGER else np.round(self._values, 2))
        codes, uniques = pd.factorize(values)
        codes[self.missing] = -1
        return pc.cast(pa.array(uniques), pa.string()), codes

    def matches(self, needle: str) -> np.ndarray:
        needle = needle.replace(",", "")     # "42,296" as shown finds 42296
        if self._format is not None:          # "€ 1,500.00" and "12.5%" as shown find their numbers
            needle = needle.replace(self._format.currency or "%", "").replace("%", "").strip()
            if needle.endswith(".00"):
                needle = needle[:-3]
        if not needle:
            return np.zeros(len(self._series), bool)
        texts, codes = self._distinct
        return np.append(_contains(texts, needle), False)[codes]


class _DateColumn(LeadColumn):
    """Dates as 2026-01-31, date-times as 2026-01-31 14:05."""

    @cached_property
    def _values(self) -> np.ndarray:
        return self._series.to_numpy("datetime64[ns]")

    @property
    def _unit(self) -> str:
        return "m" if self.type == ColumnType.DATETIME else "D"

    def text(self, row: int) -> str:
        value = self._values[row]
        if np.isnat(value):
            return ""
        return np.datetime_as_string(value, unit=self._unit).replace("T", " ")

    @cached_property
    def _key(self) -> np.ndarray:
        key = self._values.view(np.int64).astype(np.float64)
        key[self.missing] = np.nan
        return key

    @cached_property
    def _distinct(self) -> tuple[pa.Array, np.ndarray]:
        unit = f"datetime64[{self._unit}]"
        codes, uniques = pd.factorize(self._values.astype(unit).view(np.int64))
        codes[self.missing] = -1
        texts = np.datetime_as_string(uniques.view(unit), unit=self._unit)
        return pa.array(np.char.replace(texts, "T", " "), pa.string()), codes

    def matches(self, needle: str) -> np.ndarray:
        texts, codes = self._distinct
        return np.append(_contains(texts, needle), False)[codes]


class _BooleanColumn(LeadColumn):
    """Yes / no."""

    missing_rank = 2

    @cached_property
    def _values(self) -> np.ndarray:
        return self._series.to_numpy(bool, na_value=False)

    def text(self, row: int) -> str:
        value = self.cell(row)
        return "" if value is None else ("Yes" if value else "No")

    @cached_property
    def _key(self) -> np.ndarray:
        return np.where(self.missing, 2, self._values.astype(np.int8)).astype(np.int8)

    def matches(self, needle: str) -> np.ndarray:
        yes, no = needle.lower() in "yes", needle.lower() in "no"
        return ~self.missing & np.where(self._values, yes, no)


def _guess_type(series: pd.Series) -> ColumnType:
    """A type from the dtype, for frames that come without Leadbench types."""
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return ColumnType.CATEGORY
    if pd.api.types.is_bool_dtype(dtype):
        return ColumnType.BOOLEAN
    if pd.api.types.is_integer_dtype(dtype):
        return ColumnType.INTEGER
    if pd.api.types.is_numeric_dtype(dtype):
        return ColumnType.NUMBER
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return ColumnType.DATETIME
    return ColumnType.TEXT


def make_column(series: pd.Series, ctype: ColumnType | str | None = None,
                number_format: NumberFormat | None = None) -> LeadColumn:
    """The table column for ``series``; cheap, since every array is prepared on first use.

    A type that does not fit the dtype (say "number" over a text column) falls back to the
    dtype's own type, so the table always shows what the frame holds.
    """
    guessed = _guess_type(series)
    ctype = ColumnType(ctype) if ctype is not None else guessed
    if isinstance(series.dtype, pd.CategoricalDtype):
        return _CategoryColumn(series, ctype)
    if guessed == ColumnType.BOOLEAN:
        return _BooleanColumn(series, ColumnType.BOOLEAN)
    if guessed in (ColumnType.INTEGER, ColumnType.NUMBER):
        if ctype not in (ColumnType.INTEGER, ColumnType.NUMBER):
            ctype = guessed
        if ctype == ColumnType.INTEGER and guessed == ColumnType.NUMBER:
            ctype = ColumnType.NUMBER      # whole-number type over floats: keep the decimals
        return _NumberColumn(series, ctype, number_format)
    if guessed == ColumnType.DATETIME:
        return _DateColumn(series, ctype if ctype.is_temporal else ColumnType.DATETIME)
    if ctype not in (ColumnType.TEXT, ColumnType.EMAIL):
        ctype = ColumnType.TEXT
    return _TextColumn(series, ctype)

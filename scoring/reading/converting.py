"""Converting a column of cell texts to a type, vectorised (pyarrow/numpy), once per column.

Missing markers (``DEFAULT_MISSING_MARKERS`` plus the caller's, compared case-insensitively
after stripping spaces) become missing values; cells that do not fit the type become missing
too, and the column gets a note saying how many ("3 values that are not dates treated as
missing"). Dates are parsed with one format per column (see ``best_date_format``), or as Excel
serial day numbers for spreadsheets.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from scoring.column_types import DEFAULT_MISSING_MARKERS, ColumnType as T
from scoring.reading.arrow_texts import spaces_at_edges, with_missing
from scoring.reading.dates import (NUMBER_FORMS, SERIAL, DateReading, decide_reading, offsets_note, read_dates,
                                   reading_for, unix_dates)
from scoring.reading.numbers import NumberFormat, NumberReading, decide, number_marks, parse_numbers

__all__ = ["TypedColumn", "convert_column", "missing_set", "missing_mask", "best_date_format",
           "bad_note", "TRUE_WORDS", "FALSE_WORDS", "SERIAL", "SAMPLE", "text_values"]

SAMPLE = 20_000
#: yes/no words, case-folded: English, and as French, German, Spanish, Italian, Portuguese and
#: Dutch exports write them (Excel writes TRUE/FALSE as WAHR/FALSCH, VRAI/FAUX, VERDADERO/FALSO...)
TRUE_WORDS = {"yes", "true", "y", "t", "1", "checked",
              "oui", "vrai", "ja", "wahr", "sí", "si", "sì", "verdadero", "vero", "sim", "verdadeiro", "waar"}
FALSE_WORDS = {"no", "false", "n", "f", "0", "unchecked",
               "non", "faux", "nein", "falsch", "falso", "não", "nao", "nee", "onwaar"}
_STR = pd.StringDtype("pyarrow", na_value=np.nan)     # pandas' "str" dtype


@dataclass
class TypedColumn:
    """A converted column: its type, the pandas values, and a note for the user (or "").

    ``info``: the part of the note that is not about cells that did not fit ("times converted
    to UTC from +0000"); ``date_format``: how a date column was read (a ``DateReading``, or
    ``SERIAL``).
    ``number``: how a number column writes its numbers (marks, currency, percent) and what the
    user should know about that reading (``number.note``); also set, without a format, for a
    column read as text because it mixes currencies.
    """

    type: T
    values: pd.Series
    note: str = ""
    date_format: DateReading | str | None = None
    info: str = ""
    number: NumberReading | None = None

    @property
    def full_note(self) -> str:
        """Everything the user should know about the column, in one sentence."""
        return "; ".join(n for n in (self.number.note if self.number else "", self.note) if n)


def missing_set(extra: tuple[str, ...] = ()) -> pa.Array:
    """The missing-value markers (defaults plus ``extra``), stripped and lower-cased."""
    return pa.array(sorted({m.strip().casefold() for m in (*DEFAULT_MISSING_MARKERS, *extra)}))


def missing_mask(arr: pa.Array, markers: pa.Array) -> np.ndarray:
    """True where a cell is null or one of ``markers`` (ignoring case and outer spaces)."""
    folded = pc.utf8_lower(pc.utf8_trim_whitespace(arr))
    mask = pc.is_in(folded, value_set=markers)
    return np.asarray(pc.or_kleene(mask, pc.is_null(arr)).to_numpy(zero_copy_only=False), bool)


def best_date_format(values: pd.Series) -> DateReading | None:
    """How to read the column whose distinct values these are as dates, when every one of them
    is a date (see ``scoring.reading.dates``); None otherwise."""
    return decide_reading(values)


# -- converting -------------------------------------------------------------------------------
def _to_numbers(arr: pa.Array, missing: np.ndarray,
                number: NumberFormat | None = None) -> tuple[np.ndarray, int, NumberFormat | None]:
    """Floats (NaN for missing and for cells that are not numbers), the count of the latter and
    the format they were read with (None: plain numbers). Without ``number``, plain numbers are
    cast at once and any other column is read in the format its values show."""
    cleaned = pc.if_else(pa.array(missing), pa.scalar(None, pa.string()), arr) if missing.any() else arr
    if number is None:
        try:
            values = pc.cast(pc.utf8_trim_whitespace(cleaned), pa.float64())
            return values.to_numpy(zero_copy_only=False).astype(float), 0, None
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass
        distinct = pc.unique(pc.utf8_trim_whitespace(cleaned).drop_null())
        marks = number_marks(distinct.slice(0, SAMPLE), lenient=True)
        reading = decide(marks) if marks is not None else None
        number = reading.format if reading is not None and reading.format is not None else NumberFormat()
    values, bad = parse_numbers(cleaned, number)
    return values, bad, number


def _to_bools(arr: pa.Array, missing: np.ndarray) -> tuple[pd.Series, int]:
    folded = pc.utf8_lower(pc.utf8_trim_whitespace(arr))
    true = pc.is_in(folded, value_set=pa.array(sorted(TRUE_WORDS))).to_numpy(zero_copy_only=False)
    false = pc.is_in(folded, value_set=pa.array(sorted(FALSE_WORDS))).to_numpy(zero_copy_only=False)
    unknown = ~(true | false) & ~missing
    mask = missing | unknown
    return pd.Series(pd.arrays.BooleanArray(np.asarray(true, bool), mask)), int(unknown.sum())


def _serial_dates(arr: pa.Array, missing: np.ndarray) -> pd.Series:
    """Excel serial day numbers (days since 1899-12-30, fractions are times of day) as dates."""
    days = _to_numbers(arr, missing)[0]
    days = np.where((days >= 1) & (days < 2_958_466), days, np.nan)     # Excel's 1900..9999
    nan = np.isnan(days)
    nanos = np.where(nan, 0.0, np.round(days * 86_400e9)).astype(np.int64)
    dates = nanos.view("timedelta64[ns]") + np.datetime64("1899-12-30", "ns")
    return pd.Series(np.where(nan, np.datetime64("NaT", "ns"), dates))


def _to_dates(arr: pa.Array, missing: np.ndarray, fmt: DateReading | str | None,
              excel_serials: bool = False) -> tuple[pd.Series, int, T, DateReading | str | None]:
    """``fmt``: a decided ``DateReading``, ``SERIAL``, a user's pattern, or None (decide here)."""
    if fmt is None and excel_serials:
        days, bad, _fmt = _to_numbers(arr, missing)
        if bad == 0 and np.isfinite(days).any():
            fmt = SERIAL
    if fmt == SERIAL:
        dates = _serial_dates(arr, missing)
        bad = int((dates.isna().to_numpy() & ~missing).sum())
    elif fmt in NUMBER_FORMS:
        values, bad = unix_dates(arr, missing, fmt)
        dates = pd.Series(values)
    else:
        reading = fmt if isinstance(fmt, DateReading) else reading_for(fmt, _date_sample(arr, missing))
        if reading is None:
            values, bad = np.full(len(arr), np.datetime64("NaT", "ns")), int((~missing).sum())
        else:
            values, bad = read_dates(arr, missing, reading)
        dates, fmt = pd.Series(values), reading
    filled = dates.dropna()
    is_date = filled.empty or bool((filled.dt.normalize() == filled).all())
    return dates, bad, (T.DATE if is_date else T.DATETIME), fmt


def _date_sample(arr: pa.Array | pa.ChunkedArray, missing: np.ndarray) -> pa.Array:
    """Up to ``SAMPLE`` distinct filled texts of a column (evenly spread), to decide a reading."""
    filled = np.flatnonzero(~missing)
    if len(filled) > SAMPLE:
        filled = filled[np.linspace(0, len(filled) - 1, SAMPLE).astype(np.int64)]
    taken = arr.take(pa.array(filled))
    unique = pc.unique(taken)
    return unique.combine_chunks() if isinstance(unique, pa.ChunkedArray) else unique


def trim_spaces(arr: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Cells without leading/trailing white space (ASCII, and the no-break spaces that
    copy-paste from web pages leaves): as utf8_trim_whitespace, at a fifth of its cost."""
    if not spaces_at_edges(arr):              # (most columns: no text copied)
        return arr
    out = pc.ascii_trim_whitespace(arr)
    if pc.any(pc.or_(pc.starts_with(out, "\u00a0"), pc.ends_with(out, "\u00a0"))).as_py():
        out = pc.utf8_trim_whitespace(out)
    return out


def text_values(arr: pa.Array, missing: np.ndarray) -> pd.Series:
    """A text column's values: its cells trimmed, the ``missing`` ones missing (no text copied
    when no cell has spaces at its ends)."""
    cleaned = trim_spaces(arr)
    if missing.any():
        cleaned = with_missing(cleaned, missing)
    return pd.Series(_STR.__from_arrow__(cleaned))      # wraps the Arrow data, no Python strings


def _to_category(arr: pa.Array, missing: np.ndarray) -> pd.Series:
    trimmed = pc.if_else(pa.array(missing), pa.scalar(None, pa.string()), pc.utf8_trim_whitespace(arr))
    encoded = trimmed.dictionary_encode()
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int32)
    categories = pd.Index(encoded.dictionary.to_pylist(), dtype="str")
    return pd.Series(pd.Categorical.from_codes(codes, categories=categories))


def bad_note(bad: int, what: str) -> str:
    """The note for ``bad`` cells that are not ``what`` ("" when there are none)."""
    return f"{bad:,} value{'s' if bad != 1 else ''} that {'are' if bad != 1 else 'is'} not {what} treated as missing" if bad else ""


def convert_column(arr: pa.Array, ctype: T, markers: pa.Array, missing: np.ndarray | None = None,
                   date_format: DateReading | str | None = None, excel_serials: bool = False,
                   number: NumberReading | NumberFormat | None = None) -> TypedColumn:
    """Convert cell texts to ``ctype`` (cells that do not fit become missing, with a note).

    ``date_format`` (dates only): a decided ``DateReading``, a user's pattern (``DD/MM/YYYY``,
    ``SERIAL``; see ``scoring.reading.dates.reading_for``) or None (decided from the values).
    ``excel_serials``: the texts come from a spreadsheet, so numbers converted to dates are
    Excel serial day numbers. ``number``: how numbers are written (see ``scoring.reading.numbers``;
    None: plain numbers, or the format the values show).
    """
    if missing is None:
        missing = missing_mask(arr, markers)
    reading = NumberReading(number) if isinstance(number, NumberFormat) else number
    if ctype in (T.INTEGER, T.NUMBER):
        values, bad, fmt = _to_numbers(arr, missing, reading.format if reading else None)
        if fmt is not None and (reading is None or reading.format != fmt):
            reading = NumberReading(fmt)
        if ctype == T.INTEGER:
            whole = np.isnan(values) | (np.mod(values, 1) == 0)
            if whole.all() and (np.nan_to_num(np.abs(values)) < 2**53).all():
                nan = np.isnan(values)
                data = np.where(nan, 0, values).astype(np.int64)
                return TypedColumn(T.INTEGER, pd.Series(pd.arrays.IntegerArray(data, nan)),
                                   bad_note(bad, "whole numbers"), number=reading)
            ctype = T.NUMBER
        return TypedColumn(T.NUMBER, pd.Series(values, dtype="float64"), bad_note(bad, "numbers"),
                           number=reading)
    kept = reading if reading is not None and reading.format is None else None   # mixed currencies
    if ctype == T.BOOLEAN:
        values, bad = _to_bools(arr, missing)
        return TypedColumn(T.BOOLEAN, values, bad_note(bad, "yes/no values"))
    if ctype in (T.DATE, T.DATETIME):
        values, bad, found, fmt = _to_dates(arr, missing, date_format, excel_serials)
        info = offsets_note(fmt.offsets) if isinstance(fmt, DateReading) else ""
        note = "; ".join(n for n in (info, bad_note(bad, "dates")) if n)
        return TypedColumn(found if ctype == T.DATE else T.DATETIME, values, note, fmt, info)
    if ctype == T.CATEGORY:
        return TypedColumn(T.CATEGORY, _to_category(arr, missing), number=kept)
    return TypedColumn(ctype, text_values(arr, missing), number=kept)

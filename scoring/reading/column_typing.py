"""Column typing: decide each column's type from its values and convert it once, vectorised.

Input is a column of cell texts (a pyarrow string array, as read). Decisions use the distinct
values (all of them for low-cardinality columns, a sample otherwise); conversion then runs over the
whole column in pyarrow/numpy. Missing markers (``DEFAULT_MISSING_MARKERS`` plus the caller's,
compared case-insensitively after stripping spaces) become missing values.

Rules, in order: yes/no words (yes/no, true/false, y/n, t/f, 1/0) -> boolean; whole numbers ->
integer; numbers (thousands separators, currency signs and % allowed) -> number; dates in one
consistent order (ISO, US month-first or day-first, chosen per column from its values; all
midnight -> date, else datetime) -> date; mostly addresses with an @ -> email; few distinct values
-> category; anything else -> text.

A column holding both 0 and 1 and nothing else is boolean (a flag such as X Education's
``Converted``); a column holding only one of them is integer (a count that happens to be constant).
In spreadsheets, a column of whole numbers between 1 Jan 1960 and 31 Dec 2099 as Excel serial days
(21916..73415) whose header names a date ("created", "date", "last activity"...) is a date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from scoring.column_types import DEFAULT_MISSING_MARKERS, ColumnType as T

__all__ = ["TypedColumn", "PreparedColumn", "prepare_column", "type_column", "convert_column", "missing_set"]

_SAMPLE = 20_000
_TRUE = {"yes", "true", "y", "t", "1"}
_FALSE = {"no", "false", "n", "f", "0"}
_INT = re.compile(r"^[+-]?(\d{1,18}|\d{1,3}(,\d{3})+)$")
_NUMBER = re.compile(r"^[+-]?[$€£¥]?\s?[+-]?(\d+|\d{1,3}(,\d{3})+)?(\.\d+)?([eE][+-]?\d+)?\s?%?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CLEAN_NUMBER = r"[$€£¥,%\s]"
_DATE_FORMATS = {
    "iso": ["%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M",
            "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%d %H:%M:%S.%f", "%Y/%m/%d", "%Y%m%d"],
    "us": ["%m/%d/%Y", "%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%m-%d-%Y", "%m/%d/%y",
           "%m/%d/%Y %I:%M %p", "%b %d, %Y", "%B %d, %Y"],
    "dayfirst": ["%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y %H:%M", "%d.%m.%Y %H:%M",
                 "%d/%m/%y", "%d.%m.%y", "%d/%m/%Y %H:%M:%S", "%d %b %Y", "%d %B %Y", "%d-%b-%Y"],
}
_ALL_DATE_FORMATS = [f for group in _DATE_FORMATS.values() for f in group]
_SERIAL = "excel-serial"          # a "format" meaning: days since 1899-12-30, as Excel counts
_SERIAL_RANGE = (21916.0, 73415.0)  # 1960-01-01 .. 2099-12-31
_DATE_HEADER = re.compile(r"(?i)date|time|created|modified|updated|since|last.?activity|_at$|\bon$|\bday\b")


@dataclass
class TypedColumn:
    """A converted column: its type, the pandas values, and a note for the user (or "")."""

    type: T
    values: pd.Series
    note: str = ""
    date_format: str | None = None


def missing_set(extra: tuple[str, ...] = ()) -> pa.Array:
    return pa.array(sorted({m.strip().casefold() for m in (*DEFAULT_MISSING_MARKERS, *extra)}))


def _missing_mask(arr: pa.Array, markers: pa.Array) -> np.ndarray:
    folded = pc.utf8_lower(pc.utf8_trim_whitespace(arr))
    mask = pc.is_in(folded, value_set=markers)
    return np.asarray(pc.or_kleene(mask, pc.is_null(arr)).to_numpy(zero_copy_only=False), bool)


def _sample_values(arr: pa.Array) -> pa.Array:
    n = len(arr)
    if n <= _SAMPLE:
        return arr
    idx = np.unique(np.concatenate([np.arange(_SAMPLE // 2),
                                    np.random.default_rng(0).integers(0, n, _SAMPLE // 2)]))
    return arr.take(pa.array(idx))


# -- deciding ---------------------------------------------------------------------------------
def _parse_dates(values: pd.Series, fmt: str) -> pd.Series:
    return pd.to_datetime(values, format=fmt, errors="coerce")


def _best_date_format(values: pd.Series) -> str | None:
    """The date format that parses every value (ties: ISO, then US, then day-first)."""
    if values.empty or not values.str.contains(r"\d", regex=True).all():
        return None
    if values.str.len().max() > 40:
        return None
    best, best_count = None, 0
    for fmt in _ALL_DATE_FORMATS:
        count = int(_parse_dates(values, fmt).notna().sum())
        if count > best_count:
            best, best_count = fmt, count
        if count == len(values):
            break
    if best_count == len(values):
        return best
    if values.str.match(r"^\d{4}-\d{2}-\d{2}").all():        # ISO dates mixed with date-times
        if pd.to_datetime(values, format="ISO8601", errors="coerce").notna().all():
            return "ISO8601"
    return None


def _all_match(values: pa.Array, pattern: str) -> bool:
    return bool(pc.all(pc.match_substring_regex(values, pattern)).as_py())


def _share_matching(values: pa.Array, pattern: str) -> float:
    return pc.sum(pc.match_substring_regex(values, pattern).cast(pa.int64())).as_py() / max(len(values), 1)


def _looks_like_serial_dates(values: pa.Array, name: str) -> bool:
    if not _DATE_HEADER.search(name):
        return False
    numbers = pc.cast(values, pa.float64())
    low, high = pc.min_max(numbers).values()
    return low.as_py() >= _SERIAL_RANGE[0] and high.as_py() <= _SERIAL_RANGE[1]


def _decide(distinct: pd.Series, n_filled: int, n_distinct_total: int | None, name: str,
            excel_serials: bool = False) -> tuple[T, str | None]:
    """The type of a column from its distinct (stripped, non-missing) values."""
    if distinct.empty:
        return T.TEXT, None
    folded = set(distinct.str.casefold()) if len(distinct) <= 3 * len(_TRUE | _FALSE) else set()
    if folded and folded <= _TRUE | _FALSE and len(folded) <= 2 and (
            folded == {"0", "1"} or not folded <= {"0", "1"}):
        return T.BOOLEAN, None
    values = pa.array(distinct.to_numpy(dtype=object), pa.string())
    if _all_match(values, _INT.pattern):
        if excel_serials and _all_match(values, r"^\d{5}$") and _looks_like_serial_dates(values, name):
            return T.DATE, _SERIAL
        return T.INTEGER, None
    fmt = _best_date_format(distinct)
    if fmt is not None:
        return T.DATE, fmt
    if _all_match(values, _NUMBER.pattern) and _all_match(values, r"\d"):
        if excel_serials and _looks_like_serial_dates(values, name):
            return T.DATETIME, _SERIAL
        return T.NUMBER, None
    emails = _share_matching(values, _EMAIL.pattern)
    if emails >= 0.9 or (emails >= 0.5 and "mail" in name.casefold()):
        return T.EMAIL, None
    if n_distinct_total is not None and (n_distinct_total <= 50 or (
            n_distinct_total <= 2000 and n_distinct_total <= 0.05 * max(n_filled, 1))):
        return T.CATEGORY, None
    return T.TEXT, None


# -- converting -------------------------------------------------------------------------------
def _to_numbers(arr: pa.Array, missing: np.ndarray) -> tuple[np.ndarray, int]:
    """Floats (NaN for missing and for cells that are not numbers) and the count of the latter."""
    cleaned = pc.if_else(pa.array(missing), pa.scalar(None, pa.string()), arr)
    try:
        values = pc.cast(pc.utf8_trim_whitespace(cleaned), pa.float64())
        return values.to_numpy(zero_copy_only=False).astype(float), 0
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    stripped = pc.replace_substring_regex(cleaned, _CLEAN_NUMBER, "")
    percent = pc.match_substring(cleaned, "%").to_numpy(zero_copy_only=False)
    ok = pc.match_substring_regex(stripped, r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
    values = pc.cast(pc.if_else(ok, stripped, pa.scalar(None, pa.string())), pa.float64())
    out = values.to_numpy(zero_copy_only=False).astype(float)
    out = np.where(np.asarray(percent, dtype=bool) & ~np.isnan(out), out / 100.0, out)
    bad = int(np.count_nonzero(np.isnan(out) & ~missing))
    return out, bad


def _to_bools(arr: pa.Array, missing: np.ndarray) -> tuple[pd.Series, int]:
    folded = pc.utf8_lower(pc.utf8_trim_whitespace(arr))
    true = pc.is_in(folded, value_set=pa.array(sorted(_TRUE))).to_numpy(zero_copy_only=False)
    false = pc.is_in(folded, value_set=pa.array(sorted(_FALSE))).to_numpy(zero_copy_only=False)
    unknown = ~(true | false) & ~missing
    mask = missing | unknown
    return pd.Series(pd.arrays.BooleanArray(np.asarray(true, bool), mask)), int(unknown.sum())


def _serial_dates(arr: pa.Array, missing: np.ndarray) -> pd.Series:
    """Excel serial day numbers (days since 1899-12-30, fractions are times of day) as dates."""
    days, _bad = _to_numbers(arr, missing)
    days = np.where((days >= 1) & (days < 2_958_466), days, np.nan)     # Excel's 1900..9999
    nan = np.isnan(days)
    nanos = np.where(nan, 0.0, np.round(days * 86_400e9)).astype(np.int64)
    dates = nanos.view("timedelta64[ns]") + np.datetime64("1899-12-30", "ns")
    return pd.Series(np.where(nan, np.datetime64("NaT", "ns"), dates))


def _to_dates(arr: pa.Array, missing: np.ndarray, fmt: str | None,
              excel_serials: bool = False) -> tuple[pd.Series, int, T, str | None]:
    if fmt is None and excel_serials:
        days, bad = _to_numbers(arr, missing)
        if bad == 0 and np.isfinite(days).any():
            fmt = _SERIAL
    if fmt == _SERIAL:
        dates = _serial_dates(arr, missing)
        bad = int((dates.isna().to_numpy() & ~missing).sum())
        filled = dates.dropna()
        is_date = filled.empty or bool((filled.dt.normalize() == filled).all())
        return dates, bad, (T.DATE if is_date else T.DATETIME), fmt
    strings = pd.Series(pc.utf8_trim_whitespace(arr).to_numpy(zero_copy_only=False), dtype=object)
    strings[missing] = None
    if fmt is None:
        fmt = _best_date_format(pd.Series(strings.dropna().unique()[:_SAMPLE], dtype="str")) or "ISO8601"
    uniques, codes = None, None
    if len(strings) > 50_000:
        codes, uniques = pd.factorize(strings, use_na_sentinel=True)
        parsed = _parse_dates(pd.Series(uniques, dtype=object), fmt).to_numpy("datetime64[ns]")
        values = np.where(codes >= 0, parsed[np.maximum(codes, 0)], np.datetime64("NaT"))
        dates = pd.Series(values.astype("datetime64[ns]"))
    else:
        dates = _parse_dates(strings, fmt).astype("datetime64[ns]")
    bad = int((dates.isna().to_numpy() & ~missing).sum())
    filled = dates.dropna()
    is_date = filled.empty or bool((filled.dt.normalize() == filled).all())
    return dates.reset_index(drop=True), bad, (T.DATE if is_date else T.DATETIME), fmt


def _to_strings(arr: pa.Array, missing: np.ndarray) -> pd.Series:
    cleaned = pc.utf8_trim_whitespace(arr)
    if missing.any():
        cleaned = pc.if_else(pa.array(missing), pa.scalar(None, pa.string()), cleaned)
    return pd.Series(cleaned.to_pandas(), dtype="str")


def _to_category(arr: pa.Array, missing: np.ndarray) -> pd.Series:
    trimmed = pc.if_else(pa.array(missing), pa.scalar(None, pa.string()), pc.utf8_trim_whitespace(arr))
    encoded = trimmed.dictionary_encode()
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int32)
    categories = pd.Index(encoded.dictionary.to_pylist(), dtype="str")
    return pd.Series(pd.Categorical.from_codes(codes, categories=categories))


def _bad_note(bad: int, what: str) -> str:
    return f"{bad:,} value{'s' if bad != 1 else ''} that {'are' if bad != 1 else 'is'} not {what} treated as missing" if bad else ""


def convert_column(arr: pa.Array, ctype: T, markers: pa.Array, missing: np.ndarray | None = None,
                   date_format: str | None = None, excel_serials: bool = False) -> TypedColumn:
    """Convert cell texts to ``ctype`` (cells that do not fit become missing, with a note).

    ``excel_serials``: the texts come from a spreadsheet, so numbers converted to dates are
    Excel serial day numbers.
    """
    if missing is None:
        missing = _missing_mask(arr, markers)
    if ctype in (T.INTEGER, T.NUMBER):
        values, bad = _to_numbers(arr, missing)
        if ctype == T.INTEGER:
            whole = np.isnan(values) | (np.mod(values, 1) == 0)
            if whole.all() and (np.nan_to_num(np.abs(values)) < 2**53).all():
                nan = np.isnan(values)
                data = np.where(nan, 0, values).astype(np.int64)
                return TypedColumn(T.INTEGER, pd.Series(pd.arrays.IntegerArray(data, nan)),
                                   _bad_note(bad, "whole numbers"))
            ctype = T.NUMBER
        return TypedColumn(T.NUMBER, pd.Series(values, dtype="float64"), _bad_note(bad, "numbers"))
    if ctype == T.BOOLEAN:
        values, bad = _to_bools(arr, missing)
        return TypedColumn(T.BOOLEAN, values, _bad_note(bad, "yes/no values"))
    if ctype in (T.DATE, T.DATETIME):
        values, bad, found, fmt = _to_dates(arr, missing, date_format, excel_serials)
        return TypedColumn(found if ctype == T.DATE else T.DATETIME, values,
                           _bad_note(bad, "dates"), fmt)
    if ctype == T.CATEGORY:
        return TypedColumn(T.CATEGORY, _to_category(arr, missing))
    return TypedColumn(ctype, _to_strings(arr, missing))


def _fast_missing(arr: pa.Array, markers: pa.Array) -> np.ndarray:
    """Missing cells of a high-cardinality column: exact matches of the markers in their usual
    spellings (lower, upper, title case), which avoids folding a million strings."""
    variants = set()
    for marker in markers.to_pylist():
        variants.update({marker, marker.upper(), marker.title(), f" {marker}", f"{marker} "})
    variants.update({" ", "  "})
    mask = pc.is_in(arr, value_set=pa.array(sorted(variants), pa.string()))
    return np.asarray(pc.or_kleene(mask, pc.is_null(arr)).to_numpy(zero_copy_only=False), bool)


@dataclass
class PreparedColumn:
    """A column after the Arrow-only work of typing (safe to do on a worker thread).

    ``dictionary``/``indices`` are set for columns of few distinct values (typed through their
    distinct values); otherwise ``array`` is the column as one contiguous array.
    """

    array: pa.Array | pa.ChunkedArray
    dictionary: pa.Array | None = None
    indices: pa.Array | None = None


def prepare_column(arr: pa.Array | pa.ChunkedArray) -> PreparedColumn:
    """Pick the typing route of a column and do its Arrow part: dictionary-encode a column of
    few distinct values, or join a column of mostly unique values into one array.

    Only pyarrow kernels run here (they release the GIL), so columns can be prepared on a
    worker thread while the previous one is typed.
    """
    if pa.types.is_dictionary(arr.type):
        return _prepare_encoded(arr)
    if isinstance(arr, pa.ChunkedArray) and arr.num_chunks == 1:
        arr = arr.chunk(0)
    if len(arr) > _SAMPLE:
        sample = _first_and_middle(arr)
        if pc.count_distinct(sample).as_py() > 0.2 * len(sample):
            return PreparedColumn(arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr)
    dictionary, indices = _encode(arr)
    return PreparedColumn(arr, dictionary, indices)


def _prepare_encoded(arr: pa.Array | pa.ChunkedArray) -> PreparedColumn:
    """A column read dictionary-encoded: one dictionary for all chunks (re-encoded if not)."""
    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    if not chunks:
        return prepare_column(pa.array([], pa.string()))
    dictionary = chunks[0].dictionary
    if not all(c.dictionary.equals(dictionary) for c in chunks[1:]):
        unified = pa.chunked_array(chunks).unify_dictionaries()
        chunks, dictionary = unified.chunks, unified.chunk(0).dictionary
    indices = pa.chunked_array([c.indices for c in chunks], chunks[0].indices.type).combine_chunks()
    dictionary = dictionary.cast(pa.string())
    if indices.null_count:
        dictionary = pa.concat_arrays([dictionary, pa.array([""], pa.string())])
        indices = indices.fill_null(len(dictionary) - 1)
    return PreparedColumn(arr, dictionary, indices)


def _encode(arr: pa.Array | pa.ChunkedArray) -> tuple[pa.Array, pa.Array]:
    """The distinct texts of a column and each cell's index into them (nulls map to "").

    A chunked column is encoded chunk by chunk with one memo table (no copy into one array):
    every chunk's dictionary is then a prefix of the last one, which is checked cheaply.
    """
    if isinstance(arr, pa.ChunkedArray) and arr.num_chunks > 1:
        encoded = arr.dictionary_encode()
        dictionary = encoded.chunk(encoded.num_chunks - 1).dictionary
        sizes = [len(c.dictionary) for c in encoded.chunks]
        first = encoded.chunk(0).dictionary
        if sizes == sorted(sizes) and first.equals(dictionary.slice(0, len(first))):
            indices = pa.chunked_array([c.indices for c in encoded.chunks]).combine_chunks()
        else:
            encoded = arr.combine_chunks().dictionary_encode()
            dictionary, indices = encoded.dictionary, encoded.indices
    else:
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks() if arr.num_chunks else pa.array([], pa.string())
        encoded = arr.dictionary_encode()
        dictionary, indices = encoded.dictionary, encoded.indices
    if indices.null_count:
        dictionary = pa.concat_arrays([dictionary, pa.array([""], pa.string())])
        indices = indices.fill_null(len(dictionary) - 1)
    return dictionary, indices


def _type_via_dictionary(prepared: PreparedColumn, name: str, markers: pa.Array,
                         excel_serials: bool) -> TypedColumn:
    """Decide and convert on the distinct values only, then gather through the codes."""
    dictionary = prepared.dictionary
    codes = prepared.indices.to_numpy(zero_copy_only=False)
    missing = _missing_mask(dictionary, markers)
    counts = np.bincount(codes, minlength=len(dictionary)) if missing.any() else None
    n_filled = len(codes) if counts is None else int(counts[~missing].sum())
    filled = pc.utf8_trim_whitespace(dictionary.filter(pa.array(~missing)))
    distinct = pd.Series(pc.unique(filled).to_pandas(), dtype="str")
    ctype, fmt = _decide(distinct, n_filled, len(distinct), name, excel_serials)
    typed = convert_column(dictionary, ctype, markers, missing, fmt, excel_serials)
    if ctype == T.CATEGORY:
        cat = typed.values.array
        values = pd.Series(pd.Categorical.from_codes(cat.codes[codes], dtype=cat.dtype))
    else:
        values = pd.Series(typed.values.array.take(codes))
    note = typed.note
    if note:
        if counts is None:
            counts = np.bincount(codes, minlength=len(dictionary))
        bad = int(counts[typed.values.isna().to_numpy() & ~missing].sum())
        word = note.split(" that ")[1] if " that " in note else "of this type"
        note = _bad_note(bad, word.split("not ", 1)[-1].split(" treated")[0])
    return TypedColumn(typed.type, values, note, typed.date_format)


def _first_and_middle(arr: pa.Array) -> pa.Array:
    """Up to ``_SAMPLE`` cells from the start and the middle of a column (zero-copy slices)."""
    half = _SAMPLE // 2
    parts = [arr.slice(0, half), arr.slice(len(arr) // 2, half)]
    if isinstance(arr, pa.ChunkedArray):
        parts = [part.combine_chunks() for part in parts]
    return pa.concat_arrays(parts)


def type_column(arr: pa.Array | pa.ChunkedArray, name: str, markers: pa.Array, *,
                excel_serials: bool = False, prepared: PreparedColumn | None = None) -> TypedColumn:
    """Decide the type of a column of cell texts and convert it.

    Low-cardinality columns (most lead columns) are decided and converted on their distinct
    values only; columns of mostly unique values (emails, names, notes) are decided from a
    sample and converted once. ``prepared``: the result of ``prepare_column(arr)`` if already
    computed (on a worker thread).
    """
    if prepared is None:
        prepared = prepare_column(arr)
    arr = prepared.array
    if prepared.dictionary is not None:
        column = _type_via_dictionary(prepared, name, markers, excel_serials)
    else:
        sample = _sample_values(arr)
        missing = _fast_missing(arr, markers)
        n_filled = int(len(arr) - missing.sum())
        kept = pc.utf8_trim_whitespace(sample.filter(pa.array(~_fast_missing(sample, markers))))
        distinct = pd.Series(pc.unique(kept).to_pandas(), dtype="str")
        ctype, fmt = _decide(distinct, n_filled, None, name, excel_serials)
        column = convert_column(arr, ctype, markers, missing, fmt, excel_serials)
    if prepared.dictionary is None and column.note and column.type in (
            T.INTEGER, T.NUMBER, T.DATE, T.DATETIME, T.BOOLEAN):
        # values beyond the sample did not fit: more than 1% means the column is really text
        bad = int(column.values.isna().sum()) - int(_missing_mask(arr, markers).sum())
        if bad > 0.01 * max(len(arr), 1):
            return convert_column(_one_array(arr), T.TEXT, markers)
    return column


def _one_array(arr: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(arr, pa.ChunkedArray):
        return arr.combine_chunks() if arr.num_chunks else pa.array([], pa.string())
    return arr

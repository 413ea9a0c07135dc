"""Column typing: decide each column's type from its values and convert it once, vectorised.

Input is a column of cell texts (a pyarrow string array, as read). Decisions use the distinct
values (all of them for low-cardinality columns, a sample otherwise); conversion then runs over the
whole column in pyarrow/numpy. Missing markers (``DEFAULT_MISSING_MARKERS`` plus the caller's,
compared case-insensitively after stripping spaces) become missing values.

Rules, in order: yes/no words (yes/no, true/false, y/n, t/f, 1/0, checked/unchecked, and in
French, German, Spanish, Italian, Portuguese and Dutch: oui/non, WAHR/FALSCH...) -> boolean; whole numbers ->
integer (but digits with a leading zero, "02134", are a code: words); numbers written in one format (decimal and thousands marks, currency, %, accounting
negatives: see ``scoring.reading.numbers``, with the file's ``NumberEvidence`` settling a value
such as ``1.200``) -> integer or number; dates in one
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

from scoring.column_types import ColumnType as T
from scoring.reading.arrow_texts import cell_lengths, take_rows
from scoring.reading.converting import (FALSE_WORDS, SAMPLE, SERIAL, TRUE_WORDS, TypedColumn,
                                        bad_note, best_date_format, convert_column, missing_mask,
                                        missing_set, text_values)
from scoring.reading.dates import UNIX_MS, UNIX_SECONDS, mostly_dates
from scoring.reading.numbers import NumberEvidence, NumberReading, decide, number_marks
from scoring.reading.placeholders import placeholder_mask

__all__ = ["TypedColumn", "PreparedColumn", "prepare_column", "type_column", "convert_column", "missing_set"]

_INT = re.compile(r"^[+-]?\d{1,18}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LENIENT_FROM = 100      # filled cells from which a few odd texts do not stop a number column
_SERIAL_RANGE = (21916.0, 73415.0)  # 1960-01-01 .. 2099-12-31
_UNIX_RANGE = (946_684_800, 4_102_444_800)   # 2000-01-01 .. 2100-01-01 in seconds
#: the types a column with placeholders among its values can still have, and what its values are
_WHAT = {T.INTEGER: "whole numbers", T.NUMBER: "numbers", T.DATE: "dates", T.DATETIME: "dates"}
_PLACEHOLDER_TYPES = frozenset(_WHAT)
_MAX_ODD_TEXTS = 1000    # distinct texts that did not convert, beyond which none is looked at
#: how Excel shows a big number in a General cell, and writes it to CSV: six significant digits
_EXCEL_SHORT = r"^[+-]?\d(\.\d{1,5})?E\+(0[6-9]|[1-9]\d)$"
_DATE_HEADER = re.compile(r"(?i)date|time|created|modified|updated|since|last.?activity|_at$|\bon$|\bday\b")


def _sample_values(arr: pa.Array) -> pa.Array:
    n = len(arr)
    if n <= SAMPLE:
        return arr
    idx = np.unique(np.concatenate([np.arange(SAMPLE // 2),
                                    np.random.default_rng(0).integers(0, n, SAMPLE // 2)]))
    return take_rows(arr, idx)


# -- deciding ---------------------------------------------------------------------------------
def _all_match(values: pa.Array, pattern: str) -> bool:
    return bool(pc.all(pc.match_substring_regex(values, pattern)).as_py())


def _share_matching(values: pa.Array, pattern: str) -> float:
    return pc.sum(pc.match_substring_regex(values, pattern).cast(pa.int64())).as_py() / max(len(values), 1)


def _looks_like_serial_dates(values: pa.Array, name: str) -> bool:
    if not _DATE_HEADER.search(name) or not _all_match(values, r"^\d+(\.\d+)?$"):
        return False
    numbers = pc.cast(values, pa.float64())
    low, high = pc.min_max(numbers).values()
    return low.as_py() >= _SERIAL_RANGE[0] and high.as_py() <= _SERIAL_RANGE[1]


def _unix_form(values: pa.Array, name: str) -> str | None:
    """``UNIX_SECONDS`` or ``UNIX_MS`` for whole numbers under a date-like header ("created_at",
    "last activity") that are all Unix times of 2000..2099 (ten digits, or thirteen for
    milliseconds); None otherwise."""
    if not _DATE_HEADER.search(name):
        return None
    for form, pattern, scale in ((UNIX_SECONDS, r"^\d{9,10}$", 1), (UNIX_MS, r"^\d{12,13}$", 1000)):
        if _all_match(values, pattern):
            low, high = pc.min_max(pc.cast(values, pa.int64())).values()
            if _UNIX_RANGE[0] * scale <= low.as_py() and high.as_py() < _UNIX_RANGE[1] * scale:
                return form
    return None


def _has_leading_zeros(values: pa.Array) -> bool:
    """Whether some value is digits with a leading zero ("02134", "007"): a zip code, account
    or phone number, whose zeros a number would drop; its column is words, not numbers."""
    return bool(pc.any(pc.match_substring_regex(values, r"^[+-]?0\d+$")).as_py())


def _decide(distinct: pd.Series, n_filled: int, n_distinct_total: int | None, name: str,
            excel_serials: bool = False, evidence: NumberEvidence | None = None,
            ) -> tuple[T, str | NumberReading | None]:
    """The type of a column from its distinct (stripped, non-missing) values, and the format its
    values are written in: a date format, or a ``NumberReading`` for numbers (also for a text
    column that mixes currencies, to say so)."""
    if distinct.empty:
        return T.TEXT, None
    # (a set comprehension: the pandas string accessor costs a quarter of a millisecond a column,
    # seconds for a list of 10,000 columns)
    folded = ({str(v).casefold() for v in distinct.tolist()}
              if len(distinct) <= 3 * len(TRUE_WORDS | FALSE_WORDS) else set())
    if folded and folded <= TRUE_WORDS | FALSE_WORDS and len(folded) <= 2 and (
            folded == {"0", "1"} or not folded <= {"0", "1"}):
        return T.BOOLEAN, None
    values = pa.array(distinct.to_numpy(dtype=object), pa.string())
    codes = _has_leading_zeros(values)
    if not codes and _all_match(values, _INT.pattern):
        if excel_serials and _all_match(values, r"^\d{5}$") and _looks_like_serial_dates(values, name):
            return T.DATE, SERIAL
        unix = _unix_form(values, name)
        if unix is not None:
            return T.DATETIME, unix
        return T.INTEGER, None
    marks = number_marks(values) if not codes else None
    mixed = None
    if marks is not None:
        reading = decide(marks, evidence)
        if reading.format is not None:
            if excel_serials and _looks_like_serial_dates(values, name):
                return T.DATETIME, SERIAL
            return (T.INTEGER if reading.integer else T.NUMBER), reading
        mixed = reading
    fmt = best_date_format(distinct)
    if fmt is not None:
        return T.DATE, fmt
    emails = _share_matching(values, _EMAIL.pattern)
    if emails >= 0.9 or (emails >= 0.5 and "mail" in name.casefold()):
        return T.EMAIL, None
    if n_distinct_total is not None and (n_distinct_total <= 50 or (
            n_distinct_total <= 2000 and n_distinct_total <= 0.05 * max(n_filled, 1))):
        return T.CATEGORY, mixed
    return T.TEXT, mixed


def _beside_placeholders(distinct: pd.Series, n_filled: int, name: str, excel_serials: bool,
                         evidence: NumberEvidence | None) -> tuple[T, object, pa.Array] | None:
    """A column of numbers or dates with cells saying "no value" among them ("-", "—", "n/a",
    "(blank)", "unknown"): its type and format decided without those cells, and their texts;
    None when there are none, or when the other values are not numbers or dates."""
    values = pa.array(distinct.to_numpy(dtype=object), pa.string())
    if not pc.any(pc.match_substring_regex(values.slice(0, 64), r"\d")).as_py():
        return None               # words (placeholders are few): no number or date among them
    blank = placeholder_mask(values)
    if not blank.any() or blank.all():
        return None
    rest = distinct[~blank].reset_index(drop=True)
    ctype, fmt = _decide(rest, n_filled, len(rest), name, excel_serials, evidence)
    if ctype not in _PLACEHOLDER_TYPES:
        return None
    return ctype, fmt, values.filter(pa.array(blank))


def _placeholder_note(texts: list[str], cells: int) -> str:
    shown = ", ".join(f"“{t}”" for t in texts[:3]) + (" …" if len(texts) > 3 else "")
    return f"{shown} read as missing ({cells:,} cell{'s' if cells != 1 else ''})"


def _formats(fmt: str | NumberReading | None) -> dict:
    """``convert_column`` keywords for a format from ``_decide``."""
    if isinstance(fmt, NumberReading):
        return {"number": fmt}
    return {"date_format": fmt}


def _fast_missing(arr: pa.Array, markers: pa.Array) -> np.ndarray:
    """Missing cells of a high-cardinality column: exact matches of the markers in their usual
    spellings (lower, upper, title case), which avoids folding a million strings."""
    variants = set()
    for marker in markers.to_pylist():
        variants.update({marker, marker.upper(), marker.title(), f" {marker}", f"{marker} "})
    variants.update({" ", "  "})
    # only cells as short as a marker can be one: an email column is looked up in a few cells
    longest = max(len(v.encode()) for v in variants)
    short = np.flatnonzero(cell_lengths(arr) <= longest)
    mask = np.zeros(len(arr), bool)
    if len(short):
        found = pc.is_in(take_rows(arr, short), value_set=pa.array(sorted(variants), pa.string()))
        mask[short] = found.to_numpy(zero_copy_only=False)
    if arr.null_count:
        mask |= arr.is_null().to_numpy(zero_copy_only=False)
    return mask


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

    A dictionary column (a Parquet file's) keeps its dictionary when it takes the dictionary
    route, and is decoded otherwise. Only pyarrow kernels run here (they release the GIL), so
    columns can be prepared on a worker thread while the previous one is typed.
    """
    if pa.types.is_dictionary(arr.type):
        whole = _one_dictionary(arr)
        if len(whole) <= SAMPLE or pc.count_distinct(_first_and_middle(whole.indices)).as_py() <= 0.2 * SAMPLE:
            return PreparedColumn(whole, *_dictionary_codes(whole))
        arr = whole.cast(pa.string())
    if isinstance(arr, pa.ChunkedArray) and arr.num_chunks == 1:
        arr = arr.chunk(0)
    if len(arr) > SAMPLE:
        sample = _first_and_middle(arr)
        if pc.count_distinct(sample).as_py() > 0.2 * len(sample):
            return PreparedColumn(arr)        # chunks stay as parsed: joining them copies every text
    dictionary, indices = _encode(arr)
    return PreparedColumn(arr, dictionary, indices)


def _encode(arr: pa.Array | pa.ChunkedArray) -> tuple[pa.Array, pa.Array]:
    """The distinct texts of a column and each cell's index into them (nulls map to "").

    The distinct values are taken from a sample first and every cell is looked up among them
    (about 40% cheaper than hashing the column into a new dictionary); values the sample missed
    are added and the column looked up once more.
    """
    if isinstance(arr, pa.ChunkedArray) and arr.num_chunks <= 1:
        arr = arr.chunk(0) if arr.num_chunks else pa.array([], pa.string())
    sample = _first_and_middle(arr) if len(arr) > SAMPLE else arr
    dictionary = pc.unique(pc.fill_null(sample, ""))
    if isinstance(dictionary, pa.ChunkedArray):
        dictionary = dictionary.combine_chunks()
    indices = pc.index_in(arr, value_set=dictionary)
    if isinstance(indices, pa.ChunkedArray):
        indices = indices.combine_chunks()
    if indices.null_count > arr.null_count:
        indices, dictionary = _add_unmatched(arr, indices, dictionary)
    return _empty_for_nulls(dictionary, indices)


def _add_unmatched(arr, indices: pa.Array, dictionary: pa.Array) -> tuple[pa.Array, pa.Array]:
    """``indices`` completed for the cells whose text the dictionary lacked (the sample missed
    them): their texts are added, and only those cells looked up again (a second look-up of
    the whole column cost as much as the first, for a few thousand cells)."""
    unmatched = pc.and_(pc.is_null(indices), pc.is_valid(arr))
    cells = arr.filter(unmatched)
    if isinstance(cells, pa.ChunkedArray):
        cells = cells.combine_chunks()
    rest = pc.unique(cells)
    codes = np.frombuffer(indices.buffers()[1], np.int32)[indices.offset:indices.offset + len(indices)].copy()
    where = unmatched.to_numpy(zero_copy_only=False)
    codes[where] = pc.index_in(cells, value_set=rest).to_numpy() + len(dictionary)
    nulls = pc.is_null(arr).to_numpy(zero_copy_only=False) if arr.null_count else None
    return pa.array(codes, pa.int32(), mask=nulls), pa.concat_arrays([dictionary, rest])


def _empty_for_nulls(dictionary: pa.Array, indices: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Null cells pointed at the "" entry (added if absent)."""
    if indices.null_count:
        empty = pc.index_in(pa.array([""]), value_set=dictionary)[0].as_py()
        if empty is None:
            dictionary, empty = pa.concat_arrays([dictionary, pa.array([""], pa.string())]), len(dictionary)
        indices = indices.fill_null(empty)
    return dictionary, indices


def _one_dictionary(arr: pa.Array | pa.ChunkedArray) -> pa.DictionaryArray:
    """A dictionary column as one array of string values (the chunks' dictionaries merged)."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks() if arr.num_chunks else pa.array([], arr.type)
    if not pa.types.is_string(arr.type.value_type):
        arr = arr.cast(pa.dictionary(arr.type.index_type, pa.string()))
    return arr


def _dictionary_codes(whole: pa.DictionaryArray) -> tuple[pa.Array, pa.Array]:
    """``_encode`` for a column read with its dictionary: entries no cell uses are dropped (they
    are no value of the column), and null cells map to ""."""
    dictionary, indices = pc.fill_null(whole.dictionary, ""), whole.indices.cast(pa.int32())
    used = pc.unique(indices.drop_null())
    if len(used) < len(dictionary):
        used = used.take(pc.array_sort_indices(used))
        dictionary, indices = dictionary.take(used), pc.index_in(indices, value_set=used)
    return _empty_for_nulls(dictionary, indices)


def _mostly_numbers(dictionary: pa.Array, missing: np.ndarray, counts: np.ndarray,
                    evidence: NumberEvidence | None) -> NumberReading | None:
    """The reading of a column when at least 99% of the filled cells are numbers in one format
    and only a few distinct texts are not ("unknown", "tbd"): those become missing, with a note."""
    keep = ~missing
    trimmed = pc.utf8_trim_whitespace(dictionary.filter(pa.array(keep)))
    marks = number_marks(trimmed, counts[keep], lenient=True)
    reading = decide(marks, evidence) if marks is not None else None
    return reading if reading is not None and reading.format is not None else None


def _type_via_dictionary(prepared: PreparedColumn, name: str, markers: pa.Array,
                         excel_serials: bool, evidence: NumberEvidence | None) -> TypedColumn:
    """Decide and convert on the distinct values only, then gather through the codes."""
    dictionary = prepared.dictionary
    codes = prepared.indices.to_numpy(zero_copy_only=False)
    missing = missing_mask(dictionary, markers)
    counts = np.bincount(codes, minlength=len(dictionary)) if missing.any() else None
    n_filled = len(codes) if counts is None else int(counts[~missing].sum())
    filled = pc.utf8_trim_whitespace(dictionary.filter(pa.array(~missing)))
    distinct = pd.Series(pc.unique(filled).to_pandas(), dtype="str")
    ctype, fmt = _decide(distinct, n_filled, len(distinct), name, excel_serials, evidence)
    placeholders = ""
    found = _beside_placeholders(distinct, n_filled, name, excel_serials, evidence) \
        if ctype in (T.CATEGORY, T.TEXT) and fmt is None else None
    if found is not None:
        ctype, fmt, blanks = found
        blank = pc.fill_null(pc.is_in(pc.utf8_trim_whitespace(dictionary), value_set=blanks), False)
        blank = blank.to_numpy(zero_copy_only=False) & ~missing
        if counts is None:
            counts = np.bincount(codes, minlength=len(dictionary))
        placeholders = _placeholder_note(blanks.to_pylist(), int(counts[blank].sum()))
        missing = missing | blank
    if ctype in (T.CATEGORY, T.TEXT) and fmt is None and n_filled >= _LENIENT_FROM and not (
            _has_leading_zeros(pa.array(distinct.to_numpy(dtype=object), pa.string()))):
        if counts is None:
            counts = np.bincount(codes, minlength=len(dictionary))
        reading = _mostly_numbers(dictionary, missing, counts, evidence)
        if reading is not None:
            ctype, fmt = (T.INTEGER if reading.integer else T.NUMBER), reading
        else:
            dates = mostly_dates(dictionary, missing, counts, n_filled)
            if dates is not None:
                ctype, fmt = T.DATE, dates
    typed = convert_column(dictionary, ctype, markers, missing, excel_serials=excel_serials,
                           **_formats(fmt))
    if ctype == T.CATEGORY:
        cat = typed.values.array
        identity = len(cat.codes) == len(dictionary) and bool(
            (cat.codes == np.arange(len(cat.codes))).all())
        mapped = codes if identity else cat.codes[codes]       # (no gather when nothing merged)
        values = pd.Series(pd.Categorical.from_codes(mapped, dtype=cat.dtype, validate=False))
    elif isinstance(typed.values.dtype, pd.StringDtype) and pa.types.is_string(prepared.array.type):
        # texts: the column's own cells, with the missing ones marked (gathering the distinct
        # texts through the codes copied every text, a tenth of the column's typing time)
        values = text_values(prepared.array, missing[codes])
    else:
        values = pd.Series(typed.values.array.take(codes))
    note, info = typed.note, _joined(typed.info, placeholders)
    if note:
        if counts is None:
            counts = np.bincount(codes, minlength=len(dictionary))
        bad = int(counts[typed.values.isna().to_numpy() & ~missing].sum())
        word = note.split(" that ")[1] if " that " in note else "of this type"
        note = _joined(info, bad_note(bad, word.split("not ", 1)[-1].split(" treated")[0]))
    else:
        note = info
    return TypedColumn(typed.type, values, note, typed.date_format, info, typed.number)


def _first_and_middle(arr: pa.Array) -> pa.Array:
    """Up to ``SAMPLE`` cells from the start and the middle of a column (zero-copy slices)."""
    half = SAMPLE // 2
    parts = [arr.slice(0, half), arr.slice(len(arr) // 2, half)]
    if isinstance(arr, pa.ChunkedArray):
        parts = [part.combine_chunks() for part in parts]
    return pa.concat_arrays(parts)


def type_column(arr: pa.Array | pa.ChunkedArray, name: str, markers: pa.Array, *,
                excel_serials: bool = False, prepared: PreparedColumn | None = None,
                evidence: NumberEvidence | None = None) -> TypedColumn:
    """Decide the type of a column of cell texts and convert it.

    Low-cardinality columns (most lead columns) are decided and converted on their distinct
    values only; columns of mostly unique values (emails, names, notes) are decided from a
    sample and converted once. ``prepared``: the result of ``prepare_column(arr)`` if already
    computed (on a worker thread). ``evidence``: what the rest of the file says about how it
    writes numbers (the field separator, decimal marks seen in other columns).
    """
    if prepared is None:
        prepared = prepare_column(arr)
    arr = prepared.array
    if prepared.dictionary is not None:
        column = _type_via_dictionary(prepared, name, markers, excel_serials, evidence)
    else:
        sample = _sample_values(arr)
        missing = _fast_missing(arr, markers)
        n_filled = int(len(arr) - missing.sum())
        kept = pc.utf8_trim_whitespace(sample.filter(pa.array(~_fast_missing(sample, markers))))
        distinct = pd.Series(pc.unique(kept).to_pandas(), dtype="str")
        ctype, fmt = _decide(distinct, n_filled, None, name, excel_serials, evidence)
        if ctype in (T.CATEGORY, T.TEXT) and fmt is None:
            found = _beside_placeholders(distinct, n_filled, name, excel_serials, evidence)
            ctype, fmt = found[:2] if found is not None else (ctype, fmt)
        column = convert_column(arr, ctype, markers, missing, excel_serials=excel_serials, **_formats(fmt))
        if column.type in _PLACEHOLDER_TYPES:
            column, missing = _placeholders_missing(arr, column, missing)
    if prepared.dictionary is None and column.note != column.info and column.type in (
            T.INTEGER, T.NUMBER, T.DATE, T.DATETIME, T.BOOLEAN):
        # values beyond the sample did not fit: more than 1% means the column is really text
        bad = int(column.values.isna().sum()) - int(missing.sum())
        if bad > 0.01 * max(len(arr), 1):
            return convert_column(_one_array(arr), T.TEXT, markers)
    if column.type == T.NUMBER:
        column = _with_info(column, _shortened_by_excel(prepared))
    return column


def _joined(*parts: str) -> str:
    return "; ".join(part for part in parts if part)


def _with_info(column: TypedColumn, extra: str) -> TypedColumn:
    """``column`` with ``extra`` added to what its note says even when every value fits."""
    if not extra:
        return column
    return TypedColumn(column.type, column.values, _joined(column.note, extra), column.date_format,
                       _joined(column.info, extra), column.number)


def _shortened_by_excel(prepared: PreparedColumn) -> str:
    """A note when most numbers of a column are written as Excel shows big numbers in a cell
    of General format ("4.47712E+11", six digits): a phone number or an id that went through
    Excel and lost its other digits; "" otherwise."""
    texts = prepared.dictionary if prepared.dictionary is not None else _sample_values(prepared.array)
    texts = pc.utf8_trim_whitespace(texts.drop_null())
    texts = texts.filter(pc.not_equal(texts, ""))
    if not len(texts):
        return ""
    shortened = pc.match_substring_regex(texts, _EXCEL_SHORT)
    if pc.sum(shortened.cast(pa.int64())).as_py() < 0.5 * len(texts):
        return ""
    example = texts.filter(shortened)[0].as_py()
    return (f"numbers such as “{example}” were cut to six digits by Excel, the rest of each is lost; "
            "export the list again without opening and saving it in Excel")


def _placeholders_missing(arr: pa.Array | pa.ChunkedArray, column: TypedColumn,
                          missing: np.ndarray) -> tuple[TypedColumn, np.ndarray]:
    """A converted column of mostly unique values whose cells that did not convert include
    placeholders ("-", "n/a"), with those cells counted as missing (not as values of the wrong
    type) and named in the note; and the missing cells so updated."""
    bad = np.flatnonzero(column.values.isna().to_numpy() & ~missing)
    if not len(bad):
        return column, missing
    texts = pc.utf8_trim_whitespace(take_rows(arr, bad))
    distinct = pc.unique(texts)
    blank = placeholder_mask(distinct) if len(distinct) <= _MAX_ODD_TEXTS else np.zeros(0, bool)
    if not blank.any():
        return column, missing
    blanks = distinct.filter(pa.array(blank))
    hit = pc.fill_null(pc.is_in(texts, value_set=blanks), False).to_numpy(zero_copy_only=False)
    missing = missing.copy()
    missing[bad[hit]] = True
    info = _joined(column.info, _placeholder_note(blanks.to_pylist(), int(hit.sum())))
    note = _joined(info, bad_note(int((~hit).sum()), _WHAT[column.type]))
    return TypedColumn(column.type, column.values, note, column.date_format, info, column.number), missing


def _one_array(arr: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(arr, pa.ChunkedArray):
        return arr.combine_chunks() if arr.num_chunks else pa.array([], pa.string())
    return arr

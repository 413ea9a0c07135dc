"""Reading a column's texts as dates once its reading is decided (``scoring.reading.dates``).

Vectorised: ISO texts go through Arrow's own cast, other forms through Arrow's strptime (with the
days it rolls over caught), and pandas reads what Arrow refuses (fractions of a second, a mix of
values with and without an offset). Values with an offset come out in UTC, without a time zone;
dates outside 1677..2262 (``0001-01-01`` placeholders) do not read. Excel serial day numbers are
read here too. Imports only numpy, pandas and pyarrow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["DateReading", "SERIAL", "ISO", "UNIX_SECONDS", "UNIX_MS", "NUMBER_FORMS", "unix_dates",
           "read_dates", "serial_dates", "describe_format", "as_texts", "iso_cast"]

SERIAL = "excel-serial"          # days since 1899-12-30, as Excel counts
UNIX_SECONDS = "unix-seconds"    # seconds since 1970-01-01 UTC, as APIs and analytics tools write
UNIX_MS = "unix-milliseconds"    # the same in milliseconds (JavaScript, HubSpot's API)
#: the forms of dates written as plain numbers, with what one unit is in nanoseconds
NUMBER_FORMS = {UNIX_SECONDS: 10**9, UNIX_MS: 10**6}
ISO = "ISO8601"
_MIN_NS, _MAX_NS = np.datetime64("1677-09-22", "us"), np.datetime64("2262-04-10", "us")
_BACK = {"%Y": "YYYY", "%y": "YY", "%B": "MMMM", "%b": "MMM", "%m": "MM", "%d": "DD", "%H": "HH",
         "%I": "hh", "%M": "mm", "%S": "ss", "%f": "SSS", "%p": "AM", "%z": "Z"}


@dataclass(frozen=True)
class DateReading:
    """How to read one column's texts as dates.

    Attributes
    ----------
    formats : ``pandas.to_datetime`` formats (``"ISO8601"`` or strptime), tried in turn on the
        cells the previous ones did not read
    prepare : (RE2 pattern, replacement) clean-ups applied to every cell first
    two_digit_end : the latest year a two-digit year may mean (None: no two-digit years)
    order : ``"DMY"``, ``"MDY"``, ``"YMD"`` or ``""``: the numeric order decided
    guessed : True when nothing in the values decided the order (all parts 12 or below)
    offsets : the UTC offsets seen, most common first, as written (``"+0000"``, ``"Z"``)
    """

    formats: tuple[str, ...]
    prepare: tuple[tuple[str, str], ...] = ()
    two_digit_end: int | None = None
    order: str = ""
    guessed: bool = False
    offsets: tuple[str, ...] = ()

    @property
    def pattern(self) -> str:
        """The main format in the user's words (``DD/MM/YYYY HH:mm``)."""
        return describe_format(self.formats[0]) if self.formats else ""


def describe_format(fmt: str) -> str:
    """A strptime format (or ``ISO8601``/``excel-serial``) in the user's words."""
    if fmt == ISO:
        return "YYYY-MM-DD (ISO 8601)"
    if fmt == SERIAL:
        return "Excel serial day number"
    if fmt == UNIX_SECONDS:
        return "Unix time (seconds since 1970)"
    if fmt == UNIX_MS:
        return "Unix time (milliseconds since 1970)"
    return re.sub(r"%.", lambda m: _BACK.get(m.group(0), m.group(0)), fmt)


def as_texts(values) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    if isinstance(values, pa.Array):
        if pa.types.is_dictionary(values.type):
            values = values.cast(pa.string())
        return pc.utf8_trim_whitespace(values.cast(pa.string()))
    try:
        arr = pa.array(values, pa.string(), from_pandas=True)   # pandas' str columns: no copy
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        arr = pa.array([None if pd.isna(v) else str(v) for v in values], pa.string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return pc.utf8_trim_whitespace(arr)


_ISO_NAIVE = r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?$"
_ISO_OFFSET = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$"


def iso_cast(texts: pa.Array, offsets: bool | None = None) -> np.ndarray | None:
    """ISO texts as datetime64[ns] (UTC for values with an offset) through Arrow's own parser,
    or None when they are not all of one kind (with or without an offset) or one does not read
    (an impossible date, a year beyond 2262): pandas then reads them.

    Arrow parses a column in a tenth of pandas' time, but refusing one takes long: the shape of
    every value is checked first (``offsets``: whether the values are expected to carry one).
    """
    kinds = [(_ISO_NAIVE, pa.timestamp("ns")), (_ISO_OFFSET, pa.timestamp("ns", "UTC"))]
    for pattern, kind in (kinds[::-1] if offsets else kinds):
        if not pc.all(pc.match_substring_regex(texts, pattern)).as_py():
            continue
        try:
            cast = pc.cast(texts, kind)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return None
        if kind.tz is not None:
            cast = cast.cast(pa.timestamp("ns"))
        return cast.to_numpy(zero_copy_only=False).astype("datetime64[ns]")
    return None


_ARROW_CODES = {"%Y", "%y", "%m", "%d", "%b", "%B", "%H", "%I", "%M", "%S", "%p", "%z"}
_CODE_RE = {"%Y": r"\d{4}", "%y": r"\d{2}", "%m": r"\d{1,2}", "%d": r"(?P<d>\d{1,2})", "%b": r"[A-Za-z]+",
            "%B": r"[A-Za-z]+", "%H": r"\d{1,2}", "%I": r"\d{1,2}", "%M": r"\d{1,2}", "%S": r"\d{1,2}",
            "%p": r"[AaPp][Mm]", "%z": r".*"}


def _arrow_strptime(texts: pa.Array, fmt: str) -> np.ndarray | None:
    """``texts`` read by Arrow's strptime (ten times pandas' speed), or None for a format it
    does not take (fractions of a second). The C library rolls 31 February over to 3 March:
    cells that came out on the 1st to the 3rd are checked against the day they spell."""
    codes = set(re.findall(r"%.", fmt))
    if not codes <= _ARROW_CODES or "%d" not in codes:
        return None
    try:
        parsed = pc.strptime(texts, format=fmt.replace("%B", "%b"), unit="s", error_is_null=True)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if parsed.type.tz is not None:
        parsed = parsed.cast(pa.timestamp("s"))
    local = _local_times(texts, fmt) if "%z" in fmt else parsed    # (the day as written)
    early = pc.fill_null(pc.less_equal(pc.day(local), 3), False)
    if pc.any(early).as_py():
        pattern = "^" + re.sub(r"%.|[^%]+", lambda m: _CODE_RE.get(m.group(0), re.escape(m.group(0))), fmt)
        rows = np.flatnonzero(early.to_numpy(zero_copy_only=False))
        spelled = pc.extract_regex(texts.take(pa.array(rows)), pattern).field("d")
        wrong = pc.fill_null(pc.not_equal(pc.cast(spelled, pa.int64()), pc.day(local.take(pa.array(rows)))), True)
        if pc.any(wrong).as_py():
            keep = np.ones(len(parsed), bool)
            keep[rows[wrong.to_numpy(zero_copy_only=False)]] = False
            parsed = pc.if_else(pa.array(keep), parsed, pa.scalar(None, parsed.type))
    return parsed.cast(pa.timestamp("us")).to_numpy(zero_copy_only=False).astype("datetime64[us]")


def _local_times(texts: pa.Array, fmt: str) -> pa.Array:
    """The times as written, before their offsets move them to UTC (9 PM -0800 on the 2nd is
    the 3rd in UTC, but the 2nd is the day to check)."""
    bare = pc.replace_substring_regex(texts, r" ?(?:[+-]\d{2}:?\d{2}|[+-]\d{2}|Z|z)$", "")
    return pc.strptime(bare, format=fmt.replace(" %z", "").replace("%z", "").replace("%B", "%b"),
                       unit="s", error_is_null=True)


def _parse(texts: pa.Array, fmt: str, in_range: bool = True, offsets: bool | None = None) -> np.ndarray:
    """``texts`` read with one format: datetime64[ns] in UTC for values with an offset, NaT for
    values that do not fit (or, with ``in_range``, lie outside 1677..2262; else datetime64[us])."""
    if fmt == ISO:
        cast = iso_cast(texts, offsets)
        if cast is not None:
            return cast if in_range else cast.astype("datetime64[us]")
    else:
        values = _arrow_strptime(texts, fmt)
        if values is not None:
            return values if not in_range else np.where(
                (values < _MIN_NS) | (values > _MAX_NS), np.datetime64("NaT"), values).astype("datetime64[ns]")
    series = pd.Series(texts.to_numpy(zero_copy_only=False), dtype=object)
    utc = fmt == ISO or "%z" in fmt
    try:
        parsed = pd.to_datetime(series, format=fmt, errors="coerce", utc=utc)
    except (ValueError, OverflowError):
        parsed = pd.Series(pd.NaT, index=series.index, dtype="datetime64[us]")
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    values = parsed.to_numpy()
    if not in_range:
        return values.astype("datetime64[us]")
    if values.dtype != np.dtype("datetime64[ns]"):
        values = values.astype("datetime64[us]")
        out = (values < _MIN_NS) | (values > _MAX_NS)
        values = np.where(out, np.datetime64("NaT"), values).astype("datetime64[ns]")
    return values


def _shift_centuries(values: np.ndarray, end: int) -> np.ndarray:
    """Two-digit years as strptime read them (1969..2068) moved into ``end - 99 .. end``."""
    years = values.astype("datetime64[Y]").astype(int) + 1970
    shift = np.where(np.isnat(values), 0, end - ((end - years) % 100) - years)
    if not shift.any():
        return values
    months = values.astype("datetime64[M]")
    within = values - months.astype(values.dtype)           # day and time within the month
    moved_months = months + (shift * 12).astype("timedelta64[M]")
    moved = moved_months.astype(values.dtype) + within
    wrong = moved.astype("datetime64[M]") != moved_months      # 29 Feb in a year without one
    return np.where(wrong | np.isnat(values), np.datetime64("NaT"), moved).astype(values.dtype)


def read_dates(arr: pa.Array | pa.ChunkedArray, missing: np.ndarray, reading: DateReading, *,
               in_range: bool = True) -> tuple[np.ndarray, int]:
    """Every cell of ``arr`` read with ``reading``: datetime64[ns] values (NaT for missing cells
    and for cells that do not read) and how many filled cells did not read. Dates outside
    1677..2262 (``0001-01-01`` placeholders) do not read, unless ``in_range`` is False (then the
    values are datetime64[us])."""
    texts = as_texts(arr)
    for pattern, replacement in reading.prepare:
        texts = pc.replace_substring_regex(texts, pattern, replacement)
    if missing.any():
        texts = pc.if_else(pa.array(missing), pa.scalar(None, pa.string()), texts)
    out = np.full(len(texts), np.datetime64("NaT", "ns" if in_range else "us"))
    todo = np.flatnonzero(~missing & np.asarray(pc.is_valid(texts).to_numpy(zero_copy_only=False), bool))
    for i, fmt in enumerate(reading.formats):
        if len(todo) == 0:
            break
        part = texts if i == 0 and len(todo) == len(texts) else texts.take(pa.array(todo))
        values = _parse(part, fmt, in_range, bool(reading.offsets))
        if "%y" in fmt and reading.two_digit_end is not None:
            values = _shift_centuries(values, reading.two_digit_end)
        out[todo] = values
        todo = todo[np.isnat(values)]
    return out, int(len(todo))


def unix_dates(arr: pa.Array, missing: np.ndarray, form: str) -> tuple[np.ndarray, int]:
    """Unix times (``UNIX_SECONDS`` or ``UNIX_MS``) as datetime64[ns] in UTC, and how many filled
    cells are not such numbers (or fall outside 1970..2262). Whole numbers are counted exactly
    (a float would blur the milliseconds); fractions of a unit are rounded to the nanosecond."""
    texts = pc.if_else(pa.array(missing), pa.scalar(None, pa.string()), as_texts(arr))
    unit, limit = NUMBER_FORMS[form], np.iinfo(np.int64).max // NUMBER_FORMS[form]
    whole = pc.fill_null(pc.match_substring_regex(texts, r"^\d{1,18}$"), False)
    counts = pc.cast(pc.if_else(whole, texts, pa.scalar(None, pa.string())), pa.int64())
    counts = counts.fill_null(-1).to_numpy(zero_copy_only=False)
    part = pc.fill_null(pc.match_substring_regex(texts, r"^\d+\.\d+$"), False)
    fractions = pc.cast(pc.if_else(part, texts, pa.scalar(None, pa.string())), pa.float64())
    fractions = fractions.to_numpy(zero_copy_only=False).astype(float)
    nanos = np.where((counts >= 0) & (counts < limit), counts * unit, -1)
    fine = np.isfinite(fractions) & (fractions < limit)
    nanos[fine] = np.round(fractions[fine] * unit).astype(np.int64)
    bad = nanos < 0
    values = np.where(bad, np.datetime64("NaT", "ns"), nanos.view("datetime64[ns]"))
    return values, int((bad & ~missing).sum())


def serial_dates(arr: pa.Array, missing: np.ndarray) -> tuple[np.ndarray, int]:
    """Excel serial day numbers (days since 1899-12-30; fractions are times of day) as
    datetime64[ns], and how many filled cells are not such numbers."""
    texts = pc.if_else(pa.array(missing), pa.scalar(None, pa.string()), as_texts(arr))
    number = pc.match_substring_regex(texts, r"^\d+(\.\d+)?$")
    days = pc.cast(pc.if_else(number, texts, pa.scalar(None, pa.string())), pa.float64())
    days = days.to_numpy(zero_copy_only=False).astype(float)
    days = np.where((days >= 1) & (days < 2_958_466), days, np.nan)     # Excel's 1900..9999
    nan = np.isnan(days)
    nanos = np.where(nan, 0.0, np.round(days * 86_400e9)).astype(np.int64)
    values = nanos.view("timedelta64[ns]") + np.datetime64("1899-12-30", "ns")
    values = np.where(nan, np.datetime64("NaT", "ns"), values)
    return values, int((nan & ~missing).sum())

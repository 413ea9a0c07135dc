"""Reading dates and times in every form CRMs, ad platforms and Excel write, one decision per column.

A column's texts are read with a :class:`DateReading`: a few ``pandas.to_datetime`` formats tried
in turn (one per shape of value found, e.g. ISO values from real date cells beside ``01/05/2023``
texts in one spreadsheet column), plus vectorised clean-ups applied first (``a.m.`` -> ``AM``,
``UTC`` -> ``Z``, a leading weekday dropped). The reading is decided from the column's distinct
values (or a sample of them), never per row:

- ISO dates and date-times (``T`` or a space, seconds and fractions optional), with or without
  offsets (``Z``, ``+0000``, ``+00:00``, ``-05:00``);
- numeric dates ``05/01/2023``, ``5.1.2023``, ``05-01-23``, ``2023.01.05``: the year is the
  four-digit part (or the two-digit part above 31, else the last); day-first when some first part
  is above 12, month-first when some second part is; otherwise month-first for ``/`` and
  day-first for ``.`` and ``-``; times ``14:30``, ``14:30:05.123`` or ``2:30 PM``;
- month names: ``Jan 5, 2023``, ``January 5 2023``, ``5 January 2023``, ``05-Jan-23``.

Values with an offset are converted to UTC (and kept without a time zone); the caller's note says
so. Two-digit years are placed in the hundred years that hold the column's values with the latest
no later than ten years from now (so ``65``, ``70`` are 1965, 1970 and ``98``, ``03`` are 1998,
2003). Excel serial day numbers (format ``SERIAL``) are recognised by ``column_typing``.

A user can name the form: :func:`reading_for` takes a pattern such as ``DD/MM/YYYY`` (a date
order: times and offsets still found automatically), ``DD.MM.YYYY HH:mm`` (exact), a
``strftime`` pattern with ``%``, ``ISO8601`` or ``excel-serial``. :func:`preview_dates` shows how
the first values read and which do not. Reading the values themselves is ``date_values``.
Imports pandas, numpy, pyarrow and ``scoring.errors``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from scoring.errors import LeadbenchError
from scoring.reading.month_names import LOCAL_STEPS, apply_steps, localised_steps
from scoring.reading.date_values import (ISO, NUMBER_FORMS, SERIAL, UNIX_MS, UNIX_SECONDS, DateReading,
                                         as_texts, describe_format, iso_cast, read_dates, serial_dates,
                                         unix_dates)

__all__ = ["DateReading", "DatePreview", "SERIAL", "UNIX_SECONDS", "UNIX_MS", "NUMBER_FORMS", "unix_dates",
           "ISO", "COMMON_FORMATS", "decide_reading",
           "reading_for", "read_dates", "preview_dates", "serial_dates", "pattern_to_strptime",
           "offsets_note", "reading_words", "mostly_dates", "describe_format", "DateFormatError"]

_MAX_SHAPES = 6
_FUTURE_YEARS = 10               # two-digit years: the latest may be this many years from now

#: The forms offered when a user retypes a column: (pattern, what it looks like).
COMMON_FORMATS: tuple[tuple[str, str], ...] = (
    ("YYYY-MM-DD", "Year first: 2023-01-25, 2023-01-25T14:30:00Z"),
    ("MM/DD/YYYY", "Month first (US): 01/25/2023, 1/25/23 2:30 PM"),
    ("DD/MM/YYYY", "Day first: 25/01/2023, 25/01/23 14:30"),
    ("DD.MM.YYYY", "Day first with dots: 25.01.2023"),
    ("DD-MM-YYYY", "Day first with dashes: 25-01-2023 14:30"),
    ("YYYY.MM.DD", "Year first with dots: 2023.01.25"),
    ("MMM D, YYYY", "Month name first: Jan 25, 2023"),
    ("D MMMM YYYY", "Day, then month name: 25 January 2023, 25-Jan-23"),
    (SERIAL, "Excel serial day numbers: 44951"),
    (UNIX_SECONDS, "Unix time in seconds: 1704450600"),
    (UNIX_MS, "Unix time in milliseconds: 1704450600000"),
)

_MONTHS = {m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
                                        "sep", "oct", "nov", "dec"], 1)}
_MONTH_NAMES = {"january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december", "sept"} | set(_MONTHS)
_WEEKDAYS = {"mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "monday",
             "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
# the shape of one value; RE2 (pyarrow), run over the distinct values or a sample only
#: time-zone abbreviations exports write after a time, and their offsets (IST as India's, the
#: commonest in lead exports; the column's note names the abbreviation, so a user can tell)
ZONES = {"EST": "-0500", "EDT": "-0400", "CST": "-0600", "CDT": "-0500", "MST": "-0700",
         "MDT": "-0600", "PST": "-0800", "PDT": "-0700", "AKST": "-0900", "AKDT": "-0800",
         "HST": "-1000", "WET": "+0000", "WEST": "+0100", "BST": "+0100", "CET": "+0100",
         "CEST": "+0200", "EET": "+0200", "EEST": "+0300", "MSK": "+0300", "IST": "+0530",
         "SGT": "+0800", "HKT": "+0800", "JST": "+0900", "KST": "+0900", "AEST": "+1000",
         "AEDT": "+1100", "NZST": "+1200", "NZDT": "+1300"}
#: a zone's partner across daylight saving time (a sample may show only one of them)
_PARTNERS = {"EST": "EDT", "CST": "CDT", "MST": "MDT", "PST": "PDT", "AKST": "AKDT", "WET": "WEST",
             "CET": "CEST", "EET": "EEST", "AEST": "AEDT", "NZST": "NZDT"}
_PARTNERS.update({v: k for k, v in _PARTNERS.items()})
_TZ = (r"(?P<tz> ?(?:Z|z|[+-]\d{2}:?\d{2}|[+-]\d{2}|UTC|GMT|utc|gmt|"
       + "|".join(sorted(ZONES, key=len, reverse=True)) + "))?")
_SHAPE = (
    r"^(?:(?P<wd>[A-Za-z]{3,9})\.?,? )?"
    r"(?:(?P<a>\d{1,4})(?P<s1>[-/.])(?P<b>\d{1,2})(?P<s2>[-/.])(?P<c>\d{4}|\d{1,2})"
    r"|(?P<mon1>[A-Za-z]{3,9})(?P<dot1>\.?) (?P<d1>\d{1,2})(?P<comma1>,?) (?P<y1>\d{4})"
    r"|(?P<d2>\d{1,2})(?P<s3>[- ])(?P<mon2>[A-Za-z]{3,9})(?P<dot2>\.?)(?P<s4>-|,? )(?P<y2>\d{4}|\d{2}))"
    r"(?:(?P<ts>T|t| |, | at )(?P<H>\d{1,2}):(?P<M>\d{2})"
    r"(?::(?P<S>\d{2})(?:(?P<fs>[.,])(?P<F>\d{1,9}))?)?"
    r"(?P<ap> ?(?:[AaPp]\.?[Mm]\.?))?)?" + _TZ + r"$")
# the commonest case, decided with one expression: ISO dates and times, offsets optional
_ISO_SHAPE = (r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?"
              r"(?P<tz>Z|[+-]\d{2}:?\d{2})?)?$")
_FIELDS = ("wd", "a", "s1", "b", "s2", "c", "mon1", "dot1", "d1", "comma1", "y1", "d2", "s3", "mon2",
           "dot2", "s4", "y2", "ts", "H", "M", "S", "fs", "F", "ap", "tz")
# clean-ups, applied (to the whole column) only when the sample needs them
_DROP_WEEKDAY = (r"^(?i:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?i:day|sday|nesday|rsday|urday)?"
                 r"\.?,? ", "")
_NAME_DOT = (r"^([A-Za-z]{3,9})\. ", r"\1 ")
_NAME_DOT_DASH = (r"^(\d{1,2}[- ][A-Za-z]{3,9})\.", r"\1")
_SEPT = (r"(?i)\bsept\b", "Sep")
_AM_PM = (r"(?i)([ap])\.m\.?$", r"\1M")
_UTC_WORD = (r" ?(?i:utc|gmt)$", "Z")
_ISO_COMMA = (r"(\d{2}:\d{2}:\d{2}),(\d)", r"\1.\2")


_NOT_DATES = object()                # an ISO shape that does not read (2023-02-30)


class DateFormatError(LeadbenchError):
    """A date pattern the user typed cannot be used; the message says why and what to write."""


@dataclass(frozen=True)
class DatePreview:
    """How a column reads with a chosen format: for the retype dialog.

    ``rows``: the first filled cells and what they read as (None: not read); ``bad``: how many
    filled cells are not read, ``bad_examples`` a few of them; ``has_time``: some value has a
    time of day; ``note``: the column note the conversion would give ("" for none).
    """

    rows: tuple[tuple[str, pd.Timestamp | None], ...]
    filled: int
    bad: int
    bad_examples: tuple[str, ...]
    has_time: bool
    note: str
    pattern: str


# -- deciding ---------------------------------------------------------------------------------
def _shapes(values: pa.Array) -> pd.DataFrame | None:
    """One row per value with the parts of its shape ("" for absent parts); None when some value
    has no date shape at all."""
    if len(values) == 0:
        return None
    matched = pc.extract_regex(values, _SHAPE)
    if matched.null_count:
        return None
    return pd.DataFrame({name: matched.field(name).to_numpy(zero_copy_only=False)
                         for name in _FIELDS})


def _month_names_ok(names: pd.Series) -> bool:
    return bool(names.eq("").all() or names[names.ne("")].str.lower().isin(_MONTH_NAMES).all())


def _numbers(column: pd.Series) -> np.ndarray:
    return pd.to_numeric(column, errors="coerce").to_numpy()


def _decide_order(a: np.ndarray, b: np.ndarray, sep: str, forced: str | None) -> tuple[str, bool]:
    """DMY or MDY for day-month pairs ``a``, ``b`` (the year is elsewhere)."""
    if forced in ("DMY", "MDY"):
        return forced, False
    if (a > 12).any() and not (b > 12).any():
        return "DMY", False
    if (b > 12).any() and not (a > 12).any():
        return "MDY", False
    if (a > 12).any():                      # both: the order that reads more values
        return ("DMY" if (a > 12).sum() >= (b > 12).sum() else "MDY"), False
    return ("MDY" if sep == "/" else "DMY"), True


def _two_digit_end(years: np.ndarray, today: date | None = None) -> int:
    """The latest year the two-digit ``years`` (0..99) may mean: the hundred years holding them
    end at the last value after the widest gap, no later than ten years from now."""
    limit = (today or date.today()).year + _FUTURE_YEARS
    distinct = np.unique(years.astype(int) % 100)
    gaps = np.diff(np.append(distinct, distinct[0] + 100))
    last = int(distinct[int(np.argmax(gaps))])          # the value before the widest gap
    return limit - ((limit - last) % 100)


def _zone_steps(written: set[str]) -> list[tuple[str, str]]:
    """Clean-ups writing the zone abbreviations seen (and their daylight-saving partners) as
    offsets: ``10:30 AM EST`` -> ``10:30 AM -0500``."""
    zones = {z for z in written if z in ZONES}
    zones |= {_PARTNERS[z] for z in zones if z in _PARTNERS}
    return [(rf"( ?){zone}$", r"\1" + ZONES[zone]) for zone in sorted(zones)]


def _may_be_dates(arr: pa.Array) -> bool:
    """Whether every text is short and has a digit, as every date does (cheap checks first)."""
    return (len(arr) > 0 and pc.max(pc.utf8_length(arr)).as_py() <= 48
            and pc.all(pc.match_substring_regex(arr, r"\d")).as_py())


def decide_reading(values, order: str | None = None, *, need_all: bool = True,
                   today: date | None = None) -> DateReading | None:
    """The reading of a column from its distinct non-missing texts (or a sample of them).

    ``order`` forces ``"DMY"``, ``"MDY"`` or ``"YMD"`` for numeric dates. With ``need_all``,
    None unless every value has a date shape (automatic typing); otherwise the values with one
    decide and the rest are read as missing.
    """
    arr = as_texts(values)
    arr = arr.filter(pc.is_valid(arr))
    if need_all and not _may_be_dates(arr):
        return None
    if not need_all and len(arr):
        arr = arr.filter(pc.match_substring_regex(arr, r"\d"))       # (every date has a digit)
    local = localised_steps(arr)              # month names in French, German, Spanish...
    texts = apply_steps(arr, local) if local else arr
    if not need_all:
        if len(arr):
            keep = pc.match_substring_regex(texts, _SHAPE)
            arr, texts = arr.filter(keep), texts.filter(keep)
        if not _may_be_dates(arr):
            return None
    iso = _iso_reading(arr, need_all)
    if iso is not None:
        return None if iso is _NOT_DATES else iso
    shapes = _shapes(texts)
    if shapes is None:
        return None
    if not (_month_names_ok(shapes["mon1"]) and _month_names_ok(shapes["mon2"])):
        return None
    wd = shapes["wd"].str.lower()
    if not wd[wd.ne("")].isin(_WEEKDAYS).all():
        return None
    prepare: list[tuple[str, str]] = list(local)
    if wd.ne("").any():
        prepare.append(_DROP_WEEKDAY)
    if shapes["dot1"].ne("").any():
        prepare.append(_NAME_DOT)
    if shapes["dot2"].ne("").any():
        prepare.append(_NAME_DOT_DASH)
    names = pd.concat([shapes["mon1"], shapes["mon2"]]).str.lower()
    if names.eq("sept").any():
        prepare.append(_SEPT)
    if shapes["ap"].str.contains(".", regex=False).any():
        prepare.append(_AM_PM)
    tz_words = shapes["tz"].str.strip().str.upper().isin(["UTC", "GMT"])
    if tz_words.any():
        prepare.append(_UTC_WORD)
    prepare.extend(_zone_steps(set(shapes["tz"].str.strip())))
    if (shapes["fs"] == ",").any():
        prepare.append(_ISO_COMMA)
    tz = shapes["tz"].str.strip().where(~tz_words, shapes["tz"].str.strip().str.upper())
    offsets = tuple(tz[tz.ne("")].value_counts().index)

    numeric = shapes["a"].ne("")
    a, b, c = (_numbers(shapes[k]) for k in ("a", "b", "c"))
    la, lc = shapes["a"].str.len().to_numpy(), shapes["c"].str.len().to_numpy()
    if (numeric & (shapes["s1"] != shapes["s2"])).any():
        return None
    if (numeric & ~((la == 4) & (lc <= 2) | (la <= 2) & (lc == 4) | (la <= 2) & (lc == 2))).any():
        return None
    ymd = numeric.to_numpy() & (la == 4)
    # two-digit years: first when some first part cannot be a day or month, else last
    short = numeric.to_numpy() & (la <= 2) & (lc == 2)
    year_first = bool(short.any() and (a[short] > 31).any() and not (c[short] > 31).any())
    if order == "YMD":
        year_first = True
    dm = numeric.to_numpy() & ~ymd & ~(short & year_first)
    guessed, decided = False, ""
    for sep in ("/", ".", "-"):
        in_sep = dm & (shapes["s1"] == sep).to_numpy()
        if in_sep.any():
            found, was_guess = _decide_order(a[in_sep], b[in_sep], sep, order)
            guessed |= was_guess
            decided = decided or found
    # one format per kind of value: the parts that change the format, as a key per value
    kind = pd.DataFrame({
        "sep": shapes["s1"], "ymd": ymd, "yfirst": short & year_first,
        "long_year": lc == 4, "pad": (shapes["b"].str.len() == 2) & (shapes["c"].str.len() == 2),
        "mon1": shapes["mon1"].str.len().clip(upper=4).where(shapes["mon1"].str.lower() != "sept", 3),
        "comma1": shapes["comma1"], "s3": shapes["s3"], "s4": shapes["s4"],
        "mon2": shapes["mon2"].str.len().clip(upper=4).where(shapes["mon2"].str.lower() != "sept", 3),
        "y2": shapes["y2"].str.len(), "ts": shapes["ts"], "H": shapes["H"].str.len(),
        "S": shapes["S"].ne(""), "fs": shapes["fs"], "F": shapes["F"].ne(""),
        "ap": shapes["ap"].str.startswith(" ").astype(int) + shapes["ap"].ne("").astype(int),
        "tz": shapes["tz"].str.startswith(" ").astype(int) + shapes["tz"].ne("").astype(int),
    })
    counts: dict[str, int] = {}
    for key, n in kind.value_counts(sort=True).items():
        k = dict(zip(kind.columns, key))
        fmt = _format_of(k, order, a[dm & (shapes["s1"] == k["sep"]).to_numpy()],
                         b[dm & (shapes["s1"] == k["sep"]).to_numpy()])
        counts[fmt] = counts.get(fmt, 0) + int(n)
    formats = sorted(counts, key=lambda f: -counts[f])
    if len(formats) > _MAX_SHAPES:
        return None
    if year_first and short.any():
        decided = "YMD"
    elif ymd.any() and not decided:
        decided = "YMD"
    end = None
    if any("%y" in f for f in formats):
        two = np.where(short & year_first, a, np.where(numeric.to_numpy(), c, _numbers(shapes["y2"])))
        uses = (short | (shapes["y2"].str.len() == 2).to_numpy())
        end = _two_digit_end(two[uses & ~np.isnan(two)], today)
    reading = DateReading(tuple(formats), tuple(prepare), end, decided, guessed, offsets)
    if need_all and read_dates(arr, np.zeros(len(arr), bool), reading, in_range=False)[1]:
        return None                          # a shape of date, but not a date (13/13/2023)
    return reading


def _iso_reading(arr: pa.Array, need_all: bool) -> DateReading | None:
    """The reading of a column of ISO dates and times (offsets optional), or None when some
    value is written otherwise (then the general analysis decides)."""
    found = pc.extract_regex(arr, _ISO_SHAPE)
    if found.null_count:
        return None
    reading = DateReading((ISO,), order="YMD")
    tz = found.field("tz")
    if pc.any(pc.not_equal(tz, "")).as_py():
        counts = pc.value_counts(tz.filter(pc.not_equal(tz, "")))
        order = np.argsort(-counts.field("counts").to_numpy(), kind="stable")
        reading = DateReading((ISO,), order="YMD",
                              offsets=tuple(counts.field("values").to_numpy(zero_copy_only=False)[order]))
    if need_all and iso_cast(arr, bool(reading.offsets)) is None and read_dates(arr, np.zeros(len(arr), bool), reading,
                                                          in_range=False)[1]:
        return _NOT_DATES
    return reading


def _format_of(k: dict, order: str | None, a: np.ndarray, b: np.ndarray) -> str:
    """The pandas format of one kind of value (``k``: the parts that change the format)."""
    s = k["sep"]
    if s:
        if k["ymd"]:
            part = f"%Y{s}%m{s}%d"
        elif k["yfirst"]:
            part = f"%y{s}%m{s}%d"
        else:
            in_order, _ = _decide_order(a, b, s, order)
            year = "%Y" if k["long_year"] else "%y"
            part = f"%d{s}%m{s}{year}" if in_order == "DMY" else f"%m{s}%d{s}{year}"
    elif k["mon1"]:
        part = ("%b" if k["mon1"] == 3 else "%B") + f" %d{k['comma1']} %Y"
    else:
        year = "%Y" if k["y2"] == 4 else "%y"
        part = f"%d{k['s3']}" + ("%b" if k["mon2"] == 3 else "%B") + f"{k['s4']}{year}"
    if part == "%Y-%m-%d" and k["pad"] and not k["ap"] and k["ts"] in ("", "T", " ") and k["H"] in (0, 2):
        return ISO
    if not k["H"]:
        time = ""
    else:
        twelve = bool(k["ap"])
        time = k["ts"] + ("%I:%M" if twelve else "%H:%M")
        if k["S"]:
            time += ":%S" + (k["fs"] + "%f" if k["F"] else "")
        if twelve:
            time += (" " if k["ap"] == 2 else "") + "%p"
    tz = "" if not k["tz"] else (" %z" if k["tz"] == 2 else "%z")
    return part + time + tz


# -- user patterns ------------------------------------------------------------------------------
_TOKENS = [("YYYY", "%Y"), ("YY", "%y"), ("MMMM", "%B"), ("MMM", "%b"), ("MM", "%m"), ("M", "%m"),
           ("DD", "%d"), ("D", "%d"), ("dd", "%d"), ("d", "%d"), ("HH", "%H"), ("H", "%H"),
           ("hh", "%I"), ("h", "%I"), ("mm", "%M"), ("ss", "%S"), ("SSS", "%f"), ("SS", "%f"),
           ("S", "%f"), ("AM", "%p"), ("PM", "%p"), ("am", "%p"), ("pm", "%p"), ("A", "%p"),
           ("a", "%p"), ("ZZ", "%z"), ("Z", "%z"), ("XXX", "%z"), ("yyyy", "%Y"), ("yy", "%y")]
_TOKEN_CODES = {code for _token, code in _TOKENS}
_TOKEN_RE = re.compile("|".join(re.escape(t) for t, _ in sorted(_TOKENS, key=lambda t: -len(t[0]))))


def pattern_to_strptime(pattern: str) -> str:
    """A pattern in the user's words (``DD/MM/YYYY HH:mm``) as a strptime format; one holding
    ``%`` is taken as strptime already. Raises :class:`DateFormatError` when it lacks a year,
    month or day."""
    text = pattern.strip()
    if not text:
        raise DateFormatError("the pattern is empty: type one such as DD/MM/YYYY")
    if "%" in text:
        fmt = text
    else:
        mapping = dict(_TOKENS)
        fmt = _TOKEN_RE.sub(lambda m: mapping[m.group(0)], text.replace("'T'", "T"))
    for needed, word in (("%Y%y", "year (YYYY or YY)"), ("%m%b%B", "month (MM or MMM)"), ("%d", "day (DD)")):
        if not any(code in fmt for code in re.findall(r"%.", needed)):
            raise DateFormatError(f"the pattern “{pattern}” has no {word}: write it like DD/MM/YYYY")
    unknown = set(re.findall(r"%.", fmt)) - set(_TOKEN_CODES) - {"%%", "%a", "%A", "%j"}
    if unknown:
        raise DateFormatError(f"the pattern “{pattern}” uses {', '.join(sorted(unknown))}, which "
                              "Leadbench cannot read: use YYYY MM DD HH mm ss")
    return fmt


def reading_words(reading: "DateReading | str") -> str:
    """How a column was read, for the Columns panel: ``"MM/DD/YY hh:mm AM"``, with
    ``" (month first: no value says otherwise)"`` when the order was a guess."""
    if not isinstance(reading, DateReading):
        return describe_format(reading)
    words = reading.pattern
    if any(step in LOCAL_STEPS for step in reading.prepare):
        words += " (month names not in English)"
    if reading.guessed:
        first = "month" if reading.order == "MDY" else "day"
        words += f" ({first} first: no value says otherwise)"
    return words


def _date_order(fmt: str) -> str | None:
    """The order of day, month and year in a date-only pattern (None when it is not numeric)."""
    positions = {k: fmt.find(code) for k, code in (("D", "%d"), ("M", "%m"), ("Y", "%Y"))}
    if positions["Y"] < 0:
        positions["Y"] = fmt.find("%y")
    if min(positions.values()) < 0:
        return None
    return "".join(sorted(positions, key=positions.get))


def reading_for(pattern: str | None, values, *, today: date | None = None) -> DateReading | None:
    """The reading a user's choice gives for a column's distinct texts (or a sample).

    ``None`` or ``"auto"``: decided from the values (None when they are not dates). A date-only
    pattern (``DD/MM/YYYY``, ``MMM D, YYYY``) fixes the order of day and month and still finds
    times and offsets; a pattern with a time (``DD.MM.YYYY HH:mm``) or a strptime pattern is
    used exactly. ``SERIAL`` is handled by the caller.
    """
    if pattern in (None, "", "auto"):
        return decide_reading(values, need_all=False, today=today)
    if pattern == ISO:
        return DateReading((ISO,), (_UTC_WORD, _ISO_COMMA), order="YMD")
    fmt = pattern_to_strptime(pattern)
    has_time = any(code in fmt for code in ("%H", "%I", "%M", "%S", "%z"))
    order = _date_order(fmt)
    if not has_time and order in ("DMY", "MDY", "YMD"):
        found = decide_reading(values, order=order, need_all=False, today=today)
        if found is not None and _same_kind(found, fmt):
            return found
    end = None
    if "%y" in fmt:
        years = _years_of(values, fmt)
        end = _two_digit_end(years, today) if len(years) else None
    prepare = tuple(p for p in (_AM_PM, _UTC_WORD) if ("%p" in fmt) == (p is _AM_PM) or
                    ("%z" in fmt and p is _UTC_WORD))
    if "%z" in fmt:
        texts = as_texts(values)
        prepare += tuple(_zone_steps({z for z in ZONES if pc.any(pc.ends_with(texts, z)).as_py()}))
    return DateReading((fmt,), prepare, end, order or "")


def _same_kind(found: DateReading, fmt: str) -> bool:
    """A decided reading suits a date-only pattern when its formats share the pattern's
    numeric-or-named kind (``DD/MM/YYYY`` is not met by ``Jan 5, 2023`` values alone)."""
    named = "%b" in fmt or "%B" in fmt
    return any(("%b" in f or "%B" in f) == named or (f == ISO and not named) for f in found.formats)


def _years_of(values, fmt: str) -> np.ndarray:
    parsed = pd.to_datetime(pd.Series(as_texts(values).to_pylist(), dtype=object), format=fmt,
                            errors="coerce")
    return (parsed.dropna().dt.year % 100).to_numpy()


# -- reading ------------------------------------------------------------------------------------
def mostly_dates(dictionary: pa.Array, missing: np.ndarray, counts: np.ndarray,
                 n_filled: int) -> DateReading | None:
    """The reading of a column (its distinct texts ``dictionary``, how many cells hold each) when
    at least 99% of its filled cells are dates and at most five distinct texts are not ("TBD",
    "ASAP"): those become missing, with a note. None otherwise."""
    filled = dictionary.filter(pa.array(~missing))
    reading = decide_reading(filled, need_all=False)
    if reading is None:
        return None
    values, _bad = read_dates(dictionary, missing, reading)
    odd = np.isnat(values) & ~missing
    if odd.sum() <= 5 and counts[~odd & ~missing].sum() >= 0.99 * n_filled:
        return reading
    return None


def offsets_note(offsets: tuple[str, ...]) -> str:
    """"times converted to UTC from +0000" (or from -05:00 and -04:00); "" without offsets."""
    if not offsets:
        return ""
    if set(offsets) <= {"UTC", "GMT"}:
        return f"times are in {offsets[0]}"
    shown = list(offsets[:3])
    text = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
    if len(offsets) > 3:
        text = ", ".join(shown) + f" and {len(offsets) - 3} more"
    return f"times converted to UTC from {text}"


# -- preview ------------------------------------------------------------------------------------
def preview_dates(arr: pa.Array, missing: np.ndarray, pattern: str | None, *, rows: int = 8,
                  examples: int = 5, today: date | None = None) -> DatePreview:
    """How ``arr`` (one column's cell texts) reads as dates with ``pattern`` (None: automatic).

    Raises :class:`DateFormatError` for a pattern that cannot be used.
    """
    texts = as_texts(arr)
    filled = ~missing & np.asarray(pc.is_valid(texts).to_numpy(zero_copy_only=False), bool)
    distinct = pc.unique(texts.filter(pa.array(filled)))
    if pattern == SERIAL or pattern in NUMBER_FORMS:
        values, bad = serial_dates(texts, ~filled) if pattern == SERIAL else unix_dates(texts, ~filled, pattern)
        reading, shown = None, describe_format(pattern)
    else:
        reading = reading_for(pattern, distinct.slice(0, 20_000), today=today)
        if reading is None:
            values, bad = np.full(len(texts), np.datetime64("NaT", "ns")), int(filled.sum())
            shown = "no date form found"
        else:
            values, bad = read_dates(texts, ~filled, reading)
            shown = reading.pattern
    first = np.flatnonzero(filled)[:rows]
    rows_out = tuple((texts[int(i)].as_py(), None if np.isnat(values[i]) else pd.Timestamp(values[i]))
                     for i in first)
    not_read = filled & np.isnat(values)
    bad_texts = pc.unique(texts.filter(pa.array(not_read))).slice(0, examples).to_pylist() if bad else []
    ok = values[filled & ~np.isnat(values)]
    has_time = bool(len(ok) and (ok != ok.astype("datetime64[D]")).any())
    note = offsets_note(reading.offsets) if reading is not None else ""
    return DatePreview(rows_out, int(filled.sum()), bad, tuple(bad_texts), has_time, note, shown)

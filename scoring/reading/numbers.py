"""How a column writes its numbers, and reading them: decimal and thousands marks, currency,
percent and negatives, decided per column and converted in one vectorised pass.

Exports write numbers their own way: ``1,234.56`` (US, UK), ``1.234,56`` (Germany, Italy,
Spain), ``1 234,56`` with a space, a no-break space or a narrow no-break space (France),
``1'234.56`` (Switzerland), ``(1,234.56)`` or ``1,234.56-`` for a negative (accounting), a
currency before or after (``€ 1.234,56``, ``1.234,56 €``, ``CHF 1'234.50``) and percentages
(``12,5 %``, stored as the fraction 0.125).

``number_marks(values)`` looks at a column's distinct values (a sample) and says which readings
they allow (:class:`NumberMarks`); ``decide(marks, evidence)`` picks one (:class:`NumberReading`).
A value such as ``1.200`` fits both "1.2" and "1200": the other values of the column decide it
when they can (``1.234,56``, ``3,5`` or ``1.234.567``); else the file does (other columns
written with decimal commas or points, a ``;`` between fields as in European exports), and the
reading then always says so in the column's note. ``parse_numbers(texts, fmt)`` converts a whole
column with pyarrow kernels: no Python per cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["NumberFormat", "NumberMarks", "NumberReading", "NumberEvidence", "number_marks", "decide",
           "parse_numbers", "format_from_marks", "DECIMAL_MARKS", "THOUSANDS_MARKS", "currency_text",
           "DELIMITER_KEY", "NATIVE_NUMBERS_KEY", "preview_texts", "CURRENCY_PATTERN"]

#: Schema metadata key under which a text reader records the file's field separator (evidence).
DELIMITER_KEY = b"leadbench.delimiter"
#: Schema metadata key under which a spreadsheet reader lists (JSON) the columns it stored as
#: numbers: their texts always use a decimal point, whatever the rest of the file does.
NATIVE_NUMBERS_KEY = b"leadbench.native_numbers"

#: The decimal marks a user can choose, and what they are called.
DECIMAL_MARKS = {".": "point (1.5)", ",": "comma (1,5)"}
#: The thousands marks a user can choose ("" none; " " any space, no-break or narrow no-break
#: space; "'" a straight or typographic apostrophe).
THOUSANDS_MARKS = {"": "none (1234)", ",": "comma (1,234)", ".": "dot (1.234)",
                   " ": "space (1 234)", "'": "apostrophe (1'234)"}
_SPACES = " \u00a0\u202f\u2009"
_MARK_CLASS = {",": ",", ".": r"\.", " ": "[" + _SPACES + "]", "'": "['\u2019]", "": ""}
_CODES = ("EUR", "USD", "GBP", "CHF", "JPY", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN", "CZK",
          "HUF", "INR", "CNY", "ZAR", "BRL", "MXN", "SGD", "HKD")
_CANONICAL = {"EUR": "€", "USD": "$", "US$": "$", "GBP": "£", "JPY": "¥", "INR": "₹"}
_CURRENCY = r"(?:US\$|[$€£¥₹]|\b(?:" + "|".join(_CODES) + r")|\bkr\b\.?)"
#: A currency sign or code as the number reader knows them ("$", "€", "CHF", "US$", "kr").
CURRENCY_PATTERN = _CURRENCY
_CURRENCY_AROUND = r"[" + _SPACES + r"]*" + _CURRENCY + r"[" + _SPACES + r"]*"
_SIGN = "[+\\-\u2212]"
# a first look: could this be a number at all (digits, marks, signs, currency, %)?
_DIGITS = r"[\d.,'" + "\u2019" + _SPACES + "]"
_BROAD = (r"^[(\s]*" + _SIGN + r"?\s*" + _CURRENCY + r"?\s*\(?\s*" + _SIGN + "?" + _DIGITS + r"*\d" + _DIGITS
          + r"*(?:[eE][+-]?\d+)?\s*%?\s*" + _CURRENCY + r"?\s*[)\-" + "\u2212" + r"]?\s*$")
_HEAD = 64


@dataclass(frozen=True)
class NumberFormat:
    """How a column writes its numbers.

    Attributes
    ----------
    decimal : "." or ","
    thousands : "" (none), ",", ".", " " (any kind of space) or "'" (any apostrophe)
    currency : the column's currency sign ("€", "$", "£", "CHF"...), or None
    percent : the values are percentages (stored as fractions: "12,5 %" is 0.125)
    """

    decimal: str = "."
    thousands: str = ","
    currency: str | None = None
    percent: bool = False

    def __post_init__(self) -> None:
        if self.decimal not in DECIMAL_MARKS:
            raise ValueError(f"the decimal mark must be a point or a comma, not {self.decimal!r}")
        if self.thousands not in THOUSANDS_MARKS or self.thousands == self.decimal:
            raise ValueError(f"{self.thousands!r} cannot separate thousands when {self.decimal!r} "
                             "is the decimal mark")

    @property
    def marks_text(self) -> str:
        """"decimal comma, thousands “.”" – how the marks are read, in words."""
        thousands = {"": "no thousands mark", " ": "thousands “ ” (space)"}.get(
            self.thousands, f"thousands “{self.thousands}”")
        return f"decimal {'comma' if self.decimal == ',' else 'point'}, {thousands}"

    def describe(self) -> str:
        """The marks, then the currency or percent: "decimal comma, thousands “.” · in €"."""
        extra = [f"in {self.currency}"] if self.currency else []
        extra += ["percent"] if self.percent else []
        return " · ".join([self.marks_text, *extra])


def format_from_marks(decimal: str | None, thousands: str | None,
                      detected: NumberFormat | None = None) -> NumberFormat:
    """The format a user set (either mark may be None: keep the detected one, or the usual one
    for the other mark), keeping the detected currency and percent."""
    base = detected or NumberFormat()
    dec = decimal or base.decimal
    if thousands is None:
        thousands = base.thousands if base.thousands != dec else ("." if dec == "," else ",")
    return replace(base, decimal=dec, thousands=thousands)


def currency_text(value: float, fmt: NumberFormat | None, decimals: int | None = None) -> str:
    """A number as a person reads it here: "€ 1,234.56", "12.5%", "1,200", "0.0075"
    (``decimals``: exactly that many; None: as many as the value needs, two for amounts)."""
    value = float(value)
    percent = fmt is not None and fmt.percent
    shown = value * 100 if percent else value
    if decimals is None:
        text = f"{shown:,.10f}".rstrip("0").rstrip(".")
        if fmt is not None and fmt.currency and "." in text and len(text.split(".")[1]) == 1:
            text += "0"
    else:
        text = f"{shown:,.{decimals}f}"
    if text in ("-0", "-0.00"):
        text = text[1:]
    if percent:
        return text + "%"
    if fmt is not None and fmt.currency:
        return f"-{fmt.currency} {text[1:]}" if text.startswith("-") else f"{fmt.currency} {text}"
    return text


@dataclass(frozen=True)
class NumberEvidence:
    """What the whole file says about its numbers.

    Attributes
    ----------
    delimiter : the text file's field separator (None for spreadsheets)
    decimal_comma, decimal_point : (column, example) of columns whose values can only be read
        with a decimal comma ("1.234,56", "3,5") or a decimal point ("1,234.56", "3.5")
    native : the column at hand holds numbers a spreadsheet stored as numbers (written here
        with a decimal point): no doubt, and nothing to say about the rest of the file
    """

    delimiter: str | None = None
    decimal_comma: tuple[tuple[str, str], ...] = ()
    decimal_point: tuple[tuple[str, str], ...] = ()
    native: bool = False

    def with_vote(self, column: str, marks: "NumberMarks") -> "NumberEvidence":
        """This evidence plus what ``marks`` (a column read without doubt) shows."""
        if marks.fraction_example is None or len(marks.decimals) != 1:
            return self
        vote = ((column, marks.fraction_example),)
        if marks.decimals[0] == ",":
            return replace(self, decimal_comma=self.decimal_comma + vote)
        return replace(self, decimal_point=self.decimal_point + vote)


@dataclass(frozen=True)
class NumberMarks:
    """What a column's values allow.

    Attributes
    ----------
    decimals : the decimal marks every value fits ("." and/or ","); both when every mark in
        the column is a single "." or "," followed by three digits ("1.200", "250.000")
    thousands : per decimal mark in ``decimals``, the thousands mark to read with
    currencies : the currency signs found (canonical: "EUR" is "€")
    percent : some value ends in "%"
    ambiguous : a value that could be read either way ("1.200"), when ``decimals`` has both
    fraction_example : a value that shows the decimal mark ("3,5", "1.234,56"), if any
    grouped_small : every value without a mark has at most three digits before its decimals
        (how a file that groups thousands writes them), and some value has no mark
    """

    decimals: tuple[str, ...]
    thousands: tuple[str, ...]
    currencies: tuple[str, ...] = ()
    percent: bool = False
    ambiguous: str | None = None
    fraction_example: str | None = None
    grouped_small: bool = False

    def format_for(self, decimal: str) -> NumberFormat:
        thousands = self.thousands[self.decimals.index(decimal)] if decimal in self.decimals else (
            "." if decimal == "," else ",")
        return NumberFormat(decimal, thousands, self.currencies[0] if len(self.currencies) == 1 else None,
                            self.percent)


@dataclass(frozen=True)
class NumberReading:
    """The reading chosen for a column: its format (None: not numbers, e.g. mixed currencies),
    whether it holds whole numbers only, and a note for the user ("" when nothing to say)."""

    format: NumberFormat | None
    integer: bool = False
    note: str = ""
    marks: NumberMarks | None = None


# -- taking values apart ------------------------------------------------------------------------
def _strip(values: pa.Array) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """The bare number texts (no currency, %, sign, parentheses), and where a value was
    negative or a percentage."""
    text = pc.utf8_trim_whitespace(values)
    percent = pc.match_substring(text, "%")
    text = pc.replace_substring_regex(text, r"\s*%\s*", "")
    text = pc.utf8_trim_whitespace(pc.replace_substring_regex(text, _CURRENCY_AROUND, ""))
    paren = pc.match_substring_regex(text, r"^\(.*\)$")
    text = pc.if_else(paren, pc.utf8_trim_whitespace(pc.utf8_slice_codeunits(text, 1, -1)), text)
    trailing = pc.match_substring_regex(text, ".[\\-\u2212]$")
    text = pc.if_else(trailing, pc.utf8_trim_whitespace(pc.utf8_slice_codeunits(text, 0, -1)), text)
    leading = pc.match_substring_regex(text, "^" + _SIGN)
    text = pc.utf8_trim_whitespace(pc.replace_substring_regex(text, "^" + _SIGN + r"\s*", ""))
    negative = pc.or_(pc.or_(paren, trailing), leading)
    return text, _np(negative), _np(percent)


def _np(mask) -> np.ndarray:
    return np.asarray(pc.fill_null(mask, False).to_numpy(zero_copy_only=False), bool)


def _pattern(decimal: str, thousands: str) -> str:
    dec = re.escape(decimal)
    exponent = r"(?:[eE][+-]?\d+)?" if decimal == "." else ""
    plain = rf"\d+(?:{dec}\d*)?{exponent}|{dec}\d+{exponent}"
    if not thousands:
        return f"^(?:{plain})$"
    mark = _MARK_CLASS[thousands]
    return rf"^(?:[1-9]\d{{0,2}}(?:{mark}\d{{3}})+(?:{dec}\d+)?|{plain})$"


def _fits(bare: pa.Array, decimal: str, thousands: str) -> np.ndarray:
    return _np(pc.match_substring_regex(bare, _pattern(decimal, thousands)))


def _currencies(values: pa.Array) -> tuple[str, ...]:
    found = pc.extract_regex(values, "(?P<c>" + _CURRENCY + ")")
    signs = pc.unique(pc.struct_field(found.filter(pc.is_valid(found)), [0])).to_pylist()
    return tuple(sorted({_CANONICAL.get(s.rstrip("."), s.rstrip(".")) for s in signs}))


def number_marks(values: pa.Array, counts: np.ndarray | None = None,
                 lenient: bool = False) -> NumberMarks | None:
    """The readings a column's distinct values allow, or None when they are not numbers.

    ``values``: distinct, trimmed, non-missing cell texts (a sample of them for big columns).
    ``lenient``: allow up to five distinct values that are not numbers if they fill at most 1%
    of the cells (``counts``: cells per value).
    """
    n = len(values)
    if n == 0:
        return None
    head = pc.match_substring_regex(values.slice(0, _HEAD), _BROAD)   # words fail here, at once
    if len(head) - pc.sum(head.cast(pa.int64())).as_py() > (5 if lenient else 0):
        return None
    broad = _np(pc.match_substring_regex(values, _BROAD))
    if not _enough(broad, counts, lenient):
        return None
    bare, _negative, percent = _strip(values)
    has = {mark: _np(pc.match_substring_regex(bare, _MARK_CLASS[mark])) for mark in (",", ".", " ", "'")}
    decimals, thousands = [], []
    for decimal in (".", ","):
        other = "." if decimal == "," else ","
        for mark in (other, " ", "'"):
            if mark != other and not has[mark].any():
                continue
            if _enough(_fits(bare, decimal, mark) & broad, counts, lenient):
                decimals.append(decimal)
                thousands.append(mark)
                break
    if not decimals:
        return None
    currencies = _currencies(values.filter(pa.array(broad)))
    ambiguous = fraction = None
    if len(decimals) == 2 and (has["."].any() or has[","].any()):
        ambiguous = _first(values, (has["."] | has[","]) & broad)
    elif len(decimals) == 1 and has[decimals[0]].any():
        fraction = _first(values, has[decimals[0]] & broad)
    unmarked = broad & ~has[","] & ~has["."] & ~has[" "] & ~has["'"]
    short = _np(pc.less_equal(pc.utf8_length(bare), 3))
    grouped_small = bool(unmarked.any() and (short | ~unmarked).all())
    if set(thousands) == {" "} and fraction is None and not (currencies or percent.any() or grouped_small):
        lengths = np.unique(pc.utf8_length(bare).to_numpy(zero_copy_only=False))
        if len(lengths) == 1 and lengths[0] >= 11:
            return None       # "612 345 678" in every row: phone numbers or codes, not amounts
    return NumberMarks(tuple(decimals), tuple(thousands), currencies, bool((percent & broad).any()),
                       ambiguous, fraction, grouped_small)


def _enough(fits: np.ndarray, counts: np.ndarray | None, lenient: bool) -> bool:
    if fits.all():
        return True
    if not lenient or (~fits).sum() > 5:
        return False
    weights = np.ones(len(fits)) if counts is None else counts
    return weights[fits].sum() >= 0.99 * weights.sum()


def _first(values: pa.Array, mask: np.ndarray) -> str | None:
    where = np.flatnonzero(mask)
    return values[int(where[0])].as_py() if len(where) else None


# -- deciding -------------------------------------------------------------------------------------
def decide(marks: NumberMarks, evidence: NumberEvidence | None = None) -> NumberReading:
    """The reading of a column whose values allow ``marks``, the file's ``evidence`` settling
    a mark that the column alone leaves open (and the note then says what decided it)."""
    evidence = evidence or NumberEvidence()
    if len(marks.currencies) > 1:
        shown = ", ".join(marks.currencies)
        return NumberReading(None, note=f"it holds amounts in more than one currency ({shown}), so it is "
                             "read as text; put each currency in its own column to score on the amounts",
                             marks=marks)
    integer = not marks.percent
    if len(marks.decimals) == 1:
        return NumberReading(marks.format_for(marks.decimals[0]),
                             integer and marks.fraction_example is None, marks=marks)
    decimal, reason = _file_decimal(evidence)
    if evidence.native:                  # "1.125" from a number cell: a decimal point
        return NumberReading(marks.format_for("."), False, marks=marks)
    if marks.ambiguous is None:          # no "." or "," anywhere: the file's decimal mark
        return NumberReading(marks.format_for(decimal or "."), integer, marks=marks)
    example = marks.ambiguous
    mark = "." if "." in example else ","
    if decimal is None:
        if marks.grouped_small:
            decimal = "," if mark == "." else "."
            reason = (f"every “{mark}” is followed by three digits and numbers below 1,000 have none, "
                      f"as when “{mark}” separates thousands")
        else:
            decimal = "."
            reason = "nothing else in the file shows which mark it uses for decimals"
    fmt = marks.format_for(decimal)
    as_thousands = mark != decimal
    # the usual reading of "1,200" (1200) in a file that writes decimal points says nothing new
    quiet = (mark == "," and as_thousands and not evidence.decimal_comma and evidence.delimiter != ";"
             and bool(evidence.decimal_point or evidence.delimiter == ","))
    value = _shown(parse_numbers(pa.array([example]), fmt)[0][0])
    note = "" if quiet else f"read “{example}” as {value}: {reason}" + (
        "" if as_thousands else f"; if “{mark}” separates thousands, set the marks under Number format")
    return NumberReading(fmt, integer and as_thousands, note, marks)


def _file_decimal(evidence: NumberEvidence) -> tuple[str | None, str]:
    """The decimal mark the rest of the file uses, and why we think so."""
    if evidence.decimal_comma and not evidence.decimal_point:
        column, example = evidence.decimal_comma[0]
        return ",", f"this file writes decimal commas (“{example}” in {column})"
    if evidence.decimal_point and not evidence.decimal_comma:
        column, example = evidence.decimal_point[0]
        return ".", f"this file writes decimal points (“{example}” in {column})"
    if evidence.delimiter == ";":
        return ",", "its fields are separated by “;”, as in exports that write decimal commas"
    if evidence.delimiter == ",":
        return ".", "its fields are separated by commas, so its decimals are written with points"
    return None, ""


def _shown(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:g}"


# -- converting -----------------------------------------------------------------------------------
def parse_numbers(texts: pa.Array | pa.ChunkedArray, fmt: NumberFormat,
                  missing: np.ndarray | None = None) -> tuple[np.ndarray, int]:
    """Floats for ``texts`` read with ``fmt`` (NaN for missing cells and for texts that are not
    numbers in that format), and how many of the latter there were.

    Currency signs and codes, a percent sign (the value is divided by 100), a leading or
    trailing minus and accounting parentheses are understood in every format.
    """
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks() if texts.num_chunks != 1 else texts.chunk(0)
    if missing is not None and missing.any():
        texts = pc.if_else(pa.array(missing), pa.scalar(None, pa.string()), texts)
    bare, negative, percent = _strip(texts)
    ok = pc.match_substring_regex(bare, _pattern(fmt.decimal, fmt.thousands))
    digits = bare
    if fmt.thousands:
        digits = pc.replace_substring_regex(digits, _MARK_CLASS[fmt.thousands], "")
    if fmt.decimal == ",":
        digits = pc.replace_substring(digits, ",", ".")
    digits = pc.if_else(ok, digits, pa.scalar(None, pa.string()))
    out = pc.cast(digits, pa.float64()).to_numpy(zero_copy_only=False).astype(float)
    out = np.where(negative, -out, out)
    out = np.where(percent, out / 100.0, out)
    filled = _np(pc.is_valid(texts))
    bad = int(np.count_nonzero(np.isnan(out) & filled))
    return out, bad


def preview_texts(texts: pa.Array | pa.ChunkedArray, limit: int = 12, scan: int = 200_000) -> list[str]:
    """Up to ``limit`` distinct cell texts of a column (among its first ``scan`` cells) to preview
    a number format on: values with digits, those that show a mark ("1.200", "1 234,5") first."""
    if pa.types.is_dictionary(texts.type):
        texts = texts.cast(pa.string())
    distinct = pc.unique(pc.utf8_trim_whitespace(texts.slice(0, scan)))
    if isinstance(distinct, pa.ChunkedArray):
        distinct = distinct.combine_chunks()
    distinct = distinct.filter(pc.fill_null(pc.match_substring_regex(distinct, r"\d"), False))
    marked = _np(pc.match_substring_regex(distinct, "[.,'\u2019" + _SPACES + "]"))
    order = np.concatenate([np.flatnonzero(marked), np.flatnonzero(~marked)])[:limit]
    return distinct.take(pa.array(order, pa.int64())).to_pylist()

"""How each SQL dialect spells what the model-as-SQL translator needs (see ``scoring.sql.generator``).

One small class per dialect: identifier quoting, string, date and timestamp literals, text
functions (trim, fold case, contains, starts/ends with, regular expressions, the email address
checks of ``scoring.emails``), the smaller of two
numbers, powers and ages in days. Every piece of user text reaches SQL through ``ident`` or
``text``, never pasted in.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from scoring.column_types import ColumnType
from scoring.emails import EMAIL_PATTERN, EMAIL_SPACES

__all__ = ["Dialect", "DIALECTS", "WHITESPACE"]

#: The characters trimmed from both ends of a text cell before comparing: ASCII white space and
#: the no-break space that copy-paste from web pages leaves.
WHITESPACE = " \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\xa0"
_ASCII_UPPER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}
_BARE = re.compile(r"[a-z_][a-z0-9_]*\Z")
_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_RESERVED = frozenset("ALL AND AS BY CASE CAST CREATE DEFAULT DESC END FROM GROUP HAVING IN INTO IS "
                      "JOIN LIMIT NOT NULL OR ORDER SELECT TABLE TO UNION USER WHERE WINDOW WITH"
                      .split())
_NAMED_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r", "\f": "\\f"}


class Dialect:
    """ANSI-style spelling (double-quoted identifiers, standard strings); subclasses differ."""

    key = "ansi"
    label = "SQL"
    regex_flavour: str | None = None     # "re2", "postgres", "snowflake", "java"; None: no regex
    column_kinds: dict[str, str] = {}    # column type -> how the header names its SQL type

    # -- names and literals -----------------------------------------------------------------
    def ident(self, name: str) -> str:
        """``name`` quoted as one identifier (quotes inside doubled)."""
        return '"' + name.replace('"', '""') + '"'

    def output_name(self, name: str) -> str:
        """An output column's name: bare when it is a plain lower-case word, else quoted."""
        return name if _BARE.match(name) else self.ident(name)

    def table(self, name: str) -> str:
        """A table name as typed (``analytics.leads``): each dot-separated part bare when it is a
        plain name, so the database's own case rules apply, else quoted."""
        return ".".join(part if _PLAIN.match(part) and part.upper() not in _RESERVED
                        else self.ident(part) for part in name.split("."))

    def text(self, value: str) -> str:
        """A string literal holding ``value`` exactly."""
        return "'" + value.replace("'", "''") + "'"

    def date(self, day: date) -> str:
        return f"DATE '{day.isoformat()}'"

    def timestamp(self, moment: datetime) -> str:
        return f"TIMESTAMP '{_iso(moment)}'"

    def boolean(self, value: bool) -> str:
        return "TRUE" if value else "FALSE"

    # -- text -------------------------------------------------------------------------------
    def fold(self, value: str) -> str:
        """``value`` with its case folded as this dialect's LOWER() folds it."""
        return value.lower()

    def whitespace(self) -> str:
        raise NotImplementedError

    def normalised(self, expr: str) -> str:
        """The text in ``expr`` trimmed and lower-cased, as conditions compare it."""
        return f"LOWER(TRIM({expr}, {self.whitespace()}))"

    def contains(self, expr: str, needle: str) -> str:
        return f"STRPOS({expr}, {self.text(needle)}) > 0"

    def starts_with(self, expr: str, prefix: str) -> str:
        return f"SUBSTR({expr}, 1, {len(prefix)}) = {self.text(prefix)}"

    def ends_with(self, expr: str, suffix: str) -> str:
        return f"RIGHT({expr}, {len(suffix)}) = {self.text(suffix)}"

    def regex(self, expr: str, pattern: str) -> str:
        raise NotImplementedError

    def email_valid(self, expr: str) -> str:
        """TRUE when the normalised text in ``expr`` is a valid address (``scoring.emails``)."""
        raise NotImplementedError

    def domain_of(self, expr: str) -> str:
        """The text after the first "@" (the domain, for valid addresses)."""
        return f"SUBSTR({expr}, STRPOS({expr}, '@') + 1)"

    # -- numbers and dates ------------------------------------------------------------------
    least_name = "LEAST"       # the smaller of two numbers

    def power(self, base: str, exponent: str) -> str:
        return f"POWER({base}, {exponent})"

    def day_of(self, expr: str, ctype: ColumnType) -> str:
        """The calendar day of a date or date-time column."""
        return expr if ctype == ColumnType.DATE else f"CAST({expr} AS DATE)"

    def moment_of(self, expr: str, ctype: ColumnType) -> str:
        """A date-time column as compared with ``timestamp`` literals."""
        return expr

    def age_days(self, expr: str, ctype: ColumnType, as_of: date) -> str:
        """Days from the column's value to ``as_of`` midnight (fractional for date-times)."""
        raise NotImplementedError


class DuckDB(Dialect):
    key, label, regex_flavour = "duckdb", "DuckDB", "re2"

    def whitespace(self) -> str:
        return r"E' \t\n\x0B\f\r\x1C\x1D\x1E\x1F\xC2\xA0'"      # \xC2\xA0: the no-break space

    def contains(self, expr, needle):
        return f"contains({expr}, {self.text(needle)})"

    def regex(self, expr, pattern):
        return f"regexp_matches({expr}, {self.text(pattern)}, 'i')"

    def email_valid(self, expr):
        return f"regexp_matches({expr}, {self.text(EMAIL_PATTERN)})"

    def age_days(self, expr, ctype, as_of):
        if ctype == ColumnType.DATE:
            return f"date_diff('day', {expr}, {self.date(as_of)})"
        return f"date_diff('microsecond', {expr}, {self.timestamp(_midnight(as_of))}) / 86400000000.0"


class SQLite(Dialect):
    """SQLite 3.35 or newer (math functions); dates are ISO-8601 texts, yes/no are 1/0."""

    key, label = "sqlite", "SQLite"
    column_kinds = {"boolean": "yes/no (1/0)", "date": "dates (ISO texts: YYYY-MM-DD)",
                    "datetime": "date-times (ISO texts: YYYY-MM-DD HH:MM:SS)"}

    def fold(self, value):
        return value.translate(_ASCII_UPPER)       # SQLite's lower() folds A-Z only

    def whitespace(self):
        return "char(" + ", ".join(str(ord(c)) for c in WHITESPACE) + ")"

    def contains(self, expr, needle):
        return f"instr({expr}, {self.text(needle)}) > 0"

    def ends_with(self, expr, suffix):
        return f"substr({expr}, -{len(suffix)}) = {self.text(suffix)}"

    def email_valid(self, expr):
        """EMAIL_PATTERN without regular expressions: GLOB patterns, and the top-level domain
        (after the last dot) cut with rtrim."""
        tld = f"substr({expr}, length(rtrim({expr}, replace({expr}, '.', ''))) + 1)"
        spaces = self.text("*[" + EMAIL_SPACES + "]*")
        return (f"({expr} GLOB '?*@?*.?*' AND NOT {expr} GLOB '*@*@*' AND NOT {expr} GLOB {spaces}"
                f" AND NOT {expr} GLOB '*@.*' AND NOT {expr} GLOB '*@*..*'"
                f" AND length({tld}) >= 2 AND NOT {tld} GLOB '*[^a-z]*')")

    def domain_of(self, expr):
        return f"substr({expr}, instr({expr}, '@') + 1)"

    def date(self, day):
        return self.text(day.isoformat())

    def timestamp(self, moment):
        return f"julianday({self.text(_iso(moment))})"

    def boolean(self, value):
        return "1" if value else "0"

    least_name = "MIN"

    def day_of(self, expr, ctype):
        return f"date({expr})"

    def moment_of(self, expr, ctype):
        return f"julianday({expr})"

    def age_days(self, expr, ctype, as_of):
        return f"(julianday({self.text(as_of.isoformat())}) - julianday({expr}))"


class Postgres(Dialect):
    key, label, regex_flavour = "postgres", "PostgreSQL", "postgres"

    def whitespace(self):
        return r"E' \t\n\x0B\f\r\x1C\x1D\x1E\x1F\u00A0'"

    def normalised(self, expr):
        return f"LOWER(BTRIM({expr}, {self.whitespace()}))"

    def regex(self, expr, pattern):
        return f"{expr} ~* {self.text(pattern)}"

    def email_valid(self, expr):
        return f"{expr} ~ {self.text(EMAIL_PATTERN)}"

    def age_days(self, expr, ctype, as_of):
        if ctype == ColumnType.DATE:
            return f"({self.date(as_of)} - {expr})"
        return f"EXTRACT(EPOCH FROM ({self.timestamp(_midnight(as_of))} - {expr})) / 86400.0"


class BigQuery(Dialect):
    """GoogleSQL: back-quoted names, backslash escapes; date-times are DATETIME columns."""

    key, label, regex_flavour = "bigquery", "BigQuery", "re2"
    column_kinds = {"datetime": "date-times (DATETIME)"}

    def ident(self, name):
        return "`" + _backslashed(name, "`") + "`"

    def text(self, value):
        return "'" + _backslashed(value, "'") + "'"

    def timestamp(self, moment):
        return f"DATETIME '{_iso(moment)}'"

    def whitespace(self):
        return self.text(WHITESPACE)

    def starts_with(self, expr, prefix):
        return f"STARTS_WITH({expr}, {self.text(prefix)})"

    def ends_with(self, expr, suffix):
        return f"ENDS_WITH({expr}, {self.text(suffix)})"

    def regex(self, expr, pattern):
        return f"REGEXP_CONTAINS({expr}, {self.text('(?i)' + pattern)})"

    def email_valid(self, expr):
        return f"REGEXP_CONTAINS({expr}, {self.text(EMAIL_PATTERN)})"

    def age_days(self, expr, ctype, as_of):
        if ctype == ColumnType.DATE:
            return f"DATE_DIFF({self.date(as_of)}, {expr}, DAY)"
        return (f"DATETIME_DIFF({self.timestamp(_midnight(as_of))}, {expr}, MICROSECOND)"
                " / 86400000000.0")


class Snowflake(Dialect):
    """Snowflake: backslash escapes in strings; date-times are TIMESTAMP_NTZ columns."""

    key, label, regex_flavour = "snowflake", "Snowflake", "snowflake"
    column_kinds = {"datetime": "date-times (TIMESTAMP_NTZ)"}

    def text(self, value):
        return "'" + _backslashed(value, "'") + "'"

    def timestamp(self, moment):
        return f"CAST('{_iso(moment)}' AS TIMESTAMP_NTZ)"

    def whitespace(self):
        return self.text(WHITESPACE)

    def contains(self, expr, needle):
        return f"CONTAINS({expr}, {self.text(needle)})"

    def regex(self, expr, pattern):
        return f"REGEXP_INSTR({expr}, {self.text(pattern)}, 1, 1, 0, 'i') > 0"

    def email_valid(self, expr):
        return f"REGEXP_LIKE({expr}, {self.text(EMAIL_PATTERN)})"

    def domain_of(self, expr):
        return f"SUBSTR({expr}, POSITION('@', {expr}) + 1)"

    def age_days(self, expr, ctype, as_of):
        if ctype == ColumnType.DATE:
            return f"DATEDIFF(day, {expr}, {self.date(as_of)})"
        return (f"DATEDIFF(microsecond, {expr}, {self.timestamp(_midnight(as_of))})"
                " / 86400000000.0")


class Spark(Dialect):
    """Spark SQL 3.4+: back-quoted names, backslash escapes, Java regular expressions;
    date-times are TIMESTAMP_NTZ columns."""

    key, label, regex_flavour = "spark", "Spark SQL", "java"
    column_kinds = {"datetime": "date-times (TIMESTAMP_NTZ)"}

    def ident(self, name):
        return "`" + name.replace("`", "``") + "`"

    def text(self, value):
        out = []
        for ch in value:          # Spark reads \uXXXX but not \xhh or \f
            if ch in ("\\", "'"):
                out.append("\\" + ch)
            elif ord(ch) < 32 or ch in "\x7f\x85\xa0\u2028\u2029":
                out.append(f"\\u{ord(ch):04x}")
            else:
                out.append(ch)
        return "'" + "".join(out) + "'"

    def timestamp(self, moment):
        return f"TIMESTAMP_NTZ '{_iso(moment)}'"

    def whitespace(self):
        return self.text(WHITESPACE)

    def normalised(self, expr):
        return f"LOWER(TRIM(BOTH {self.whitespace()} FROM {expr}))"

    def contains(self, expr, needle):
        return f"INSTR({expr}, {self.text(needle)}) > 0"

    def regex(self, expr, pattern):
        return f"{expr} RLIKE {self.text('(?i)' + pattern)}"

    def email_valid(self, expr):
        return f"{expr} RLIKE {self.text(EMAIL_PATTERN)}"

    def domain_of(self, expr):
        return f"SUBSTR({expr}, INSTR({expr}, '@') + 1)"

    def age_days(self, expr, ctype, as_of):
        if ctype == ColumnType.DATE:
            return f"DATEDIFF({self.date(as_of)}, {expr})"
        return (f"TIMESTAMPDIFF(MICROSECOND, {expr}, {self.timestamp(_midnight(as_of))})"
                " / 86400000000.0")


def _backslashed(value: str, quote: str) -> str:
    """Backslash escapes for dialects that read them: the quote, backslash and control
    characters (as \\xhh or \\uhhhh), so a literal never spans lines."""
    out = []
    for ch in value:
        if ch in ("\\", quote):
            out.append("\\" + ch)
        elif ch in _NAMED_ESCAPES:
            out.append(_NAMED_ESCAPES[ch])
        elif ord(ch) < 32 or ch in "\x7f\x85\xa0\u2028\u2029":
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 128 else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def _iso(moment: datetime) -> str:
    return moment.isoformat(sep=" ", timespec="microseconds" if moment.microsecond else "seconds")


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


DIALECTS: dict[str, Dialect] = {d.key: d for d in (DuckDB(), SQLite(), Postgres(), BigQuery(),
                                                  Snowflake(), Spark())}

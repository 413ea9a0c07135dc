"""The scoring model as one SQL SELECT, for lists that live in a warehouse.

``model_to_sql(model)`` writes a query that returns every column of the lead table plus ``fit``,
``engagement`` (and any other score group), ``score`` and ``mql`` for every row, with the engine's
semantics (``scoring.evaluate.engine``, ``scoring.model.operators``): every operator, compound all/any/not,
enabled flags, group caps, require/disqualify gates, decay, the 1e-9 threshold tolerance, missing
values matching only "is empty", text compared ignoring case and outer white space, and
"within N days" counted back from ``as_of``.

What the query assumes about the table (written into its leading comment too):

- the columns keep the lead list's names (quoted exactly, case included);
- text, category and email columns hold the cell texts (VARCHAR/STRING); a cell that is NULL or,
  trimmed and lower-cased, one of the missing-value markers (Leadbench's defaults such as ``n/a``
  plus the model's, e.g. ``Select``) counts as missing;
- number columns are numeric, yes/no columns BOOLEAN (1/0 in SQLite), date columns DATE and
  date-time columns TIMESTAMP without time zone (BigQuery DATETIME, Snowflake and Spark
  TIMESTAMP_NTZ; SQLite ISO-8601 texts); missing values in them are NULL.

Column types come from ``types`` (a lead list's, as the window types it), else the model's column
settings, else how the rules use the column (``contains`` means text, ``is_true`` yes/no, a number
value a number, ``within_days`` or a date value a date); columns only tested with "is empty" are
taken as text. Case folding is the database's LOWER(): like Leadbench's for most text, but SQLite
folds only A-Z, and no database folds "ß" to "ss". Regular expressions run in the database's own
engine; patterns it cannot read, and SQLite (which has none), raise ``SqlError``. "Is a
free-mail address" and "is a business address" check the address shape with a regular
expression (in SQLite with GLOB patterns) and the domain after the "@" against the free-mail list
(``domain IN (...)``), in every dialect.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta

import pyarrow as pa
import pyarrow.compute as pc

from scoring.column_types import DEFAULT_MISSING_MARKERS, ColumnType as T
from scoring.emails import FREE_MAIL_DOMAINS, business_folded, free_mail_folded
from scoring.errors import LeadbenchError, ModelError
from scoring.evaluate.result import TOLERANCE
from scoring.model.definition import Condition, Model, Predicate, Rule
from scoring.model.model_file import check_condition, predicate_conditions
from scoring.model.operators import OPERATORS, parse_date_value
from scoring.sql.dialects import DIALECTS, Dialect

__all__ = ["SqlError", "model_to_sql", "sql_column_types", "DIALECT_NAMES"]

DIALECT_NAMES: tuple[str, ...] = tuple(DIALECTS)
_TEXT_ONLY = frozenset({"contains", "not_contains", "contains_any", "starts_with", "ends_with",
                        "matches", "is_free_mail", "not_free_mail"})
_DATE_ONLY = frozenset({"within_days", "older_than_days", "before", "after"})
_COMPARE = {"eq": "=", "ne": "<>", "gt": ">", "gte": ">=", "lt": "<", "lte": "<=", "before": "<",
            "after": ">"}
_EPOCH = date(1970, 1, 1)


class SqlError(LeadbenchError):
    """A model (or one rule's operator) that cannot be written in the chosen SQL dialect.

    Parameters
    ----------
    problem : what cannot be done, and what to do instead
    rule, op : the rule and operator key at fault, named in the message when given
    """

    def __init__(self, problem: str, rule: str | None = None, op: str | None = None) -> None:
        self.problem, self.rule, self.op = problem, rule, op
        where = f'Rule "{rule}"' if rule is not None else ""
        if op is not None:
            label = OPERATORS[op].label if op in OPERATORS else op
            where += (", " if where else "") + f"operator '{label}' ({op})"
        super().__init__(f"{where}: {problem}" if where else problem)


def sql_column_types(model: Model, types=None) -> tuple[dict[str, T], list[str]]:
    """The type the SQL takes for every column the model's enabled rules read, and the columns
    whose type was guessed from how the rules use them (neither in ``types`` nor in the model's
    column settings).

    Parameters
    ----------
    model : the model
    types : optional mapping column -> ColumnType (a lead list's ``types``); when given, every
        column must be in it
    """
    out: dict[str, T] = {}
    guessed: list[str] = []
    evidence: dict[str, T | None] = {}
    for rule in model.rules:
        if not rule.enabled:
            continue
        for cond in predicate_conditions(rule.when):
            evidence.setdefault(cond.column, None)
            if evidence[cond.column] is None:
                evidence[cond.column] = _type_from_use(cond)
        if rule.decay is not None and evidence.get(rule.decay.date_column) is None:
            evidence[rule.decay.date_column] = T.DATE
    for column, guess in evidence.items():
        if types is not None:
            if column in types:
                out[column] = T(types[column])
            continue          # check_condition names the missing column and the rule
        setting = model.column_settings(column).type
        if setting:
            out[column] = T(setting)
        else:
            out[column] = guess or T.TEXT
            guessed.append(column)
    return out, guessed


def _type_from_use(cond: Condition) -> T | None:
    op, value = cond.op, cond.value
    if op in _TEXT_ONLY:
        return T.TEXT
    if op in ("is_true", "is_false"):
        return T.BOOLEAN
    if op in _DATE_ONLY:
        return T.DATE
    values = value if isinstance(value, tuple) else (value,)
    if op in ("gt", "gte", "lt", "lte", "between"):
        if all(_is_number(v) for v in values):
            return T.NUMBER
        return T.DATE if all(_is_date(v) for v in values) else None
    if op in ("eq", "ne"):
        if isinstance(value, bool):
            return T.BOOLEAN
        return T.NUMBER if _is_number(value) else T.TEXT
    if op in ("in", "not_in"):
        return T.NUMBER if values and all(_is_number(v) and not isinstance(v, str)
                                          for v in values) else T.TEXT
    return None


def _is_number(value) -> bool:
    if isinstance(value, bool):
        return False
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _is_date(value) -> bool:
    try:
        parse_date_value(value)
    except (TypeError, ValueError):
        return False
    return True


def model_to_sql(model: Model, *, table: str = "leads", dialect: str = "duckdb",
                 as_of: date | None = None, types=None, missing_values=(), from_sql: str | None = None) -> str:
    """The model as one SELECT over ``table`` (see the module docstring for what it assumes).

    Parameters
    ----------
    model : the scoring model
    table : the warehouse table (``schema.table`` parts are quoted one by one)
    dialect : one of ``DIALECT_NAMES``: duckdb, sqlite, postgres, bigquery, snowflake, spark
    as_of : the day "within N days", "more than N days ago" and decay count from (default today)
    types : optional column -> ColumnType of the lead list the model was built on
    missing_values : extra missing-value markers, beyond the defaults and the model's
    from_sql : a parenthesised SELECT scored instead of ``table`` (the model's sources joined to
        it: ``scoring.sql.recipe_sql.recipe_from``)

    Returns
    -------
    str
        A comment block, then the SELECT (no trailing semicolon, so it can be wrapped in a view).

    Raises
    ------
    SqlError
        An operator the dialect cannot express (names the rule and operator), an unknown dialect,
        or an output name that clashes with a column the rules read.
    ModelError
        A rule that could not run on such a table either (wrong operator for the column's type,
        bad value, column missing from ``types``).
    """
    if dialect not in DIALECTS:
        raise SqlError(f"unknown SQL dialect '{dialect}' (use {', '.join(DIALECT_NAMES)})")
    if not table.strip():
        raise SqlError("the table name is empty")
    writer = _Writer(model, DIALECTS[dialect], as_of or date.today(), types, missing_values)
    writer.from_sql = from_sql
    return writer.query(table)


class _Writer:
    """Writes one model in one dialect."""

    def __init__(self, model: Model, dialect: Dialect, as_of: date, types, extra_missing) -> None:
        self.model, self.d, self.as_of = model, dialect, as_of
        self.types, self.guessed = sql_column_types(model, types)
        markers = {m.strip().casefold() for m in (*DEFAULT_MISSING_MARKERS, *model.missing_values,
                                                  *extra_missing)}
        self.markers = sorted({dialect.fold(m) for m in markers})
        self.table_columns = set(types) if types is not None else set()
        self.from_sql: str | None = None

    # -- the query ----------------------------------------------------------------------------
    def query(self, table: str) -> str:
        d, model = self.d, self.model
        groups = list(dict.fromkeys(["fit", "engagement", *(g.name for g in model.groups),
                                     *(r.group for r in model.rules if not r.is_gate)]))
        self._check_names(groups)
        inner = [f"{self._group(g)} AS {d.output_name(g)}" for g in groups]
        total = " + ".join(f"s.{d.output_name(g)}" for g in groups)
        threshold = _num(float(model.threshold) - TOLERANCE, None)
        gates = self._gates()
        mql = (f"CASE WHEN {total} >= {threshold}"
               + "".join(f"\n        {line}" for line in gates)
               + f"\n    THEN {d.boolean(True)} ELSE {d.boolean(False)} END AS mql")
        lines = [*self._header(table, groups), "SELECT", "  s.*,",
                 f"  {total} AS score,", f"  {mql}", "FROM (", "  SELECT", "    t.*,"]
        lines.append(",\n".join(f"    {part}" for part in inner))
        origin = d.table(table) if self.from_sql is None else self.from_sql.replace("\n", "\n  ")
        lines += [f"  FROM {origin} AS t", ") AS s"]
        return "\n".join(lines) + "\n"

    def _group(self, name: str) -> str:
        terms = []
        for rule in self.model.rules:
            if rule.enabled and not rule.is_gate and rule.group == name and rule.points:
                points = _num(rule.points, rule)
                if rule.decay is not None:
                    points += " * " + self._decay(rule)
                terms.append((rule.name, f"CASE WHEN {self._predicate(rule.when, rule, 't')} "
                                         f"THEN {points} ELSE 0 END"))
        cap = self.model.group(name).cap
        least = self.d.least_name
        if not terms:
            return "0" if cap is None else f"{least}(0, {_num(cap, None)})"
        body = "\n".join(f"        -- {_comment(n)}\n      {'+ ' if i else '  '}{t}"
                         for i, (n, t) in enumerate(terms))
        if cap is None:
            return f"(\n{body}\n    )"
        return f"{least}(\n{body},\n      {_num(cap, None)})"

    def _gates(self) -> list[str]:
        out = []
        for rule in self.model.rules:
            if rule.enabled and rule.is_gate:
                test = self._predicate(rule.when, rule, "s")
                if rule.kind == "require":
                    out += [f"-- must match: {_comment(rule.name)}", f"AND {test}"]
                else:
                    out += [f"-- disqualifies: {_comment(rule.name)}", f"AND NOT {test}"]
        return out

    def _decay(self, rule: Rule) -> str:
        column = rule.decay.date_column
        ctype = self.types.get(column)
        if ctype is None or not ctype.is_temporal:
            raise ModelError(f"decay needs a date column; '{column}' is "
                             f"{ctype or 'not in this lead list'}", rule.name, "decay")
        age = self.d.age_days(f"t.{self.d.ident(column)}", ctype, self.as_of)
        rate = _num(-1.0 / rule.decay.half_life_days, rule)
        return f"CASE WHEN {age} > 0 THEN {self.d.power('2', f'{age} * {rate}')} ELSE 1 END"

    def _header(self, table: str, groups: list[str]) -> list[str]:
        d, model = self.d, self.model
        by_kind: dict[str, list[str]] = {}
        for column, ctype in self.types.items():
            kind = d.column_kinds.get(ctype.value) or _KIND_TEXT[ctype]
            by_kind.setdefault(kind, []).append(d.ident(column))
        markers = ", ".join(self.d.text(m) for m in self.markers)
        skipped = [r.name for r in model.rules if not r.enabled]
        lines = [f"Leadbench model \"{model.name}\" as {d.label} SQL: every column of "
                 f"{d.table(table)}, then {', '.join(groups)} (group points after caps), "
                 f"score (their sum) and mql (score >= {_num(model.threshold, None)} and no "
                 "gate blocks).",
                 f"Dates count back from {self.as_of.isoformat()}; make the SQL again with "
                 "--as-of to move that day.",
                 "Assumes the table keeps the lead list's column names and types:"]
        lines += [f"  {kind}: {', '.join(names)}" for kind, names in sorted(by_kind.items())]
        lines.append(f"Text counts as missing when NULL or, trimmed and lower-cased, one of: "
                     f"{markers}. Other columns: NULL.")
        if self.guessed:
            lines.append("Types guessed from the rules (not set in the model): "
                         + ", ".join(d.ident(c) for c in self.guessed) + ".")
        if skipped:
            lines.append("Switched off (left out): " + "; ".join(_comment(n) for n in skipped)
                         + ".")
        return [f"-- {_comment(line)}" for line in lines]

    def _check_names(self, groups: list[str]) -> None:
        outputs = [*groups, "score", "mql"]
        for name in ("score", "mql"):
            if name in groups[2:]:
                raise SqlError(f"the score group '{name}' has the name of an output column; "
                               "rename the group")
        clash = sorted((set(self.types) | self.table_columns) & set(outputs))
        if clash:
            raise SqlError(f"the lead list has a column named '{clash[0]}', the name of a column "
                           "the SQL adds; rename it in the warehouse table and the model")

    # -- conditions ---------------------------------------------------------------------------
    def _predicate(self, pred: Predicate, rule: Rule, alias: str) -> str:
        if isinstance(pred, Condition):
            return self._condition(pred, rule, alias)
        parts = [self._predicate(p, rule, alias) for p in pred.items]
        if pred.mode == "not":
            return f"NOT {parts[0]}"
        if len(parts) == 1:
            return parts[0]
        return "(" + f" {'AND' if pred.mode == 'all' else 'OR'} ".join(parts) + ")"

    def _condition(self, cond: Condition, rule: Rule, alias: str) -> str:
        """A test that is TRUE or FALSE, never NULL (so NOT and OR behave as in the engine)."""
        value = check_condition(cond, self.types, rule.name)
        ctype = self.types[cond.column]
        column = f"{alias}.{self.d.ident(cond.column)}"
        if ctype.is_textual:
            return self._text(column, cond.op, value, rule)
        if cond.op == "is_empty":
            return f"{self._value_of(column, ctype)} IS NULL"
        if cond.op == "not_empty":
            return f"{self._value_of(column, ctype)} IS NOT NULL"
        if ctype == T.BOOLEAN:
            wanted = {"is_true": True, "is_false": False}.get(cond.op, value == 1.0)
            test = f"{column} {'<>' if cond.op == 'ne' else '='} {self.d.boolean(wanted)}"
        elif ctype.is_temporal:
            test = self._temporal(column, ctype, cond.op, value, rule)
        else:
            test = self._number(column, cond.op, value, rule)
        return f"COALESCE({test}, {self.d.boolean(False)})"

    def _value_of(self, column: str, ctype: T) -> str:
        return self.d.day_of(column, ctype) if self.d.key == "sqlite" and ctype.is_temporal \
            else column

    def _number(self, column: str, op: str, value, rule: Rule) -> str:
        if op == "between":
            return f"{column} >= {_num(value[0], rule)} AND {column} <= {_num(value[1], rule)}"
        if op in ("in", "not_in"):
            if not value:
                return f"{column} IS NOT NULL" if op == "not_in" else self.d.boolean(False)
            listed = ", ".join(_num(v, rule) for v in dict.fromkeys(value))
            return f"{column} {'NOT IN' if op == 'not_in' else 'IN'} ({listed})"
        return f"{column} {_COMPARE[op]} {_num(value, rule)}"

    def _temporal(self, column: str, ctype: T, op: str, value, rule: Rule) -> str:
        d = self.d
        if op in ("within_days", "older_than_days"):
            if ctype == T.DATE:
                day = d.day_of(column, ctype)
                cutoff = _shift(self.as_of, math.floor(value))
                if op == "within_days":
                    low = f"{day} >= {d.date(cutoff)} AND " if cutoff else f"{day} IS NOT NULL AND "
                    return f"{low}{day} <= {d.date(self.as_of)}"
                return f"{day} < {d.date(cutoff)}" if cutoff else d.boolean(False)
            moment = d.moment_of(column, ctype)
            midnight = datetime(self.as_of.year, self.as_of.month, self.as_of.day)
            try:
                low = midnight - timedelta(days=value)
            except OverflowError:
                low = None
            if op == "within_days":
                first = f"{moment} >= {d.timestamp(low)} AND " if low else f"{moment} IS NOT NULL AND "
                return f"{first}{moment} <= {d.timestamp(midnight)}"
            return f"{moment} < {d.timestamp(low)}" if low else d.boolean(False)
        day = d.day_of(column, ctype)
        if op == "between":
            return (f"{day} >= {d.date(_day(value[0], rule, op))} AND "
                    f"{day} <= {d.date(_day(value[1], rule, op))}")
        return f"{day} {_COMPARE[op]} {d.date(_day(value, rule, op))}"

    def _text(self, column: str, op: str, value, rule: Rule) -> str:
        d = self.d
        norm = d.normalised(column)
        false = d.boolean(False)
        if op == "is_empty":
            return f"COALESCE({norm} IN ({self._listed(self.markers)}), {d.boolean(True)})"
        present = f"COALESCE({norm} NOT IN ({self._listed(self.markers)}), {false})"
        if op == "not_empty":
            return present
        if op in ("is_free_mail", "not_free_mail"):
            return self._email(norm, op)
        if op in ("in", "not_in", "contains_any"):
            items = list(dict.fromkeys(self._literal(v, rule, op) for v in value))
        else:
            items = [value if op == "matches" else self._literal(value, rule, op)]
        item = items[0] if items else ""
        if op == "eq":
            test, keep = f"{norm} = {d.text(item)}", lambda m: m == item
        elif op == "ne":
            test, keep = f"{norm} <> {d.text(item)}", lambda m: m != item
        elif op in ("in", "not_in"):
            if not items:
                return present if op == "not_in" else false
            word = "NOT IN" if op == "not_in" else "IN"
            test = f"{norm} {word} ({self._listed(items)})"
            keep = (lambda m: m not in items) if op == "not_in" else (lambda m: m in items)
        elif op in ("contains", "not_contains", "contains_any"):
            if "" in items:
                return false if op == "not_contains" else present
            if not items:
                return false
            test = " OR ".join(d.contains(norm, v) for v in items)
            test = f"({test})" if len(items) > 1 else test
            keep = lambda m: any(v in m for v in items)            # noqa: E731
            if op == "not_contains":
                test, keep = f"NOT {test}", lambda m: item not in m
        elif op in ("starts_with", "ends_with"):
            if not item:
                return present
            if op == "starts_with":
                test, keep = d.starts_with(norm, item), lambda m: m.startswith(item)
            else:
                test, keep = d.ends_with(norm, item), lambda m: m.endswith(item)
        else:
            test, keep = self._regex(norm, item, rule)
        bad = [m for m in self.markers if keep(m)]
        if bad:
            test = f"{test} AND {norm} NOT IN ({self._listed(bad)})"
        return f"COALESCE({test}, {false})"

    def _email(self, norm: str, op: str) -> str:
        """A free-mail (or business) address: valid, and its domain in (or not in) the list."""
        d = self.d
        word = "IN" if op == "is_free_mail" else "NOT IN"
        test = (f"{d.email_valid(norm)} AND {d.domain_of(norm)} {word} "
                f"({self._listed(sorted(FREE_MAIL_DOMAINS))})")
        check = free_mail_folded if op == "is_free_mail" else business_folded
        bad = [m for m, hit in zip(self.markers, check(self.markers)) if hit] if self.markers else []
        if bad:
            test = f"{test} AND {norm} NOT IN ({self._listed(bad)})"
        return f"COALESCE({test}, {d.boolean(False)})"

    def _regex(self, norm: str, pattern: str, rule: Rule):
        flavour = self.d.regex_flavour
        if flavour is None:
            raise SqlError(f"{self.d.label} has no regular expressions; use 'contains' or "
                           "'starts with', or another dialect", rule.name, "matches")
        if flavour == "re2":
            try:
                pc.match_substring_regex(pa.array([""]), pattern)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                raise SqlError(f"the pattern {pattern!r} uses syntax {self.d.label} cannot read "
                               "(look-around or back-references)", rule.name, "matches") from None
        else:
            unsupported = _UNPORTABLE[flavour].search(pattern)
            if unsupported:
                raise SqlError(f"the pattern {pattern!r} uses '{unsupported.group()}', which "
                               f"{self.d.label} reads differently or not at all", rule.name,
                               "matches")
        search = re.compile(pattern, re.IGNORECASE).search
        return self.d.regex(norm, pattern), lambda m: search(m) is not None

    def _literal(self, value, rule: Rule, op: str) -> str:
        text = self.d.fold(str(value).strip())
        if "\x00" in text:
            raise SqlError("the value holds a NUL character, which SQL text cannot", rule.name, op)
        return text

    def _listed(self, items) -> str:
        return ", ".join(self.d.text(v) for v in items)


_KIND_TEXT = {T.TEXT: "text", T.CATEGORY: "text", T.EMAIL: "text", T.INTEGER: "numbers",
              T.NUMBER: "numbers", T.BOOLEAN: "yes/no (BOOLEAN)", T.DATE: "dates (DATE)",
              T.DATETIME: "date-times (TIMESTAMP, no time zone)"}
# Python pattern syntax that PostgreSQL's or Snowflake's regular expressions read differently
_UNPORTABLE = {
    "postgres": re.compile(r"\\[bBAZ]|\(\?P|\(\?<(?![=!])|\(\?[aiLmsux-]+\)"),
    "snowflake": re.compile(r"\\[bBAZ1-9]|\(\?[=!<P]|\(\?[aiLmsux-]+\)|[*+?}]\?"),
    "java": re.compile(r"\(\?P|\\Z|\(\?[aiLmsux-]+\)"),
}


def _num(value: float, rule: Rule | None) -> str:
    """A number literal: whole numbers without a decimal point, others as Python writes them."""
    value = float(value)
    if not math.isfinite(value):
        raise SqlError(f"{value} is not a finite number", rule.name if rule else None)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _day(days: float, rule: Rule, op: str) -> date:
    if not float(days).is_integer():
        raise SqlError("a date with a time of day cannot be compared by day", rule.name, op)
    return _EPOCH + timedelta(days=int(days))


def _shift(day: date, days: int) -> date | None:
    """``day`` minus ``days`` days, or None before the year 1."""
    try:
        return day - timedelta(days=days)
    except OverflowError:
        return None


def _comment(text: str) -> str:
    """Text safe inside a ``--`` comment: one line."""
    return re.sub(r"[\x00-\x1f\x7f\x85\u2028\u2029]+", " ", str(text))


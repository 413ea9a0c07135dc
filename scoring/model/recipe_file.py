"""The JSON form of a model's sources and account roll-up (see ``scoring.model.recipe``).

``model_file`` calls these while reading and writing a model; conditions go through the
predicate converters it passes in, so a source's ``where`` reads and writes exactly as a rule's
``when`` does. Bad values raise ``ModelError`` naming the source and the field.
"""

from __future__ import annotations

import math
import os
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable

from scoring.errors import ModelError
from scoring.model.recipe import (ACCOUNT_BY, ACCOUNT_SCORES, AGGREGATE_FUNCTIONS, MANY_POLICIES, MATCH_KINDS,
                                  AccountRollup, Aggregate, MatchKey, Source)

__all__ = ["sources_from_list", "sources_to_list", "accounts_from_dict", "accounts_to_dict",
           "resolve_paths", "relative_paths"]

_SOURCE_KEYS = ("name", "path", "sheet", "match", "columns", "many", "order_by", "aggregates")
_AGG_KEYS = ("name", "fn", "column", "where", "within_days", "date_column")
_ACCOUNT_KEYS = ("by", "column", "score", "threshold")


def _extra(data: dict, known) -> tuple:
    return tuple((k, v) for k, v in data.items() if k not in known and _plain(v))


def _plain(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool)) or value is None


def _texts(value: Any, what: str, source: str, *, allow_empty: bool = True) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value) \
            or (not value and not allow_empty):
        raise ModelError(f"source '{source}': {what} must be a list of column names",
                         field=f"sources.{what}")
    return tuple(value)


def _text(value: Any, what: str, source: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ModelError(f"source '{source}': {what} must be a text", field=f"sources.{what}")
    return value


def sources_from_list(data: Any, read_predicate: Callable[..., Any]) -> tuple[Source, ...]:
    """The ``sources`` list of a model file as ``Source`` values."""
    if data is None:
        return ()
    if not isinstance(data, list):
        raise ModelError("sources must be a list of files, like [{\"name\": \"deals\", ...}]",
                         field="sources")
    out, names = [], set()
    for i, spec in enumerate(data):
        if not isinstance(spec, dict):
            raise ModelError(f"source {i + 1} must be an object", field="sources")
        name = _text(spec.get("name"), "name", f"#{i + 1}")
        if name.casefold() in names:
            raise ModelError(f"two sources are named '{name}'; give each its own name", field="sources.name")
        names.add(name.casefold())
        match = spec.get("match")
        if not isinstance(match, dict) or match.get("by") not in MATCH_KINDS:
            raise ModelError(f"source '{name}': match must say by which key ({', '.join(MATCH_KINDS)}) "
                             "and the key columns, like {\"by\": \"id\", \"leads\": [\"id\"], \"file\": [\"id\"]}",
                             field="sources.match")
        key = MatchKey(match["by"], _texts(match.get("leads"), "match.leads", name, allow_empty=False),
                       _texts(match.get("file"), "match.file", name, allow_empty=False))
        if len(key.leads) != len(key.file) or (key.by != "name" and len(key.leads) != 1) \
                or (key.by == "name" and len(key.leads) < 2):
            raise ModelError(f"source '{name}': match by {key.by} needs "
                             + ("a person and a company column" if key.by == "name" else "one column")
                             + " on each side", field="sources.match")
        many = spec.get("many", "first")
        if many not in MANY_POLICIES:
            raise ModelError(f"source '{name}': many must be one of {', '.join(MANY_POLICIES)}, not {many!r}",
                             field="sources.many")
        order_by = _text(spec.get("order_by"), "order_by", name, optional=True)
        if many == "latest" and order_by is None:
            raise ModelError(f"source '{name}': many \"latest\" needs order_by, the date column",
                             field="sources.order_by")
        aggregates = spec.get("aggregates", [])
        if not isinstance(aggregates, list):
            raise ModelError(f"source '{name}': aggregates must be a list", field="sources.aggregates")
        out.append(Source(
            name=name, path=_text(spec.get("path"), "path", name), match=key,
            sheet=_text(spec.get("sheet"), "sheet", name, optional=True),
            columns=_texts(spec.get("columns", []), "columns", name), many=many, order_by=order_by,
            aggregates=tuple(_aggregate(a, name, read_predicate) for a in aggregates),
            extra=_extra(spec, _SOURCE_KEYS)))
    return tuple(out)


def _aggregate(spec: Any, source: str, read_predicate) -> Aggregate:
    if not isinstance(spec, dict):
        raise ModelError(f"source '{source}': each aggregate must be an object", field="sources.aggregates")
    name = _text(spec.get("name"), "aggregates.name", source)
    fn = spec.get("fn")
    if fn not in AGGREGATE_FUNCTIONS:
        raise ModelError(f"source '{source}', column '{name}': fn must be one of "
                         f"{', '.join(AGGREGATE_FUNCTIONS)}, not {fn!r}", field="sources.aggregates.fn")
    column = _text(spec.get("column"), "aggregates.column", source, optional=True)
    if fn != "count" and column is None:
        raise ModelError(f"source '{source}', column '{name}': {fn} needs a column",
                         field="sources.aggregates.column")
    days = spec.get("within_days")
    if days is not None and (isinstance(days, bool) or not isinstance(days, (int, float))
                             or not math.isfinite(days) or days < 0):
        raise ModelError(f"source '{source}', column '{name}': within_days must be a number of days",
                         field="sources.aggregates.within_days")
    date_column = _text(spec.get("date_column"), "aggregates.date_column", source, optional=True)
    if days is not None and date_column is None:
        raise ModelError(f"source '{source}', column '{name}': within_days needs date_column",
                         field="sources.aggregates.date_column")
    where = spec.get("where")
    return Aggregate(name, fn, column, None if where is None else read_predicate(where, f"{source}: {name}"),
                     None if days is None else float(days), date_column, _extra(spec, _AGG_KEYS))


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def sources_to_list(sources: tuple[Source, ...], write_predicate: Callable[[Any], dict]) -> list[dict]:
    """The JSON form of ``sources`` (defaults left out)."""
    out = []
    for s in sources:
        d: dict[str, Any] = {"name": s.name, "path": s.path}
        if s.sheet is not None:
            d["sheet"] = s.sheet
        d["match"] = {"by": s.match.by, "leads": list(s.match.leads), "file": list(s.match.file)}
        if s.columns:
            d["columns"] = list(s.columns)
        if s.many != "first":
            d["many"] = s.many
        if s.order_by is not None:
            d["order_by"] = s.order_by
        if s.aggregates:
            d["aggregates"] = [_aggregate_to_dict(a, write_predicate) for a in s.aggregates]
        d.update(s.extra)
        out.append(d)
    return out


def _aggregate_to_dict(a: Aggregate, write_predicate) -> dict:
    d: dict[str, Any] = {"name": a.name, "fn": a.fn}
    if a.column is not None:
        d["column"] = a.column
    if a.where is not None:
        d["where"] = write_predicate(a.where)
    if a.within_days is not None:
        d["within_days"] = _number(a.within_days)
    if a.date_column is not None:
        d["date_column"] = a.date_column
    d.update(a.extra)
    return d


def accounts_from_dict(data: Any) -> AccountRollup | None:
    """The ``accounts`` object of a model file (None when absent)."""
    if data is None:
        return None
    if not isinstance(data, dict):
        raise ModelError("accounts must be an object like {\"by\": \"company\", \"column\": \"company\"}",
                         field="accounts")
    by, score = data.get("by", "company"), data.get("score", "sum")
    if by not in ACCOUNT_BY:
        raise ModelError(f"accounts: by must be company or domain, not {by!r}", field="accounts.by")
    if score not in ACCOUNT_SCORES:
        raise ModelError(f"accounts: score must be one of {', '.join(ACCOUNT_SCORES)}, not {score!r}",
                         field="accounts.score")
    column = data.get("column")
    if column is not None and (not isinstance(column, str) or not column.strip()):
        raise ModelError("accounts: column must be a column name", field="accounts.column")
    threshold = data.get("threshold", 100)
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not math.isfinite(threshold):
        raise ModelError(f"accounts: threshold must be a number, not {threshold!r}", field="accounts.threshold")
    return AccountRollup(by, column, score, float(threshold), _extra(data, _ACCOUNT_KEYS))


def accounts_to_dict(rollup: AccountRollup) -> dict:
    d: dict[str, Any] = {"by": rollup.by}
    if rollup.column is not None:
        d["column"] = rollup.column
    d["score"] = rollup.score
    d["threshold"] = _number(rollup.threshold)
    d.update(rollup.extra)
    return d


def resolve_paths(sources: tuple[Source, ...], folder: Path) -> tuple[Source, ...]:
    """Relative source paths made absolute against the model file's ``folder``."""
    return tuple(s if Path(s.path).is_absolute() else replace(s, path=str(folder / s.path)) for s in sources)


def relative_paths(sources: tuple[Source, ...], folder: Path) -> tuple[Source, ...]:
    """Source paths relative to the model file's ``folder`` when the file lies beside or below
    it (written with forward slashes, so the model opens on any system); others stay absolute."""
    out = []
    for s in sources:
        path = Path(s.path)
        if path.is_absolute():
            try:
                rel = Path(os.path.abspath(path)).relative_to(Path(os.path.abspath(folder)))
            except ValueError:
                out.append(s)
                continue
            s = replace(s, path=rel.as_posix())
        out.append(s)
    return tuple(out)

"""The model file: versioned, human-readable JSON, and its validation.

A consultant can write one by hand and send it to a client::

    {"format": "leadbench-model", "version": 1, "name": "B2B SaaS starter",
     "description": "optional text",
     "threshold": 50,
     "as_of": "2026-11-01",
     "groups": {"fit": {"cap": 60}, "engagement": {"cap": null}},
     "columns": {"Lead Source": {"type": "category", "tag": "source"},
                 "Created": {"type": "datetime", "format": "DD/MM/YYYY HH:mm"},
                 "Umsatz": {"type": "number", "decimal_mark": ",", "thousands_mark": "."}},
     "missing_values": ["Select"],
     "analysis": {"spend": {"Paid Search": 12000, "Events": 8000}, "won_values": ["Yes"],
                  "stage_order": ["SQL", "Opportunity", "Customer"],
                  "fit_bands": [15, 30, 45], "engagement_bands": [10, 20, 40]},
     "rules": [
      {"name": "Senior title", "group": "fit", "points": 15,
       "when": {"column": "job_title", "op": "contains_any", "value": ["vp", "director"]}},
      {"name": "Asked for a demo", "group": "engagement", "points": 30, "enabled": false,
       "when": {"column": "demo_requested", "op": "is_true"},
       "decay": {"date_column": "last_activity", "half_life_days": 30}},
      {"name": "Target country", "kind": "require",
       "when": {"column": "country", "op": "in", "value": ["US", "CA", "GB"]}},
      {"name": "Student or competitor", "kind": "disqualify",
       "when": {"any": [{"column": "job_title", "op": "contains", "value": "student"},
                        {"not": {"column": "email", "op": "ends_with", "value": "@us.com"}}]}}]}

Rules: ``kind`` is ``score`` (default; ``points`` go to ``group``, negative allowed),
``require`` (a lead that fails it cannot be an MQL) or ``disqualify`` (a lead that matches it
cannot be an MQL); ``enabled`` defaults to true; ``decay`` is optional. ``when`` is one condition
(operators in ``scoring.model.operators``) or ``{"all": [...]}``, ``{"any": [...]}``, ``{"not": {...}}``.
Groups: a ``cap`` (or null) per group; default ``fit`` and ``engagement`` without caps.
``analysis`` (optional, left out when nothing is set) holds what the charts and the back-test
need beyond the rules: ``spend`` per source value, the outcome's ``won_values`` (absent: guessed
from the column), the funnel's ``stage_order`` and the grid's ``fit_bands`` /
``engagement_bands`` (one to three rising inner edges each; three is four bands). ``owners`` (optional) says who gets the
leads of a hand-off to sales (see ``scoring.model.owners_file``). ``as_of`` (optional) is the scoring
date that "within the last N days", decay and the charts count from; absent: the day the model is
used (the command line's ``--as-of`` overrides it).

Reading names the rule and the field at fault. Keys this version does not know are kept (in the
``extra`` fields of the model, rules, groups, columns and conditions) and written back, so a file
made by a newer minor release survives a round trip. Writing uses a fixed, readable key order and
indent=2, atomically (temporary file beside the target, fsync, rename). ``version`` is 1; each
shipped version stays as a fixture in tests/scoring/data/.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, Mapping

from scoring.atomic import atomic_write_text
from scoring.column_types import ColumnTag, ColumnType
from scoring.errors import ModelError
from scoring.model.definition import (AnalysisSettings, ColumnSettings, Compound, Condition, Decay, Group,
                                      Model, Predicate, Rule)
from scoring.model.owners_file import owners_from_dict, owners_to_dict
from scoring.model.operators import OPERATORS, normalise_value, value_kind_for
from scoring.model.recipe_file import (accounts_from_dict, accounts_to_dict, relative_paths, resolve_paths,
                                       sources_from_list, sources_to_list)
from scoring.model.regex_match import re2_problem

__all__ = ["FORMAT", "VERSION", "model_from_dict", "model_to_dict", "load_model", "save_model",
           "model_to_json", "validate_model", "predicate_from_dict", "predicate_to_dict",
           "predicate_conditions", "analysis_from_dict", "analysis_to_dict"]

FORMAT = "leadbench-model"
VERSION = 1

_MODEL_KEYS = ("format", "version", "name", "description", "threshold", "as_of", "groups", "columns",
               "missing_values", "rules", "analysis", "sources", "accounts", "owners")
_ANALYSIS_KEYS = ("spend", "won_values", "stage_order", "fit_bands", "engagement_bands", "open_values")
_RULE_KEYS = ("name", "kind", "group", "points", "enabled", "when", "decay")
_KINDS = ("score", "require", "disqualify")
_COLUMN_KEYS = ("type", "tag", "format", "decimal_mark", "thousands_mark")
#: the marks a column's numbers may be read with (as ``scoring.reading.numbers`` reads them)
DECIMAL_MARKS = (".", ",")
THOUSANDS_MARKS = ("", ",", ".", " ", "'")
_MAX_FILE_BYTES = 20_000_000
#: conditions may nest this deep ("all of" inside "any of" inside "not" ...)
MAX_DEPTH = 32


# -- reading ----------------------------------------------------------------------------------
def _number(value: Any, what: str, rule: str | None = None, allow_none: bool = False) -> float | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        hint = ""
        if isinstance(value, str):
            try:
                float(value)
                hint = " (write the number without quotes)"
            except ValueError:
                pass
        raise ModelError(f"{what} must be a number, not {_shown(value)}{hint}", rule=rule, field=what)
    return float(value)


def _freeze(value: Any) -> Any:
    """Lists become tuples (recursively) so conditions are hashable."""
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, dict):
        return tuple((k, _freeze(v)) for k, v in value.items())
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_thaw(v) for v in value]
    return value


def _extra(data: dict, known) -> tuple:
    return tuple((k, _freeze(v)) for k, v in data.items() if k not in known)


def predicate_from_dict(data: Any, rule: str | None = None, depth: int = 0) -> Predicate:
    """A condition or compound from its JSON form; raises ModelError naming ``rule``."""
    if depth > MAX_DEPTH:
        raise ModelError(f"conditions are nested more than {MAX_DEPTH} levels deep", rule, "when")
    if not isinstance(data, dict):
        raise ModelError("the condition must be an object with column, op and value", rule, "when")
    for mode in ("all", "any"):
        if mode in data:
            items = data[mode]
            if not isinstance(items, list) or not items:
                raise ModelError(f"'{mode}' must be a non-empty list of conditions", rule, "when")
            return Compound(mode, tuple(predicate_from_dict(i, rule, depth + 1) for i in items),
                            _extra(data, (mode,)))
    if "not" in data:
        inner = data["not"]
        if isinstance(inner, list):
            if len(inner) != 1:
                raise ModelError("'not' takes exactly one condition", rule, "when")
            inner = inner[0]
        return Compound("not", (predicate_from_dict(inner, rule, depth + 1),), _extra(data, ("not",)))
    column, op = data.get("column"), data.get("op")
    if not isinstance(column, str) or not column.strip():
        raise ModelError("the condition has no column", rule, "column")
    if op not in OPERATORS:
        known = ", ".join(OPERATORS)
        raise ModelError(f"unknown operator {op!r} (known: {known})", rule, "op")
    value = data.get("value")
    kind = OPERATORS[op].value_kind
    said = f"'{OPERATORS[op].label}' ({op})"
    if kind != "none" and value is None:
        raise ModelError(f"operator '{op}' needs a value", rule, "value")
    if kind in ("number", "days") and (isinstance(value, bool)
                                       or not isinstance(value, (int, float, str))):
        raise ModelError(f"{said} needs a single number, not {_shown(value)}", rule, "value")
    if kind == "number_pair" and (not isinstance(value, list) or len(value) != 2):
        raise ModelError(f"{said} needs two values [low, high], not {_shown(value)}", rule, "value")
    if kind == "text_list" and (not isinstance(value, (list, str))
                                or any(isinstance(v, (list, dict)) for v in value)):
        raise ModelError(f"{said} needs a list of values, not {_shown(value)}", rule, "value")
    if kind in ("text", "regex", "date") and isinstance(value, (list, dict)):
        raise ModelError(f"{said} needs a single value, not a list", rule, "value")
    if kind == "number_pair" and any(isinstance(v, (list, dict)) for v in value):
        raise ModelError(f"{said} needs two values [low, high], not {_shown(value)}", rule, "value")
    if kind == "regex":
        try:
            normalise_value(OPERATORS[op], value, ColumnType.TEXT)
        except ModelError as exc:
            raise ModelError(exc.problem, rule, "value") from None
    if kind == "days":
        try:
            normalise_value(OPERATORS[op], value, ColumnType.DATE)
        except ModelError:
            raise ModelError(f"{said} needs a number of days (0 or more), not {_shown(value)}",
                             rule, "value") from None
    if kind == "text_list" and isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    return Condition(column, op, None if kind == "none" else _freeze(value),
                     _extra(data, ("column", "op", "value")))


def _rule_from_dict(data: Any, index: int, groups: set[str]) -> Rule:
    if not isinstance(data, dict):
        raise ModelError(f"rule {index + 1} must be an object", field="rules")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ModelError(f"rule {index + 1} has no name", field="name")
    kind = data.get("kind", "score")
    if kind not in _KINDS:
        raise ModelError(f"unknown kind {kind!r} (use score, require or disqualify)", name, "kind")
    group = data.get("group", "fit")
    if kind == "score" and group not in groups:
        raise ModelError(f"unknown group {group!r} (the model has {', '.join(sorted(groups))})",
                         name, "group")
    points = _number(data.get("points", 0), "points", name)
    enabled = data.get("enabled", True)
    if not isinstance(enabled, bool):
        raise ModelError(f"enabled must be true or false, not {enabled!r}", name, "enabled")
    if "when" not in data:
        raise ModelError("the rule has no condition ('when')", name, "when")
    decay = None
    if data.get("decay") is not None:
        d = data["decay"]
        if not isinstance(d, dict) or not isinstance(d.get("date_column"), str):
            raise ModelError("decay needs a date_column and half_life_days", name, "decay")
        half = _number(d.get("half_life_days"), "half_life_days", name)
        if half <= 0:
            raise ModelError("half_life_days must be more than 0", name, "half_life_days")
        decay = Decay(d["date_column"], half)
    extra = tuple((k, _freeze(v)) for k, v in data.items() if k not in _RULE_KEYS)
    return Rule(name.strip(), predicate_from_dict(data["when"], name), points, group, kind,
                enabled, decay, extra)


def _bands(value: Any, what: str) -> tuple[float, ...] | None:
    field = f"analysis.{what}"
    if value is None:
        return None
    if not isinstance(value, list) or not 1 <= len(value) <= 3:
        raise ModelError(f"{what} must be one to three numbers (the inner band edges), not {value!r}",
                         field=field)
    edges = tuple(_number(v, field) for v in value)
    if not all(a < b for a, b in zip(edges, edges[1:])):
        raise ModelError(f"the {what} must go up: {', '.join(f'{e:g}' for e in edges)}",
                         field=field)
    return edges


def analysis_from_dict(data: Any) -> AnalysisSettings:
    """The ``analysis`` object of a model file; raises ModelError naming the field at fault."""
    if data is None:
        return AnalysisSettings()
    if not isinstance(data, dict):
        raise ModelError("analysis must be an object like {\"spend\": {\"Ads\": 1000}}",
                         field="analysis")
    raw_spend = data.get("spend") or {}
    if not isinstance(raw_spend, dict):
        raise ModelError("spend must be an object of source value and amount, like "
                         "{\"Paid Search\": 12000}", field="analysis.spend")
    spend = []
    for source, amount in raw_spend.items():
        if not str(source).strip():
            raise ModelError("a spend entry has no source value", field="analysis.spend")
        if isinstance(amount, bool) or not isinstance(amount, (int, float)) \
                or not math.isfinite(amount):
            raise ModelError(f"the spend on '{source}' must be a number, not {amount!r}",
                             field="analysis.spend")
        value = float(amount)
        if value < 0:
            raise ModelError(f"the spend on '{source}' must be 0 or more, not {amount!r}",
                             field="analysis.spend")
        spend.append((str(source), value))
    won = data.get("won_values")
    if won is not None:
        if not isinstance(won, list) or not all(
                isinstance(v, (str, bool)) or (isinstance(v, (int, float)) and math.isfinite(v))
                for v in won):
            raise ModelError("won_values must be a list of the outcome values that mean won "
                             "(texts, numbers or true/false)", field="analysis.won_values")
        won = tuple(won)
    still_open = data.get("open_values")
    if still_open is not None:
        if not isinstance(still_open, list) or not all(isinstance(v, (str, int, float)) for v in still_open):
            raise ModelError("open_values must be a list of the outcome values that mean still open",
                             field="analysis.open_values")
        still_open = tuple(still_open)
    stages = data.get("stage_order")
    if stages is not None and (not isinstance(stages, list)
                               or not all(isinstance(v, str) and v.strip() for v in stages)):
        raise ModelError("stage_order must be a list of stage values, earliest first",
                         field="analysis.stage_order")
    folded = [v.strip().casefold() for v in stages or ()]
    if len(set(folded)) != len(folded):
        raise ModelError("each stage can appear only once in stage_order",
                         field="analysis.stage_order")
    return AnalysisSettings(tuple(spend), won, None if stages is None else tuple(stages),
                            _bands(data.get("fit_bands"), "fit_bands"),
                            _bands(data.get("engagement_bands"), "engagement_bands"),
                            _extra(data, _ANALYSIS_KEYS), still_open)


def model_from_dict(data: Any) -> Model:
    """Build a Model from parsed JSON; raises ModelError naming the rule and field at fault."""
    if not isinstance(data, dict):
        raise ModelError("this is not a Leadbench model (expected a JSON object)")
    if data.get("format") != FORMAT:
        raise ModelError("this is not a Leadbench model file (its 'format' is not "
                         f"'{FORMAT}')", field="format")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ModelError(f"unknown model version {_shown(version)} (the version is a whole number, "
                         f"like {VERSION})", field="version")
    if version > VERSION:
        raise ModelError(f"this model was made by a newer Leadbench (model version {version}; "
                         f"this one reads version {VERSION}). Update Leadbench to open it.",
                         field="version")
    raw_groups = data.get("groups", {"fit": {}, "engagement": {}})
    if not isinstance(raw_groups, dict):
        raise ModelError("groups must be an object like {\"fit\": {\"cap\": 60}}", field="groups")
    groups = []
    for name, spec in raw_groups.items():
        cap = spec.get("cap") if isinstance(spec, dict) else spec
        if cap is not None and (isinstance(cap, bool) or not isinstance(cap, (int, float))
                                or not math.isfinite(cap)):
            raise ModelError(f"the cap of group '{name}' must be a number or null, not {cap!r}",
                             field="cap")
        extra = _extra(spec, ("cap",)) if isinstance(spec, dict) else ()
        groups.append(Group(name, None if cap is None else float(cap), extra))
    raw_rules = data.get("rules", [])
    if not isinstance(raw_rules, list):
        raise ModelError("rules must be a list", field="rules")
    names = {g.name for g in groups}
    rules = tuple(_rule_from_dict(r, i, names) for i, r in enumerate(raw_rules))
    raw_columns = data.get("columns") or {}
    if not isinstance(raw_columns, dict):
        raise ModelError('columns must be an object like {"Lead Source": {"type": "category"}}',
                         field="columns")
    columns = []
    for column, spec in raw_columns.items():
        if not isinstance(spec, dict):
            raise ModelError(f"settings of column {column!r} must be an object", field="columns")
        ctype, tag, fmt = spec.get("type"), spec.get("tag"), spec.get("format")
        if ctype is not None and ctype not in set(ColumnType):
            raise ModelError(f"unknown type {ctype!r} for column {column!r}", field="columns")
        if tag is not None and tag not in set(ColumnTag):
            raise ModelError(f"unknown tag {tag!r} for column {column!r}", field="columns")
        if fmt is not None and (not isinstance(fmt, str) or not fmt.strip()):
            raise ModelError(f"the format of column {column!r} must be a text such as "
                             f"\"DD/MM/YYYY\", not {_shown(fmt)}", field="format")
        decimal, thousands = _marks(column, spec)
        columns.append((column, ColumnSettings(ctype, tag, _extra(spec, _COLUMN_KEYS), format=fmt,
                                               decimal_mark=decimal, thousands_mark=thousands)))
    missing = data.get("missing_values", [])
    if not isinstance(missing, list) or not all(isinstance(v, str) for v in missing):
        raise ModelError("missing_values must be a list of texts", field="missing_values")
    name = data.get("name", "Untitled model")
    for key, value in (("name", name), ("description", data.get("description", ""))):
        if not isinstance(value, str):
            raise ModelError(f"the model's {key} must be a text, not {_shown(value)}", field=key)
    return Model(
        name=str(name), threshold=_number(data.get("threshold", 50), "threshold"),
        groups=tuple(groups), rules=rules, columns=tuple(columns), missing_values=tuple(missing),
        description=str(data.get("description", "")),
        extra=tuple((k, _freeze(v)) for k, v in data.items() if k not in _MODEL_KEYS),
        analysis=analysis_from_dict(data.get("analysis")),
        as_of=_as_of(data.get("as_of")),
        sources=sources_from_list(data.get("sources"), predicate_from_dict),
        accounts=accounts_from_dict(data.get("accounts")),
        owners=owners_from_dict(data.get("owners")),
    )


def _as_of(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ModelError(f"as_of must be a date like \"2026-11-01\", not {_shown(value)}", field="as_of")


def _marks(column: str, spec: dict) -> tuple[str | None, str | None]:
    """A column's decimal and thousands marks from its settings (None when not set)."""
    decimal, thousands = spec.get("decimal_mark"), spec.get("thousands_mark")
    if decimal is not None and decimal not in DECIMAL_MARKS:
        raise ModelError(f'the decimal mark of column {column!r} must be "." or ",", not {_shown(decimal)}',
                         field="decimal_mark")
    if thousands is not None and thousands not in THOUSANDS_MARKS:
        raise ModelError(f"the thousands mark of column {column!r} must be one of "
                         + ", ".join(f'"{m}"' for m in THOUSANDS_MARKS) + f", not {_shown(thousands)}",
                         field="thousands_mark")
    if decimal is not None and decimal == thousands:
        raise ModelError(f"column {column!r} cannot use {decimal!r} both for decimals and between "
                         "thousands", field="thousands_mark")
    return decimal, thousands


def load_model(path: str | Path) -> Model:
    """Read a model file; raises ModelError naming the file (and the rule and field at fault)."""
    path = Path(path)
    try:
        if path.stat().st_size > _MAX_FILE_BYTES:
            raise ModelError(f"{path.name} is {path.stat().st_size / 1e6:.0f} MB, far too large to be "
                             "a scoring model; choose the model's .json file")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ModelError(f"the model file {path.name} does not exist") from None
    except IsADirectoryError:
        raise ModelError(f"{path.name} is a folder, not a model file") from None
    except OSError as exc:
        raise ModelError(f"cannot read the model file {path.name} ({exc.strerror or exc})") from None
    try:
        data = json.loads(raw)         # UTF-8, or UTF-16/32 with a byte-order mark
    except UnicodeDecodeError:
        raise ModelError(f"{path.name} is not a Leadbench model: it is not text (another kind of file "
                         "renamed .json?); choose the model's .json file") from None
    except json.JSONDecodeError as exc:
        raise ModelError(f"{path.name} is not valid JSON (line {exc.lineno}, column {exc.colno}: "
                         f"{exc.msg})") from None
    except RecursionError:
        raise ModelError(f"{path.name} is not a Leadbench model: its brackets nest thousands of "
                         "levels deep") from None
    try:
        model = model_from_dict(data)
        if model.sources:          # paths in the file are relative to the model's folder
            model = replace(model, sources=resolve_paths(model.sources, path.parent))
        return model
    except ModelError as exc:
        error = ModelError(exc.problem, exc.rule, exc.field)
        error.args = (f"{path.name}: {exc}",)          # keeps .rule and .field for the window
        raise error from None


# -- writing ----------------------------------------------------------------------------------
def predicate_to_dict(pred: Predicate) -> dict:
    """The JSON form of a condition or compound (unknown keys from the file written back)."""
    if isinstance(pred, Compound):
        if pred.mode == "not":
            out = {"not": predicate_to_dict(pred.items[0])}
        else:
            out = {pred.mode: [predicate_to_dict(p) for p in pred.items]}
    else:
        out = {"column": pred.column, "op": pred.op}
        if pred.value is not None:
            out["value"] = _thaw(pred.value)
    out.update((k, _thaw_extra(v)) for k, v in pred.extra)
    return out


def _points(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def model_to_dict(model: Model) -> dict:
    rules = []
    for r in model.rules:
        d: dict[str, Any] = {"name": r.name}
        if r.kind != "score":
            d["kind"] = r.kind
        else:
            d["group"] = r.group
            d["points"] = _points(r.points)
        if not r.enabled:
            d["enabled"] = False
        d["when"] = predicate_to_dict(r.when)
        if r.decay is not None:
            d["decay"] = {"date_column": r.decay.date_column,
                          "half_life_days": _points(r.decay.half_life_days)}
        d.update((k, _thaw_extra(v)) for k, v in r.extra)
        rules.append(d)
    out: dict[str, Any] = {"format": FORMAT, "version": VERSION, "name": model.name}
    if model.description:
        out["description"] = model.description
    out["threshold"] = _points(model.threshold)
    if model.as_of is not None:
        out["as_of"] = model.as_of.isoformat()
    out["groups"] = {g.name: {"cap": None if g.cap is None else _points(g.cap),
                              **{k: _thaw_extra(v) for k, v in g.extra}} for g in model.groups}
    if model.columns:
        out["columns"] = {c: {**{k: v for k, v in (("type", s.type), ("tag", s.tag),
                                                    ("format", s.format)) if v},
                              **{k: v for k, v in (("decimal_mark", s.decimal_mark),
                                                   ("thousands_mark", s.thousands_mark)) if v is not None},
                              **{k: _thaw_extra(v) for k, v in s.extra}}
                          for c, s in model.columns}
    if model.missing_values:
        out["missing_values"] = list(model.missing_values)
    out["rules"] = rules
    if not model.analysis.is_default:
        out["analysis"] = analysis_to_dict(model.analysis)
    if model.sources:
        out["sources"] = sources_to_list(model.sources, predicate_to_dict)
    if model.accounts is not None:
        out["accounts"] = accounts_to_dict(model.accounts)
    if not model.owners.is_default:
        out["owners"] = owners_to_dict(model.owners)
    out.update((k, _thaw_extra(v)) for k, v in model.extra)
    return out


def analysis_to_dict(analysis: AnalysisSettings) -> dict:
    """The JSON form of the analysis settings (only what is set, unknown keys written back)."""
    out: dict[str, Any] = {}
    if analysis.spend:
        out["spend"] = {source: _points(amount) for source, amount in analysis.spend}
    if analysis.won_values is not None:
        out["won_values"] = list(analysis.won_values)
    if analysis.stage_order is not None:
        out["stage_order"] = list(analysis.stage_order)
    for key in ("fit_bands", "engagement_bands"):
        edges = getattr(analysis, key)
        if edges is not None:
            out[key] = [_points(e) for e in edges]
    if analysis.open_values is not None:
        out["open_values"] = list(analysis.open_values)
    out.update((k, _thaw_extra(v)) for k, v in analysis.extra)
    return out


def _thaw_extra(value: Any) -> Any:
    """Extra keys were frozen from JSON: tuples of pairs came from objects, other tuples from lists."""
    if isinstance(value, tuple):
        if value and all(isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str) for p in value):
            return {k: _thaw_extra(v) for k, v in value}
        return [_thaw_extra(v) for v in value]
    return value


def model_to_json(model: Model) -> str:
    return json.dumps(model_to_dict(model), indent=2, ensure_ascii=False) + "\n"


def save_model(model: Model, path: str | Path) -> None:
    """Write the model atomically (the previous file stays intact on failure); source files
    beside or below the model's folder are written relative to it."""
    if model.sources:
        model = replace(model, sources=relative_paths(model.sources, Path(path).parent))
    atomic_write_text(path, model_to_json(model))


# -- validation against a lead list -----------------------------------------------------------
def predicate_conditions(pred: Predicate):
    """Every plain Condition inside ``pred``, depth first."""
    if isinstance(pred, Condition):
        yield pred
    else:
        for item in pred.items:
            yield from predicate_conditions(item)


def validate_model(model: Model, table_or_columns: Any) -> list[str]:
    """Problems that stop rules running on a lead list, one sentence each naming the rule and
    the field: missing columns, operators that do not fit a column's type, values that do not fit,
    decay on a column that is not a date.

    ``table_or_columns`` is a LeadTable (or anything with ``.types``), a mapping of column name
    to ColumnType, or just the column names (then only missing columns are found).
    """
    types = getattr(table_or_columns, "types", table_or_columns)
    if not isinstance(types, Mapping):
        return _missing_columns(model, set(types))
    problems = []
    for rule in model.rules:
        try:
            for cond in predicate_conditions(rule.when):
                check_condition(cond, types, rule.name)
                if cond.op == "matches":        # the app runs RE2 only: bounded on any text
                    problem = re2_problem(str(cond.value))
                    if problem is not None:
                        raise ModelError(problem, rule.name, "value")
            if rule.decay is not None:
                ctype = types.get(rule.decay.date_column)
                if ctype is None:
                    raise ModelError(_not_in_list(rule.decay.date_column, "decay"), rule.name, "decay",
                                     say_field=False)
                if not ColumnType(ctype).is_temporal:
                    raise ModelError(f"decay needs a date column; '{rule.decay.date_column}' is "
                                     f"{ctype}", rule.name, "decay")
        except ModelError as exc:
            problems.append(str(exc))
    return problems


def _missing_columns(model: Model, columns: set[str]) -> list[str]:
    problems = []
    for rule in model.rules:
        used = {c.column: "column" for c in predicate_conditions(rule.when)}
        if rule.decay is not None:
            used.setdefault(rule.decay.date_column, "decay")
        problems += [str(ModelError(_not_in_list(column, field), rule.name, field, say_field=False))
                     for column, field in used.items() if column not in columns]
    return problems


def _not_in_list(column: str, field: str = "column") -> str:
    if field == "decay":
        return (f"its decay date column '{column}' is not in this lead list; pick another date "
                "column or remove the decay")
    return (f"column '{column}' is not in this lead list; pick another column or switch the "
            "rule off")


def check_condition(cond: Condition, types: Mapping[str, ColumnType], rule: str | None) -> Any:
    """The condition's value normalised for its column; raises ModelError when it cannot run."""
    ctype = types.get(cond.column)
    if ctype is None:
        raise ModelError(_not_in_list(cond.column), rule, "column", say_field=False)
    op = OPERATORS[cond.op]
    if ColumnType(ctype) not in op.types:
        raise ModelError(f"'{op.label}' does not apply to '{cond.column}', a {ctype} column",
                         rule, "op")
    try:
        return normalise_value(op, cond.value, ColumnType(ctype))
    except ModelError as exc:
        problem = exc.problem
        if "does not fit" in problem:           # the converter's words: say what is needed
            problem = (f"'{op.label}' on '{cond.column}' ({_article(ctype)} {ctype} column) needs "
                       f"{_NEEDS.get(value_kind_for(cond.op, ctype), 'another value')}, not "
                       f"{_shown(cond.value)}")
        raise ModelError(problem, rule, "value") from None


_NEEDS = {"number": "a number, like 100", "days": "a number of days, like 30",
          "date": "a date, like 2026-01-31", "number_pair": "two numbers [low, high], like [10, 500]",
          "date_pair": 'two dates [from, to], like ["2026-01-01", "2026-03-31"]',
          "text_list": "a list of values", "text": "one value", "regex": "one pattern"}


def _article(word: str) -> str:
    return "an" if str(word)[:1] in "aeiou" else "a"


def _shown(value: Any) -> str:
    """A value from a model file as the user wrote it (JSON), shortened."""
    try:
        text = json.dumps(_thaw(value), ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."

"""The ``owners`` object of a model file: how a hand-off to sales assigns owners.

::

    "owners": {"reps": ["Ann Lee", "Bo Chen"],
               "territory": {"column": "country", "values": {"US": "Ann Lee", "DE": "Bo Chen"}},
               "cap": 25}

``reps`` are dealt leads round robin; ``territory`` sends a lead whose ``column`` holds one of the
``values`` to that rep (ignoring case and outer spaces); ``cap`` is the most new leads a rep gets
per hand-off. Every key is optional; the object is left out of a file when nothing is set, so
model files from before it existed load unchanged.
"""

from __future__ import annotations

import json
from typing import Any

from scoring.errors import ModelError
from scoring.model.definition import OwnerRules

__all__ = ["owners_from_dict", "owners_to_dict"]

_KEYS = ("reps", "territory", "cap")


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ModelError(f"{what} must be a non-empty text, not {value!r}", field="owners")
    return value.strip()


def owners_from_dict(data: Any) -> OwnerRules:
    """The owner rules of a model file; raises ModelError naming what is wrong."""
    if data is None:
        return OwnerRules()
    if not isinstance(data, dict):
        raise ModelError('owners must be an object like {"reps": ["Ann", "Bo"], "cap": 25}', field="owners")
    reps = data.get("reps") or []
    if not isinstance(reps, list):
        raise ModelError("owners.reps must be a list of names", field="owners")
    reps = [_text(r, "each rep in owners.reps") for r in reps]
    if len({r.casefold() for r in reps}) != len(reps):
        raise ModelError("each rep can appear only once in owners.reps", field="owners")
    territory = data.get("territory")
    column, pairs = None, []
    if territory is not None:
        if not isinstance(territory, dict) or not isinstance(territory.get("values", {}), dict):
            raise ModelError('owners.territory must be an object like {"column": "country", '
                             '"values": {"US": "Ann"}}', field="owners")
        column = _text(territory.get("column"), "owners.territory.column")
        seen = set()
        for value, rep in territory.get("values", {}).items():
            key = str(value).strip().casefold()
            if key in seen:
                raise ModelError(f"the territory value '{value}' appears twice", field="owners")
            seen.add(key)
            pairs.append((str(value), _text(rep, f"the rep for territory '{value}'")))
    cap = data.get("cap")
    if cap is not None and (isinstance(cap, bool) or not isinstance(cap, int) or cap < 1):
        raise ModelError(f"owners.cap must be a whole number of leads of 1 or more, not {cap!r}",
                         field="owners")
    # keys of a newer release, kept as JSON text so the rules stay hashable
    extra = tuple((k, json.dumps(v)) for k, v in data.items() if k not in _KEYS)
    return OwnerRules(tuple(reps), column, tuple(pairs), cap, extra)


def owners_to_dict(rules: OwnerRules) -> dict:
    """The JSON form of the owner rules (only what is set)."""
    out: dict[str, Any] = {}
    if rules.reps:
        out["reps"] = list(rules.reps)
    if rules.territory_column is not None:
        out["territory"] = {"column": rules.territory_column, "values": dict(rules.territories)}
    if rules.cap is not None:
        out["cap"] = rules.cap
    out.update((k, json.loads(v)) for k, v in rules.extra)
    return out

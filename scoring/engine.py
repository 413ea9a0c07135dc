"""Vectorised scoring with caches, so re-scoring after one rule edit evaluates that rule only.

``Scorer`` prepares columns lazily and caches one boolean mask per condition and one contribution
per scoring rule. Group subtotals are kept from the previous score and updated by the difference
when few rules changed. Results are immutable snapshots: later scores never modify arrays handed
out earlier.

Thread-safety: a Scorer may be used by one thread at a time (the window scores on one worker).
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from datetime import date
from typing import Callable

import numpy as np
import pandas as pd

from scoring.column_types import ColumnType
from scoring.errors import Cancelled, ModelError
from scoring.model import Compound, Condition, Model, Predicate, Rule
from scoring.model_file import check_condition
from scoring.operators import OPERATORS
from scoring.prepared import NS_PER_DAY, PreparedColumn, evaluate_condition, prepare_column

__all__ = ["Scorer", "ScoreResult", "TOLERANCE", "score_table"]

TOLERANCE = 1e-9
_MASK_CACHE = 512


@dataclass(frozen=True, eq=False)
class ScoreResult:
    """Scores of every lead under ``model``.

    ``matches[i]`` is rule i's condition mask (None when it could not run), ``decay[i]`` its
    decay factor per lead (None without decay). ``groups_raw`` are subtotals before caps.
    """

    model: Model
    total: np.ndarray
    groups: dict[str, np.ndarray]
    groups_raw: dict[str, np.ndarray]
    mql: np.ndarray
    blocked: np.ndarray
    matches: tuple[np.ndarray | None, ...]
    decay: tuple[np.ndarray | None, ...]
    rule_counts: np.ndarray
    as_of: date = field(default_factory=date.today)

    @property
    def n_rows(self) -> int:
        return len(self.total)

    @property
    def n_mql(self) -> int:
        return int(np.count_nonzero(self.mql))

    @property
    def fit(self) -> np.ndarray:
        return self.groups.get("fit", np.zeros(self.n_rows))

    @property
    def engagement(self) -> np.ndarray:
        return self.groups.get("engagement", np.zeros(self.n_rows))

    def contribution(self, index: int) -> np.ndarray:
        """Points rule ``index`` gives each lead (zero for gates and disabled rules)."""
        rule, mask = self.model.rules[index], self.matches[index]
        if rule.is_gate or not rule.enabled or mask is None:
            return np.zeros(self.n_rows)
        points = np.where(mask, rule.points, 0.0)
        return points * self.decay[index] if self.decay[index] is not None else points

    @property
    def contributions(self) -> np.ndarray:
        """The per-rule contribution matrix, shape (n_rules, n_rows), one contiguous row per rule."""
        if not self.model.rules:
            return np.zeros((0, self.n_rows))
        return np.stack([self.contribution(i) for i in range(len(self.model.rules))])

    def gate_failed(self, index: int) -> np.ndarray:
        """Where rule ``index`` (a gate) blocks a lead."""
        rule, mask = self.model.rules[index], self.matches[index]
        if not rule.is_gate or not rule.enabled or mask is None:
            return np.zeros(self.n_rows, bool)
        return ~mask if rule.kind == "require" else mask.copy()


class Scorer:
    """Scores one lead table under successive models (see the module docstring)."""

    def __init__(self, table, *, as_of: date | None = None) -> None:
        self._frame: pd.DataFrame = table.frame
        self._types: dict[str, ColumnType] = dict(table.types)
        self.as_of = as_of or date.today()
        self._as_of_days = pd.Timestamp(self.as_of).value / NS_PER_DAY
        self._prepared: dict[str, PreparedColumn] = {}
        self._masks: OrderedDict = OrderedDict()
        self._contrib: dict = {}
        self._state: tuple[Counter, dict[str, np.ndarray]] | None = None
        self.n_rows = len(self._frame)

    # -- columns and masks --------------------------------------------------------------------
    def prepared(self, column: str) -> PreparedColumn:
        if column not in self._prepared:
            self._prepared[column] = prepare_column(self._frame[column], self._types[column])
        return self._prepared[column]

    def mask(self, pred: Predicate, rule: str | None = None, is_cancelled=None) -> np.ndarray:
        """Rows where ``pred`` holds (cached; do not modify the returned array)."""
        cached = self._masks.get(pred)
        if cached is not None:
            self._masks.move_to_end(pred)
            return cached
        if isinstance(pred, Condition):
            value = check_condition(pred, self._types, rule)
            out = evaluate_condition(self.prepared(pred.column), OPERATORS[pred.op], value,
                                     self._as_of_days, is_cancelled)
        elif pred.mode == "not":
            out = ~self.mask(pred.items[0], rule, is_cancelled)
        else:
            parts = [self.mask(p, rule, is_cancelled) for p in pred.items]
            out = np.logical_and.reduce(parts) if pred.mode == "all" else np.logical_or.reduce(parts)
        out.setflags(write=False)
        self._masks[pred] = out
        if len(self._masks) > _MASK_CACHE:
            self._masks.popitem(last=False)
        return out

    def decay_factor(self, rule: Rule) -> np.ndarray | None:
        if rule.decay is None:
            return None
        column = rule.decay.date_column
        if column not in self._types or not ColumnType(self._types[column]).is_temporal:
            raise ModelError(f"decay needs a date column; '{column}' is not one in this list",
                             rule.name, "decay")
        age = np.maximum(self._as_of_days - self.prepared(column).values, 0.0)
        factor = np.power(0.5, age / rule.decay.half_life_days)
        factor[np.isnan(factor)] = 1.0       # no date: no decay
        return factor

    # -- scoring ------------------------------------------------------------------------------
    def _contribution(self, rule: Rule, mask: np.ndarray, factor: np.ndarray | None) -> np.ndarray:
        key = (rule.when, rule.points, rule.decay)
        out = self._contrib.get(key)
        if out is None:
            out = np.where(mask, rule.points, 0.0)
            if factor is not None:
                out *= factor
            out.setflags(write=False)
            if len(self._contrib) > _MASK_CACHE:
                self._contrib.clear()
            self._contrib[key] = out
        return out

    def score(self, model: Model, *, on_progress: Callable[[float], None] | None = None,
              is_cancelled: Callable[[], bool] | None = None) -> ScoreResult:
        """Score every lead under ``model``. Raises ModelError when a rule cannot run on this table
        (the window disables such rules first) and Cancelled when ``is_cancelled()`` turns True."""
        n = self.n_rows
        matches, decays, counts = [], [], []
        included: Counter = Counter()
        blocked = np.zeros(n, bool)
        rules = model.rules
        for i, rule in enumerate(rules):
            if is_cancelled is not None and is_cancelled():
                raise Cancelled()
            if not rule.enabled:
                matches.append(None)
                decays.append(None)
                counts.append(0)
                continue
            mask = self.mask(rule.when, rule.name, is_cancelled)
            factor = self.decay_factor(rule) if not rule.is_gate else None
            matches.append(mask)
            decays.append(factor)
            counts.append(int(np.count_nonzero(mask)))
            if rule.kind == "require":
                blocked |= ~mask
            elif rule.kind == "disqualify":
                blocked |= mask
            elif rule.points:
                included[(rule.group, rule.when, rule.points, rule.decay)] += 1
                self._contribution(rule, mask, factor)
            if on_progress is not None:
                on_progress((i + 1) / max(len(rules), 1))
        raw = self._group_sums(included)
        groups = {}
        for group in {g.name for g in model.groups} | set(raw):
            subtotal = raw.get(group)
            if subtotal is None:
                subtotal = raw[group] = np.zeros(n)
            cap = model.group(group).cap
            groups[group] = np.minimum(subtotal, cap) if cap is not None else subtotal
        total = np.zeros(n)
        for values in groups.values():
            total = total + values
        mql = (total >= model.threshold - TOLERANCE) & ~blocked
        for array in (total, mql, blocked, *groups.values(), *raw.values()):
            array.setflags(write=False)
        return ScoreResult(model, total, groups, raw, mql, blocked, tuple(matches), tuple(decays),
                           np.asarray(counts, dtype=np.int64), self.as_of)

    def _group_sums(self, included: Counter) -> dict[str, np.ndarray]:
        """Subtotals per group: the previous ones updated by the rules that changed, or summed
        afresh when many changed."""
        if self._state is not None:
            old_included, old_sums = self._state
            added, removed = included - old_included, old_included - included
            if sum(added.values()) + sum(removed.values()) <= max(2, len(included) // 2):
                sums = {g: s.copy() for g, s in old_sums.items()}
                for key, times in removed.items():
                    sums[key[0]] -= times * self._contrib_for(key)
                for key, times in added.items():
                    sums.setdefault(key[0], np.zeros(self.n_rows))
                    sums[key[0]] += times * self._contrib_for(key)
                self._state = (included, sums)
                return {g: s.copy() for g, s in sums.items()}
        sums: dict[str, np.ndarray] = {}
        for key, times in included.items():
            target = sums.setdefault(key[0], np.zeros(self.n_rows))
            target += times * self._contrib_for(key)
        self._state = (included, sums)
        return {g: s.copy() for g, s in sums.items()}

    def _contrib_for(self, key) -> np.ndarray:
        _group, when, points, decay = key
        cached = self._contrib.get((when, points, decay))
        if cached is not None:
            return cached
        rule = Rule("", when, points, decay=decay)
        return self._contribution(rule, self.mask(when), self.decay_factor(rule))


def score_table(table, model: Model, *, as_of: date | None = None, **kwargs) -> ScoreResult:
    """Score ``table`` once (scripts and the command line)."""
    return Scorer(table, as_of=as_of).score(model, **kwargs)

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
        self._decay: dict = {}
        self._blocked: tuple | None = None
        self._counts: dict = {}
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
        """Each lead's decay multiplier for ``rule`` (cached per decay setting)."""
        if rule.decay is None:
            return None
        cached = self._decay.get(rule.decay)
        if cached is not None:
            return cached
        column = rule.decay.date_column
        if column not in self._types or not ColumnType(self._types[column]).is_temporal:
            raise ModelError(f"decay needs a date column; '{column}' is not one in this list",
                             rule.name, "decay")
        age = np.maximum(self._as_of_days - self.prepared(column).values, 0.0)
        factor = np.power(0.5, age / rule.decay.half_life_days)
        factor[np.isnan(factor)] = 1.0       # no date: no decay
        factor.setflags(write=False)
        self._decay[rule.decay] = factor
        return factor

    # -- scoring ------------------------------------------------------------------------------
    def _add(self, target: np.ndarray, key, sign: float) -> None:
        """Add (sign=1) or take away (sign=-1) one scoring rule's points in place.

        Rules without decay add their points where their mask holds, without building a
        contribution array; decayed contributions are built once and cached."""
        _group, when, points, decay = key
        mask = self.mask(when)
        if decay is None:
            target += mask * (sign * points)     # faster than np.add(..., where=mask)
            return
        contribution = self._contrib.get((when, points, decay))
        if contribution is None:
            factor = self.decay_factor(Rule("", when, points, decay=decay))
            contribution = np.where(mask, points * factor, 0.0)
            if len(self._contrib) > _MASK_CACHE:
                self._contrib.clear()
            self._contrib[(when, points, decay)] = contribution
        if sign > 0:
            target += contribution
        else:
            target -= contribution

    def score(self, model: Model, *, on_progress: Callable[[float], None] | None = None,
              is_cancelled: Callable[[], bool] | None = None) -> ScoreResult:
        """Score every lead under ``model``. Raises ModelError when a rule cannot run on this table
        (the window disables such rules first) and Cancelled when ``is_cancelled()`` turns True."""
        n = self.n_rows
        matches, decays, counts = [], [], []
        included: Counter = Counter()
        gates: list = []
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
            counts.append(self._count(rule.when, mask))
            if rule.is_gate:
                gates.append((rule.kind, rule.when))
            elif rule.points:
                included[(rule.group, rule.when, rule.points, rule.decay)] += 1
            if on_progress is not None:
                on_progress((i + 1) / max(len(rules), 1))
        blocked, unblocked = self._blocked_by(tuple(gates))
        raw = self._group_sums(included)
        groups = {}
        for group in {g.name for g in model.groups} | set(raw):
            subtotal = raw.get(group)
            if subtotal is None:
                subtotal = raw[group] = np.zeros(n)
            cap = model.group(group).cap
            groups[group] = np.minimum(subtotal, cap) if cap is not None else subtotal
        subtotals = list(groups.values())
        total = subtotals[0] + subtotals[1] if len(subtotals) > 1 else subtotals[0].copy()
        for values in subtotals[2:]:
            total += values
        mql = total >= model.threshold - TOLERANCE
        mql &= unblocked
        for array in (total, mql, *groups.values(), *raw.values()):
            array.setflags(write=False)
        return ScoreResult(model, total, groups, raw, mql, blocked, tuple(matches), tuple(decays),
                           np.asarray(counts, dtype=np.int64), self.as_of)

    def _count(self, pred: Predicate, mask: np.ndarray) -> int:
        count = self._counts.get(pred)
        if count is None:
            if len(self._counts) > _MASK_CACHE:
                self._counts.clear()
            count = self._counts[pred] = int(np.count_nonzero(mask))
        return count

    def _blocked_by(self, gates: tuple) -> tuple[np.ndarray, np.ndarray]:
        """Leads blocked by the enabled gates, and the others (cached while the gates stay)."""
        if self._blocked is not None and self._blocked[0] == gates:
            return self._blocked[1], self._blocked[2]
        blocked = np.zeros(self.n_rows, bool)
        for kind, when in gates:
            mask = self.mask(when)
            blocked |= ~mask if kind == "require" else mask
        unblocked = ~blocked
        blocked.setflags(write=False)
        unblocked.setflags(write=False)
        self._blocked = (gates, blocked, unblocked)
        return blocked, unblocked

    def _group_sums(self, included: Counter) -> dict[str, np.ndarray]:
        """Raw subtotals per group: the previous ones updated by the rules that changed, or summed
        afresh when many changed. Returned arrays are new; earlier results are never touched."""
        if self._state is not None:
            old_included, old_sums = self._state
            added, removed = included - old_included, old_included - included
            if sum(added.values()) + sum(removed.values()) <= max(2, len(included) // 2):
                touched = {key[0] for key in (*added, *removed)}
                sums = {g: (s.copy() if g in touched else s) for g, s in old_sums.items()}
                for key, times in removed.items():
                    for _ in range(times):
                        self._add(sums[key[0]], key, -1.0)
                for key, times in added.items():
                    target = sums.setdefault(key[0], np.zeros(self.n_rows))
                    for _ in range(times):
                        self._add(target, key, 1.0)
                self._state = (included, sums)
                return dict(sums)
        sums: dict[str, np.ndarray] = {}
        for key, times in included.items():
            target = sums.setdefault(key[0], np.zeros(self.n_rows))
            for _ in range(times):
                self._add(target, key, 1.0)
        self._state = (included, sums)
        return dict(sums)


def score_table(table, model: Model, *, as_of: date | None = None, **kwargs) -> ScoreResult:
    """Score ``table`` once (scripts and the command line)."""
    return Scorer(table, as_of=as_of).score(model, **kwargs)

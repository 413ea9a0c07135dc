"""Vectorised scoring with caches, so re-scoring after one rule edit evaluates that rule only.

``Scorer`` prepares columns lazily (once per column) and caches one read-only boolean mask per
condition (compound conditions too), so a model edit re-evaluates only the conditions that changed.
Group subtotals are kept from the previous score and updated by the difference when few rules
changed; when one rule's condition changed and its points did not, only the leads whose match
changed are touched. Results are immutable snapshots: every array handed out is read-only and later
scores never modify it (they copy a subtotal before updating it).

Decay: a rule's points halve every ``half_life_days`` since the lead's date in ``date_column``,
counted to ``as_of``; a lead without that date keeps full points, a date after ``as_of`` counts as
age 0 (points never grow). Caps apply to a group's subtotal: ``min(subtotal, cap)``, so negative
subtotals are never raised. Disabled rules neither score nor block.

Thread-safety: a Scorer is not locked. Use it from one thread at a time (the window scores on one
worker and waits for it before the next score); results may be read from any thread.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Callable

import numpy as np
import pandas as pd

from scoring.column_types import ColumnType
from scoring.errors import Cancelled, ModelError
from scoring.evaluate.prepared import NS_PER_DAY, PreparedColumn, evaluate_condition, prepare_column
from scoring.evaluate.result import TOLERANCE, ScoreResult
from scoring.model.definition import Condition, Model, Predicate, Rule
from scoring.model.model_file import check_condition
from scoring.model.operators import OPERATORS

__all__ = ["Scorer", "ScoreResult", "TOLERANCE", "score_table"]

_MASK_CACHE = 512        # most masks kept (fewer on big tables: see Scorer.__init__)
_CONTRIB_CACHE = 8       # decay factors and decayed contributions kept (8 bytes a lead each)
_REFRESH = 200           # incremental subtotal updates before summing afresh
_SPARSE_SHARE = 0.125    # finish on the changed leads only when they are at most this share


class Scorer:
    """Scores one lead table under successive models (see the module docstring).

    Parameters
    ----------
    table : a ``LeadTable`` or anything with ``.frame`` (DataFrame) and ``.types``
        (column name -> ColumnType or its value)
    as_of : the date "today" is for ``within_days``, ``older_than_days`` and decay; default today.
        Setting ``scorer.as_of`` later clears the caches that depend on it.
    """

    def __init__(self, table, *, as_of: date | None = None) -> None:
        self._frame: pd.DataFrame = table.frame
        self._types: dict[str, ColumnType] = {k: ColumnType(v) for k, v in table.types.items()}
        self.n_rows = len(self._frame)
        self._prepared: dict[str, PreparedColumn] = {}
        self._scratch: np.ndarray | None = None
        # a mask is 1 byte a lead: keep about 200 MB of them, and at least a big model's worth
        self._mask_limit = max(64, min(_MASK_CACHE, 200_000_000 // max(self.n_rows, 1)))
        self.as_of = as_of or date.today()

    @property
    def as_of(self) -> date:
        return self._as_of

    @as_of.setter
    def as_of(self, value: date) -> None:
        self._as_of = value
        self._as_of_days = pd.Timestamp(value).value / NS_PER_DAY
        self.clear_cache()

    def clear_cache(self) -> None:
        """Forget masks, decay factors and subtotals (prepared columns stay)."""
        self._masks: OrderedDict = OrderedDict()
        self._contrib: OrderedDict = OrderedDict()
        self._decay: OrderedDict = OrderedDict()
        self._blocked: tuple | None = None
        self._counts: dict = {}
        self._state: tuple[Counter, dict[str, np.ndarray]] | None = None
        self._last: tuple | None = None       # the previous score's finish key and arrays
        self._updates = 0

    # -- columns and masks --------------------------------------------------------------------
    def prepared(self, column: str) -> PreparedColumn:
        """``column`` converted for evaluation (done once per column, then cached)."""
        if column not in self._prepared:
            self._prepared[column] = prepare_column(self._frame[column], self._types[column])
        return self._prepared[column]

    def rescore_with(self, table, changed=()) -> "Scorer":
        """A scorer for ``table``, a version of this scorer's table in which only the columns in
        ``changed`` differ (a joined column recomputed): the other columns' preparations are kept,
        so scoring it prepares only what changed."""
        other = Scorer(table, as_of=self.as_of)
        prepared = dict(self._prepared)          # one atomic copy: another thread may be adding
        other._prepared = {c: p for c, p in prepared.items()
                           if c not in changed and other._types.get(c) == self._types.get(c)
                           and len(other._frame) == len(self._frame)}
        return other

    def prepare(self, model: Model, *, threads: int = 2) -> None:
        """Prepare every column ``model``'s enabled rules read, ``threads`` columns at a time.

        Optional: scoring prepares columns as it meets them. Calling this first (on a worker) lets
        the first score of a big list convert its columns in parallel (numpy, pandas and pyarrow
        release the GIL for most of the work). Columns the table lacks are skipped.
        """
        wanted = sorted({c for rule in model.rules if rule.enabled for c in _columns_of(rule)}
                        - set(self._prepared))
        wanted = [c for c in wanted if c in self._types]
        if len(wanted) < 2 or threads < 2:
            for column in wanted:
                self.prepared(column)
            return
        with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="leadbench-prepare") as pool:
            done = list(pool.map(lambda c: prepare_column(self._frame[c], self._types[c]), wanted))
        self._prepared.update(zip(wanted, done))

    def mask(self, pred: Predicate, rule: str | None = None, is_cancelled=None) -> np.ndarray:
        """Rows where ``pred`` holds (cached and read-only)."""
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
            out = out.copy() if len(parts) == 1 else out
        out.setflags(write=False)
        self._masks[pred] = out
        if len(self._masks) > self._mask_limit:
            self._masks.popitem(last=False)
        return out

    def decay_factor(self, rule: Rule) -> np.ndarray | None:
        """Each lead's decay multiplier for ``rule``: 0.5 ** (age / half-life), age in days
        before ``as_of`` clipped at 0 (future dates do not grow points); 1 where the date is
        missing (no date: no decay). Cached per decay setting."""
        if rule.decay is None:
            return None
        cached = self._decay.get(rule.decay)
        if cached is not None:
            self._decay.move_to_end(rule.decay)
            return cached
        column = rule.decay.date_column
        if column not in self._types or not self._types[column].is_temporal:
            raise ModelError(f"decay needs a date column; '{column}' is not one in this list. "
                             "Pick a date column or remove the decay.", rule.name, "decay")
        prep = self.prepared(column)
        rate = -1.0 / rule.decay.half_life_days
        if prep.day_codes is not None:        # whole days: one factor per day, then gathered
            days = prep.first_day + np.arange(prep.n_days, dtype=np.float64)
            per_day = np.exp2(np.maximum(self._as_of_days - days, 0.0) * rate)
            factor = np.append(per_day, 1.0)[prep.day_codes]      # code -1 (no date): 1.0
        else:
            factor = np.exp2(np.maximum(self._as_of_days - prep.values, 0.0) * rate)
            factor[prep.missing] = 1.0
        factor.setflags(write=False)
        self._decay[rule.decay] = factor
        if len(self._decay) > _CONTRIB_CACHE:      # dragging a half-life makes many settings
            self._decay.popitem(last=False)
        return factor

    # -- scoring ------------------------------------------------------------------------------
    def score(self, model: Model, *, on_progress: Callable[[float], None] | None = None,
              is_cancelled: Callable[[], bool] | None = None) -> ScoreResult:
        """Score every lead under ``model``.

        Raises ModelError when a rule cannot run on this table (missing column, operator that
        does not fit the column's type, bad value) and Cancelled when ``is_cancelled()`` turns
        True (checked between rules, and between batches of a slow pattern).
        """
        matches, decays, counts = [], [], []
        included: Counter = Counter()
        gates: list = []
        rules = model.rules
        for i, rule in enumerate(rules):
            if is_cancelled is not None and is_cancelled():
                raise Cancelled()
            if not rule.enabled:
                matches.append(self._nothing())
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
                included[(rule.group, rule.when, float(rule.points), rule.decay)] += 1
            if on_progress is not None:
                on_progress((i + 1) / max(len(rules), 1))
        blocked, unblocked = self._blocked_by(tuple(gates))
        raw, rows = self._group_sums(included)
        names = list(dict.fromkeys([*(g.name for g in model.groups), *raw]))
        for group in names:
            if group not in raw:
                raw[group] = self._zeros()
        caps = tuple((g, model.group(g).cap) for g in names)
        finish = (caps, float(model.threshold), tuple(gates))
        last = self._last
        if (last is not None and last[0] == finish and rows is not None
                and len(rows) <= self.n_rows * _SPARSE_SHARE):
            groups, total, mql = self._finish_rows(raw, rows, caps, model.threshold, unblocked)
        else:
            same = last is not None and last[0][0] == caps
            kept = {g: last[2][g] for g, _ in caps if same and raw[g] is last[1][g]}
            groups, total, mql = self._finish(raw, caps, model.threshold, unblocked, kept)
        for array in (total, mql, *groups.values(), *raw.values()):
            array.setflags(write=False)
        self._last = (finish, raw, groups, total, mql)
        counts = np.asarray(counts, dtype=np.int64)
        counts.setflags(write=False)
        return ScoreResult(model, total, groups, raw, mql, blocked, tuple(matches), tuple(decays),
                           counts, self.as_of)

    @staticmethod
    def _finish(raw, caps, threshold, unblocked, kept):
        """Capped groups (``kept``: capped groups still valid from the previous score), total
        and MQL flags for every lead."""
        groups = {g: kept[g] if g in kept else np.minimum(raw[g], cap) if cap is not None
                  else raw[g] for g, cap in caps}
        subtotals = list(groups.values())
        total = np.add(subtotals[0], subtotals[1]) if len(subtotals) > 1 else subtotals[0].copy()
        for values in subtotals[2:]:
            total += values
        mql = total >= threshold - TOLERANCE
        mql &= unblocked
        return groups, total, mql

    def _finish_rows(self, raw, rows, caps, threshold, unblocked):
        """The previous score's groups, total and MQL flags, recomputed on ``rows`` only (the
        leads whose subtotals changed); same arithmetic, in the same order, as _finish."""
        _finish, last_raw, last_groups, last_total, last_mql = self._last
        if not len(rows):
            return last_groups, last_total, last_mql
        groups = {}
        for g, cap in caps:
            if raw[g] is last_raw[g] or cap is None:
                groups[g] = last_groups[g] if raw[g] is last_raw[g] else raw[g]
            else:
                groups[g] = last_groups[g].copy()
                groups[g][rows] = np.minimum(raw[g][rows], cap)
        parts = [values[rows] for values in groups.values()]
        total = last_total.copy()
        total[rows] = np.add(parts[0], parts[1]) if len(parts) > 1 else parts[0]
        for part in parts[2:]:
            total[rows] += part
        mql = last_mql.copy()
        mql[rows] = (total[rows] >= threshold - TOLERANCE) & unblocked[rows]
        return groups, total, mql

    def _nothing(self) -> np.ndarray:
        """The shared read-only all-False mask of a disabled rule."""
        out = self._masks.get(None)
        if out is None:
            out = np.zeros(self.n_rows, bool)
            out.setflags(write=False)
            self._masks[None] = out
        return out

    def _zeros(self) -> np.ndarray:
        out = np.zeros(self.n_rows)
        out.setflags(write=False)
        return out

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
            if kind == "require":
                np.logical_or(blocked, ~mask, out=blocked)
            else:
                np.logical_or(blocked, mask, out=blocked)
        unblocked = ~blocked
        blocked.setflags(write=False)
        unblocked.setflags(write=False)
        self._blocked = (gates, blocked, unblocked)
        return blocked, unblocked

    # -- group subtotals ----------------------------------------------------------------------
    def _contribution(self, key) -> np.ndarray:
        """A decayed rule's points per lead (cached for a few rules: 8 bytes a lead each)."""
        _group, when, points, decay = key
        cached = self._contrib.get(key)
        if cached is not None:
            self._contrib.move_to_end(key)
            return cached
        factor = self.decay_factor(Rule("", when, points, decay=decay))
        out = np.multiply(factor, points)
        out *= self.mask(when)
        self._contrib[key] = out
        if len(self._contrib) > _CONTRIB_CACHE:
            self._contrib.popitem(last=False)
        return out

    def _add(self, target: np.ndarray, key, sign: float) -> None:
        """Add (sign=1) or take away (sign=-1) one scoring rule's points, in place."""
        _group, when, points, decay = key
        if decay is not None:
            (np.add if sign > 0 else np.subtract)(target, self._contribution(key), out=target)
            return
        if self._scratch is None:
            self._scratch = np.empty(self.n_rows)
        np.multiply(self.mask(when), sign * points, out=self._scratch)
        np.add(target, self._scratch, out=target)

    def _swap(self, target: np.ndarray, old, new) -> np.ndarray | None:
        """Replace rule ``old`` by ``new`` (same group) in place and return the leads touched,
        or None when they are too many to list.

        Same points and decay, another condition: only the leads whose match changed are
        touched. Same condition, other points, no decay: one pass adding the difference.
        Anything else: take ``old`` away and add ``new``."""
        if old[2:] == new[2:]:
            old_mask, new_mask = self.mask(old[1]), self.mask(new[1])
            rows = np.flatnonzero(old_mask ^ new_mask)
            if len(rows):
                sign = np.where(new_mask[rows], 1.0, -1.0)
                points = new[2] if new[3] is None else new[2] * self.decay_factor(
                    Rule("", new[1], new[2], decay=new[3]))[rows]
                target[rows] += sign * points
            return rows
        if old[1] == new[1] and old[3] is None and new[3] is None:
            self._add(target, (new[0], new[1], new[2] - old[2], None), 1.0)
            return None
        self._add(target, old, -1.0)
        self._add(target, new, 1.0)
        return None

    def _group_sums(self, included: Counter) -> tuple[dict[str, np.ndarray], np.ndarray | None]:
        """Raw subtotals per group: the previous ones updated by the rules that changed, or summed
        afresh when many changed (and every _REFRESH updates, so rounding cannot creep).
        Also the leads whose subtotals may have changed (None: any of them).
        Changed subtotals are new arrays; arrays of earlier results are never touched."""
        if self._state is not None and self._updates < _REFRESH:
            old_included, old_sums = self._state
            added, removed = included - old_included, old_included - included
            n_added, n_removed = sum(added.values()), sum(removed.values())
            if n_added + n_removed <= max(2, len(included) // 2):
                touched = {key[0] for key in (*added, *removed)}
                sums = {g: (s.copy() if g in touched else s) for g, s in old_sums.items()}
                (old, _), = removed.items() if n_removed == 1 else ((None, 0),)
                (new, _), = added.items() if n_added == 1 else ((None, 0),)
                rows = np.zeros(0, np.intp) if not n_added + n_removed else None
                if old is not None and new is not None and old[0] == new[0]:
                    rows = self._swap(sums[old[0]], old, new)
                else:
                    for key, times in removed.items():
                        for _ in range(times):
                            self._add(sums[key[0]], key, -1.0)
                    for key, times in added.items():
                        if key[0] not in sums:
                            sums[key[0]] = np.zeros(self.n_rows)
                        for _ in range(times):
                            self._add(sums[key[0]], key, 1.0)
                self._state = (included, sums)
                self._updates += 1
                return dict(sums), rows
        sums: dict[str, np.ndarray] = {}
        by_group: dict[str, list] = {}
        for key, times in included.items():
            by_group.setdefault(key[0], []).append((key, times))
        for group, items in by_group.items():
            plain = [(key, times) for key, times in items if key[3] is None]
            target = self._integer_sum(plain)
            if target is None:
                target, plain = np.zeros(self.n_rows), []
            for key, times in items:
                if (key, times) not in plain:
                    for _ in range(times):
                        self._add(target, key, 1.0)
            sums[group] = target
        self._state = (included, sums)
        self._updates = 0
        return dict(sums), None

    def _integer_sum(self, items: list) -> np.ndarray | None:
        """The summed points of undecayed rules, accumulated in int8, int16 or int32 when every
        rule's points are whole numbers after scaling by 1, 10 or 100: 2-8 times less memory
        traffic than float64, and exact. None when the points do not allow it."""
        if not items:
            return None
        weights = [key[2] * times for key, times in items]
        for scale in (1, 10, 100):
            scaled = [w * scale for w in weights]
            if all(abs(w - round(w)) < 1e-9 for w in scaled):
                break
        else:
            return None
        bound = sum(abs(round(w)) for w in scaled)
        dtype = (np.int8 if bound < 2**7 else np.int16 if bound < 2**15 else np.int32
                 if bound < 2**31 else None)
        if dtype is None:
            return None
        acc = np.zeros(self.n_rows, dtype)
        scratch = np.empty(self.n_rows, dtype)
        for (key, _times), weight in zip(items, scaled):
            np.multiply(self.mask(key[1]), dtype(round(weight)), out=scratch)
            np.add(acc, scratch, out=acc)
        out = acc.astype(np.float64)
        if scale != 1:
            out /= scale
        return out


def score_table(table, model: Model, *, as_of: date | None = None, **kwargs) -> ScoreResult:
    """Score ``table`` once (scripts and the command line)."""
    return Scorer(table, as_of=as_of).score(model, **kwargs)


def _columns_of(rule: Rule) -> set[str]:
    """The columns a rule reads: its conditions' and its decay's date column."""
    out, stack = set(), [rule.when]
    while stack:
        pred = stack.pop()
        if isinstance(pred, Condition):
            out.add(pred.column)
        else:
            stack.extend(pred.items)
    if rule.decay is not None:
        out.add(rule.decay.date_column)
    return out

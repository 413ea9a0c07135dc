"""The outcome of scoring a lead list: an immutable snapshot of every lead's scores.

``ScoreResult`` is built by ``scoring.evaluate.engine.Scorer`` (and re-exported there); every array in it
is read-only, and later scores never modify it, so the window and an export may read it from any
thread while the next score runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import numpy as np

from scoring.model.definition import Model

__all__ = ["ScoreResult", "TOLERANCE"]

#: Scores compare to the threshold with this tolerance: total >= threshold - TOLERANCE.
TOLERANCE = 1e-9


@dataclass(frozen=True, eq=False)
class ScoreResult:
    """Scores of every lead under ``model``: an immutable snapshot (every array is read-only and
    no later score changes it).

    Attributes
    ----------
    model : the model scored
    total : float64 per lead, the sum of the (capped) group subtotals
    groups : group name -> capped subtotal per lead (``fit`` and ``engagement`` always present)
    groups_raw : group name -> subtotal before its cap
    mql : bool per lead: ``total >= threshold - 1e-9`` and not blocked
    blocked : bool per lead: a ``require`` rule failed or a ``disqualify`` rule matched
    matches : per rule, its condition mask (bool per lead; all False for a disabled rule).
        ``np.stack(result.matches)`` is the (n_rules, n_rows) matrix.
    decay : per rule, its decay factor per lead (None without decay)
    rule_counts : leads each rule matches (0 for disabled rules)
    as_of : the date decay and "within the last N days" counted from
    """

    model: Model
    total: np.ndarray
    groups: dict[str, np.ndarray]
    groups_raw: dict[str, np.ndarray]
    mql: np.ndarray
    blocked: np.ndarray
    matches: tuple[np.ndarray, ...]
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
        # never ``get(name, np.zeros(n))``: the default would be allocated on every call (80 MB
        # at ten million leads, on the window's GUI thread)
        return self.groups["fit"] if "fit" in self.groups else np.zeros(self.n_rows)

    @property
    def engagement(self) -> np.ndarray:
        return self.groups["engagement"] if "engagement" in self.groups else np.zeros(self.n_rows)

    def contribution(self, index: int) -> np.ndarray:
        """Points rule ``index`` gives each lead, after decay and before caps (zero for gates
        and disabled rules)."""
        rule, mask = self.model.rules[index], self.matches[index]
        if rule.is_gate or not rule.enabled:
            return np.zeros(self.n_rows)
        points = np.multiply(mask, float(rule.points))
        return points * self.decay[index] if self.decay[index] is not None else points

    @cached_property
    def contributions(self) -> np.ndarray:
        """The per-rule contribution matrix, float64 (n_rules, n_rows) in C order: one contiguous
        row per rule. Built on first use (8 bytes per lead and rule), then kept."""
        out = np.zeros((len(self.model.rules), self.n_rows))
        for i in range(len(self.model.rules)):
            out[i] = self.contribution(i)
        out.setflags(write=False)
        return out

    def gate_failed(self, index: int) -> np.ndarray:
        """Where rule ``index`` blocks a lead (all False unless it is an enabled gate)."""
        rule, mask = self.model.rules[index], self.matches[index]
        if not rule.is_gate or not rule.enabled:
            return np.zeros(self.n_rows, bool)
        return ~mask if rule.kind == "require" else mask.copy()

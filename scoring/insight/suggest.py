"""Suggested rules: points proposed from the outcome column, ready to add to the model.

Two ways to weigh each value of the chosen columns:

``"logistic"`` (default)
    An L2-regularised logistic regression on one-hot columns, fitted by Newton's method (IRLS)
    in numpy. It weighs each value *given the other columns*, so two columns telling the same
    story share the credit. Leads with the same combination of values are fitted as one row
    with a count, and the normal equations are built from ``np.bincount`` over code pairs, so a
    million leads take about a second.
``"log_odds"``
    Each value on its own: the smoothed log-odds of winning against the base rate (weight of
    evidence), pulled towards the base rate by ``prior_leads`` pseudo-leads.

Weights are centred per column (the average lead gets 0) and scaled so the strongest value
gets ``±max_points``. Values with fewer than ``min_count`` settled leads get no rule; the report
says which and why. Number columns are cut into quantile ranges
(:func:`scoring.insight.analytics.prepare_bins`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.errors import Cancelled, LeadbenchError
from scoring.insight.analytics import PreparedCategory, prepare_attribute
from scoring.insight.conversion import MIN_SUPPORT
from scoring.model.definition import FIT, Compound, Condition, Rule
from scoring.model.describe import SHORT_NAME_LIMIT, short_column_label

__all__ = ["Suggestion", "SuggestionReport", "suggest_rules", "fit_logistic", "condition_for",
           "MAX_VALUES"]

#: Most distinct values per column that get their own weight; rarer ones are pooled.
MAX_VALUES = 40
_MAX_ITER = 60
_NEWTON_STEPS = 5            # full Hessians before reusing the last one


@dataclass(frozen=True)
class Suggestion:
    """One proposed rule and the evidence behind it."""

    rule: Rule
    column: str
    value: str                # the value's label ("Google", "5 – 8", "Yes", "(empty)")
    leads: int                # settled leads with this value
    won: int
    conversion_rate: float
    lift: float               # conversion_rate / base rate
    weight: float             # the fitted (centred) log-odds weight before scaling


@dataclass(frozen=True)
class SuggestionReport:
    """Suggestions (strongest first), the values left out and why, and the fit's facts."""

    suggestions: tuple[Suggestion, ...]
    skipped: tuple[str, ...]
    base_rate: float
    method: str
    settled: int

    def rules(self) -> tuple[Rule, ...]:
        return tuple(s.rule for s in self.suggestions)


def _check(is_cancelled: Callable[[], bool] | None) -> None:
    if is_cancelled is not None and is_cancelled():
        raise Cancelled()


def _limit_values(col: PreparedCategory, counts: np.ndarray, min_count: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Codes with the unsupported and too-many values pooled into one extra code.

    Returns the new codes, a map new code -> original code (-1 for the pool) and the pool code.
    """
    keep = counts >= min_count
    if keep.sum() > MAX_VALUES:
        keep &= counts >= np.sort(counts[keep])[-MAX_VALUES]
    kept = np.flatnonzero(keep)
    remap = np.full(col.n_codes, len(kept), np.int64)
    remap[kept] = np.arange(len(kept))
    return remap[col.codes], np.append(kept, -1), len(kept)


def _compress(codes: Sequence[np.ndarray], sizes: Sequence[int], won: np.ndarray):
    """Leads with the same combination of codes as one row with a count, when that helps."""
    ones = (np.ones(len(won)), won.astype(np.float64), [c.astype(np.int32) for c in codes])
    if np.prod(np.asarray(sizes, float)) >= 2.0 ** 62 or len(won) == 0:
        return ones
    key = np.zeros(len(won), np.int64)
    for c, size in zip(codes, sizes):
        key = key * size + c
    ordered = np.sort(key)
    if np.count_nonzero(ordered[1:] != ordered[:-1]) + 1 > len(won) // 2:
        return ones                                   # too few repeats to pay for the grouping
    _uniq, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return (np.bincount(inverse).astype(np.float64), np.bincount(inverse, weights=won),
            [c[first].astype(np.int32) for c in codes])


def _hessian(rows, sizes, offsets, w: np.ndarray, l2: float) -> np.ndarray:
    """X'WX + l2 I of the one-hot design (plus the unpenalised intercept last), by bincounts."""
    k = int(offsets[-1])
    hess = np.zeros((k + 1, k + 1))
    hess[k, k] = w.sum()
    for i, (ri, si) in enumerate(zip(rows, sizes)):
        a = slice(offsets[i], offsets[i + 1])
        diag = np.bincount(ri, weights=w, minlength=si)
        hess[a, a] = np.diag(diag + l2)
        hess[a, k] = hess[k, a] = diag
        for j in range(i + 1, len(rows)):
            rj, sj = rows[j], sizes[j]
            block = np.bincount(ri * np.int32(sj) + rj, weights=w, minlength=si * sj).reshape(si, sj)
            hess[a, offsets[j]:offsets[j + 1]] = block
            hess[offsets[j]:offsets[j + 1], a] = block.T
    return hess


def fit_logistic(codes: Sequence[np.ndarray], sizes: Sequence[int], won: np.ndarray, *,
                 l2: float = 1.0, is_cancelled: Callable[[], bool] | None = None,
                 on_iteration: Callable[[int], None] | None = None) -> tuple[float, list[np.ndarray]]:
    """L2-regularised logistic regression on one-hot encoded code columns (Newton / IRLS).

    Maximises ``loglik - l2/2 * |beta|^2`` (the intercept is not penalised), the objective
    of scikit-learn's ``LogisticRegression(C=1/l2)`` on full one-hot columns. The Hessian
    (the costly part: one bincount per pair of columns) is rebuilt for the first Newton steps
    only; later steps reuse it, which converges to the same optimum.

    Parameters
    ----------
    codes : per column, the code (0..size-1) of each lead
    sizes : per column, its number of codes
    won : bool per lead

    Returns
    -------
    intercept, and per column an array of ``size`` weights
    """
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    k = int(offsets[-1])
    n_rows, y_rows, rows = _compress(codes, sizes, np.asarray(won, bool))
    intercept = math.log(max(y_rows.sum(), 0.5) / max(n_rows.sum() - y_rows.sum(), 0.5))
    beta = np.zeros(k)
    hess = None
    for iteration in range(_MAX_ITER):
        _check(is_cancelled)
        eta = np.full(len(n_rows), intercept)
        for i, r in enumerate(rows):
            eta += beta[offsets[i]:offsets[i + 1]][r]
        p = 1.0 / (1.0 + np.exp(-eta))
        resid = y_rows - n_rows * p
        grad = np.empty(k + 1)
        grad[k] = resid.sum()
        for i, (ri, si) in enumerate(zip(rows, sizes)):
            grad[offsets[i]:offsets[i + 1]] = (np.bincount(ri, weights=resid, minlength=si)
                                               - l2 * beta[offsets[i]:offsets[i + 1]])
        if hess is None or iteration < _NEWTON_STEPS:
            hess = _hessian(rows, sizes, offsets, n_rows * p * (1 - p), l2)
        step = np.linalg.solve(hess, grad)
        beta += step[:k]
        intercept += step[k]
        if on_iteration is not None:
            on_iteration(iteration)
        if np.max(np.abs(step)) < 1e-7:
            break
    return float(intercept), [beta[offsets[i]:offsets[i + 1]].copy() for i in range(len(sizes))]


def condition_for(col: PreparedCategory, code: int) -> Condition | Compound:
    """The rule condition matching exactly the leads with ``code`` in ``col``."""
    if code == col.missing_code:
        return Condition(col.name, "is_empty")
    variants = col.variants[code]
    if col.kind == "boolean":
        return Condition(col.name, "is_true" if variants[0] else "is_false")
    if col.kind == "bins":
        lo, hi = variants
        top, bottom = code == len(col.edges) - 2, code == 0
        if col.whole_numbers:
            lo_v, hi_v = math.ceil(lo), math.ceil(hi) - 1
            if top:
                return Condition(col.name, "gte", lo_v)
            return Condition(col.name, "lte", hi_v) if bottom else Condition(col.name, "between", (lo_v, hi_v))
        if top:
            return Condition(col.name, "gte", lo)
        if bottom:
            return Condition(col.name, "lt", hi)
        return Compound("all", (Condition(col.name, "gte", lo), Condition(col.name, "lt", hi)))
    if len(variants) == 1:
        return Condition(col.name, "eq", variants[0])
    return Condition(col.name, "in", tuple(variants))


def _skipped_messages(col: PreparedCategory, leads: np.ndarray, back: np.ndarray,
                      min_count: int) -> list[str]:
    """Plain-words notes on the values of ``col`` that get no rule."""
    rare = [c for c in np.flatnonzero((leads > 0) & (leads < min_count))]
    if len(rare) <= 3:
        out = [f"{col.name} = {col.labels[c]}: only {leads[c]} lead{'s' if leads[c] != 1 else ''}, "
               f"too few to trust (a rule needs {min_count})" for c in rare]
    else:
        names = ", ".join(col.labels[c] for c in rare[:5]) + (", ..." if len(rare) > 5 else "")
        out = [f"{col.name}: {len(rare)} values have fewer than {min_count} leads each and get "
               f"no rule ({names})"]
    many = int(((leads >= min_count).sum()) - (back >= 0).sum())
    if many > 0:
        out.append(f"{col.name}: only the {MAX_VALUES} most common values get a rule; "
                   f"{many} other values with enough leads were pooled")
    return out


def _rule_name(col: PreparedCategory, label: str) -> str:
    """Short, as the rule editor and the starting model name rules: "Occupation: Student"."""
    column = short_column_label(col.name)
    name = f"{column} {label}" if col.kind == "bins" else f"{column}: {label}"
    return name if len(name) <= SHORT_NAME_LIMIT else name[:SHORT_NAME_LIMIT - 1].rstrip(" ,") + "…"


def suggest_rules(columns: Sequence[pd.Series | PreparedCategory], won: np.ndarray, *,
                  known: np.ndarray | None = None, method: str = "logistic",
                  max_points: float = 30.0, min_count: int = MIN_SUPPORT, l2: float = 1.0,
                  prior_leads: float = 20.0, group: str = FIT, bins: int = 4,
                  on_progress: Callable[[float], None] | None = None,
                  is_cancelled: Callable[[], bool] | None = None) -> SuggestionReport:
    """Propose a scoring rule for each well-supported value of ``columns``.

    Parameters
    ----------
    columns : lead-frame columns (prepared here) or already prepared columns
    won, known : the outcome (bool per lead); unsettled leads are left out of the fit
    method : "logistic" or "log_odds" (see the module docstring)
    max_points : points of the strongest value (others scaled in proportion, rounded)
    min_count : least settled leads for a value to get a rule
    l2 : regularisation strength of the logistic regression (``1/C``)
    prior_leads : smoothing strength of "log_odds"
    group : the score group of the proposed rules
    bins : quantile ranges per number column

    Returns
    -------
    SuggestionReport
        Suggestions sorted by the size of their points, strongest first; rules with 0
        points after rounding are left out.
    """
    if method not in ("logistic", "log_odds"):
        raise LeadbenchError(f'Unknown suggestion method "{method}": use "logistic" or "log_odds".')
    if not columns:
        raise LeadbenchError("Choose at least one column to suggest rules from.")
    report = on_progress or (lambda _f: None)
    won = np.asarray(won, bool)
    known = np.ones(len(won), bool) if known is None else np.asarray(known, bool)
    prepared = []
    for i, column in enumerate(columns):
        _check(is_cancelled)
        prepared.append(column if isinstance(column, PreparedCategory)
                        else prepare_attribute(column, bins=bins))
        report(0.4 * (i + 1) / len(columns))
    y = won[known]
    settled = len(y)
    n_won = int(y.sum())
    if settled == 0 or n_won == 0 or n_won == settled:
        raise LeadbenchError("Suggestions need both won and lost leads in the outcome column; "
                             f"it has {n_won:,} won of {settled:,} settled leads.")
    base = n_won / settled
    evidence, skipped, codes, sizes, maps = [], [], [], [], []
    for col in prepared:
        c = col.codes[known]
        leads = np.bincount(c, minlength=col.n_codes)
        wins = np.bincount(c, weights=y, minlength=col.n_codes)
        evidence.append((leads, wins))
        new_codes, back, pool = _limit_values(col, leads, min_count)
        skipped.extend(_skipped_messages(col, leads, back, min_count))
        codes.append(new_codes)
        sizes.append(pool + 1)
        maps.append(back)
    _check(is_cancelled)
    if method == "logistic":
        _b0, betas = fit_logistic(codes, sizes, y, l2=l2, is_cancelled=is_cancelled,
                                  on_iteration=lambda it: report(min(0.95, 0.4 + 0.1 * (it + 1))))
    else:
        logit = math.log(base / (1 - base))
        betas = []
        for (leads, wins), back in zip(evidence, maps):
            idx = np.maximum(back, 0)
            n, w = leads[idx].astype(float), wins[idx]
            rate = (w + prior_leads * base) / (n + prior_leads)
            betas.append(np.where(back >= 0, np.log(rate / (1 - rate)) - logit, 0.0))
    candidates = []
    for col, (leads, wins), beta, back in zip(prepared, evidence, betas, maps):
        counts = np.where(back >= 0, leads[np.maximum(back, 0)], 0)
        pooled = len(back) - 1
        counts = counts.astype(float)
        counts[pooled] = len(y) - counts[:pooled].sum()
        centred = beta - np.dot(beta, counts) / counts.sum() if method == "logistic" else beta
        for new, code in enumerate(back):
            if code >= 0:
                candidates.append((col, int(code), float(centred[new]), int(leads[code]), int(wins[code])))
    strongest = max((abs(c[2]) for c in candidates), default=0.0)
    suggestions = []
    for col, code, weight, leads, wins in candidates:
        points = round(weight / strongest * max_points) if strongest > 0 else 0
        if points == 0:
            continue
        rate = wins / leads
        rule = Rule(_rule_name(col, col.labels[code]), condition_for(col, code), float(points), group)
        suggestions.append(Suggestion(rule, col.name, col.labels[code], leads, wins, rate,
                                      rate / base, weight))
    suggestions.sort(key=lambda s: (-abs(s.rule.points), -s.leads))
    report(1.0)
    return SuggestionReport(tuple(suggestions), tuple(skipped), base, method, settled)

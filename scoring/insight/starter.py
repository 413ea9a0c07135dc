"""A starting model from the data: readable rules, back-tested on leads it was not fitted on.

:func:`suggest_starting_model` turns a lead list with an outcome column (won / converted) into a
small scoring model a marketer can read and edit:

1. **Split.** A fixed random share of the leads (``holdout``, 30%) is set aside; everything is
   fitted on the rest, and the figures reported (ROC AUC, precision, recall, MQLs) are measured
   on the leads set aside, so they say how the model does on leads it has not seen.
2. **Columns.** :func:`scoring.insight.starter_columns.screen_columns` keeps the columns worth
   scoring and says why each other column is left out (ids, free text, dates, the outcome and
   columns that restate it: by name, by value, or because they predict it almost perfectly).
3. **Fit.** Numbers are cut into ranges, rare categories pooled, and an L2-regularised logistic
   regression (:func:`scoring.insight.suggest.fit_logistic`) weighs every value given the others.
4. **Make it small.** Each column's values are merged into a few levels (value lists, ranges:
   :mod:`scoring.insight.starter_levels`); the rule budget (``max_rules``) goes, one rule at a
   time, to the column whose next level keeps the most of the fitted weights. The merged levels
   are fitted again, the biggest level of each column gets no rule (0 points), and the others
   get whole points: ``POINTS_PER_DOUBLING`` points for each doubling of the odds of winning.
5. **Threshold.** :func:`scoring.insight.backtest.pick_threshold` picks the lowest threshold
   whose MQLs converted at least twice as often as the average lead (capped halfway to 100%) on
   the fitted leads.

Everything is numpy; a list of 40,000 leads takes about a second.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace

import numpy as np
import pandas as pd

from scoring.column_types import ColumnType
from scoring.errors import Cancelled, LeadbenchError
from scoring.evaluate.engine import Scorer
from scoring.insight.analytics import PreparedCategory
from scoring.insight.backtest import pick_threshold, roc_auc, threshold_metrics, threshold_table
from scoring.insight.outcome import WON_WORDS, guess_won_values, normal_value, outcome_to_bool
from scoring.insight.starter_columns import USABLE_TYPES, LeftOut, screen_columns
from scoring.insight.starter_levels import level_condition, level_label, level_partitions, prepare_column
from scoring.insight.suggest import fit_logistic
from scoring.model.definition import ENGAGEMENT, FIT, AnalysisSettings, ColumnSettings, Model, Rule
from scoring.model.describe import SHORT_NAME_LIMIT, short_column_label
from scoring.reading.tagging import guess_tags

__all__ = ["StarterModel", "HeldOut", "suggest_starting_model", "POINTS_PER_DOUBLING",
           "MIN_SETTLED", "DEFAULT_MAX_RULES"]

#: Points for each doubling of the odds of winning.
POINTS_PER_DOUBLING = 10.0
#: Fewest won and fewest lost leads a starting model is fitted on.
MIN_SETTLED = 20
DEFAULT_MAX_RULES = 15
_SCALE = POINTS_PER_DOUBLING / math.log(2.0)
_MIN_VALUE_LEADS = 30           # rarer categories are pooled ("other values")
_MAX_LEVELS = 6                 # most levels one column is split into
_MIN_GAIN = 2e-4                # a level must keep this much weight variance per fitted lead
_ENGAGEMENT_WORDS = {"visit", "visits", "view", "views", "time", "spent", "activity", "click", "clicks",
                     "open", "opens", "opened", "download", "downloads", "downloaded", "webinar", "demo",
                     "event", "events", "session", "sessions", "page", "pages", "engagement", "campaign",
                     "call", "calls", "previous", "pdays", "duration", "notable", "attended", "requested",
                     "replied", "reply", "form", "trial", "score"}


@dataclass(frozen=True)
class HeldOut:
    """How the model did on leads it was not fitted on (rates NaN when undefined)."""

    leads: int
    settled: int
    won: int
    auc: float
    precision: float
    recall: float
    lift: float
    mqls: int
    base_rate: float


@dataclass(frozen=True, eq=False)
class StarterModel:
    """A suggested starting model and its evidence.

    ``fit_rows``: bool per lead, the leads it was fitted on (the others were held out);
    ``mqls``: MQLs on the whole list; ``fit_auc``: ROC AUC on the fitted leads (beside the
    held-out one, it shows how much the model learnt the fitted leads by heart).
    """

    model: Model
    outcome: str
    won_values: tuple
    columns: tuple[str, ...]
    left_out: tuple[LeftOut, ...]
    fit_rows: np.ndarray
    held_out: HeldOut
    fit_auc: float
    mqls: int
    leads: int
    threshold_note: str
    notes: tuple[str, ...] = field(default=())

    @property
    def fit_leads(self) -> int:
        return int(self.fit_rows.sum())

    @property
    def leaky(self) -> tuple[LeftOut, ...]:
        """Columns left out because they restate the outcome (the outcome itself aside)."""
        return tuple(c for c in self.left_out if c.leaky and c.column != self.outcome
                     and c.column not in self.columns)

    @property
    def warnings(self) -> tuple[LeftOut, ...]:
        """Columns the user asked for that look leaky (used all the same)."""
        return tuple(c for c in self.left_out if c.leaky and c.column in self.columns)

    def summary(self) -> str:
        """"Held out 2,772 leads: ROC AUC 0.87, precision 79%, recall 71%, 912 MQLs"."""
        h = self.held_out
        return (f"On {h.leads:,} leads it was not fitted on: ROC AUC {_fmt(h.auc, '.3f')}, "
                f"precision {_pct(h.precision)}, recall {_pct(h.recall)}, {h.mqls:,} MQLs")

    def lines(self) -> list[str]:
        """The whole report in plain sentences (the command line prints these)."""
        m, h = self.model, self.held_out
        out = [f"Starting model from '{self.outcome}': {len(m.rules)} rules on "
               f"{len(self.columns)} columns, threshold {m.threshold:g}.",
               f"Fitted on {self.fit_leads:,} of {self.leads:,} leads; the figures below are on the "
               f"other {h.leads:,} ({h.settled:,} with an outcome, {h.won:,} won, base rate "
               f"{_pct(h.base_rate)}).",
               f"  ROC AUC {_fmt(h.auc, '.3f')} (on the fitted leads {_fmt(self.fit_auc, '.3f')})",
               f"  Precision (MQL-to-won) {_pct(h.precision)}, recall {_pct(h.recall)}, lift "
               f"{_fmt(h.lift, '.2f')}x, {h.mqls:,} MQLs",
               f"  {self.threshold_note}",
               f"On the whole list: {self.mqls:,} MQLs of {self.leads:,} leads.",
               "", "Columns used: " + ", ".join(self.columns)]
        out += [f"  {note}" for note in self.notes]
        for c in self.warnings:
            out.append(f"  Note: {c.text()}")
        leaky = self.leaky
        if leaky:
            out += ["", "Left out because they restate the outcome:"]
            out += [f"  {c.text()}" for c in leaky]
        others = [c for c in self.left_out if not c.leaky and c.column not in self.columns]
        if others:
            out += ["", "Also left out:"]
            out += [f"  {c.text()}" for c in others]
        return out

    def to_dict(self) -> dict:
        h = self.held_out

        def clean(x):
            return None if isinstance(x, float) and not math.isfinite(x) else x
        return {"outcome": self.outcome, "won_values": [str(v) for v in self.won_values],
                "rules": len(self.model.rules), "threshold": self.model.threshold,
                "columns": list(self.columns), "leads": self.leads, "fit_leads": self.fit_leads,
                "held_out": {k: clean(v) for k, v in vars(h).items()}, "fit_auc": clean(self.fit_auc),
                "mqls": self.mqls, "threshold_note": self.threshold_note,
                "left_out": [{"column": c.column, "reason": c.reason, "leaky": c.leaky}
                             for c in self.left_out]}


def _pct(x: float) -> str:
    return "n/a" if not math.isfinite(x) else f"{x:.0%}"


def _fmt(x: float, spec: str) -> str:
    return "n/a" if not math.isfinite(x) else format(x, spec)


def _check(is_cancelled) -> None:
    if is_cancelled is not None and is_cancelled():
        raise Cancelled()


def _reads(rule: Rule, column: str) -> bool:
    stack = [rule.when]
    while stack:
        pred = stack.pop()
        if hasattr(pred, "items"):
            stack.extend(pred.items)
        elif pred.column == column:
            return True
    return False


def _group_of(column: str) -> str:
    words = set(re.split(r"[^0-9a-z]+", re.sub(r"(?<=[a-z])(?=[A-Z])", " ", column).casefold()))
    return ENGAGEMENT if words & _ENGAGEMENT_WORDS else FIT


def _outcome(table, outcome: str, won_values) -> tuple[tuple, np.ndarray, np.ndarray]:
    frame = table.frame
    if outcome not in frame.columns:
        shown = ", ".join(map(str, list(frame.columns)[:12]))
        raise LeadbenchError(f"The list has no column '{outcome}' (columns: {shown}…).")
    series = frame[outcome]
    temporal = ColumnType(table.types[outcome]).is_temporal
    values = tuple(won_values) if won_values else tuple(sorted(guess_won_values(series), key=str))
    if won_values and pd.api.types.is_bool_dtype(series.dtype):   # "--won 1" on a yes/no column
        values = tuple(dict.fromkeys(normal_value(v) in WON_WORDS for v in values))
    if not values and not temporal:
        raise LeadbenchError(f"Cannot tell which values of '{outcome}' mean won; name them "
                             "(for example: won = Yes).")
    won, known = outcome_to_bool(series, values)
    n_won, n_lost = int((won & known).sum()), int((known & ~won).sum())
    if n_won < MIN_SETTLED or n_lost < MIN_SETTLED:
        raise LeadbenchError(f"A starting model needs at least {MIN_SETTLED} won and {MIN_SETTLED} "
                             f"lost leads in '{outcome}'; it has {n_won:,} won and {n_lost:,} lost.")
    return values, won, known


def _split(known: np.ndarray, won: np.ndarray, holdout: float, seed: int) -> np.ndarray:
    """The leads to fit on: a fixed random share, drawn separately among won and other leads so
    both parts keep the list's conversion rate."""
    if not 0.05 <= holdout <= 0.5:
        raise LeadbenchError("The share of leads held out must be between 5% and 50%.")
    rng = np.random.default_rng(seed)
    fit = np.ones(len(known), bool)
    for part in (known & won, known & ~won, ~known):
        rows = np.flatnonzero(part)
        fit[rng.permutation(rows)[:int(round(len(rows) * holdout))]] = False
    return fit


def _pooled_codes(col: PreparedCategory, leads: np.ndarray) -> tuple[np.ndarray, frozenset, object]:
    """Per original code its fitting code (rare categories share one), the pooled codes, and a
    stand-in column for :func:`level_partitions` in fitting codes."""
    if col.kind != "category":
        return np.arange(col.n_codes), frozenset(), col
    rare = [c for c in range(col.n_codes) if c != col.missing_code and leads[c] < _MIN_VALUE_LEADS]
    if len(rare) < 2:
        return np.arange(col.n_codes), frozenset(), col
    keep = [c for c in range(col.n_codes) if c not in rare]
    fit_code = np.full(col.n_codes, len(keep), np.int64)
    fit_code[keep] = np.arange(len(keep))
    missing = int(fit_code[col.missing_code]) if col.missing_code >= 0 else -1
    return fit_code, frozenset(rare), SimpleNamespace(kind="category", n_codes=len(keep) + 1,
                                                      missing_code=missing)


def _allocate(partitions: list, max_rules: int, n_fit: int) -> list[int]:
    """Levels per column: the rule budget goes, one at a time, to the column whose next level
    keeps the most fitted weight (a column with k levels costs k - 1 rules)."""
    levels = [1] * len(partitions)
    for _ in range(max_rules):
        gains = [parts[k - 1].loss - parts[k].loss if k < len(parts) else -1.0
                 for parts, k in zip(partitions, levels)]
        best = int(np.argmax(gains)) if gains else -1
        if best < 0 or gains[best] < _MIN_GAIN * n_fit:
            break
        levels[best] += 1
    return levels


def _level_rules(col: PreparedCategory, pooling, levels, codes: np.ndarray, beta: np.ndarray) -> list[Rule]:
    """A column's rules: one per level but its biggest (0 points), whole points from the merged
    fit, strongest first; levels that round to 0 points get none."""
    fit_code, pooled, _stand_in = pooling
    reference = int(np.argmax(np.bincount(codes, minlength=len(levels))))
    group = _group_of(col.name)
    made = []
    for level, members in enumerate(levels):
        points = round((beta[level] - beta[reference]) * _SCALE)
        if level == reference or points == 0:
            continue
        originals = [c for c in range(col.n_codes) if fit_code[c] in members]
        label = level_label(col, originals, pooled, most=2)
        column = short_column_label(col.name)      # short names, as the rule editor makes them
        title = f"{column} {label}" if col.kind == "bins" else f"{column}: {label}"
        if len(title) > SHORT_NAME_LIMIT:
            title = title[:SHORT_NAME_LIMIT - 1].rstrip(" ,") + "…"
        made.append(Rule(title, level_condition(col, originals, pooled), float(points), group))
    return sorted(made, key=lambda r: -r.points)


def _threshold_and_figures(table, model: Model, won, known, fit):
    """The model with the recommended threshold, a sentence on it, the MQL flags, the held-out
    figures and the AUC on the fitted leads."""
    total = Scorer(table).score(model).total
    base = float(won[fit & known].mean())
    target = min(2.0 * base, (1.0 + base) / 2.0)
    pick = pick_threshold(threshold_table(total[fit], won[fit], known[fit]), target_precision=target)
    threshold = float(pick.threshold)
    why = ("twice the base rate" if target == 2.0 * base else
           "halfway from the base rate to 100%")
    note = (f"Threshold {threshold:g}: the lowest whose MQLs converted at least {target:.0%} ({why}) "
            "on the fitted leads." if pick.met else
            f"Threshold {threshold:g}: no threshold reached a {target:.0%} MQL-to-won rate on the "
            "fitted leads; this one came closest.")
    held = ~fit
    mql = total >= threshold - 1e-9
    m = threshold_metrics(mql[held], won[held], known[held])
    held_out = HeldOut(int(held.sum()), m.settled, m.won, roc_auc(total[held], won[held], known[held]),
                       m.precision, m.recall, m.lift, m.mqls, m.base_rate)
    return model.with_threshold(threshold), note, mql, held_out, roc_auc(total[fit], won[fit], known[fit])


def suggest_starting_model(table, outcome: str, *, won_values: Sequence | None = None,
                           columns: Sequence[str] | None = None, max_rules: int = DEFAULT_MAX_RULES,
                           holdout: float = 0.3, seed: int = 19, bins: int = 10,
                           tags: dict[str, str] | None = None, name: str | None = None,
                           on_progress: Callable[[float], None] | None = None,
                           is_cancelled: Callable[[], bool] | None = None) -> StarterModel:
    """Suggest a small, back-tested scoring model from ``outcome`` (see the module docstring).

    Parameters
    ----------
    table : the lead list (a ``LeadTable``)
    outcome : the column that says whether a lead was won / converted
    won_values : its values that mean won (default: guessed; a date column: any date is won)
    columns : the columns to learn from (default: picked, see ``starter_columns``)
    max_rules : most scoring rules in the model
    holdout : the share of leads set aside to measure the model on
    seed : the random split (the same seed gives the same model)
    tags : tag -> column (stage, amount and outcome columns are left out); default: guessed
    name : the model's name (default "Starting model from <outcome>")

    Raises
    ------
    LeadbenchError
        No such outcome column, too few won or lost leads, no column worth scoring.
    Cancelled
        When ``is_cancelled()`` turns True.
    """
    report = on_progress or (lambda _f: None)
    if max_rules < 1:
        raise LeadbenchError("A starting model needs room for at least one rule (--max-rules 1 or more).")
    if columns is not None:
        unknown = [c for c in columns if c not in table.frame.columns]
        if unknown:
            raise LeadbenchError(f"The list has no column '{unknown[0]}'.")
    values, won, known = _outcome(table, outcome, won_values)
    fit = _split(known, won, holdout, seed)
    fit_known = known & fit
    tags = guess_tags(list(table.frame.columns), table.types) if tags is None else tags
    candidates = columns if columns is not None else list(table.frame.columns)
    prepared = {}
    for i, column in enumerate(candidates):
        _check(is_cancelled)
        if column != outcome and ColumnType(table.types[column]) in USABLE_TYPES:
            prepared[column] = prepare_column(table.frame[column], name=str(column), bins=bins)
        report(0.3 * (i + 1) / max(len(candidates), 1))
    use, left_out = screen_columns(table, outcome, prepared=prepared, won=won, known=fit_known,
                                   tags=tags, chosen=columns)
    if not use:
        reasons = "; ".join(c.text() for c in left_out[:4])
        raise LeadbenchError(f"No column is worth scoring: {reasons}.")
    y = won[fit_known]
    rows = np.flatnonzero(fit_known)
    cols = [prepared[c] for c in use]
    pooling = [_pooled_codes(col, np.bincount(col.codes[rows], minlength=col.n_codes)) for col in cols]
    fit_codes = [p[0][col.codes[rows]] for p, col in zip(pooling, cols)]
    sizes = [int(p[0].max()) + 1 for p in pooling]
    _check(is_cancelled)
    _b0, betas = fit_logistic(fit_codes, sizes, y, l2=1.0, is_cancelled=is_cancelled)
    report(0.55)
    partitions = []
    for codes, size, beta, (_fc, _pooled, stand_in) in zip(fit_codes, sizes, betas, pooling):
        weight = np.bincount(codes, minlength=size).astype(float)
        partitions.append(level_partitions(stand_in, beta, weight, min(_MAX_LEVELS, max_rules + 1)))
    levels = _allocate(partitions, max_rules, len(rows))
    # fit the merged levels again
    kept = [i for i, k in enumerate(levels) if k > 1]
    if not kept:
        raise LeadbenchError("No column separates won from lost leads clearly enough for a rule.")
    level_of, level_codes = [], []
    for i in kept:
        part = partitions[i][levels[i] - 1]
        lookup = np.zeros(sizes[i], np.int64)
        for level, members in enumerate(part.levels):
            lookup[list(members)] = level
        level_of.append(part.levels)
        level_codes.append(lookup[fit_codes[i]])
    _check(is_cancelled)
    _b0, merged = fit_logistic(level_codes, [len(p) for p in level_of], y, l2=1.0,
                               is_cancelled=is_cancelled)
    report(0.75)
    importance = [partitions[i][0].loss for i in kept]
    rules = []
    for order in np.argsort(importance)[::-1]:
        i = kept[order]
        rules += _level_rules(cols[i], pooling[i], level_of[order], level_codes[order], merged[order])
    scored = {use[i] for i in kept}
    quiet = [c for c in use if c not in scored or not any(_reads(r, c) for r in rules)]
    left_out = [*left_out, *(LeftOut(c, "adds too little beside the other columns to earn a rule")
                             for c in quiet)]
    use = [c for c in use if c not in quiet]
    model = Model(name=name or f"Starting model from {outcome}", threshold=0.0, rules=tuple(rules),
                  columns=((outcome, ColumnSettings(tag="outcome")),),
                  missing_values=tuple(getattr(table, "missing_values", ()) or ()),
                  analysis=AnalysisSettings(won_values=values if won_values else None))
    _check(is_cancelled)
    model, note, mql, held_out, fit_auc = _threshold_and_figures(table, model, won, known, fit)
    notes = (f"Points: {POINTS_PER_DOUBLING:g} points double a lead's odds of winning; each "
             "column's most common level scores 0.",)
    report(1.0)
    fit.setflags(write=False)
    return StarterModel(model, outcome, values, tuple(use), tuple(left_out), fit, held_out, fit_auc,
                        int(mql.sum()), table.n_rows, note, notes)

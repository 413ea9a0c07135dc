"""Back-testing a model against known outcomes: would its MQLs have been the leads that won?

Every function takes per-lead arrays: ``total`` (float64 score), ``mql``/``blocked`` (bool) and
the outcome ``won``/``known`` (bool; see :mod:`scoring.insight.outcome`). Leads whose outcome is not
settled (``known`` False) count in MQL volumes but not in any rate.

Vocabulary
----------
precision : the MQL-to-won rate, won MQLs / settled MQLs
recall : the share of won leads that were MQLs
lift : precision / base rate (how many times better than taking leads at random)
AUC : the probability that a random won lead scores above a random lost one (ties count half)

Everything is computed from a few ``np.sort`` calls and ``searchsorted`` (no per-lead Python), so
a summary of a million leads takes tens of milliseconds. :func:`backtest_summary` bundles it
all; :func:`format_backtest` and :meth:`BacktestSummary.to_dict` give the text and JSON forms.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.errors import LeadbenchError
from scoring.insight.analytics import PreparedCategory, safe_ratio
from scoring.insight.conversion import conversion_by_source

__all__ = ["ThresholdMetrics", "ThresholdPick", "SortedScores", "threshold_metrics", "roc_auc",
           "conversion_by_decile", "threshold_table", "pick_threshold", "BacktestSummary",
           "backtest_summary", "format_backtest"]

_TOLERANCE = 1e-9            # the engine's threshold tolerance
MAX_TABLE_ROWS = 200


def _as_bool(values, n: int | None = None, default: bool = True) -> np.ndarray:
    if values is None:
        return np.full(n, default, bool)
    return np.asarray(values, bool)


@dataclass(frozen=True)
class ThresholdMetrics:
    """How the MQLs at one threshold did. Rates are NaN when undefined (no MQLs, no wins)."""

    mqls: int                 # MQLs (settled or not)
    settled_mqls: int         # MQLs whose outcome is known
    won_mqls: int
    won: int                  # won leads in total
    settled: int              # leads with a known outcome
    precision: float
    recall: float
    base_rate: float
    lift: float


def threshold_metrics(mql: np.ndarray, won: np.ndarray, known: np.ndarray | None = None) -> ThresholdMetrics:
    """Precision, recall and lift of the current MQLs (the ``mql`` array of a score result)."""
    mql = np.asarray(mql, bool)
    known = _as_bool(known, len(mql))
    won_k = np.asarray(won, bool) & known
    settled = int(known.sum())
    n_won = int(won_k.sum())
    settled_mqls = int(np.count_nonzero(mql & known))
    won_mqls = int(np.count_nonzero(mql & won_k))
    precision = won_mqls / settled_mqls if settled_mqls else math.nan
    recall = won_mqls / n_won if n_won else math.nan
    base = n_won / settled if settled else math.nan
    lift = precision / base if base and not math.isnan(base) else math.nan
    return ThresholdMetrics(int(mql.sum()), settled_mqls, won_mqls, n_won, settled, precision,
                            recall, base, lift)


@dataclass(frozen=True)
class SortedScores:
    """Scores sorted once per refresh, shared by the AUC, deciles and threshold table.

    ``won``/``lost``: sorted scores of settled won/lost leads; ``eligible``: sorted scores of
    leads not blocked by a gate (any outcome); ``eligible_won``/``eligible_settled``: of those,
    won / settled; ``n_leads``: every lead, blocked or not (the denominator of shares).
    """

    won: np.ndarray
    lost: np.ndarray
    eligible: np.ndarray
    eligible_won: np.ndarray
    eligible_settled: np.ndarray
    n_leads: int = 0

    @classmethod
    def build(cls, total: np.ndarray, won: np.ndarray, known: np.ndarray | None = None,
              blocked: np.ndarray | None = None) -> "SortedScores":
        total = np.asarray(total, np.float64)
        known = _as_bool(known, len(total))
        won_k = np.asarray(won, bool) & known
        open_ = ~_as_bool(blocked, len(total), default=False)
        return cls(np.sort(total[won_k]), np.sort(total[known & ~won_k]), np.sort(total[open_]),
                   np.sort(total[open_ & won_k]), np.sort(total[open_ & known]), len(total))


def roc_auc(total: np.ndarray | SortedScores, won: np.ndarray | None = None,
            known: np.ndarray | None = None) -> float:
    """Area under the ROC curve of the score against the outcome (ties count half).

    Equals scikit-learn's ``roc_auc_score(won[known], total[known])``. NaN when all settled
    leads won or all lost.
    """
    s = total if isinstance(total, SortedScores) else SortedScores.build(total, won, known)
    n_pos, n_neg = len(s.won), len(s.lost)
    if not n_pos or not n_neg:
        return math.nan
    below = np.searchsorted(s.lost, s.won, side="left")
    equal = np.searchsorted(s.lost, s.won, side="right") - below
    return float((below.sum(dtype=np.float64) + 0.5 * equal.sum(dtype=np.float64)) / (n_pos * n_neg))


def conversion_by_decile(total: np.ndarray | SortedScores, won: np.ndarray | None = None,
                         known: np.ndarray | None = None, *, buckets: int = 10) -> pd.DataFrame:
    """Conversion per score decile of the settled leads, best scores first.

    Leads with equal scores that straddle a decile boundary are shared between the two deciles
    in proportion to the leads each takes, then rounded so that every ``won`` is a whole number
    and the deciles add up to the won leads.

    Returns
    -------
    DataFrame
        ``decile`` (1 = top 10%), ``leads``, ``won``, ``conversion_rate``, ``lift`` (over the
        base rate), ``min_score``, ``max_score``.
    """
    s = total if isinstance(total, SortedScores) else SortedScores.build(total, won, known)
    settled = np.sort(np.concatenate([s.won, s.lost]))[::-1]         # best first
    n = len(settled)
    bounds = np.round(np.linspace(0, n, buckets + 1)).astype(np.int64)
    # cumulative wins along the descending order, spreading each tie group evenly
    starts = np.flatnonzero(np.r_[True, settled[1:] != settled[:-1]]) if n else np.array([], int)
    ends = np.r_[starts[1:], n]
    level = settled[starts]
    won_at = (np.searchsorted(s.won, level, side="right")
              - np.searchsorted(s.won, level, side="left"))
    cum_won = np.interp(bounds, np.r_[0, ends], np.r_[0, np.cumsum(won_at)]) if n else np.zeros(buckets + 1)
    leads = np.diff(bounds)
    won_d = np.diff(np.floor(cum_won + 0.5)).astype(np.int64)   # half a lead goes to the better decile
    rate = safe_ratio(won_d, leads)
    base = len(s.won) / n if n else math.nan
    has = leads > 0
    top = np.where(has, settled[np.minimum(bounds[:-1], max(n - 1, 0))] if n else np.nan, np.nan)
    bottom = np.where(has, settled[np.maximum(bounds[1:] - 1, 0)] if n else np.nan, np.nan)
    return pd.DataFrame({"decile": np.arange(1, buckets + 1), "leads": leads, "won": won_d,
                         "conversion_rate": rate,
                         "lift": rate / base if base else np.full(buckets, np.nan),
                         "min_score": bottom, "max_score": top})


def _count_at_least(sorted_scores: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    return len(sorted_scores) - np.searchsorted(sorted_scores, thresholds - _TOLERANCE, side="left")


def _candidate_thresholds(levels: np.ndarray, max_rows: int, include: float | None) -> np.ndarray:
    if len(levels) > max_rows:
        lo, hi = float(levels[0]), float(levels[-1])
        raw = (hi - lo) / (max_rows - 1)
        step = 10.0 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
        for factor in (1, 2, 2.5, 5, 10):
            if (hi - lo) / (factor * step) <= max_rows - 1:
                step *= factor
                break
        levels = step * np.arange(math.floor(lo / step), math.ceil(hi / step) + 1)
    if include is not None and math.isfinite(include):
        levels = np.union1d(levels, [float(include)])
    return levels


def threshold_table(total: np.ndarray | SortedScores, won: np.ndarray | None = None,
                    known: np.ndarray | None = None, blocked: np.ndarray | None = None, *,
                    months: float | None = None, max_rows: int = MAX_TABLE_ROWS,
                    include: float | None = None) -> pd.DataFrame:
    """MQL volume, precision and recall for each candidate threshold.

    Parameters
    ----------
    total, won, known, blocked : per-lead arrays (or a :class:`SortedScores`)
    months : the created-date span in months, for ``mqls_per_month``
        (:attr:`scoring.insight.analytics.PreparedDates.span_months`)
    max_rows : candidates are the distinct scores of unblocked leads, or, when there are more
        than this, a round-numbered grid over their range
    include : a threshold to include in any case (the model's current one)

    Returns
    -------
    DataFrame
        ``threshold`` ascending, ``mqls``, ``mqls_per_month`` (NaN without ``months``),
        ``share`` (of all leads, blocked ones included: the share the window and the report
        header give), ``precision``, ``recall``, ``lift``.
    """
    s = total if isinstance(total, SortedScores) else SortedScores.build(total, won, known, blocked)
    eligible = s.eligible
    levels = eligible[np.r_[True, eligible[1:] != eligible[:-1]]] if len(eligible) else eligible
    thresholds = _candidate_thresholds(levels, max_rows, include)
    mqls = _count_at_least(eligible, thresholds)
    settled = _count_at_least(s.eligible_settled, thresholds)
    won_mqls = _count_at_least(s.eligible_won, thresholds)
    n_won = len(s.won)
    n_settled = len(s.won) + len(s.lost)
    precision = safe_ratio(won_mqls, settled)
    base = n_won / n_settled if n_settled else math.nan
    per_month = mqls / months if months and months > 0 else np.full(len(thresholds), np.nan)
    return pd.DataFrame({"threshold": thresholds, "mqls": mqls, "mqls_per_month": per_month,
                         "share": safe_ratio(mqls, np.full(len(thresholds), s.n_leads or len(eligible))),
                         "precision": precision,
                         "recall": safe_ratio(won_mqls, np.full(len(thresholds), n_won)),
                         "lift": precision / base if base else np.full(len(thresholds), np.nan)})


@dataclass(frozen=True)
class ThresholdPick:
    """A threshold chosen for a target; ``met`` False when no threshold reaches it (then the
    nearest one is given), with ``message`` saying so in plain words."""

    threshold: float
    mqls: int
    mqls_per_month: float
    precision: float
    recall: float
    met: bool
    message: str


def pick_threshold(table: pd.DataFrame, *, target_per_month: float | None = None,
                   target_precision: float | None = None) -> ThresholdPick:
    """Choose a threshold from :func:`threshold_table` for one target.

    ``target_per_month``: the lowest threshold giving at most that many MQLs a month (as many
    MQLs as the team can take). ``target_precision``: the lowest threshold whose MQL-to-won
    rate reaches it (as many MQLs as possible at that quality).
    """
    if (target_per_month is None) == (target_precision is None):
        raise LeadbenchError("Give exactly one target: MQLs per month or an MQL-to-won rate.")
    if table.empty:
        raise LeadbenchError("There are no scored leads to choose a threshold from.")
    if target_per_month is not None:
        volume = table["mqls_per_month"].to_numpy()
        if np.isnan(volume).all():
            raise LeadbenchError("MQLs per month need a created-date column: tag one as "
                                 "'created' or choose a target MQL-to-won rate instead.")
        ok = np.flatnonzero(volume <= target_per_month)
        wanted = f"at most {target_per_month:g} MQLs a month"
        nearest = int(np.nanargmin(volume))
    else:
        precision = table["precision"].to_numpy()
        ok = np.flatnonzero(precision >= target_precision)
        wanted = f"an MQL-to-won rate of at least {target_precision:.0%}"
        nearest = int(np.nanargmax(precision)) if not np.isnan(precision).all() else len(table) - 1
    met = len(ok) > 0
    row = table.iloc[int(ok[0]) if met else nearest]
    message = (f"Threshold {row['threshold']:g} gives {wanted}." if met else
               f"No threshold gives {wanted}; the closest is {row['threshold']:g}.")
    return ThresholdPick(float(row["threshold"]), int(row["mqls"]), float(row["mqls_per_month"]),
                         float(row["precision"]), float(row["recall"]), met, message)


@dataclass(frozen=True)
class BacktestSummary:
    """Everything the back-test reports for one model at its threshold.

    ``by_source`` is None without a source column, ``pick`` None without a target.
    """

    threshold: float
    leads: int
    metrics: ThresholdMetrics
    auc: float
    deciles: pd.DataFrame
    table: pd.DataFrame
    by_source: pd.DataFrame | None = None
    months: float | None = None
    pick: ThresholdPick | None = None

    def to_dict(self) -> dict:
        """A JSON-able form (NaN becomes None; tables become lists of row dicts)."""
        def clean(value):
            if isinstance(value, dict):
                return {k: clean(v) for k, v in value.items()}
            if isinstance(value, (list, tuple)):
                return [clean(v) for v in value]
            if isinstance(value, np.generic):
                value = value.item()
            if isinstance(value, float) and not math.isfinite(value):
                return None
            return value

        def rows(frame):
            return None if frame is None else clean(frame.to_dict(orient="records"))

        m = self.metrics
        return clean({
            "threshold": self.threshold, "leads": self.leads, "settled": m.settled, "won": m.won,
            "base_rate": m.base_rate, "mqls": m.mqls, "won_mqls": m.won_mqls,
            "precision": m.precision, "recall": m.recall, "lift": m.lift, "auc": self.auc,
            "months": self.months,
            "mqls_per_month": m.mqls / self.months if self.months else None,
            "deciles": rows(self.deciles), "threshold_table": rows(self.table),
            "by_source": rows(self.by_source),
            "pick": None if self.pick is None else dict(vars(self.pick)),
        })


def backtest_summary(total: np.ndarray, mql: np.ndarray, won: np.ndarray, *,
                     known: np.ndarray | None = None, blocked: np.ndarray | None = None,
                     threshold: float, source: PreparedCategory | None = None,
                     months: float | None = None, target_per_month: float | None = None,
                     target_precision: float | None = None,
                     max_rows: int = MAX_TABLE_ROWS) -> BacktestSummary:
    """Back-test one scoring: metrics at the threshold, AUC, deciles, threshold table, sources.

    Parameters
    ----------
    total, mql, blocked : the score result's arrays
    won, known : the outcome (:func:`scoring.insight.outcome.outcome_to_bool`)
    threshold : the model's threshold
    source : optional prepared source column, for conversion by source
    months : the created-date span in months (for MQLs per month)
    target_per_month, target_precision : optional target (at most one) for a threshold pick
    """
    total = np.asarray(total, np.float64)
    won = np.asarray(won, bool)
    if not (len(total) == len(mql) == len(won)):
        raise LeadbenchError("The scores and the outcome column have different numbers of "
                             "leads; score the lead list again.")
    known = _as_bool(known, len(total))
    scores = SortedScores.build(total, won, known, blocked)
    table = threshold_table(scores, months=months, max_rows=max_rows, include=threshold)
    pick = None
    if target_per_month is not None or target_precision is not None:
        pick = pick_threshold(table, target_per_month=target_per_month,
                              target_precision=target_precision)
    by_source = None
    if source is not None:
        by_source = conversion_by_source(source, mql, won=won, known=known)
    return BacktestSummary(float(threshold), len(total), threshold_metrics(mql, won, known),
                           roc_auc(scores), conversion_by_decile(scores), table, by_source,
                           months, pick)


def _pct(x: float) -> str:
    return "n/a" if x is None or not math.isfinite(x) else f"{x:.1%}"


def format_backtest(summary: BacktestSummary, *, max_sources: int = 10) -> str:
    """The summary as plain text for the command line."""
    m = summary.metrics
    lift = "n/a" if not math.isfinite(m.lift) else f"{m.lift:.2f}x"
    auc = "n/a" if not math.isfinite(summary.auc) else f"{summary.auc:.3f}"
    lines = [
        f"Leads: {summary.leads:,} ({m.settled:,} with a known outcome, {m.won:,} won, "
        f"base rate {_pct(m.base_rate)})",
        f"Threshold {summary.threshold:g}: {m.mqls:,} MQLs"
        + (f" (~{m.mqls / summary.months:,.0f} a month)" if summary.months else ""),
        f"  MQL-to-won rate (precision): {_pct(m.precision)}",
        f"  Won leads that were MQLs (recall): {_pct(m.recall)}",
        f"  Lift over the base rate: {lift}",
        f"Score quality (ROC AUC): {auc}",
        "", "Conversion by score decile:",
    ]
    for row in summary.deciles.itertuples():
        lines.append(f"  {row.decile:>2}  {row.leads:>9,} leads  {_pct(row.conversion_rate):>6}"
                     f"  scores {row.min_score:g} to {row.max_score:g}"
                     if row.leads else f"  {row.decile:>2}  no leads")
    if summary.pick is not None:
        lines += ["", summary.pick.message,
                  f"  {summary.pick.mqls:,} MQLs, precision {_pct(summary.pick.precision)}, "
                  f"recall {_pct(summary.pick.recall)}"]
    if summary.by_source is not None:
        lines += ["", "Conversion by source (most leads first):"]
        for row in summary.by_source.head(max_sources).itertuples():
            lines.append(f"  {str(row.source)[:28]:<28} {row.leads:>9,} leads {row.mqls:>8,} MQLs"
                         f"  MQL-to-won {_pct(row.mql_won_rate):>6}"
                         f"  non-MQL-to-won {_pct(row.non_mql_won_rate):>6}")
        hidden = len(summary.by_source) - max_sources
        if hidden > 0:
            lines.append(f"  ... and {hidden} more sources")
    return "\n".join(lines)

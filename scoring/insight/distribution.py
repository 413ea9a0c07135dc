"""Where the scores fall: the score histogram and the fit x engagement grid.

Functions
---------
histogram_bins(total, threshold) : a "nice" bin width with the threshold on a bin edge
score_histogram(total, mql, threshold, ...) : leads, MQLs and non-MQLs per score bin
default_band_edges(scores, cap=None) : up to three rising inner band edges (from the cap, or
    the quantiles of the non-zero scores)
fit_engagement_grid(fit, engagement, mql, ...) : leads and MQLs in the fit A-D x engagement 1-4
    grid (A1 is the best corner; fewer bands when the scores take few values)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.errors import LeadbenchError
from scoring.insight.analytics import safe_ratio

__all__ = ["histogram_bins", "score_histogram", "default_band_edges", "FitEngagementGrid",
           "fit_engagement_grid", "FIT_BANDS", "ENGAGEMENT_BANDS"]

FIT_BANDS = ("A", "B", "C", "D")
ENGAGEMENT_BANDS = ("1", "2", "3", "4")
_TOLERANCE = 1e-9          # the engine's threshold tolerance
_TARGET_BINS = 30
_EXACT_QUANTILES = 200_000


def _nice_step(raw: float) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^k at least ``raw``."""
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1.0, 2.0, 2.5, 5.0, 10.0):
        if factor * power >= raw * (1 - 1e-12):
            return factor * power
    return 10.0 * power


def histogram_bins(total: np.ndarray, threshold: float, *, step: float | None = None) -> np.ndarray:
    """Bin edges for the score histogram: about 30 bins of a round width, one edge at ``threshold``.

    Whole-number scores never get bins narrower than 1. ``step`` forces the width.
    """
    finite = total[np.isfinite(total)]
    lo = min(float(finite.min()), threshold) if finite.size else threshold
    hi = max(float(finite.max()), threshold) if finite.size else threshold
    if step is None:
        span = hi - lo
        step = _nice_step(span / _TARGET_BINS) if span > 0 else 1.0
        if step < 1 and finite.size and np.array_equal(finite, np.round(finite)):
            step = 1.0
    elif not step > 0:
        raise LeadbenchError(f"The histogram bin width must be more than 0, not {step}.")
    first = math.floor((lo - threshold + _TOLERANCE) / step)
    last = math.floor((hi - threshold + _TOLERANCE) / step)
    return threshold + step * np.arange(first, last + 2, dtype=np.float64)


def score_histogram(total: np.ndarray, mql: np.ndarray, threshold: float, *,
                    step: float | None = None, won: np.ndarray | None = None,
                    known: np.ndarray | None = None) -> pd.DataFrame:
    """Leads per total-score bin, split into MQLs and non-MQLs (and won/lost with an outcome).

    Parameters
    ----------
    total : float64 score per lead
    mql : bool per lead (blocked leads are non-MQLs even above the threshold)
    threshold : the model's threshold; always a bin edge
    step : bin width (default: automatic, see :func:`histogram_bins`)
    won, known : optional outcome (bool per lead); ``known`` defaults to all True

    Returns
    -------
    DataFrame
        ``left``, ``right`` (bin edges; a score s is in the bin with left <= s < right, with
        the engine's 1e-9 tolerance), ``leads``, ``mqls``, ``non_mqls`` and, with an outcome,
        ``won`` and ``lost``. ``attrs["threshold"]`` and ``attrs["step"]`` are set.
    """
    total = np.asarray(total, np.float64)
    edges = histogram_bins(total, threshold, step=step)
    n_bins = len(edges) - 1
    step = float(edges[1] - edges[0])
    finite = np.isfinite(total)
    index = np.floor((np.where(finite, total, threshold) - edges[0] + _TOLERANCE) / step)
    index = np.clip(index.astype(np.int64), 0, n_bins - 1)
    index[~finite] = n_bins                       # not shown: NaN scores cannot be binned
    mql = np.asarray(mql, bool)
    leads = np.bincount(index, minlength=n_bins + 1)[:n_bins]
    mqls = np.bincount(index, weights=mql, minlength=n_bins + 1)[:n_bins].astype(np.int64)
    frame = pd.DataFrame({"left": edges[:-1], "right": edges[1:], "leads": leads,
                          "mqls": mqls, "non_mqls": leads - mqls})
    if won is not None:
        won = np.asarray(won, bool)
        known = np.ones(len(won), bool) if known is None else np.asarray(known, bool)
        frame["won"] = np.bincount(index, weights=won & known,
                                   minlength=n_bins + 1)[:n_bins].astype(np.int64)
        frame["lost"] = np.bincount(index, weights=~won & known,
                                    minlength=n_bins + 1)[:n_bins].astype(np.int64)
    frame.attrs["threshold"] = float(threshold)
    frame.attrs["step"] = step
    return frame


def default_band_edges(scores: np.ndarray, cap: float | None = None) -> tuple[float, ...]:
    """Up to three rising inner edges splitting ``scores`` into up to four bands, none empty.

    With a group ``cap`` the edges are 25%, 50% and 75% of the cap. Otherwise they are scores
    found in the list: the quartiles of the *non-zero* scores (on a list where most leads score
    0 in a group, the zeros are one band and the scoring leads are split in the others), with
    repeated edges and edges that would leave the lowest band empty dropped. So there are fewer
    bands when the scores take few values: ``()`` (one band) when every lead scores the same.
    Above 200,000 leads the quartiles come from an evenly spaced sample of about 100,000
    (cheap on every refresh, and within a fraction of a point of the exact ones).
    """
    if cap is not None and cap > 0:
        return (0.25 * cap, 0.5 * cap, 0.75 * cap)
    finite = np.asarray(scores, np.float64)
    if len(finite) > _EXACT_QUANTILES:
        finite = finite[::len(finite) // (_EXACT_QUANTILES // 2)]
    finite = finite[np.isfinite(finite)]
    scoring = finite[finite != 0]
    if not scoring.size:
        return ()
    # "inverted_cdf": every edge is a score some lead has, so the band it starts is not empty
    edges = np.unique(np.quantile(scoring, [0.25, 0.5, 0.75], method="inverted_cdf"))
    if (finite == 0).any() and scoring.min() > 0:
        edges = np.unique(np.append(edges, scoring.min()))   # the zeros are the lowest band
    edges = edges[edges > finite.min()]
    return tuple(round(float(e), 6) for e in edges[-3:])


@dataclass(frozen=True)
class FitEngagementGrid:
    """Leads and MQLs per fit band (rows A.., A best) and engagement band (columns 1.., 1 best).

    With three edges a lead is in fit band A when ``fit >= fit_edges[2]``, B when
    ``fit_edges[1] <= fit < fit_edges[2]``, and so on; D is below ``fit_edges[0]``. With fewer
    edges there are fewer bands (one more than edges). Engagement bands likewise.
    """

    fit_edges: tuple[float, ...]
    engagement_edges: tuple[float, ...]
    leads: np.ndarray            # (fit bands, engagement bands) int64, at most (4, 4)
    mqls: np.ndarray

    @property
    def fit_labels(self) -> tuple[str, ...]:
        return FIT_BANDS[:len(self.fit_edges) + 1]

    @property
    def engagement_labels(self) -> tuple[str, ...]:
        return ENGAGEMENT_BANDS[:len(self.engagement_edges) + 1]

    @property
    def mql_rate(self) -> np.ndarray:
        """MQL share per cell (NaN for empty cells)."""
        return safe_ratio(self.mqls, self.leads)

    def to_frame(self) -> pd.DataFrame:
        """One row per cell: ``fit_band``, ``engagement_band``, ``leads``, ``mqls``, ``mql_rate``."""
        n_fit, n_engagement = self.leads.shape
        return pd.DataFrame({
            "fit_band": np.repeat(self.fit_labels, n_engagement),
            "engagement_band": np.tile(self.engagement_labels, n_fit),
            "leads": self.leads.ravel(), "mqls": self.mqls.ravel(),
            "mql_rate": self.mql_rate.ravel(),
        })


def _band(values: np.ndarray, edges: tuple[float, ...], what: str) -> np.ndarray:
    edges_arr = np.asarray(edges, np.float64)
    if (edges_arr.ndim != 1 or len(edges_arr) > 3 or np.any(np.diff(edges_arr) <= 0)
            or not np.isfinite(edges_arr).all()):
        raise LeadbenchError(f"The {what} band edges must be up to three rising numbers, "
                             f"not {list(edges)}.")
    # edges passed: len(edges) = at or above the top edge ... 0 = below the lowest (or no score)
    passed = np.zeros(len(values), np.intp)
    for edge in edges_arr:
        passed += values >= edge
    return len(edges_arr) - passed                      # the best band is 0


def fit_engagement_grid(fit: np.ndarray, engagement: np.ndarray, mql: np.ndarray, *,
                        fit_edges=None, engagement_edges=None, fit_cap: float | None = None,
                        engagement_cap: float | None = None) -> FitEngagementGrid:
    """Count leads and MQLs in the 4x4 fit x engagement grid.

    Parameters
    ----------
    fit, engagement : float64 group scores per lead
    mql : bool per lead
    fit_edges, engagement_edges : up to three rising inner edges each; default from the group
        caps when given, else from the scores (:func:`default_band_edges`)
    fit_cap, engagement_cap : the model's group caps (used only for default edges)
    """
    fit = np.asarray(fit, np.float64)
    engagement = np.asarray(engagement, np.float64)
    fit_edges = tuple(fit_edges) if fit_edges is not None else default_band_edges(fit, fit_cap)
    engagement_edges = (tuple(engagement_edges) if engagement_edges is not None
                        else default_band_edges(engagement, engagement_cap))
    n_fit, n_engagement = len(fit_edges) + 1, len(engagement_edges) + 1
    cell = _band(fit, fit_edges, "fit") * n_engagement + _band(engagement, engagement_edges, "engagement")
    size = n_fit * n_engagement
    leads = np.bincount(cell, minlength=size).reshape(n_fit, n_engagement)
    mqls = np.bincount(cell, weights=np.asarray(mql, bool),
                       minlength=size).astype(np.int64).reshape(n_fit, n_engagement)
    return FitEngagementGrid(tuple(map(float, fit_edges)), tuple(map(float, engagement_edges)),
                             leads, mqls)

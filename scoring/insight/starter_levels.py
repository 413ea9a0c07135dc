"""A starting model's building blocks: columns as codes, values merged into a few levels, and
the rule condition of each level.

- :func:`prepare_column` turns a column into codes: categories (case and space variants
  merged), yes/no, and numbers cut into up to ``bins`` ranges at their quantiles, with a value
  that fills many leads (a ``999`` meaning "never") in a range of its own.
- :func:`level_partitions` merges a column's values into 1, 2, 3... levels with the least loss:
  the weights of values merged into one level are replaced by their (lead-weighted) mean, and
  the loss is the weighted squared difference. Categories merge in any grouping (sorted by
  weight, contiguous groups are optimal in one dimension); number ranges merge only with their
  neighbours, so a level is one range (empty cells join the nearest level or stand alone).
- :func:`level_condition` writes the condition matching exactly the leads of one level: a value
  list, "none of" the other values for a level holding the rare values, a range, yes/no, or
  "is empty" combined with any of these.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.insight.analytics import EMPTY, PreparedCategory, prepare_category
from scoring.model.definition import Compound, Condition, Predicate

__all__ = ["prepare_column", "Partition", "level_partitions", "level_condition", "level_label"]


def _number_text(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() or abs(x) >= 100 else f"{x:,.3g}"


def prepare_column(series: pd.Series, *, name: str, bins: int = 10) -> PreparedCategory:
    """``series`` as codes for a starting model (see the module docstring)."""
    dtype = series.dtype
    numeric = (pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
               and not isinstance(dtype, pd.CategoricalDtype))
    if not numeric:
        merge = not pd.api.types.is_bool_dtype(dtype)
        return prepare_category(series, name=name, merge_variants=merge, missing_label=EMPTY)
    values = pd.to_numeric(series, errors="coerce").to_numpy(np.float64, na_value=np.nan)
    finite = np.isfinite(values)
    distinct, counts = np.unique(values[finite], return_counts=True)
    if len(distinct) <= max(bins // 2, 2):
        return prepare_category(series.astype("float64"), name=name, missing_label=EMPTY)
    # lower edges: quantiles (data values), plus a range of its own for any heavy value
    lows = set(np.quantile(values[finite], np.linspace(0, 1, bins + 1)[:-1], method="inverted_cdf"))
    share = counts / counts.sum()
    for i in np.flatnonzero(share > 1.0 / bins):
        lows.add(distinct[i])
        if i + 1 < len(distinct):
            lows.add(distinct[i + 1])
    lows = np.array(sorted(lows))
    edges = np.append(lows, distinct[-1])
    codes = np.searchsorted(edges[1:-1], values, side="right").astype(np.int64)
    whole = bool(np.array_equal(distinct, np.round(distinct)))
    labels, variants = [], []
    for i in range(len(lows)):
        inside = distinct[(distinct >= edges[i]) & ((distinct < edges[i + 1]) if i < len(lows) - 1
                                                     else (distinct <= edges[i + 1]))]
        lo, hi = float(inside[0]), float(inside[-1])
        labels.append(_number_text(lo) if lo == hi else f"{_number_text(lo)} – {_number_text(hi)}")
        variants.append((lo, hi))
    missing_code = -1
    if not finite.all():
        missing_code = len(labels)
        codes[~finite] = missing_code
        labels.append(EMPTY)
        variants.append(())
    return PreparedCategory(name, codes, tuple(labels), tuple(variants), "bins",
                            tuple(float(e) for e in edges), missing_code, whole)


@dataclass(frozen=True)
class Partition:
    """Codes of one column grouped into levels; ``loss`` is the weighted squared error of
    replacing each code's weight by its level's mean."""

    levels: tuple[tuple[int, ...], ...]
    loss: float


def _segments(order: np.ndarray, beta: np.ndarray, weight: np.ndarray, max_levels: int) -> list:
    """Optimal contiguous segmentations of ``order`` into 1..max_levels segments (1-D
    weighted k-means by dynamic programming): per count, (loss, segments)."""
    n = len(order)
    w, b = weight[order], beta[order]
    cw = np.concatenate([[0.0], np.cumsum(w)])
    cb = np.concatenate([[0.0], np.cumsum(w * b)])
    cbb = np.concatenate([[0.0], np.cumsum(w * b * b)])

    def cost(i: int, j: int) -> float:          # items i..j-1
        total = cw[j] - cw[i]
        return 0.0 if total <= 0 else max(cbb[j] - cbb[i] - (cb[j] - cb[i]) ** 2 / total, 0.0)

    best = [[math.inf] * (n + 1) for _ in range(max_levels + 1)]
    cut = [[0] * (n + 1) for _ in range(max_levels + 1)]
    best[0][0] = 0.0
    for k in range(1, max_levels + 1):
        for j in range(1, n + 1):
            for i in range(k - 1, j):
                value = best[k - 1][i] + cost(i, j)
                if value < best[k][j]:
                    best[k][j], cut[k][j] = value, i
    out = []
    for k in range(1, min(max_levels, n) + 1):
        segments, j = [], n
        for kk in range(k, 0, -1):
            i = cut[kk][j]
            segments.append(tuple(int(c) for c in order[i:j]))
            j = i
        out.append((best[k][n], segments[::-1]))
    return out


def level_partitions(col: PreparedCategory, beta: np.ndarray, weight: np.ndarray,
                     max_levels: int) -> list[Partition]:
    """The best grouping of ``col``'s codes into 1, 2, ... ``max_levels`` levels.

    ``beta``: the fitted weight of each code; ``weight``: its settled leads. Codes without leads
    join a level in any case (their weight is 0)."""
    codes = np.arange(col.n_codes)
    if col.kind != "bins":
        order = codes[np.argsort(beta, kind="stable")]
        return [Partition(tuple(segs), loss) for loss, segs in _segments(order, beta, weight, max_levels)]
    ranges = codes[codes != col.missing_code]
    found = _segments(ranges, beta, weight, max_levels)
    if col.missing_code < 0:
        return [Partition(tuple(segs), loss) for loss, segs in found]
    m, out = col.missing_code, []
    bm = float(beta[m])
    for k in range(1, min(max_levels, len(ranges) + 1) + 1):
        options = []
        if k - 1 <= len(found) and k >= 2:           # empty cells as a level of their own
            loss, segs = found[k - 2]
            options.append((loss, [*segs, (m,)]))
        if k <= len(found):                          # empty cells join the nearest level
            loss, segs = found[k - 1]
            means = [_mean(seg, beta, weight) for seg in segs]
            near = int(np.argmin([abs(bm - mu) for mu in means]))
            merged = [tuple(seg) + ((m,) if i == near else ()) for i, seg in enumerate(segs)]
            options.append((loss + _extra_loss(segs[near], m, beta, weight), merged))
        loss, segs = min(options, key=lambda o: o[0])
        out.append(Partition(tuple(tuple(s) for s in segs), loss))
    return out


def _mean(seg, beta, weight) -> float:
    w = weight[list(seg)]
    return float(np.dot(w, beta[list(seg)]) / w.sum()) if w.sum() > 0 else float(np.mean(beta[list(seg)]))


def _sse(seg, beta, weight) -> float:
    idx = list(seg)
    w, b = weight[idx], beta[idx]
    if w.sum() <= 0:
        return 0.0
    mu = np.dot(w, b) / w.sum()
    return float(np.dot(w, (b - mu) ** 2))


def _extra_loss(seg, code, beta, weight) -> float:
    return _sse((*seg, code), beta, weight) - _sse(seg, beta, weight)


def _values(col: PreparedCategory, codes) -> list:
    """The distinct cell values of ``codes`` (spelling variants folded as the engine folds them)."""
    seen, out = set(), []
    for code in codes:
        for value in col.variants[code]:
            key = value.strip().casefold() if isinstance(value, str) else value
            if key not in seen:
                seen.add(key)
                out.append(value)
    return out


def _plain_number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else float(value)


def _range_condition(col: PreparedCategory, codes: list[int]) -> Predicate:
    a, b = min(codes), max(codes)
    top = len(col.edges) - 2
    lo, hi = col.edges[a], col.edges[b + 1]
    if a == 0 and b == top:
        return Condition(col.name, "not_empty")
    if col.whole_numbers:
        lo_v, hi_v = _plain_number(lo), _plain_number(hi - 1)
        if b == top:
            return Condition(col.name, "gte", lo_v)
        if a == 0:
            return Condition(col.name, "lte", hi_v)
        return Condition(col.name, "eq", lo_v) if lo_v == hi_v else Condition(col.name, "between", (lo_v, hi_v))
    if b == top:
        return Condition(col.name, "gte", _plain_number(lo))
    if a == 0:
        return Condition(col.name, "lt", _plain_number(hi))
    return Compound("all", (Condition(col.name, "gte", _plain_number(lo)),
                            Condition(col.name, "lt", _plain_number(hi))))


def level_condition(col: PreparedCategory, level, pooled: frozenset = frozenset()) -> Predicate:
    """The condition matching exactly the leads whose code is in ``level``.

    ``pooled``: codes too rare to be named, treated as one; a level holding them is written
    as "is none of" the named values outside the level, so new values match it too.
    """
    level = set(int(c) for c in level)
    empty = col.missing_code in level
    codes = sorted(level - {col.missing_code})
    part: Predicate | None = None
    if codes:
        if col.kind == "bins":
            part = _range_condition(col, codes)
        elif col.kind == "boolean":
            flags = {bool(col.variants[c][0]) for c in codes}
            part = (Condition(col.name, "not_empty") if len(flags) == 2
                    else Condition(col.name, "is_true" if flags.pop() else "is_false"))
        elif pooled & set(codes):
            others = [c for c in range(col.n_codes)
                      if c not in level and c != col.missing_code and c not in pooled]
            values = _values(col, others)
            part = (Condition(col.name, "not_in", tuple(_clean(values))) if values
                    else Condition(col.name, "not_empty"))
        else:
            values = _clean(_values(col, codes))
            part = (Condition(col.name, "eq", values[0]) if len(values) == 1
                    else Condition(col.name, "in", tuple(values)))
    if not empty:
        return part
    missing = Condition(col.name, "is_empty")
    return missing if part is None else Compound("any", (missing, part))


def _clean(values: list) -> list:
    return [_plain_number(v) if isinstance(v, float) else v for v in values]


def level_label(col: PreparedCategory, level, pooled: frozenset = frozenset(), *,
                most: int = 3) -> str:
    """Short words for a level: "Google, Bing +2", "5 – 8", "other values", "empty"."""
    level = [int(c) for c in level]
    if col.kind == "bins":
        ranges = sorted(c for c in level if c != col.missing_code)
        parts = []
        if ranges:
            a, b = ranges[0], ranges[-1]
            lo, hi = col.variants[a][0], col.variants[b][1]
            top = col.missing_code - 1 if col.missing_code >= 0 else col.n_codes - 1
            parts.append(f"{_number_text(lo)} or more" if b == top and a > 0 else
                         f"up to {_number_text(hi)}" if a == 0 and b < top else
                         _number_text(lo) if lo == hi else f"{_number_text(lo)} – {_number_text(hi)}")
        if col.missing_code in level:
            parts.append("empty")
        return " or ".join(parts)
    named = [c for c in level if c not in pooled and c != col.missing_code]
    names = [col.labels[c] for c in named]
    shown = ", ".join(names[:most]) + (f" +{len(names) - most}" if len(names) > most else "")
    extras = (["other values"] if pooled & set(level) else []) + (["empty"] if col.missing_code in level else [])
    return ", ".join(x for x in [shown, *extras] if x)

"""Which leads the lead table shows, in which order: one computation over a snapshot of the view.

A ``RowsQuery`` holds everything that decides the rows (the columns, the scores, the row filter,
the search text and the sort); ``visible_rows(query)`` returns them as an index array into the
frame, with the search mask it built. It touches no Qt object and no state of the table model,
so the model runs it on the GUI thread for small lists and on a worker for big ones (sorting ten
million leads by a text column takes seconds). Column sort keys and search indexes are cached on
the column objects, score sort keys in the query's ``score_keys`` (one dict per set of scores).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from scoring.errors import Cancelled
from widgets.lead_table_columns import LeadColumn, order_rows

__all__ = ["RowsQuery", "Rows", "visible_rows", "search_mask", "score_sort_key", "SCORE_KEYS"]

#: the score arrays behind the table's first columns, in their order
SCORE_KEYS = ("total", "fit", "engagement", "mql")


@dataclass(frozen=True)
class RowsQuery:
    """What decides the rows shown.

    ``sort`` is ``(key, descending)`` with key a frame column's position among ``columns`` or
    ``"score:<name>"`` (a name of ``SCORE_KEYS``), or None for the file's order. ``search_mask``
    is the mask of ``search`` when it is already known.
    """

    n: int
    columns: tuple[LeadColumn, ...]
    scores: dict[str, np.ndarray] | None
    score_keys: dict
    row_filter: str = "all"
    search: str = ""
    search_mask: np.ndarray | None = None
    sort: tuple[str | int, bool] | None = None


@dataclass(frozen=True)
class Rows:
    """The frame rows shown, in order, and the search mask they were chosen with (or None)."""

    order: np.ndarray
    search_mask: np.ndarray | None


def _score_key(values: np.ndarray) -> tuple[np.ndarray, int | None]:
    """Scores show one decimal, so they sort as tenths; as small non-negative integers numpy's
    stable sort is a radix sort, several times faster than sorting floats."""
    tenths = np.round(np.asarray(values, np.float64) * 10)
    if tenths.size and np.isfinite(tenths).all():
        ranks = tenths - tenths.min()
        if ranks.max() < np.iinfo(np.uint16).max:
            return ranks.astype(np.int32), int(ranks.max()) + 1
    return tenths / 10, None


def score_sort_key(scores: dict[str, np.ndarray], cache: dict, name: str) -> tuple[np.ndarray, int | None]:
    """The sort key of score column ``name`` (cached in ``cache``); for "mql", descending puts
    MQLs first, then other leads, then blocked ones."""
    if name not in cache:
        if name == "mql":
            key = scores["mql"].astype(np.int8) - scores["blocked"] + 1
            cache[name] = (key.astype(np.int8), 3)
        else:
            cache[name] = _score_key(scores[name])
    return cache[name]


def search_mask(columns, n: int, text: str, *, on_progress: Callable[[float], None] | None = None,
                is_cancelled: Callable[[], bool] | None = None) -> np.ndarray:
    """Rows with ``text`` in any column's shown text (case-insensitive), column by column."""
    mask = np.zeros(n, bool)
    for i, column in enumerate(columns):
        if is_cancelled is not None and is_cancelled():
            raise Cancelled()
        mask |= column.matches(text)
        if on_progress is not None:
            on_progress((i + 1) / max(1, len(columns)))
    return mask


def visible_rows(query: RowsQuery, *, on_progress: Callable[[float], None] | None = None,
                 is_cancelled: Callable[[], bool] | None = None) -> Rows:
    """The rows ``query`` shows: filtered by the row filter and the search, then sorted (stable,
    missing values last)."""
    search = query.search_mask
    if query.search and search is None:
        searching = None if on_progress is None else (lambda f: on_progress(0.9 * f))
        search = search_mask(query.columns, query.n, query.search, on_progress=searching,
                             is_cancelled=is_cancelled)
    keep = None
    scores = query.scores
    if scores is not None and query.row_filter != "all":
        mql, blocked = scores["mql"], scores["blocked"]
        keep = {"mql": mql, "not_mql": ~mql, "blocked": blocked}[query.row_filter]
    if search is not None:
        keep = search if keep is None else keep & search
    rows = np.arange(query.n) if keep is None else np.flatnonzero(keep)
    if query.sort is not None:
        if is_cancelled is not None and is_cancelled():
            raise Cancelled()
        where, descending = query.sort
        if isinstance(where, str):
            key, missing = score_sort_key(scores, query.score_keys, where.removeprefix("score:"))
        else:
            column = query.columns[where]
            key = column.sort_key()
            missing = column.missing_rank
        rows = rows[order_rows(key, rows, descending, missing)]
    if on_progress is not None:
        on_progress(1.0)
    return Rows(rows, search)

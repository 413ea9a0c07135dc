"""A table model over a lead DataFrame plus its scores, fast at a million rows.

Score, Fit, Engagement and MQL columns come first, then the frame's columns. The rows shown are
an index array into the frame (``view row -> frame row``): sorting is one stable numpy argsort
with missing values last, and the row filters (MQLs, not MQLs, blocked) and the search are
boolean masks, never a proxy model. Cells are formatted when painted, from arrays prepared once
per column (see :mod:`widgets.lead_table_columns`).

Which rows show, in which order, is computed by :func:`widgets.lead_rows.visible_rows` from a
snapshot of the view. For lists of ``BACKGROUND_ROWS`` leads or more, once the application gave
the model a ``RowsWorker`` (:meth:`LeadTableModel.set_background`), that runs on a worker: the
view keeps showing the previous rows meanwhile (``busy`` is True), the result replaces them in
one layout change, and a newer sort, filter or search supersedes a pending one. Small lists, and
models without a worker, are sorted and filtered at once.
"""

from __future__ import annotations

from enum import IntEnum
from functools import partial
from typing import Callable, Protocol

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QPalette

from scoring.column_types import ColumnType
from scoring.errors import LeadbenchError
from widgets.lead_rows import SCORE_KEYS as _SCORE_KEYS, Rows, RowsQuery, score_sort_key, visible_rows
from widgets.lead_table_columns import LeadColumn, make_column
from widgets.theme import colour

__all__ = ["LeadTableModel", "LeadRole", "ROW_FILTERS", "SCORE_HEADERS", "BACKGROUND_ROWS", "RowsWorker"]

#: lists of this many leads or more are sorted, filtered and searched on a worker (when given one)
BACKGROUND_ROWS = 200_000
_FEW_PERSISTENT = 16     # up to this many rows with persistent indexes are found one by one
_INTERIM_ROWS = 10_000   # a big new list shows this many rows until all of them are ready


class RowsWorker(Protocol):
    """Runs the table's row computations off the GUI thread (the application provides one).

    ``run(job, done, text)`` calls ``job(on_progress=..., is_cancelled=...)`` on a worker and
    then ``done(result)`` on the GUI thread, or ``done(None)`` when the job failed; a newer
    ``run`` cancels the previous job, whose ``done`` is then never called. ``text`` says what is
    running ("Sorting 10,000,000 leads…").
    """

    def run(self, job: Callable[..., Rows], done: Callable[[Rows | None], None], text: str) -> None: ...

#: Headers of the computed columns, shown before the frame's own columns once there are scores.
SCORE_HEADERS = ("Score", "Fit", "Engagement", "MQL")
#: Row filter kinds: every lead, MQLs, leads that are not MQLs, leads blocked by a gate.
ROW_FILTERS = ("all", "mql", "not_mql", "blocked")
_SCORE_COUNT = len(SCORE_HEADERS)
_MQL_COLUMN = 3
_ALIGN_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
# roles as plain ints: Qt passes ints, and comparing them to enum members is slow in data()
_DISPLAY, _BACKGROUND, _FOREGROUND, _ALIGNMENT, _TOOLTIP = (
    int(r) for r in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.BackgroundRole,
                     Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.TextAlignmentRole,
                     Qt.ItemDataRole.ToolTipRole))
_CELL_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_SCORE_TIPS = ("Total score: fit plus engagement, after group caps",
               "Fit score: who the lead is (title, company size, industry…)",
               "Engagement score: what the lead did (visits, downloads, demo requests…)",
               "MQL: the score reaches the threshold and no gate blocks the lead")


class LeadRole(IntEnum):
    """Custom data roles of :class:`LeadTableModel`."""

    FRAME_ROW = Qt.ItemDataRole.UserRole + 1   # int: the frame row shown in this view row
    QUALIFIED = Qt.ItemDataRole.UserRole + 2   # bool: the lead is an MQL
    BLOCKED = Qt.ItemDataRole.UserRole + 3     # bool: a gate blocks the lead
    SORT_VALUE = Qt.ItemDataRole.UserRole + 4  # float | int | None: the cell's sort key


_ROLES = frozenset({_DISPLAY, _BACKGROUND, _FOREGROUND, _ALIGNMENT, _TOOLTIP, *map(int, LeadRole)})


def _score_text(value: float) -> str:
    """One decimal, none when it is zero: 55, 55.3, 0 (never -0)."""
    text = f"{value:.1f}"
    text = text[:-2] if text.endswith(".0") else text
    return "0" if text == "-0" else text


class LeadTableModel(QAbstractTableModel):
    """The lead list with its scores, sortable and filterable at a million rows.

    Data comes in through :meth:`set_frame` and :meth:`set_scores`; :meth:`sort`,
    :meth:`set_row_filter` and :meth:`set_search` choose the rows shown, and compose.

    Signals
    -------
    rowsFiltered(int visible, int total)
        The rows shown changed (new data, a filter, a search or new scores under a filter).
    """

    rowsFiltered = Signal(int, int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._columns: list[LeadColumn] = []
        self._n = 0
        self._scores: dict[str, np.ndarray] | None = None
        self._score_keys: dict[str, tuple[np.ndarray, int | None]] = {}
        self._order = np.zeros(0, np.int64)
        self._sort: tuple[str | int, Qt.SortOrder] | None = None   # ("score:total" | frame column)
        self._filter = "all"
        self._search = ""
        self._search_mask: np.ndarray | None = None    # the mask of ``_search``, once known
        self._shown_mask: np.ndarray | None = None     # the search mask the rows shown were chosen with
        self._background: RowsWorker | None = None
        self._token = 0                                # numbers the row computations
        self._pending: int | None = None               # the one running on the worker
        self._mql_brush = self._blocked_brush = QBrush()
        self.set_palette(None)

    def set_palette(self, palette: QPalette | None) -> None:
        """Colour MQL and blocked rows for ``palette`` (None: the application's), light or dark."""
        self._mql_brush = QBrush(colour("mql_row", palette))
        self._blocked_brush = QBrush(colour("subtle", palette))
        if self._n:
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1),
                                  [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole])

    def set_background(self, worker: RowsWorker | None) -> None:
        """Sort, filter and search lists of ``BACKGROUND_ROWS`` leads or more on ``worker``
        (None: always at once, on the calling thread)."""
        self._background = worker

    # -- data in ------------------------------------------------------------------------------
    def set_frame(self, frame: pd.DataFrame | None,
                  types: dict[str, ColumnType] | None = None, number_formats: dict | None = None) -> None:
        """Show ``frame`` (None for no lead list); clears the scores. ``number_formats``: per
        number column, its ``NumberFormat`` (amounts in their currency, percentages as "12.5%").

        The search, the row filter and a sort on a column the new frame still has are kept, so
        re-typing a column does not lose the user's view.
        """
        self.beginResetModel()
        types = types or {}
        sorted_name = (self._columns[self._sort[0]].name
                       if self._sort is not None and isinstance(self._sort[0], int) else None)
        self._columns = [] if frame is None else [
            make_column(frame.iloc[:, i], types.get(name), (number_formats or {}).get(name))
            for i, name in enumerate(frame.columns)]
        self._n = 0 if frame is None else len(frame)
        self._scores = None
        self._score_keys = {}
        names = [c.name for c in self._columns]
        self._sort = (names.index(sorted_name), self._sort[1]) if sorted_name in names else None
        self._search_mask = None
        # a big list shows its first rows at once; all of them follow from the worker (allocating
        # ten million row numbers here would fault in 80 MB on the GUI thread)
        later = self._reset_rows(np.arange(min(self._n, _INTERIM_ROWS)), complete=False)
        self.endResetModel()
        self.rowsFiltered.emit(len(self._order), self._n)
        if later:
            self._request_rows()

    def set_scores(self, total: np.ndarray | None = None, fit: np.ndarray | None = None,
                   engagement: np.ndarray | None = None, mql: np.ndarray | None = None,
                   blocked: np.ndarray | None = None, *, sort_by_score: bool = False) -> None:
        """New scores, one per frame row (``total=None`` clears them).

        The first scores add the four score columns (a model reset); later ones emit
        ``dataChanged`` over the score columns, and re-sort / re-filter (a layout change) only
        when the sort or the row filter depends on scores. ``sort_by_score``: the first scores
        sort the rows by score, best first, unless a sort was chosen (in the same reset).
        """
        scores = None
        if total is not None:
            arrays = {"total": total, "fit": fit, "engagement": engagement, "mql": mql,
                      "blocked": blocked}
            for name, values in arrays.items():
                if values is None or len(values) != self._n:
                    got = "none" if values is None else f"{len(values):,}"
                    raise LeadbenchError(
                        f"The {name} scores cover {got} leads but the lead list has {self._n:,}; "
                        "score the current lead list again.")
            scores = {name: np.asarray(values, bool if name in ("mql", "blocked") else np.float64)
                      for name, values in arrays.items()}
        if (scores is None) != (self._scores is None):      # score columns come or go
            self.beginResetModel()
            self._scores, self._score_keys = scores, {}
            if scores is None and self._sorted_by_score():
                self._sort = None
            if scores is not None and sort_by_score and self._sort is None:
                self._sort = ("score:" + _SCORE_KEYS[0], Qt.SortOrder.DescendingOrder)
            later = self._reset_rows(self._order)
            self.endResetModel()
            self.rowsFiltered.emit(len(self._order), self._n)
            if later:
                self._request_rows()
            return
        if scores is None:
            return
        self._scores, self._score_keys = scores, {}
        if self._filter != "all" or self._sorted_by_score():
            self._relayout()
        if self._order.size:
            last = len(self._order) - 1
            self.dataChanged.emit(self.index(0, 0), self.index(last, _MQL_COLUMN))
            if self._columns:     # MQL rows are shaded across the whole row
                self.dataChanged.emit(self.index(0, _MQL_COLUMN + 1),
                                      self.index(last, self.columnCount() - 1),
                                      [_BACKGROUND, _FOREGROUND])

    # -- what is shown ------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """Whether rows are being sorted, filtered or searched on the worker (the view shows the
        previous rows until they are ready)."""
        return self._pending is not None

    @property
    def has_scores(self) -> bool:
        return self._scores is not None

    def set_row_filter(self, kind: str) -> None:
        """Show ``"all"`` leads, ``"mql"``, ``"not_mql"`` or ``"blocked"`` ones (with scores)."""
        if kind not in ROW_FILTERS:
            raise LeadbenchError(f"Unknown lead filter {kind!r}; use one of {', '.join(ROW_FILTERS)}.")
        if kind != self._filter:
            self._filter = kind
            self._relayout()

    def row_filter(self) -> str:
        return self._filter

    def set_search(self, text: str) -> None:
        """Show only leads with ``text`` in any column (case-insensitive; "" shows all)."""
        text = text.strip()
        if text.casefold() != self._search.casefold():
            self._search = text
            self._search_mask = None
            self._relayout()

    def search_text(self) -> str:
        return self._search

    def filter_counts(self) -> dict[str, int]:
        """How many leads each row filter would show, within the search of the rows shown."""
        search = self._shown_mask
        total = self._n if search is None else int(np.count_nonzero(search))
        if self._scores is None:
            return {"all": total, "mql": 0, "not_mql": 0, "blocked": 0}
        mql, blocked = self._scores["mql"], self._scores["blocked"]
        if search is not None:
            mql, blocked = mql & search, blocked & search
        n_mql = int(np.count_nonzero(mql))
        return {"all": total, "mql": n_mql, "not_mql": total - n_mql,
                "blocked": int(np.count_nonzero(blocked))}

    def visible_count(self) -> int:
        """How many leads are shown (after filter and search)."""
        return len(self._order)

    def total_count(self) -> int:
        return self._n

    def frame_row(self, view_row: int) -> int:
        """The frame row shown at ``view_row``."""
        return int(self._order[view_row])

    def view_row(self, frame_row: int) -> int:
        """Where ``frame_row`` is shown, or -1 when filtered out."""
        hits = np.flatnonzero(self._order == frame_row)
        return int(hits[0]) if hits.size else -1

    def sort_column(self) -> tuple[int, Qt.SortOrder] | None:
        """The column (as shown now) and order of the current sort, or None."""
        if self._sort is None:
            return None
        key, order = self._sort
        if isinstance(key, str):
            return _SCORE_KEYS.index(key.removeprefix("score:")), order
        return self._score_count() + key, order

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by ``column`` (stable, missing values last); a column < 0 restores file order."""
        if column >= self.columnCount():
            return
        k = self._score_count()
        if column < 0:
            wanted = None
        elif column < k:
            wanted = ("score:" + _SCORE_KEYS[column], order)
        else:
            wanted = (column - k, order)
        # every data change re-applies the sort, so the same sort again has nothing to do (and
        # QTableView.sortByColumn asks twice)
        if wanted != self._sort:
            self._sort = wanted
            self._relayout()

    # -- internals ----------------------------------------------------------------------------
    def _sorted_by_score(self) -> bool:
        return self._sort is not None and isinstance(self._sort[0], str)

    def _score_count(self) -> int:
        return 0 if self._scores is None else _SCORE_COUNT

    def _score_sort_key(self, name: str) -> tuple[np.ndarray, int | None]:
        return score_sort_key(self._scores, self._score_keys, name)

    def _query(self) -> RowsQuery:
        sort = None
        if self._sort is not None:
            sort = (self._sort[0], self._sort[1] == Qt.SortOrder.DescendingOrder)
        return RowsQuery(self._n, tuple(self._columns), self._scores, self._score_keys, self._filter,
                         self._search, self._search_mask if self._search else None, sort)

    def _in_background(self) -> bool:
        return self._background is not None and self._n >= BACKGROUND_ROWS

    def _computed(self) -> np.ndarray:
        """The rows shown for the current state, computed here and now."""
        rows = visible_rows(self._query())
        self._search_mask = self._shown_mask = rows.search_mask
        return rows.order

    def _reset_rows(self, interim: np.ndarray, complete: bool = True) -> bool:
        """Inside a model reset: the rows to show now; True when the real ones follow from the
        worker (``interim`` shows meanwhile: the first rows in the file's order, or the rows shown
        before; ``complete`` when it holds every row the view would show unsorted)."""
        self._token += 1
        complete = complete and self._pending is None     # a dropped computation is asked again
        self._pending = None
        if not self._in_background():
            self._order = self._computed()
            return False
        self._order = interim
        if self._search_mask is None:
            self._shown_mask = None
        return not complete or self._sort is not None or bool(self._search) or (
            self._scores is not None and self._filter != "all")

    def _relayout(self) -> None:
        """Recompute the rows shown: at once, or on the worker for a big list."""
        if self._in_background():
            self._request_rows()
        else:
            self._apply_rows(self._computed())

    def _request_rows(self) -> None:
        self._token += 1
        token = self._pending = self._token
        query = self._query()
        doing = ("Searching" if query.search and query.search_mask is None else
                 "Sorting" if query.sort is not None else "Filtering")
        self._background.run(partial(visible_rows, query), lambda rows: self._on_rows_ready(token, rows),
                             f"{doing} {self._n:,} leads…")

    def _on_rows_ready(self, token: int, rows: Rows | None) -> None:
        if token != self._pending:       # a newer sort, filter, search or list came since
            return
        self._pending = None
        if rows is None:                 # the worker failed (and said so): keep the rows shown
            return
        if self._search:
            self._search_mask = rows.search_mask
        self._shown_mask = rows.search_mask
        self._apply_rows(rows.order)

    def _apply_rows(self, order: np.ndarray) -> None:
        """Show ``order``; persistent indexes follow their lead (or become invalid)."""
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        old = self._order
        frame_rows = np.array([old[i.row()] if 0 <= i.row() < len(old) else -1 for i in persistent],
                              np.int64)
        self._order = order
        if persistent:
            for index, new_row in zip(persistent, _new_positions(order, frame_rows, self._n).tolist()):
                moved = self.index(new_row, index.column()) if new_row >= 0 else QModelIndex()
                self.changePersistentIndex(index, moved)
        self.layoutChanged.emit()
        self.rowsFiltered.emit(len(self._order), self._n)

    # -- Qt model interface -------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._score_count() + len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        k = self._score_count()
        if role == _DISPLAY:
            return SCORE_HEADERS[section] if section < k else self._columns[section - k].name
        if role == _TOOLTIP:
            if section < k:
                return _SCORE_TIPS[section]
            column = self._columns[section - k]
            return f"{column.name}\nType: {column.type_label}"
        return None

    def display_text(self, view_row: int, column: int) -> str:
        """The text shown in a cell (what ``data`` returns for DisplayRole), without a QModelIndex."""
        return self._text(int(self._order[view_row]), column)

    def _text(self, row: int, column: int) -> str:
        scores = self._scores
        k = 0 if scores is None else _SCORE_COUNT
        if column >= k:
            return self._columns[column - k].text(row)
        if column == _MQL_COLUMN:
            return "✔ MQL" if scores["mql"][row] else ("Blocked" if scores["blocked"][row] else "")
        return _score_text(scores[_SCORE_KEYS[column]][row])

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY):
        if role not in _ROLES or not index.isValid():
            return None
        row = int(self._order[index.row()])
        column = index.column()
        scores = self._scores
        k = 0 if scores is None else _SCORE_COUNT
        if role == _DISPLAY:
            return self._text(row, column)
        if role == _BACKGROUND:
            return self._mql_brush if scores is not None and scores["mql"][row] else None
        if role == _FOREGROUND:
            return self._blocked_brush if scores is not None and scores["blocked"][row] else None
        if role == _ALIGNMENT:
            if column < _MQL_COLUMN <= k - 1 or (column >= k and self._columns[column - k].right_aligned):
                return _ALIGN_RIGHT
            return None
        if role == _TOOLTIP:
            if column == _MQL_COLUMN < k and scores["blocked"][row]:
                return "A gate blocks this lead: select it to see which"
            return None
        if role == LeadRole.FRAME_ROW:
            return row
        if role == LeadRole.QUALIFIED:
            return bool(scores is not None and scores["mql"][row])
        if role == LeadRole.BLOCKED:
            return bool(scores is not None and scores["blocked"][row])
        if role == LeadRole.SORT_VALUE:
            if column >= k:
                return self._columns[column - k].sort_value(row)
            key, _ = self._score_sort_key(_SCORE_KEYS[column])
            return key[row].item()
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return _CELL_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags


def _new_positions(order: np.ndarray, frame_rows: np.ndarray, n: int) -> np.ndarray:
    """Where each of ``frame_rows`` (-1: none) is shown in ``order`` (-1: not shown). A few rows
    are looked up one by one; many through the inverse of ``order`` (a pass over every row)."""
    wanted = np.unique(frame_rows[frame_rows >= 0])
    if len(wanted) <= _FEW_PERSISTENT:
        found = {int(r): (hits[0] if (hits := np.flatnonzero(order == r)).size else -1) for r in wanted}
        return np.array([found.get(int(r), -1) for r in frame_rows], np.int64)
    where = np.full(n + 1, -1, np.int64)      # frame row -> new view row; row -1 looks up n
    where[order] = np.arange(len(order))
    return where[frame_rows]

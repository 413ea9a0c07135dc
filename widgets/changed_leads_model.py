"""The changed leads of a model comparison as a table: both scores, the change, contact columns.

A light ``QAbstractTableModel`` over the comparison's numpy arrays. Contact columns come as a
DataFrame with one row per changed lead and are wrapped in the lead table's own column objects
(:mod:`widgets.lead_table_columns`), so cells are formatted only when painted. The rows shown are
an index array: the change filter is one boolean mask, a sort one stable numpy argsort.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from scoring.handoff.compare import ENTERED, LEFT, SCORE_CHANGED, ModelComparison
from widgets.lead_table_columns import LeadColumn, make_column, order_rows

__all__ = ["ChangedLeadsModel", "CHANGE_FILTERS", "CHANGE_LABELS"]

#: Change filters: every changed lead, leads that become MQLs, that stop being MQLs, the others.
CHANGE_FILTERS = ("all", "entered", "left", "score")
#: How each change reads in the table.
CHANGE_LABELS = ("Becomes MQL", "Stops being MQL", "Score changed")
_FILTER_CODES = {"entered": ENTERED, "left": LEFT, "score": SCORE_CHANGED}
# (header, comparison attribute or callable) of the number columns before and after the contacts
_FIRST = (("Score before", "old_score"), ("Score after", "new_score"), ("Change in score", None))
_LAST = (("Fit before", "old_fit"), ("Fit after", "new_fit"),
         ("Engagement before", "old_engagement"), ("Engagement after", "new_engagement"))
_BRUSHES = {ENTERED: QBrush(QColor("#e3f4e1")), LEFT: QBrush(QColor("#fbe5e1"))}
_DISPLAY, _BACKGROUND, _ALIGNMENT, _TOOLTIP = (
    int(r) for r in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.BackgroundRole,
                     Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.ToolTipRole))
_ALIGN_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_TIPS = {ENTERED: "Not an MQL under the old model, an MQL under the new one",
         LEFT: "An MQL under the old model, not under the new one",
         SCORE_CHANGED: "Same MQL status under both models; the score or a gate changed"}


def _number_text(value: float) -> str:
    text = f"{value:.1f}"
    text = text[:-2] if text.endswith(".0") else text
    return "0" if text == "-0" else text


def _status(mql: bool, blocked: bool) -> str:
    return "MQL" if mql else ("blocked" if blocked else "not MQL")


class ChangedLeadsModel(QAbstractTableModel):
    """Changed leads: Change, Score before, Score after, Change in score, the contact columns,
    then fit and engagement before and after. Entered rows are shaded green, left rows red; the
    scores' tooltips list the reasons (rules and caps, adding up to the score).

    Data in through :meth:`set_comparison`; :meth:`set_change_filter` and :meth:`sort` choose
    the rows shown. ``frame_row(view_row)`` is the lead's row in the lead list.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._comparison: ModelComparison | None = None
        self._numbers: list[tuple[str, np.ndarray]] = []
        self._contacts: list[LeadColumn] = []
        self._order = np.zeros(0, np.int64)
        self._filter = "all"
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # -- data in ------------------------------------------------------------------------------
    def set_comparison(self, comparison: ModelComparison | None,
                       contacts: pd.DataFrame | None = None) -> None:
        """Show the changed leads of ``comparison`` (None: nothing); ``contacts`` holds one row
        per changed lead, in ``comparison.rows`` order (e.g. name, email, company)."""
        if contacts is not None and comparison is not None and len(contacts) != comparison.n_changed:
            raise ValueError("contacts must have one row per changed lead")
        self.beginResetModel()
        self._comparison = comparison
        self._numbers, self._contacts = [], []
        if comparison is not None:
            values = {"old_score": comparison.old_score, "new_score": comparison.new_score}
            first = [(h, values[a] if a else comparison.score_change) for h, a in _FIRST]
            last = [(h, getattr(comparison, a)) for h, a in _LAST]
            self._numbers = first + last
            if contacts is not None:
                frame = contacts.reset_index(drop=True)
                self._contacts = [make_column(frame.iloc[:, i]) for i in range(frame.shape[1])]
        self._sort = None
        self._order = self._visible_rows()
        self.endResetModel()

    def comparison(self) -> ModelComparison | None:
        return self._comparison

    def set_change_filter(self, kind: str) -> None:
        """Show ``"all"`` changed leads, ``"entered"``, ``"left"`` or ``"score"`` (status kept)."""
        if kind not in CHANGE_FILTERS:
            raise ValueError(f"unknown change filter {kind!r}")
        if kind != self._filter:
            self._filter = kind
            self._relayout()

    def change_filter(self) -> str:
        return self._filter

    def visible_count(self) -> int:
        return len(self._order)

    def frame_row(self, view_row: int) -> int:
        """The lead list row of the lead shown at ``view_row``."""
        return int(self._comparison.rows[self._order[view_row]])

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Stable sort by ``column``, missing values last; column < 0 restores the comparison's
        order (entered, left, score changed; biggest change first)."""
        if column >= self.columnCount():
            return
        wanted = None if column < 0 else (column, order)
        if wanted != self._sort:
            self._sort = wanted
            self._relayout()

    # -- internals ----------------------------------------------------------------------------
    def _column(self, column: int) -> tuple[str, object]:
        """("change" | "number" | "contact", payload) for a view column."""
        if column == 0:
            return "change", None
        n_first = len(_FIRST)
        if column <= n_first:
            return "number", self._numbers[column - 1][1]
        if column <= n_first + len(self._contacts):
            return "contact", self._contacts[column - 1 - n_first]
        return "number", self._numbers[column - 1 - len(self._contacts)][1]

    def _visible_rows(self) -> np.ndarray:
        c = self._comparison
        if c is None:
            return np.zeros(0, np.int64)
        rows = (np.arange(c.n_changed) if self._filter == "all"
                else np.flatnonzero(c.change == _FILTER_CODES[self._filter]))
        if self._sort is not None:
            column, order = self._sort
            kind, payload = self._column(column)
            if kind == "change":
                key, missing = c.change.astype(np.int32), 3
            elif kind == "number":
                key, missing = np.asarray(payload, np.float64), None
            else:
                key, missing = payload.sort_key(), payload.missing_rank
            rows = rows[order_rows(key, rows, order == Qt.SortOrder.DescendingOrder, missing)]
        return rows

    def _relayout(self) -> None:
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        old = self._order
        leads = [int(old[i.row()]) if 0 <= i.row() < len(old) else -1 for i in persistent]
        self._order = self._visible_rows()
        if persistent and self._comparison is not None:
            where = np.full(self._comparison.n_changed + 1, -1, np.int64)   # lead -> view row
            where[self._order] = np.arange(len(self._order))
            for index, lead in zip(persistent, leads):
                row = int(where[lead]) if lead >= 0 else -1
                self.changePersistentIndex(index, self.index(row, index.column()) if row >= 0
                                           else QModelIndex())
        self.layoutChanged.emit()

    # -- Qt model interface -------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        if parent.isValid() or self._comparison is None:
            return 0
        return 1 + len(self._numbers) + len(self._contacts)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        kind, payload = self._column(section)
        if role == _DISPLAY:
            if kind == "change":
                return "Change"
            if kind == "contact":
                return payload.name
            n_first = len(_FIRST)
            index = section - 1 if section <= n_first else section - 1 - len(self._contacts)
            return self._numbers[index][0]
        if role == _TOOLTIP and kind == "change":
            return "Whether the lead becomes an MQL, stops being one, or only its score changes"
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY):
        if not index.isValid() or role not in (_DISPLAY, _BACKGROUND, _ALIGNMENT, _TOOLTIP):
            return None
        c = self._comparison
        lead = int(self._order[index.row()])
        change = int(c.change[lead])
        if role == _BACKGROUND:
            return _BRUSHES.get(change)
        kind, payload = self._column(index.column())
        if role == _ALIGNMENT:
            right = kind == "number" or (kind == "contact" and payload.right_aligned)
            return _ALIGN_RIGHT if right else None
        if role == _TOOLTIP:
            if index.column() in (1, 2):            # score before / after: why, adding up
                reasons = c.reasons(lead)[index.column() - 1]
                return reasons.replace("; ", "\n") or "No scoring rule matched"
            if kind != "change":
                return None
            before = _status(bool(c.old_mql[lead]), bool(c.old_blocked[lead]))
            after = _status(bool(c.new_mql[lead]), bool(c.new_blocked[lead]))
            return f"{_TIPS[change]}\nBefore: {before}; after: {after}"
        if kind == "change":
            return CHANGE_LABELS[change]
        if kind == "number":
            value = float(payload[lead])
            text = _number_text(value)
            return f"+{text}" if index.column() == len(_FIRST) and value > 0.05 else text
        return payload.text(lead)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

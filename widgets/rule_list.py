"""The rules of a model in three sections (Fit, Engagement, Gates), with live match counts."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QMenu, QPushButton,
                               QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from scoring.describe import describe_predicate
from scoring.explain import format_points
from scoring.model import ENGAGEMENT, FIT, Model

__all__ = ["RuleListWidget"]

_INDEX = Qt.ItemDataRole.UserRole
_SECTION = Qt.ItemDataRole.UserRole + 1
_SECTIONS = ((FIT, "Fit — who they are"), (ENGAGEMENT, "Engagement — what they did"),
             ("gates", "Gates — must have / disqualify"))
_EMPTY = "No rules yet — add one to start scoring"


class _Tree(QTreeWidget):
    """A tree whose drops are turned into a ``ruleMoved`` intent instead of moving items."""

    dropped = Signal(int, int, str)

    def dropEvent(self, event) -> None:
        source = self.currentItem()
        target = self.itemAt(event.position().toPoint())
        event.ignore()
        if source is None or target is None or source.data(0, _INDEX) is None:
            return
        section = target.data(0, _SECTION) or target.parent().data(0, _SECTION)
        index = target.data(0, _INDEX)
        if section == "gates" or (source.data(0, _SECTION) == "gates") != (section == "gates"):
            return
        if index is None:      # dropped on a section header: move to its end
            children = [target.child(i).data(0, _INDEX) for i in range(target.childCount())]
            children = [c for c in children if c is not None]
            index = (max(children) + 1) if children else source.data(0, _INDEX)
        self.dropped.emit(int(source.data(0, _INDEX)), int(index), section)


class RuleListWidget(QWidget):
    """Signals
    -------
    addRequested(str group), editRequested(int index), ruleToggled(int index, bool enabled),
    duplicateRequested(int index), deleteRequested(int index),
    ruleMoved(int from_index, int to_index, str group), ruleSelected(int index or -1)
    """

    addRequested = Signal(str)
    editRequested = Signal(int)
    ruleToggled = Signal(int, bool)
    duplicateRequested = Signal(int)
    deleteRequested = Signal(int)
    ruleMoved = Signal(int, int, str)
    ruleSelected = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ruleList")
        self._model = Model()
        self._counts: list[int] | None = None
        self._n_rows = 0
        self._filling = False

        self.tree = _Tree(objectName="ruleTree")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["Rule", "Points", "Leads"])
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(False)
        self.tree.setWordWrap(True)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.installEventFilter(self)

        self.add_button = QPushButton("Add rule…", objectName="addRuleButton")
        self.edit_button = QPushButton("Edit…", objectName="editRuleButton")
        self.duplicate_button = QPushButton("Duplicate", objectName="duplicateRuleButton")
        self.delete_button = QPushButton("Delete", objectName="deleteRuleButton")
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.duplicate_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(buttons)
        layout.addWidget(self.tree, 1)

        self.add_button.clicked.connect(lambda: self.addRequested.emit(self._current_group()))
        self.edit_button.clicked.connect(lambda: self._emit_for_current(self.editRequested))
        self.duplicate_button.clicked.connect(lambda: self._emit_for_current(self.duplicateRequested))
        self.delete_button.clicked.connect(lambda: self._emit_for_current(self.deleteRequested))
        self.tree.itemDoubleClicked.connect(self._on_tree_double_clicked)
        self.tree.itemChanged.connect(self._on_tree_item_changed)
        self.tree.currentItemChanged.connect(self._on_tree_current_changed)
        self.tree.customContextMenuRequested.connect(self._on_tree_context_menu)
        self.tree.dropped.connect(self.ruleMoved)
        self._fill()

    # -- data in ------------------------------------------------------------------------------
    def set_model(self, model: Model) -> None:
        self._model = model
        self._fill()

    def set_counts(self, counts, n_rows: int) -> None:
        self._counts, self._n_rows = (list(counts) if counts is not None else None), n_rows
        self._filling = True
        for item in self._rule_items():
            self._show_count(item, int(item.data(0, _INDEX)))
        self._filling = False

    def current_index(self) -> int:
        item = self.tree.currentItem()
        value = item.data(0, _INDEX) if item is not None else None
        return -1 if value is None else int(value)

    def select_rule(self, index: int) -> None:
        for item in self._rule_items():
            if item.data(0, _INDEX) == index:
                self.tree.setCurrentItem(item)
                return

    # -- building -----------------------------------------------------------------------------
    def _fill(self) -> None:
        current = self.current_index()
        scroll = self.tree.verticalScrollBar().value()
        self._filling = True
        self.tree.clear()
        bold = QFont()
        bold.setBold(True)
        sections = {}
        for key, title in _SECTIONS:
            section = QTreeWidgetItem(self.tree, [title])
            section.setData(0, _SECTION, key)
            section.setFont(0, bold)
            section.setFirstColumnSpanned(True)
            section.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsDropEnabled)
            sections[key] = section
        for index, rule in enumerate(self._model.rules):
            key = "gates" if rule.is_gate else rule.group
            if key not in sections:
                section = QTreeWidgetItem(self.tree, [rule.group.title()])
                section.setData(0, _SECTION, key)
                section.setFont(0, bold)
                section.setFirstColumnSpanned(True)
                sections[key] = section
            item = QTreeWidgetItem(sections[key])
            item.setData(0, _INDEX, index)
            item.setData(0, _SECTION, key)
            item.setText(0, f"{rule.name}\n{describe_predicate(rule.when)}")
            item.setToolTip(0, f"{rule.name}\n{describe_predicate(rule.when)}")
            points = {"require": "Must have", "disqualify": "Disqualifies"}.get(
                rule.kind, format_points(rule.points))
            if rule.decay is not None:
                points += " ↓"
                item.setToolTip(1, f"Fades: halves every {rule.decay.half_life_days:g} days")
            item.setText(1, points)
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                          | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsDragEnabled)
            item.setCheckState(0, Qt.CheckState.Checked if rule.enabled else Qt.CheckState.Unchecked)
            if not rule.enabled:
                for column in range(3):
                    item.setForeground(column, QBrush(QColor("#999999")))
            self._show_count(item, index)
        for section in sections.values():
            if section.childCount() == 0:
                hint = QTreeWidgetItem(section, [_EMPTY])
                hint.setData(0, _SECTION, section.data(0, _SECTION))
                hint.setForeground(0, QBrush(QColor("#8a8a8a")))
                hint.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsDropEnabled)
                hint.setFirstColumnSpanned(True)
        self.tree.expandAll()
        self._filling = False
        if current >= 0:
            self.select_rule(min(current, len(self._model.rules) - 1))
        self.tree.verticalScrollBar().setValue(scroll)
        self._update_buttons()

    def _show_count(self, item: QTreeWidgetItem, index: int) -> None:
        counts = self._counts
        if counts is None or index >= len(counts) or not self._model.rules[index].enabled:
            item.setText(2, "—" if counts is not None else "")
            return
        n = counts[index]
        share = n / self._n_rows * 100 if self._n_rows else 0
        item.setText(2, f"{n:,}\n{share:.0f}%")

    def _rule_items(self):
        for i in range(self.tree.topLevelItemCount()):
            section = self.tree.topLevelItem(i)
            for j in range(section.childCount()):
                child = section.child(j)
                if child.data(0, _INDEX) is not None:
                    yield child

    # -- intents ------------------------------------------------------------------------------
    def _current_group(self) -> str:
        item = self.tree.currentItem()
        key = item.data(0, _SECTION) if item is not None else None
        return key if key in (FIT, ENGAGEMENT, "gates") else FIT

    def _emit_for_current(self, signal) -> None:
        index = self.current_index()
        if index >= 0:
            signal.emit(index)

    def _update_buttons(self) -> None:
        has = self.current_index() >= 0
        for button in (self.edit_button, self.duplicate_button, self.delete_button):
            button.setEnabled(has)

    def _on_tree_double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        index = item.data(0, _INDEX)
        if index is not None:
            self.editRequested.emit(int(index))
        else:
            self.addRequested.emit(item.data(0, _SECTION) or FIT)

    def _on_tree_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._filling or column != 0 or item.data(0, _INDEX) is None:
            return
        index = int(item.data(0, _INDEX))
        enabled = item.checkState(0) == Qt.CheckState.Checked
        if enabled != self._model.rules[index].enabled:
            self.ruleToggled.emit(index, enabled)

    def _on_tree_current_changed(self, _current, _previous) -> None:
        self._update_buttons()
        if not self._filling:
            self.ruleSelected.emit(self.current_index())

    def _on_tree_context_menu(self, position) -> None:
        index = self.current_index()
        menu = QMenu(self)
        menu.addAction("Add rule…", lambda: self.addRequested.emit(self._current_group()))
        if index >= 0:
            rule = self._model.rules[index]
            menu.addAction("Edit…", lambda: self.editRequested.emit(index))
            menu.addAction("Duplicate", lambda: self.duplicateRequested.emit(index))
            menu.addAction("Disable" if rule.enabled else "Enable",
                           lambda: self.ruleToggled.emit(index, not rule.enabled))
            menu.addSeparator()
            menu.addAction("Delete", lambda: self.deleteRequested.emit(index))
        menu.exec(self.tree.viewport().mapToGlobal(position))

    def eventFilter(self, watched, event) -> bool:
        if watched is self.tree and event.type() == QEvent.Type.KeyPress:
            index = self.current_index()
            key = event.key()
            if key == Qt.Key.Key_Insert:
                self.addRequested.emit(self._current_group())
                return True
            if index >= 0 and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.editRequested.emit(index)
                return True
            if index >= 0 and key == Qt.Key.Key_Delete:
                self.deleteRequested.emit(index)
                return True
            if index >= 0 and key == Qt.Key.Key_Space:
                self.ruleToggled.emit(index, not self._model.rules[index].enabled)
                return True
            ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
            if index >= 0 and ctrl and key == Qt.Key.Key_D:
                self.duplicateRequested.emit(index)
                return True
        return super().eventFilter(watched, event)


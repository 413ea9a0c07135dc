"""The rules of a model in sections (Fit, Engagement, Gates), with live match counts.

The list never edits a model: every action emits an intent, and the app answers by calling
``set_model`` with the edited model (selection and scroll position survive that call).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QFont, QIcon, QPainter, QPen
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QHBoxLayout, QHeaderView, QMenu,
                               QPushButton, QStyle, QStyledItemDelegate, QStyleOptionViewItem,
                               QToolButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from scoring.evaluate.explain import format_points
from scoring.model.definition import ENGAGEMENT, FIT, Model, Rule
from scoring.model.describe import column_labels, describe_predicate
from widgets.theme import colour, is_dark

__all__ = ["RuleListWidget", "GATES", "count_text"]

GATES = "gates"
_INDEX = Qt.ItemDataRole.UserRole
_SECTION = Qt.ItemDataRole.UserRole + 1
_POINTS = Qt.ItemDataRole.UserRole + 2
_TITLES = {FIT: "Fit — who they are", ENGAGEMENT: "Engagement — what they did",
           GATES: "Gates — must have / disqualify"}
_EMPTY = "No rules yet — add one to start scoring"
_GATE_POINTS = {"require": "Required", "disqualify": "Disqualifies"}


def count_text(n: int, n_rows: int) -> str:
    """ "1,204 leads (12%)"; shares under 1% read "<1%" so a match never looks like none."""
    share = n / n_rows * 100 if n_rows else 0.0
    percent = "<1%" if 0 < share < 1 else f"{share:.0f}%"
    return f"{n:,} {'lead' if n == 1 else 'leads'} ({percent})"


def _section_of(rule: Rule) -> str:
    return GATES if rule.is_gate else rule.group


class _Tree(QTreeWidget):
    """A tree whose drops become a move intent (``dropped(from, section, position)``) instead of
    moving items itself."""

    dropped = Signal(int, str, int)

    def _target(self, event) -> tuple[str, int] | None:
        """(section, position among its rules) for a drop at the event's position."""
        source = self.currentItem()
        point = event.position().toPoint()
        target = self.itemAt(point)
        if source is None or source.data(0, _INDEX) is None or target is None:
            return None
        section = target.data(0, _SECTION)
        if (source.data(0, _SECTION) == GATES) != (section == GATES):
            return None                        # the kind changes in the editor, not by dragging
        if target.parent() is None:            # a section header: to the end of the section
            return section, target.childCount()
        if target.data(0, _INDEX) is None:     # the empty-section hint
            return section, 0
        row = target.parent().indexOfChild(target)
        below = point.y() > self.visualItemRect(target).center().y()
        return section, row + int(below)

    def dragMoveEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().dragMoveEvent(event)
        if self._target(event) is None:
            event.ignore()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt override
        target = self._target(event)
        event.ignore()                         # the app moves the rule and calls set_model
        if target is not None:
            self.dropped.emit(int(self.currentItem().data(0, _INDEX)), *target)


class _PaddedDelegate(QStyledItemDelegate):
    """Rows a few pixels taller than their text; in a dark palette each tick box gets a visible
    edge (the style draws it in a shade of the dark window colour, so an unticked rule showed
    no box at all)."""

    def sizeHint(self, option, index):  # noqa: N802 - Qt override
        size = super().sizeHint(option, index)
        return QSize(size.width() + 12, size.height() + 6)

    def paint(self, painter, option, index) -> None:
        super().paint(painter, option, index)
        if index.data(Qt.ItemDataRole.CheckStateRole) is None or not is_dark(option.palette):
            return
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        style = item.widget.style() if item.widget is not None else QApplication.style()
        box = style.subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, item, item.widget)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(colour("muted", option.palette), 1.2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(QRectF(box).adjusted(1.5, 1.5, -1.5, -1.5), 2, 2)
        painter.restore()


class RuleListWidget(QWidget):
    """The model's rules grouped in sections, each with an on/off box, its name, a plain-English
    summary (column 0), its points and how many leads it matches (column 1).

    Keys on the list: Ins adds, Enter edits, Ctrl+D duplicates, Del deletes, Space switches a
    rule on or off. Rules are reordered by dragging, within a section or between score sections
    (which changes their group); gates stay among gates.

    Signals
    -------
    addRequested(str group)
        Add a rule to ``group`` ("fit", "engagement", another score group, or "gates").
    editRequested(int index)
        Open rule ``index`` (position in ``model.rules``) in the editor.
    ruleToggled(int index, bool enabled)
    duplicateRequested(int index)
    deleteRequested(int index)
    ruleMoved(int from_index, int to_index, str group)
        Take rule ``from_index`` out of ``model.rules`` and insert it at ``to_index`` of the
        remaining list, in ``group`` (gates keep their group).
    ruleSelected(int index)
        The current rule changed by the user (-1: none).
    groupsEditRequested()
        Edit the score groups and their caps ("Groups…").
    starterRequested()
        The user asked for a starting model suggested from the outcome column (offered while
        the model has no rules: :meth:`set_starter_offer`).
    """

    addRequested = Signal(str)
    editRequested = Signal(int)
    ruleToggled = Signal(int, bool)
    duplicateRequested = Signal(int)
    deleteRequested = Signal(int)
    ruleMoved = Signal(int, int, str)
    groupsEditRequested = Signal()
    ruleSelected = Signal(int)
    starterRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ruleList")
        self._model = Model()
        self._labels: dict[str, str] = {}
        self._counts: list[int] | None = None
        self._n_rows = 0
        self._filling = False
        self._follow: int | None = None        # the index to select after the next set_model

        self.tree = _Tree(objectName="ruleTree")
        self.tree.setColumnCount(2)             # rule (name, summary) | points, matches
        self.tree.setHeaderLabels(["Rule", "Points · matches"])
        self.tree.headerItem().setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
        self.tree.setIndentation(8)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(False)
        self.tree.setWordWrap(False)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        # room around each row from a delegate, not a style sheet: a style sheet freezes the
        # palette the tree had (it stayed white after a switch to dark) and, in dark, drew
        # unticked boxes with no visible edge
        self.tree.setItemDelegate(_PaddedDelegate(self.tree))
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.installEventFilter(self)

        self.add_button = self._button("Add rule", "list-add", "addRuleButton", "Add a rule (Ins)")
        self.edit_button = self._button("Edit", "document-edit", "editRuleButton",
                                         "Edit the selected rule (Enter or double-click)")
        self.duplicate_button = self._button("Duplicate", "edit-copy", "duplicateRuleButton",
                                             "Duplicate the selected rule (Ctrl+D)")
        self.delete_button = self._button("Delete", "edit-delete", "deleteRuleButton",
                                          "Delete the selected rule (Del)")
        self.groups_button = self._button("Groups…", "", "groupsButton",
                                          "Score groups and their caps, and new groups")
        self.groups_button.clicked.connect(self.groupsEditRequested)
        buttons = QHBoxLayout()
        buttons.setSpacing(2)
        for button in (self.add_button, self.edit_button, self.duplicate_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.groups_button)
        self._offer: str | None = None
        self.starter_button = QPushButton(objectName="suggestStarterButton", visible=False)
        self.starter_button.setIcon(QIcon.fromTheme("tools-wizard"))
        self.starter_button.clicked.connect(self.starterRequested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(buttons)
        layout.addWidget(self.starter_button)
        layout.addWidget(self.tree, 1)

        self.add_button.clicked.connect(self._on_add_triggered)
        self.edit_button.clicked.connect(lambda: self._emit_for_current(self.editRequested))
        self.duplicate_button.clicked.connect(lambda: self._emit_for_current(self.duplicateRequested))
        self.delete_button.clicked.connect(lambda: self._emit_for_current(self.deleteRequested))
        self.tree.itemDoubleClicked.connect(self._on_tree_double_clicked)
        self.tree.itemChanged.connect(self._on_tree_item_changed)
        self.tree.currentItemChanged.connect(self._on_tree_current_changed)
        self.tree.customContextMenuRequested.connect(self._on_tree_context_menu)
        self.tree.dropped.connect(self.drop_rule)
        self._fill()

    @staticmethod
    def _button(text: str, icon: str, name: str, tip: str) -> QToolButton:
        button = QToolButton(objectName=name, text=text, toolTip=tip)
        button.setIcon(QIcon.fromTheme(icon))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setAutoRaise(True)
        return button

    # -- data in ------------------------------------------------------------------------------
    def set_model(self, model: Model) -> None:
        """Show ``model``'s rules; keeps the selected rule (or follows a moved or new one)."""
        old, self._model = self._model, model
        if self._follow is None and len(model.rules) == len(old.rules) + 1:
            new = [i for i, rule in enumerate(model.rules) if rule not in old.rules]
            self._follow = new[0] if len(new) == 1 else None
        self._fill()

    def set_starter_offer(self, column: str | None, busy: bool = False) -> None:
        """Offer "Suggest a starting model from <column>" while the model has no rules (None:
        no outcome column, no offer); ``busy`` while a suggestion is being made."""
        self._offer = column
        text = (f"Suggesting a starting model from “{column}”…" if busy else
                f"Suggest a starting model from “{column}”")
        self.starter_button.setText(text)
        self.starter_button.setEnabled(not busy)
        self.starter_button.setToolTip("Rules, points and a threshold learnt from the leads whose "
                                       "outcome is known, back-tested before you accept them")
        self._show_offer()

    def _show_offer(self) -> None:
        self.starter_button.setVisible(self._offer is not None and not self._model.rules)

    def set_column_labels(self, labels: dict[str, str]) -> None:
        """Names to show for columns in the summaries (default: ``describe.column_label``)."""
        self._labels = dict(labels)
        self._fill()

    def set_counts(self, counts: Sequence[int] | None, n_rows: int) -> None:
        """Leads each rule matches (in ``model.rules`` order) out of ``n_rows``; None clears."""
        self._counts, self._n_rows = (list(counts) if counts is not None else None), n_rows
        self._filling = True
        for item in self._rule_items():
            self._show_count(item, int(item.data(0, _INDEX)))
        self._filling = False

    def current_index(self) -> int:
        """The selected rule's index in ``model.rules``, or -1."""
        item = self.tree.currentItem()
        value = item.data(0, _INDEX) if item is not None else None
        return -1 if value is None else int(value)

    def select_rule(self, index: int) -> None:
        """Select rule ``index`` (nothing happens when there is no such rule)."""
        for item in self._rule_items():
            if item.data(0, _INDEX) == index:
                self.tree.setCurrentItem(item)
                self.tree.scrollToItem(item)
                return

    def section_rules(self, section: str) -> list[int]:
        """Indices of the rules shown in ``section`` ("fit", "engagement", "gates", ...), top down."""
        return [i for i, rule in enumerate(self._model.rules) if _section_of(rule) == section]

    def drop_rule(self, from_index: int, section: str, position: int) -> None:
        """Move rule ``from_index`` to ``position`` among ``section``'s rows as shown (0: top;
        ``position`` counts the rows before the move, as a drop indicator does). Emits
        ``ruleMoved`` unless nothing would change; score rules cannot go to Gates nor gates
        leave it. Dropping on the list calls this."""
        rules = self._model.rules
        if not 0 <= from_index < len(rules):
            return
        rule = rules[from_index]
        if rule.is_gate != (section == GATES):
            return
        shown = self.section_rules(section)
        after = [i for i in shown[max(0, position):] if i != from_index]
        rest = [i for i in range(len(rules)) if i != from_index]
        others = [i for i in shown if i != from_index]
        if from_index in shown and shown.index(from_index) == len(others) - len(after):
            return                             # dropped where it already is
        if after:
            to_index = rest.index(after[0])
        elif others:
            to_index = rest.index(others[-1]) + 1
        else:
            to_index = min(from_index, len(rest))
        group = rule.group if section == GATES else section
        if to_index == from_index and group == rule.group:
            return
        self._follow = to_index
        self.ruleMoved.emit(from_index, to_index, group)

    # -- building -----------------------------------------------------------------------------
    def _fill(self) -> None:
        previous = self.current_index()
        current = previous if self._follow is None else self._follow
        self._follow = None
        scroll = self.tree.verticalScrollBar().value()
        self._filling = True
        self.tree.clear()
        labels = self._labels or column_labels(self._columns())
        sections = {key: self._section(key, title) for key, title in _TITLES.items()}
        for group in self._model.groups:              # groups without rules yet are shown too
            if group.name not in sections:
                sections[group.name] = self._section(group.name, group.name.replace("_", " ").capitalize())
        for index, rule in enumerate(self._model.rules):
            key = _section_of(rule)
            if key not in sections:
                sections[key] = self._section(key, rule.group.replace("_", " ").capitalize())
            self._rule_item(sections[key], index, rule, labels)
        for section in sections.values():
            if section.childCount() == 0:
                hint = QTreeWidgetItem(section, [_EMPTY])
                hint.setData(0, _SECTION, section.data(0, _SECTION))
                hint.setForeground(0, QBrush(colour("subtle")))
                hint.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsDropEnabled)
                hint.setFirstColumnSpanned(True)
        self.tree.expandAll()
        if current >= 0 and self._model.rules:
            self.select_rule(min(current, len(self._model.rules) - 1))
        self._filling = False
        self.tree.verticalScrollBar().setValue(scroll)
        self._update_buttons()
        self._show_offer()
        if self.current_index() != previous:
            self.ruleSelected.emit(self.current_index())

    def _columns(self) -> list[str]:
        columns: list[str] = []

        def walk(pred) -> None:
            if hasattr(pred, "items"):
                for item in pred.items:
                    walk(item)
            else:
                columns.append(pred.column)
        for rule in self._model.rules:
            walk(rule.when)
        return columns

    def _section(self, key: str, title: str) -> QTreeWidgetItem:
        cap = self._model.group(key).cap if key != GATES else None
        if cap is not None:
            title += f" · capped at {cap:g}"
        section = QTreeWidgetItem(self.tree, [title])
        section.setData(0, _SECTION, key)
        font = QFont(section.font(0))
        font.setBold(True)
        section.setFont(0, font)
        section.setFirstColumnSpanned(True)
        section.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsDropEnabled)
        return section

    def _rule_item(self, section: QTreeWidgetItem, index: int, rule: Rule, labels) -> None:
        item = QTreeWidgetItem(section)
        summary = describe_predicate(rule.when, labels)
        item.setData(0, _INDEX, index)
        item.setData(0, _SECTION, section.data(0, _SECTION))
        item.setText(0, f"{rule.name}\n{summary}")
        item.setToolTip(0, f"{rule.name}\n{summary}" + ("" if rule.enabled else "\n(switched off)"))
        points = _GATE_POINTS.get(rule.kind) or format_points(rule.points)
        if rule.decay is not None:
            points += " ↓"
            item.setToolTip(1, f"Points fade: they halve every {rule.decay.half_life_days:g} days "
                               f"since {labels.get(rule.decay.date_column, rule.decay.date_column)}")
        item.setData(1, _POINTS, points)
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                      | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsDragEnabled)
        item.setCheckState(0, Qt.CheckState.Checked if rule.enabled else Qt.CheckState.Unchecked)
        if not rule.enabled:
            for column in range(2):
                item.setForeground(column, QBrush(colour("subtle")))
        self._show_count(item, index)

    def _show_count(self, item: QTreeWidgetItem, index: int) -> None:
        """Column 1: the points, and under them how many leads the rule matches."""
        counts, points = self._counts, item.data(1, _POINTS)
        if counts is None or index >= len(counts):
            item.setText(1, points)
        elif not self._model.rules[index].enabled:
            item.setText(1, f"{points}\noff")
        else:
            item.setText(1, f"{points}\n{count_text(int(counts[index]), self._n_rows)}")

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
        return key or FIT

    def _on_add_triggered(self) -> None:
        self.addRequested.emit(self._current_group())

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
        item = self.tree.itemAt(position)
        if item is not None:
            self.tree.setCurrentItem(item)
        self.context_menu().exec(self.tree.viewport().mapToGlobal(position))

    def context_menu(self) -> QMenu:
        """The menu for the selected rule (Add, Edit, Duplicate, Switch on/off, Delete)."""
        index = self.current_index()
        menu = QMenu(self)
        menu.addAction("Add rule…", self._on_add_triggered)
        if index >= 0:
            rule = self._model.rules[index]
            menu.addAction("Edit…", lambda: self.editRequested.emit(index))
            menu.addAction("Duplicate", lambda: self.duplicateRequested.emit(index))
            menu.addAction("Switch off" if rule.enabled else "Switch on",
                           lambda: self.ruleToggled.emit(index, not rule.enabled))
            menu.addSeparator()
            menu.addAction("Delete", lambda: self.deleteRequested.emit(index))
        return menu

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        if watched is self.tree and event.type() == QEvent.Type.KeyPress:
            index, key = self.current_index(), event.key()
            ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
            if key == Qt.Key.Key_Insert:
                self._on_add_triggered()
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
            if index >= 0 and ctrl and key == Qt.Key.Key_D:
                self.duplicateRequested.emit(index)
                return True
        return super().eventFilter(watched, event)

"""The columns of the lead list: type, fill rate, distinct values, top values and tags, with a
details pane to change a column's type, tag or number format (decimal and thousands marks, see
``widgets.number_format_dialog``) and to treat placeholder values as missing."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFormLayout, QGroupBox, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QListView, QListWidget, QListWidgetItem,
                               QMenu, QPushButton, QSplitter, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
                               QWidget)

from scoring.column_types import ColumnTag, ColumnType
from scoring.reading.profiling import ColumnProfile
from widgets.column_cells import (FILL_ROLE, VALUE_ROLE, FillDelegate, TagDelegate, TopValuesTable,
                                  number_text, short_text, shown_text, top_values_text)
from widgets.theme import set_themed_style

__all__ = ["ColumnsPanel", "TAG_LABELS", "TYPE_LABELS", "top_values_text", "type_text"]

#: What each tag is called in the tag combo ("" removes the tag).
TAG_LABELS = {"": "—", ColumnTag.SOURCE: "Source / channel", ColumnTag.OUTCOME: "Outcome (won)",
              ColumnTag.CREATED: "Created date", ColumnTag.EMAIL: "Email",
              ColumnTag.STAGE: "Stage / status", ColumnTag.AMOUNT: "Amount",
              ColumnTag.ID: "Lead ID"}
#: What each column type is called in the type combo and the list.
TYPE_LABELS = {ColumnType.TEXT: "Text", ColumnType.CATEGORY: "Category", ColumnType.NUMBER: "Number",
               ColumnType.INTEGER: "Whole number", ColumnType.DATE: "Date",
               ColumnType.DATETIME: "Date and time", ColumnType.BOOLEAN: "Yes / no",
               ColumnType.EMAIL: "Email"}
_NAME = VALUE_ROLE
_COL_NAME, _COL_TYPE, _COL_FILLED, _COL_DISTINCT, _COL_TAG, _COL_TOP = range(6)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def type_text(profile: ColumnProfile) -> str:
    """A column's type as the list shows it, with its currency or percent: "Number · €"."""
    label = TYPE_LABELS.get(ColumnType(profile.type), str(profile.type))
    fmt = profile.number_format
    if fmt is not None and fmt.percent:
        return f"{label} · %"
    return f"{label} · {fmt.currency}" if fmt is not None and fmt.currency else label


class ColumnsPanel(QWidget):
    """The columns of the loaded lead list and what Leadbench makes of them.

    Data comes in through :meth:`set_profiles`, :meth:`set_tags` and :meth:`set_missing_values`;
    every change the user asks for is a signal, applied (and made undoable) by the app, which
    then calls the setters again.

    Signals
    -------
    typeChangeRequested(str column, str type)
        A new :class:`~scoring.column_types.ColumnType` value for the column.
    formatChangeRequested(str column)
        "Format…" was pressed on a date column: the user wants to say how its dates are written.
    tagChangeRequested(str column, str tag)
        A :class:`~scoring.column_types.ColumnTag` value, or "" to remove the column's tag.
    missingValuesChangeRequested(tuple)
        The whole new tuple of cell values to treat as missing.
    columnActivated(str)
        The column was double-clicked or Enter was pressed on it.
    numberFormatRequested(str column)
        The user wants to set how the column writes its numbers (the app shows the dialog).
    """

    numberFormatRequested = Signal(str)
    typeChangeRequested = Signal(str, str)
    formatChangeRequested = Signal(str)
    tagChangeRequested = Signal(str, str)
    missingValuesChangeRequested = Signal(tuple)
    columnActivated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("columnsPanel")
        self._profiles: dict[str, ColumnProfile] = {}
        self._tags: dict[str, str] = {}
        self._formats: dict[str, str] = {}
        self._markers: tuple[str, ...] = ()
        self._number_marks: dict[str, tuple] = {}
        self._showing = False

        self.filter = QLineEdit(objectName="columnFilter", placeholderText="Find a column…",
                                clearButtonEnabled=True)
        self.count_label = QLabel(objectName="columnCount")
        set_themed_style(self.count_label, "color: {muted};")
        self.tree = QTreeWidget(objectName="columnTree")
        self.tree.setHeaderLabels(["Column", "Type", "Filled", "Distinct", "Tag", "Top values"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.setItemDelegateForColumn(_COL_FILLED, FillDelegate(self.tree))
        self.tree.setItemDelegateForColumn(_COL_TAG, TagDelegate(self.tree))
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.moveSection(header.visualIndex(_COL_TAG), 1)       # shown beside the name
        for column, width in ((_COL_NAME, 180), (_COL_TYPE, 96), (_COL_FILLED, 66), (_COL_DISTINCT, 56),
                              (_COL_TAG, 66)):
            self.tree.setColumnWidth(column, width)
        self._fitted_width = -1
        self.tree.viewport().installEventFilter(self)

        self.details_title = QLabel(objectName="columnTitle", wordWrap=True)
        self.details_title.setStyleSheet("font-weight: 600; font-size: 13px;")
        self.details_title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.type_combo = QComboBox(objectName="columnType")
        for ctype, label in TYPE_LABELS.items():
            self.type_combo.addItem(label, str(ctype))
        self.format_button = QPushButton("Format…", objectName="columnFormatButton")
        self.format_button.setToolTip("Say how this column's dates are written (day or month first, "
                                      "a pattern) or its numbers (decimal and thousands marks), and "
                                      "see how they read")
        self.tag_combo = QComboBox(objectName="columnTag")
        for tag, label in TAG_LABELS.items():
            self.tag_combo.addItem(label, str(tag))
        self.tag_combo.setToolTip("What this column means to the analysis: charts and conversion use "
                                  "the source, outcome and created date columns")
        self.number_label = QLabel(objectName="columnNumberFormat", wordWrap=True)
        self.number_button = QPushButton("Read as numbers…", objectName="numberFormatButton")
        self.number_button.setToolTip("Read this column as numbers with the decimal and thousands marks "
                                      "you choose, with a preview of its values")
        self.summary = QLabel(objectName="columnSummary", wordWrap=True)
        self.note = QLabel(objectName="columnNote", wordWrap=True)
        set_themed_style(self.note, "color: {warn};")
        self.top_values = TopValuesTable()
        self.top_values.setToolTip("Double-click a value to treat it as missing (e.g. “Select”)")
        self.missing_button = QPushButton("Treat selected value as missing", objectName="markMissingButton")

        self.markers_label = QLabel(objectName="missingMarkers", wordWrap=True)
        self.markers = QListWidget(objectName="missingMarkerChips")
        self.markers.setFlow(QListView.Flow.LeftToRight)
        self.markers.setWrapping(True)
        self.markers.setResizeMode(QListView.ResizeMode.Adjust)
        self.markers.setSpacing(3)
        self.markers.setMaximumHeight(64)
        self.markers.setToolTip("Select a value and press Delete (or Remove) to stop treating it as missing")
        set_themed_style(self.markers, "QListWidget#missingMarkerChips::item {{ background: {chip_bg};"
                         " border-radius: 8px; padding: 1px 8px; }}"
                         "QListWidget#missingMarkerChips::item:selected {{ background: {chip_selected};"
                         " color: palette(text); }}")
        self.marker_edit = QLineEdit(objectName="missingMarkerEdit", placeholderText="A value, e.g. Select")
        self.add_marker_button = QPushButton("Add", objectName="addMarkerButton")
        self.remove_marker_button = QPushButton("Remove", objectName="removeMarkerButton")
        self.clear_markers_button = QPushButton("Clear", objectName="clearMarkersButton")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        type_row = QHBoxLayout()
        type_row.addWidget(self.type_combo, 1)
        type_row.addWidget(self.format_button)
        form.addRow("Type:", type_row)
        form.addRow("Means:", self.tag_combo)
        numbers = QWidget(objectName="columnNumbers")
        numbers_row = QHBoxLayout(numbers)
        numbers_row.setContentsMargins(0, 0, 0, 0)
        numbers_row.addWidget(self.number_label, 1)
        numbers_row.addWidget(self.number_button)
        form.addRow("Numbers:", numbers)
        self._numbers_row = (form, numbers)
        details = QGroupBox("Column", objectName="columnDetails")
        box = QVBoxLayout(details)
        box.addWidget(self.details_title)
        box.addLayout(form)
        box.addWidget(self.summary)
        box.addWidget(self.note)
        box.addWidget(QLabel("Most common values:"))
        box.addWidget(self.top_values, 1)
        box.addWidget(self.missing_button)

        missing = QGroupBox("Treat as missing (in every column)", objectName="missingValuesBox")
        add_row = QHBoxLayout()
        add_row.addWidget(self.marker_edit, 1)
        for button in (self.add_marker_button, self.remove_marker_button, self.clear_markers_button):
            add_row.addWidget(button)
        missing_box = QVBoxLayout(missing)
        missing_box.addWidget(self.markers_label)
        missing_box.addWidget(self.markers)
        missing_box.addLayout(add_row)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        filter_row = QHBoxLayout()
        filter_row.addWidget(self.filter, 1)
        filter_row.addWidget(self.count_label)
        top_layout.addLayout(filter_row)
        top_layout.addWidget(self.tree)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(details, 1)
        bottom_layout.addWidget(missing)
        splitter = QSplitter(Qt.Orientation.Vertical, objectName="columnsSplitter")
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([300, 420])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)

        self.filter.textChanged.connect(self._on_filter_changed)
        self.tree.currentItemChanged.connect(lambda *_: self._show_details())
        self.tree.itemActivated.connect(lambda item, _c: self.columnActivated.emit(item.data(0, _NAME)))
        self.type_combo.activated.connect(self._on_type_activated)
        self.tag_combo.activated.connect(self._on_tag_activated)
        self.format_button.clicked.connect(self._on_format_clicked)
        self.number_button.clicked.connect(self._on_number_format_clicked)
        self.top_values.itemSelectionChanged.connect(self._update_missing_button)
        self.top_values.itemDoubleClicked.connect(lambda _i: self._on_mark_missing())
        self.top_values.customContextMenuRequested.connect(self._on_top_values_menu)
        self.missing_button.clicked.connect(self._on_mark_missing)
        self.marker_edit.returnPressed.connect(self._on_add_marker)
        self.marker_edit.textChanged.connect(lambda _t: self._update_marker_buttons())
        self.add_marker_button.clicked.connect(self._on_add_marker)
        self.remove_marker_button.clicked.connect(self._on_remove_markers)
        self.markers.itemSelectionChanged.connect(self._update_marker_buttons)
        self.clear_markers_button.clicked.connect(lambda: self.missingValuesChangeRequested.emit(()))
        remove = QAction("Remove", self.markers, shortcut=Qt.Key.Key_Delete,
                         shortcutContext=Qt.ShortcutContext.WidgetShortcut)
        remove.triggered.connect(self._on_remove_markers)
        self.markers.addAction(remove)
        self._show_details()
        self._show_markers()

    # -- data in ------------------------------------------------------------------------------
    def set_profiles(self, profiles: list[ColumnProfile]) -> None:
        """Show these columns, keeping the selected column when it is still there."""
        current = self.current_column()
        self._profiles = {p.name: p for p in profiles}
        self.tree.clear()
        items = []
        for p in profiles:
            item = QTreeWidgetItem([p.name, type_text(p),
                                    f"{p.fill_rate:.0%}", f"{p.distinct:,}", "", top_values_text(p)])
            item.setData(0, _NAME, p.name)
            item.setData(_COL_FILLED, FILL_ROLE, p.fill_rate)
            item.setToolTip(_COL_NAME, p.name + (f"\n{p.note}" if p.note else ""))
            item.setToolTip(_COL_FILLED, f"{p.filled:,} of {p.count:,} leads have a value")
            item.setToolTip(_COL_TOP, "\n".join(f"{shown_text(v)}: {n:,}" for v, n in p.top))
            item.setToolTip(_COL_TAG, "What this column means to the analysis")
            for column in (_COL_FILLED, _COL_DISTINCT):
                item.setTextAlignment(column, _RIGHT)
            items.append(item)
        self.tree.addTopLevelItems(items)
        self._apply_tags()
        self._on_filter_changed(self.filter.text())
        self.select_column(current if current in self._profiles else (profiles[0].name if profiles else None))
        self._show_details()

    def show_profiling(self) -> None:
        """A new list is being profiled: no columns yet, and say so (profiles follow)."""
        self.set_profiles([])
        self.details_title.setText("Counting the values in each column…")

    def set_tags(self, tags: dict[str, str]) -> None:
        """Tag -> column, as in the model."""
        self._tags = {str(tag): column for tag, column in tags.items()}
        self._apply_tags()
        self._show_details()

    def set_number_marks(self, marks: dict[str, tuple]) -> None:
        """Column -> (decimal mark, thousands mark) the user set (as in the model's column
        settings; a mark may be None)."""
        self._number_marks = dict(marks)
        self._show_details()

    def set_formats(self, formats: dict[str, str]) -> None:
        """Per date column, how its cells were read ("DD/MM/YYYY HH:mm"), shown in its details."""
        self._formats = dict(formats)
        self._show_details()

    def show_current(self) -> None:
        """Show the selected column's details again (after a change the app did not make)."""
        self._show_details()

    def set_missing_values(self, markers: tuple[str, ...]) -> None:
        """The cell values treated as missing besides the built-in ones (empty, NA, null...)."""
        self._markers = tuple(markers)
        self._show_markers()
        self._update_missing_button()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        if watched is self.tree.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_name_column()
        return super().eventFilter(watched, event)

    def _fit_name_column(self) -> None:
        """In a narrow panel, shorten the name column (not below 130 px) so its tag, type and fill
        rate stay visible; in a wide one, give long headers up to 240 px."""
        available = self.tree.viewport().width()
        if available == self._fitted_width or available <= 0:
            return
        self._fitted_width = available
        others = sum(self.tree.columnWidth(c) for c in (_COL_TAG, _COL_TYPE, _COL_FILLED))
        self.tree.setColumnWidth(_COL_NAME, min(240, max(130, available - others - 60)))

    def current_column(self) -> str | None:
        """The selected column's name, or None."""
        item = self.tree.currentItem()
        return item.data(0, _NAME) if item is not None else None

    def select_column(self, name: str | None) -> None:
        """Select column ``name`` (nothing happens when there is no such column)."""
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.data(0, _NAME) == name:
                self.tree.setCurrentItem(item)
                self.tree.scrollToItem(item)
                return

    # -- display ------------------------------------------------------------------------------
    def _tag_of(self, column: str | None) -> str:
        return next((tag for tag, c in self._tags.items() if c == column), "")

    def _apply_tags(self) -> None:
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            tag = self._tag_of(item.data(0, _NAME))
            item.setText(_COL_TAG, tag)
            item.setToolTip(_COL_TAG, TAG_LABELS.get(tag, tag) if tag else "What this column means to the "
                            "analysis: set it below")

    def _show_details(self) -> None:
        name = self.current_column()
        profile = self._profiles.get(name) if name else None
        self._showing = True
        for widget in (self.type_combo, self.tag_combo, self.top_values):
            widget.setEnabled(profile is not None)
        self.format_button.setEnabled(profile is not None and (ColumnType(profile.type).is_temporal
                                                              or ColumnType(profile.type).is_numeric))
        if profile is None:
            self.details_title.setText("Select a column to see its values." if self._profiles
                                       else "Open a lead list to see its columns.")
            self.summary.clear()
            self.note.hide()
            self._show_number_format(None)
            self.top_values.set_values([], 0)
        else:
            self.details_title.setText(profile.name)
            self.type_combo.setCurrentIndex(max(0, self.type_combo.findData(str(profile.type))))
            self.tag_combo.setCurrentIndex(max(0, self.tag_combo.findData(self._tag_of(name))))
            lines = [f"{profile.filled:,} of {profile.count:,} filled ({profile.fill_rate:.0%}) · "
                     f"{profile.distinct:,} distinct"]
            if profile.minimum is not None:
                fmt = profile.number_format
                low, high = ((number_text(profile.minimum, fmt), number_text(profile.maximum, fmt)) if fmt
                             else (short_text(profile.minimum), short_text(profile.maximum)))
                lines.append(f"From {low} to {high}")
            if name in self._formats and ColumnType(profile.type).is_temporal:
                lines.append(f"Read as {self._formats[name]}")
            self.summary.setText("\n".join(lines))
            self.note.setText(profile.note)
            self.note.setVisible(bool(profile.note))
            self._show_number_format(profile)
            self.top_values.set_values(profile.top, profile.count, profile.number_format)
        self._showing = False
        self._update_missing_button()

    def _show_number_format(self, profile: ColumnProfile | None) -> None:
        """The "Numbers:" row: how a number column is read, for number and text columns."""
        form, row = self._numbers_row
        ctype = ColumnType(profile.type) if profile is not None else None
        offered = ctype is not None and (ctype.is_numeric or ctype in (ColumnType.TEXT, ColumnType.CATEGORY))
        form.setRowVisible(row, offered)
        if not offered:
            return
        fmt = profile.number_format
        if fmt is not None:
            text = fmt.describe()
        elif ctype.is_numeric:
            text = "plain numbers (1234.5)"
        else:
            text = "not read as numbers"
        if profile.name in self._number_marks:
            text += " · set by you"
        self.number_label.setText(text)
        self.number_button.setVisible(not ctype.is_numeric)    # numbers: the Format… button above

    def _show_markers(self) -> None:
        self.markers.clear()
        for marker in self._markers:
            item = QListWidgetItem(marker if marker.strip() else f"“{marker}”")
            item.setData(_NAME, marker)
            self.markers.addItem(item)
        self.markers.setVisible(bool(self._markers))
        self.markers_label.setText("Also treated as missing:" if self._markers else
                                   "Empty cells, NA, N/A, null and none count as missing, and in "
                                   "number and date columns “-” or “unknown” too. Add placeholders "
                                   "such as “Select” here.")
        self._update_marker_buttons()

    def _offers_missing(self) -> bool:
        profile = self._profiles.get(self.current_column() or "")
        return profile is not None and not (ColumnType(profile.type).is_temporal
                                            or profile.type == ColumnType.BOOLEAN)

    def _update_missing_button(self) -> None:
        value = self.top_values.current_value()
        offer = self._offers_missing() and value is not None and not self._is_marker(value)
        self.missing_button.setEnabled(offer)
        self.missing_button.setText(f"Treat “{short_text(value, 30)}” as missing" if offer
                                    else "Treat selected value as missing")

    def _update_marker_buttons(self) -> None:
        text = self.marker_edit.text().strip()
        self.add_marker_button.setEnabled(bool(text) and not self._is_marker(text))
        self.remove_marker_button.setEnabled(bool(self.markers.selectedItems()))
        self.clear_markers_button.setEnabled(bool(self._markers))

    def _is_marker(self, value: str) -> bool:
        return value.strip().casefold() in {m.strip().casefold() for m in self._markers}

    # -- intents ------------------------------------------------------------------------------
    def _on_filter_changed(self, text: str) -> None:
        needle = text.strip().casefold()
        shown = 0
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            hidden = bool(needle) and needle not in item.data(0, _NAME).casefold()
            item.setHidden(hidden)
            shown += not hidden
        total = self.tree.topLevelItemCount()
        self.count_label.setText(f"{total:,} columns" if shown == total else f"{shown:,} of {total:,}")

    def _on_type_activated(self, _index: int) -> None:
        name = self.current_column()
        if name and not self._showing:
            new = self.type_combo.currentData()
            if new != str(self._profiles[name].type):
                self.typeChangeRequested.emit(name, new)

    def _on_format_clicked(self) -> None:
        name = self.current_column()
        if name and ColumnType(self._profiles[name].type).is_numeric:
            self.numberFormatRequested.emit(name)          # numbers: decimal and thousands marks
        elif name:
            self.formatChangeRequested.emit(name)

    def _on_number_format_clicked(self) -> None:
        name = self.current_column()
        if name:
            self.numberFormatRequested.emit(name)

    def _on_tag_activated(self, _index: int) -> None:
        name = self.current_column()
        if name and not self._showing:
            tag = self.tag_combo.currentData()
            if tag != self._tag_of(name):
                self.tagChangeRequested.emit(name, tag)

    def _on_top_values_menu(self, pos) -> None:
        item = self.top_values.itemAt(pos)
        if item is None:
            return
        self.top_values.setCurrentRow(item.row())
        value = self.top_values.current_value()
        menu = QMenu(self.top_values)
        action = menu.addAction(f"Treat “{short_text(value, 40)}” as missing", self._on_mark_missing)
        action.setEnabled(self.missing_button.isEnabled())
        menu.popup(self.top_values.viewport().mapToGlobal(pos))

    def _on_mark_missing(self) -> None:
        value = self.top_values.current_value()
        if value is not None and self._offers_missing() and not self._is_marker(value):
            self.missingValuesChangeRequested.emit(self._markers + (value,))

    def _on_add_marker(self) -> None:
        text = self.marker_edit.text().strip()
        if text and not self._is_marker(text):
            self.marker_edit.clear()
            self.missingValuesChangeRequested.emit(self._markers + (text,))

    def _on_remove_markers(self) -> None:
        gone = {item.data(_NAME) for item in self.markers.selectedItems()}
        if gone:
            self.missingValuesChangeRequested.emit(tuple(m for m in self._markers if m not in gone))

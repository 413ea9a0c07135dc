"""The columns of the lead list: type, fill rate, distinct values, top values and tags, with a
details pane to change a column's type or tag and to treat placeholder values as missing."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFormLayout, QGroupBox, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QListWidget, QListWidgetItem,
                               QPushButton, QSplitter, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
                               QWidget)

from scoring.column_types import ColumnTag, ColumnType
from scoring.profiling import ColumnProfile

__all__ = ["ColumnsPanel", "TAG_LABELS"]

TAG_LABELS = {"": "—", ColumnTag.SOURCE: "Source / channel", ColumnTag.OUTCOME: "Outcome (won)",
              ColumnTag.CREATED: "Created date", ColumnTag.EMAIL: "Email",
              ColumnTag.STAGE: "Stage / status", ColumnTag.AMOUNT: "Amount"}
_TYPES = [ColumnType.TEXT, ColumnType.CATEGORY, ColumnType.NUMBER, ColumnType.INTEGER,
          ColumnType.DATE, ColumnType.DATETIME, ColumnType.BOOLEAN, ColumnType.EMAIL]
_NAME = Qt.ItemDataRole.UserRole


def _short(value, limit: int = 28) -> str:
    if hasattr(value, "strftime"):
        value = value.strftime("%Y-%m-%d")
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ColumnsPanel(QWidget):
    """Signals
    -------
    typeChangeRequested(str column, str type)
    tagChangeRequested(str column, str tag): "" removes the tag
    missingValuesChangeRequested(tuple): the new list of missing-value markers
    columnActivated(str)
    """

    typeChangeRequested = Signal(str, str)
    tagChangeRequested = Signal(str, str)
    missingValuesChangeRequested = Signal(tuple)
    columnActivated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("columnsPanel")
        self._profiles: dict[str, ColumnProfile] = {}
        self._tags: dict[str, str] = {}
        self._markers: tuple[str, ...] = ()
        self._showing = False

        self.filter = QLineEdit(objectName="columnFilter", placeholderText="Find a column…",
                                clearButtonEnabled=True)
        self.tree = QTreeWidget(objectName="columnTree")
        self.tree.setHeaderLabels(["Column", "Type", "Filled", "Distinct", "Tag"])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((150, 64, 44, 52)):
            self.tree.setColumnWidth(column, width)

        details = QGroupBox("Column", objectName="columnDetails")
        self.details_title = QLabel(objectName="columnTitle", wordWrap=True)
        self.details_title.setStyleSheet("font-weight: 600;")
        self.type_combo = QComboBox(objectName="columnType")
        for ctype in _TYPES:
            self.type_combo.addItem(str(ctype).title(), str(ctype))
        self.tag_combo = QComboBox(objectName="columnTag")
        for tag, label in TAG_LABELS.items():
            self.tag_combo.addItem(label, str(tag))
        self.summary = QLabel(objectName="columnSummary", wordWrap=True)
        self.top_values = QListWidget(objectName="columnTopValues")
        self.top_values.setToolTip("Double-click a value to treat it as missing (e.g. “Select”)")
        self.missing_button = QPushButton("Treat selected value as missing", objectName="markMissingButton")
        self.markers_label = QLabel(objectName="missingMarkers", wordWrap=True)
        self.clear_markers_button = QPushButton("Clear", objectName="clearMarkersButton")
        form = QFormLayout()
        form.addRow("Type:", self.type_combo)
        form.addRow("Means:", self.tag_combo)
        markers = QHBoxLayout()
        markers.addWidget(self.markers_label, 1)
        markers.addWidget(self.clear_markers_button)
        box = QVBoxLayout(details)
        box.addWidget(self.details_title)
        box.addLayout(form)
        box.addWidget(self.summary)
        box.addWidget(QLabel("Most common values:"))
        box.addWidget(self.top_values, 1)
        box.addWidget(self.missing_button)
        box.addLayout(markers)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.filter)
        top_layout.addWidget(self.tree)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(details)
        splitter.setSizes([320, 300])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)

        self.filter.textChanged.connect(self._on_filter_changed)
        self.tree.currentItemChanged.connect(lambda *_: self._show_details())
        self.tree.itemActivated.connect(lambda item, _c: self.columnActivated.emit(item.data(0, _NAME)))
        self.type_combo.activated.connect(self._on_type_activated)
        self.tag_combo.activated.connect(self._on_tag_activated)
        self.missing_button.clicked.connect(self._on_mark_missing)
        self.top_values.itemDoubleClicked.connect(lambda _i: self._on_mark_missing())
        self.clear_markers_button.clicked.connect(lambda: self.missingValuesChangeRequested.emit(()))
        self._show_details()

    # -- data in ------------------------------------------------------------------------------
    def set_profiles(self, profiles: list[ColumnProfile]) -> None:
        current = self.current_column()
        self._profiles = {p.name: p for p in profiles}
        self.tree.clear()
        for p in profiles:
            item = QTreeWidgetItem([p.name, str(p.type), f"{p.fill_rate:.0%}", f"{p.distinct:,}", ""])
            item.setToolTip(4, "What this column means to the analysis")
            item.setData(0, _NAME, p.name)
            item.setToolTip(0, p.name + (f"\n{p.note}" if p.note else ""))
            for column in (2, 3):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.tree.addTopLevelItem(item)
        self._apply_tags()
        self._on_filter_changed(self.filter.text())
        self.select_column(current if current in self._profiles else (profiles[0].name if profiles else None))

    def set_tags(self, tags: dict[str, str]) -> None:
        self._tags = dict(tags)
        self._apply_tags()
        self._show_details()

    def set_missing_values(self, markers: tuple[str, ...]) -> None:
        self._markers = tuple(markers)
        self._show_details()

    def current_column(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, _NAME) if item is not None else None

    def select_column(self, name: str | None) -> None:
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.data(0, _NAME) == name:
                self.tree.setCurrentItem(item)
                return

    # -- display ------------------------------------------------------------------------------
    def _tag_of(self, column: str) -> str:
        return next((tag for tag, c in self._tags.items() if c == column), "")

    def _apply_tags(self) -> None:
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            tag = self._tag_of(item.data(0, _NAME))
            item.setText(4, str(tag) if tag else "")

    def _show_details(self) -> None:
        name = self.current_column()
        profile = self._profiles.get(name) if name else None
        self._showing = True
        for widget in (self.type_combo, self.tag_combo, self.missing_button, self.top_values):
            widget.setEnabled(profile is not None)
        self.top_values.clear()
        if profile is None:
            self.details_title.setText("Select a column to see its values.")
            self.summary.clear()
        else:
            self.details_title.setText(profile.name)
            self.type_combo.setCurrentIndex(max(0, self.type_combo.findData(str(profile.type))))
            self.tag_combo.setCurrentIndex(max(0, self.tag_combo.findData(self._tag_of(name))))
            parts = [f"{profile.filled:,} of {profile.count:,} filled ({profile.fill_rate:.0%})",
                     f"{profile.distinct:,} distinct"]
            if profile.minimum is not None:
                parts.append(f"from {_short(profile.minimum)} to {_short(profile.maximum)}")
            if profile.note:
                parts.append(profile.note)
            self.summary.setText(" · ".join(parts))
            for value, count in profile.top:
                item = QListWidgetItem(f"{_short(value, 48)}    {count:,}")
                item.setData(_NAME, str(value))
                self.top_values.addItem(item)
        self.markers_label.setText("Treated as missing: " + (", ".join(f"“{m}”" for m in self._markers)
                                                             if self._markers else "none besides empty, NA, null"))
        self.clear_markers_button.setEnabled(bool(self._markers))
        self._showing = False

    # -- intents ------------------------------------------------------------------------------
    def _on_filter_changed(self, text: str) -> None:
        needle = text.strip().casefold()
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            item.setHidden(bool(needle) and needle not in item.data(0, _NAME).casefold())

    def _on_type_activated(self, _index: int) -> None:
        name = self.current_column()
        if name and not self._showing:
            new = self.type_combo.currentData()
            if new != str(self._profiles[name].type):
                self.typeChangeRequested.emit(name, new)

    def _on_tag_activated(self, _index: int) -> None:
        name = self.current_column()
        if name and not self._showing:
            tag = self.tag_combo.currentData()
            if tag != self._tag_of(name):
                self.tagChangeRequested.emit(name, tag)

    def _on_mark_missing(self) -> None:
        item = self.top_values.currentItem()
        if item is None:
            return
        value = item.data(_NAME)
        if value not in self._markers:
            self.missingValuesChangeRequested.emit(self._markers + (value,))

"""Which outcome values mean "won": the tagged outcome column's values with their counts, each
ticked won or not. Pre-filled with the guess from ``scoring.insight.outcome``; "Use the guess" goes back
to it. A date column needs no mapping (a filled date means won), and the editor says so.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from scoring.insight.outcome import normal_value
from scoring.value_text import value_text
from widgets.chart_frame import MUTED_STYLE
from widgets.theme import set_themed_style

__all__ = ["OutcomeMappingEditor"]

_VALUE = Qt.ItemDataRole.UserRole


class OutcomeMappingEditor(QWidget):
    """Signals
    -------
    wonValuesEdited(object): the ticked values as a tuple (as they appear in the column), or
        None to use the guessed mapping
    """

    wonValuesEdited = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outcomeMapping")
        self.title = QLabel(objectName="outcomeTitle", wordWrap=True)
        self.title.setStyleSheet("font-weight: 600;")
        self.hint = QLabel(objectName="outcomeHint", wordWrap=True)
        set_themed_style(self.hint, MUTED_STYLE)
        self.list = QListWidget(objectName="outcomeValues")
        self.guess_button = QPushButton("Use the guess", objectName="useGuessButton")
        self.guess_button.setToolTip("Tick the values that look like a win (1, yes, won, customer…)")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.guess_button)
        self.setFixedWidth(220)
        self.setMaximumHeight(190)
        self.list.itemChanged.connect(lambda _item: self.wonValuesEdited.emit(self.won_values()))
        self.guess_button.clicked.connect(lambda: self.wonValuesEdited.emit(None))

    def set_outcome(self, column: str, values, won_values, *, is_date: bool = False,
                    guessed: bool = True) -> None:
        """Show ``column``'s ``(value, leads)`` pairs (most leads first) with ``won_values`` ticked."""
        self.title.setText(f"Outcome: “{column}”")
        self.list.setVisible(not is_date)
        self.guess_button.setVisible(not is_date)
        self.guess_button.setEnabled(not guessed)
        if is_date:
            self.hint.setText("This is a date column: every lead with a date counts as won, "
                              "every lead without one as not won.")
            return
        self.hint.setText("Tick the values that mean won" + (" (guessed from the values)." if guessed
                                                             else "."))
        won_keys = {normal_value(v) for v in won_values}
        with QSignalBlocker(self.list):
            self.list.clear()
            for value, leads in values:
                item = QListWidgetItem(f"{value_text(value)}  ({int(leads):,} leads)")
                item.setData(_VALUE, value)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if normal_value(value) in won_keys
                                   else Qt.CheckState.Unchecked)
                self.list.addItem(item)

    def won_values(self) -> tuple:
        """The ticked values, top to bottom."""
        return tuple(self.list.item(i).data(_VALUE) for i in range(self.list.count())
                     if self.list.item(i).checkState() == Qt.CheckState.Checked)

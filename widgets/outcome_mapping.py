"""Which outcome values mean "won": the tagged outcome column's values with their counts, each
ticked won, half-ticked still open (a deal not settled yet: left out of the back-test), or unticked
lost. Pre-filled with the guess from ``scoring.insight.outcome``; "Use the guess" goes back to it. A
date column needs no mapping (a filled date means won), and the editor says so.
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
    openValuesEdited(object): the half-ticked (still open) values as a tuple, or None for the guess
    """

    wonValuesEdited = Signal(object)
    openValuesEdited = Signal(object)

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
        self._shown: tuple = ((), ())
        self.list.itemChanged.connect(self._on_list_item_changed)
        self.guess_button.clicked.connect(self._on_guess_clicked)

    def set_outcome(self, column: str, values, won_values, *, is_date: bool = False,
                    guessed: bool = True, open_values=(), left_out: int = 0) -> None:
        """Show ``column``'s ``(value, leads)`` pairs (most leads first) with ``won_values`` ticked
        and ``open_values`` half-ticked; ``left_out`` leads (still open or without an outcome) are
        left out of the figures."""
        self.title.setText(f"Outcome: “{column}”")
        self.list.setVisible(not is_date)
        self.guess_button.setVisible(not is_date)
        self.guess_button.setEnabled(not guessed)
        if is_date:
            self.hint.setText("This is a date column: every lead with a date counts as won, "
                              "every lead without one as not won.")
            return
        self.hint.setText("Tick the values that mean won, half-tick those still open"
                          + (" (guessed from the values)." if guessed else ".")
                          + (f" {left_out:,} leads still open or without an outcome are left out."
                             if left_out else ""))
        won_keys = {normal_value(v) for v in won_values}
        open_keys = {normal_value(v) for v in open_values} - won_keys
        with QSignalBlocker(self.list):
            self.list.clear()
            for value, leads in values:
                item = QListWidgetItem(f"{value_text(value)}  ({int(leads):,} leads)")
                item.setData(_VALUE, value)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                              | Qt.ItemFlag.ItemIsUserTristate)
                key = normal_value(value)
                item.setCheckState(Qt.CheckState.Checked if key in won_keys else
                                   Qt.CheckState.PartiallyChecked if key in open_keys else Qt.CheckState.Unchecked)
                self.list.addItem(item)
        self._shown = (self.won_values(), self.open_values())

    def won_values(self) -> tuple:
        """The ticked values, top to bottom."""
        return self._values(Qt.CheckState.Checked)

    def open_values(self) -> tuple:
        """The half-ticked (still open) values, top to bottom."""
        return self._values(Qt.CheckState.PartiallyChecked)

    def _values(self, state) -> tuple:
        return tuple(self.list.item(i).data(_VALUE) for i in range(self.list.count())
                     if self.list.item(i).checkState() == state)

    def _on_list_item_changed(self, _item) -> None:
        won, still_open = self.won_values(), self.open_values()
        shown, self._shown = self._shown, (won, still_open)
        if won != shown[0]:
            self.wonValuesEdited.emit(won)
        if still_open != shown[1]:
            self.openValuesEdited.emit(still_open)

    def _on_guess_clicked(self) -> None:
        self.wonValuesEdited.emit(None)
        self.openValuesEdited.emit(None)

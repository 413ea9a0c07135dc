"""The scoring date: the day "within the last N days", decay and the charts count from.

``ScoringDateBar`` sits beside the threshold: a date field (default today) and a "Latest in list"
button. ``StaleDatesNotice`` is the strip shown when every date in the list lies long before the
scoring date, with a button that moves the scoring date to the list's latest date. Both take data
through setters and emit what the user asks for; the app turns that into an undoable model edit.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QDateEdit, QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from widgets.theme import set_themed_style

__all__ = ["ScoringDateBar", "StaleDatesNotice"]


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class ScoringDateBar(QWidget):
    """A date field for the scoring date and a button for the list's latest date.

    Setters never emit. Signals
    -------
    dateEdited(object): the user chose a ``datetime.date`` (None: "today", from the Today button)
    """

    dateEdited = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scoringDateBar")
        self._echo = False
        self._latest: date | None = None
        label = QLabel("Scoring date:", objectName="scoringDateLabel")
        self.edit = QDateEdit(objectName="scoringDateEdit", calendarPopup=True, displayFormat="d MMM yyyy")
        self.edit.setToolTip("The scoring date: rules such as \"within the last 30 days\", decay and the "
                             "charts count from this day")
        self.edit.setAccessibleName("Scoring date")
        self.edit.setDate(QDate.currentDate())
        label.setBuddy(self.edit)
        self.latest_button = QToolButton(objectName="scoringDateLatest", text="Latest in list")
        self.today_button = QToolButton(objectName="scoringDateToday", text="Today")
        self.today_button.setToolTip("Score as of the day the list is opened")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 2)
        layout.setSpacing(4)
        layout.addWidget(label)
        layout.addWidget(self.edit)
        layout.addWidget(self.latest_button)
        layout.addWidget(self.today_button)
        layout.addStretch(1)
        self.edit.dateChanged.connect(self._on_date_changed)
        self.latest_button.clicked.connect(self._use_latest)
        self.today_button.clicked.connect(lambda: self.dateEdited.emit(None))
        self.set_latest(None, "")

    # -- data in ------------------------------------------------------------------------------
    def scoring_date(self) -> date:
        """The date shown."""
        return self.edit.date().toPython()

    def set_scoring_date(self, day: date, is_today: bool = False) -> None:
        """Show ``day`` without emitting; ``is_today``: it is today (the Today button is off)."""
        self._echo = True
        try:
            self.edit.setDate(_qdate(day))
        finally:
            self._echo = False
        self.today_button.setEnabled(not is_today)

    def set_latest(self, latest: date | None, where: str) -> None:
        """The list's latest date (None: the list has no dates) and where it was found."""
        self._latest = latest
        self.latest_button.setEnabled(latest is not None)
        self.latest_button.setToolTip(f"Score as of {latest:%-d %b %Y}, the latest date {where}"
                                      if latest is not None else "The list has no dates")

    # -- user edits ---------------------------------------------------------------------------
    def _on_date_changed(self, qdate: QDate) -> None:
        if not self._echo:
            self.dateEdited.emit(qdate.toPython())

    def _use_latest(self) -> None:
        if self._latest is not None:
            self.dateEdited.emit(self._latest)


class StaleDatesNotice(QFrame):
    """A notice strip: the list's dates are long before the scoring date; one click fixes it.

    Signals
    -------
    useLatestRequested(): move the scoring date to the list's latest date
    """

    useLatestRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("staleDatesNotice")
        self.label = QLabel(objectName="staleDatesText", wordWrap=True)
        self.button = QPushButton(objectName="staleDatesUseLatest")
        self.button.clicked.connect(self.useLatestRequested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        set_themed_style(self, "QFrame#staleDatesNotice {{ background: {notice_bg}; border-radius: 3px; }}"
                               " QLabel {{ color: {notice_fg}; }}")
        self.setVisible(False)

    def show_notice(self, text: str | None, latest: date | None) -> None:
        """Show ``text`` with a "Score as of <latest>" button; None hides the strip."""
        if text is None or latest is None:
            self.setVisible(False)
            return
        self.label.setText(text)
        self.button.setText(f"Score as of {latest:%-d %b %Y}")
        self.setVisible(True)

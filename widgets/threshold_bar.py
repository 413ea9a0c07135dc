"""The MQL threshold: a spin box and a slider, with the live MQL count and rate beside them."""

from __future__ import annotations

import math

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QLabel, QSlider, QWidget

__all__ = ["ThresholdBar"]

#: The spin box accepts any threshold a model could hold; the slider covers the scores seen.
_SPIN_LIMIT = 100_000.0


class _ElidingLabel(QLabel):
    """A one-line label that ends in "…" when the window is too narrow for its text (the whole
    text stays in the tooltip), instead of making the window wider."""

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(min(120, super().minimumSizeHint().width()), super().minimumSizeHint().height())

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        super().setText(text)
        self.setToolTip(text)

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter.setFont(self.font())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(rect, int(self.alignment()), text)


class ThresholdBar(QWidget):
    """The score a lead needs to become an MQL, and how many leads reach it.

    The slider moves in whole points over the range of scores seen (:meth:`set_range`); the spin
    box takes any value to one decimal, including values beyond the slider's ends. Setters never
    emit signals, so the app can call them back after each edit without echoes.

    Signals
    -------
    thresholdEdited(float)
        While the user drags the slider, steps or types in the spin box. Consecutive edits belong
        to one gesture: the app merges them into a single undo step.
    thresholdEditFinished(float)
        The slider was released or typing finished (Enter or focus left the spin box).
    """

    thresholdEdited = Signal(float)
    thresholdEditFinished = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("thresholdBar")
        self._echo = False
        label = QLabel("MQL threshold:", objectName="thresholdLabel")
        self.spin = QDoubleSpinBox(objectName="thresholdSpin", minimum=-_SPIN_LIMIT, maximum=_SPIN_LIMIT,
                                   decimals=1, singleStep=1.0)
        self.spin.setKeyboardTracking(False)
        self.spin.setAccelerated(True)
        self.spin.setToolTip("Leads scoring at least this much become MQLs (unless a gate blocks them)")
        label.setBuddy(self.spin)
        self.slider = QSlider(Qt.Orientation.Horizontal, objectName="thresholdSlider")
        self.slider.setRange(0, 100)
        self.slider.setPageStep(5)
        self.slider.setMinimumWidth(80)
        self.slider.setAccessibleName("MQL threshold")
        self.counts = _ElidingLabel(objectName="thresholdCounts")
        self.counts.setStyleSheet("font-weight: 600;")
        self.counts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(8)
        layout.addWidget(label)
        layout.addWidget(self.spin)
        layout.addWidget(self.slider, 1)
        layout.addSpacing(8)
        layout.addWidget(self.counts)
        self.spin.valueChanged.connect(self._on_spin_changed)
        self.spin.editingFinished.connect(self._on_spin_finished)
        self.slider.valueChanged.connect(self._on_slider_changed)
        self.slider.sliderReleased.connect(self._on_slider_released)
        self.set_counts(0, 0, 0)

    # -- data in ------------------------------------------------------------------------------
    def threshold(self) -> float:
        """The threshold shown."""
        return self.spin.value()

    def set_threshold(self, value: float) -> None:
        """Show ``value`` without emitting an edit."""
        self._echo = True
        try:
            self.spin.setValue(float(value))
            self.slider.setValue(self._slider_position(self.spin.value()))
        finally:
            self._echo = False

    def set_range(self, low: float, high: float) -> None:
        """Let the slider cover ``low``..``high`` (whole points, at least one point wide).

        Non-finite or reversed bounds are tolerated: NaN falls back to 0..100 and the bounds are
        swapped when reversed. The threshold itself is kept, even when it lies outside.
        """
        low = 0.0 if not math.isfinite(low) else float(low)
        high = 100.0 if not math.isfinite(high) else float(high)
        low, high = min(low, high), max(low, high)
        self._echo = True
        try:
            self.slider.setRange(math.floor(low), max(math.ceil(high), math.floor(low) + 1))
            self.slider.setValue(self._slider_position(self.spin.value()))
        finally:
            self._echo = False

    def set_counts(self, n_mql: int, n_rows: int, n_blocked: int = 0) -> None:
        """Show "712 MQLs · 14.2% of 5,000 leads · 30 blocked"."""
        rate = n_mql / n_rows * 100 if n_rows else 0.0
        noun = "MQL" if n_mql == 1 else "MQLs"
        leads = "lead" if n_rows == 1 else "leads"
        text = f"{n_mql:,} {noun} · {rate:.1f}% of {n_rows:,} {leads}"
        tip = f"{n_mql:,} of {n_rows:,} leads reach the threshold and pass every gate."
        if n_blocked:
            text += f" · {n_blocked:,} blocked"
            tip += f"\n{n_blocked:,} leads are stopped by a gate (a required or disqualifying rule)."
        self.counts.setText(text)
        self.counts.setToolTip(tip)

    # -- helpers ------------------------------------------------------------------------------
    def _slider_position(self, value: float) -> int:
        return min(max(int(round(value)), self.slider.minimum()), self.slider.maximum())

    # -- user edits ---------------------------------------------------------------------------
    def _on_spin_changed(self, value: float) -> None:
        if self._echo:
            return
        self._echo = True
        try:
            self.slider.setValue(self._slider_position(value))
        finally:
            self._echo = False
        self.thresholdEdited.emit(value)

    def _on_spin_finished(self) -> None:
        if not self._echo:
            self.thresholdEditFinished.emit(self.spin.value())

    def _on_slider_changed(self, position: int) -> None:
        if self._echo:
            return
        self._echo = True
        try:
            self.spin.setValue(float(position))
        finally:
            self._echo = False
        self.thresholdEdited.emit(float(position))

    def _on_slider_released(self) -> None:
        self.thresholdEditFinished.emit(self.spin.value())

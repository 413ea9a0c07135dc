"""The MQL threshold: a spin box and a slider, with the live MQL count and rate beside them."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QLabel, QSlider, QWidget

__all__ = ["ThresholdBar"]


class ThresholdBar(QWidget):
    """Signals
    -------
    thresholdEdited(float): while the user drags or types (the app merges these into one step)
    thresholdEditFinished(float): the slider was released or typing finished
    """

    thresholdEdited = Signal(float)
    thresholdEditFinished = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("thresholdBar")
        self._echo = False
        self.spin = QDoubleSpinBox(objectName="thresholdSpin", minimum=-1000, maximum=1000, decimals=1)
        self.spin.setKeyboardTracking(False)
        self.slider = QSlider(Qt.Orientation.Horizontal, objectName="thresholdSlider")
        self.slider.setRange(0, 100)
        self.slider.setMinimumWidth(180)
        self.counts = QLabel(objectName="thresholdCounts")
        self.counts.setStyleSheet("font-weight: 600;")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(QLabel("MQL threshold:"))
        layout.addWidget(self.spin)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.counts)
        self.spin.valueChanged.connect(self._on_spin_changed)
        self.spin.editingFinished.connect(lambda: self.thresholdEditFinished.emit(self.spin.value()))
        self.slider.valueChanged.connect(self._on_slider_changed)
        self.slider.sliderReleased.connect(lambda: self.thresholdEditFinished.emit(self.spin.value()))
        self.set_counts(0, 0, 0)

    def threshold(self) -> float:
        return self.spin.value()

    def set_threshold(self, value: float) -> None:
        """Show ``value`` without emitting an edit."""
        self._echo = True
        self.spin.setValue(value)
        self.slider.setValue(int(round(value)))
        self._echo = False

    def set_range(self, low: float, high: float) -> None:
        self._echo = True
        self.slider.setRange(int(low), int(max(high, low + 1)))
        self.slider.setValue(int(round(self.spin.value())))
        self._echo = False

    def set_counts(self, n_mql: int, n_rows: int, n_blocked: int = 0) -> None:
        rate = n_mql / n_rows * 100 if n_rows else 0.0
        text = f"{n_mql:,} MQLs · {rate:.1f}% of {n_rows:,} leads"
        if n_blocked:
            text += f" · {n_blocked:,} blocked"
        self.counts.setText(text)

    def _on_spin_changed(self, value: float) -> None:
        if self._echo:
            return
        self._echo = True
        self.slider.setValue(int(round(value)))
        self._echo = False
        self.thresholdEdited.emit(value)

    def _on_slider_changed(self, value: int) -> None:
        if self._echo:
            return
        self._echo = True
        self.spin.setValue(float(value))
        self._echo = False
        self.thresholdEdited.emit(float(value))

"""The band edges of the fit x engagement grid: up to three spin boxes per axis, checked to go up.

The boxes show the edges in use (automatic ones too, from the group cap or the scores). When the
scores take few values the automatic edges are fewer (fewer bands): only that many boxes show,
and a note says why. An edit that keeps the edges rising is emitted; one that does not is held
back with a message until it is fixed. "Automatic" goes back to the computed edges.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import (QDoubleSpinBox, QGridLayout, QLabel, QPushButton, QVBoxLayout,
                               QWidget)

from widgets.chart_frame import MUTED_STYLE
from widgets.theme import set_themed_style

__all__ = ["BandEdgeEditor", "AXES"]

AXES = ("fit", "engagement")
_LIMIT = 1_000_000.0


class BandEdgeEditor(QWidget):
    """Up to three inner edges for fit (bands A-D) and for engagement (bands 1-4).

    Signals
    -------
    bandEdgesEdited(str, object): the axis ("fit" or "engagement") and its rising edges (as many
        as shown) as a tuple of floats, or None to go back to automatic edges
    """

    bandEdgesEdited = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bandEdgeEditor")
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(2)
        self.boxes: dict[str, list[QDoubleSpinBox]] = {}
        self.automatic: dict[str, QPushButton] = {}
        for row, axis in enumerate(AXES):
            grid.addWidget(QLabel("Fit edges" if axis == "fit" else "Engagement edges"), row, 0)
            boxes = []
            for i in range(3):
                box = QDoubleSpinBox(objectName=f"{axis}Edge{i}", decimals=1, keyboardTracking=False)
                box.setRange(-_LIMIT, _LIMIT)
                box.setMinimumWidth(64)
                box.valueChanged.connect(lambda _v, a=axis: self._on_box_changed(a))
                grid.addWidget(box, row, 1 + i)
                boxes.append(box)
            self.boxes[axis] = boxes
            auto = QPushButton("Automatic", objectName=f"{axis}AutoEdgesButton")
            auto.setToolTip("Edges from the group cap, or the quartiles of the scores above zero")
            auto.clicked.connect(lambda _c=False, a=axis: self.bandEdgesEdited.emit(a, None))
            grid.addWidget(auto, row, 4)
            self.automatic[axis] = auto
        self.few = QLabel(objectName="bandEdgeNote", wordWrap=True)
        set_themed_style(self.few, MUTED_STYLE)
        self.few.hide()
        self.message = QLabel(objectName="bandEdgeMessage", wordWrap=True)
        set_themed_style(self.message, "color: {bad};")
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(grid)
        layout.addWidget(self.few)
        layout.addWidget(self.message)
        self._shown: dict[str, tuple[float, float, float]] = {}

    def set_edges(self, axis: str, edges, *, custom: bool) -> None:
        """Show ``edges`` (the three in use) for ``axis``; ``custom`` says the user set them."""
        edges = tuple(round(float(e), 1) for e in edges)
        self._shown[axis] = edges
        for i, box in enumerate(self.boxes[axis]):
            box.setVisible(i < len(edges))
            if i < len(edges):
                with QSignalBlocker(box):
                    box.setValue(edges[i])
        few = [a for a in AXES if a in self._shown and len(self._shown[a]) < 3]
        self.few.setText(" ".join(
            f"The {a} scores take few values: {len(self._shown[a]) + 1} "
            f"band{'s' if self._shown[a] else ''}." for a in few))
        self.few.setVisible(bool(few))
        self.automatic[axis].setEnabled(custom)
        set_themed_style(self.automatic[axis], "" if custom else MUTED_STYLE)
        self._check(axis)

    def edges(self, axis: str) -> tuple[float, ...]:
        """The edges shown for ``axis`` (as many as it has bands, less one)."""
        count = len(self._shown.get(axis, (0, 0, 0)))
        return tuple(box.value() for box in self.boxes[axis][:count])

    def _rising(self, axis: str) -> bool:
        edges = self.edges(axis)
        return all(a < b for a, b in zip(edges, edges[1:]))

    def _check(self, axis: str) -> bool:
        ok = self._rising(axis)
        invalid = [a for a in AXES if a in self._shown and not self._rising(a)]
        if invalid:
            a = invalid[0]
            chain = " < ".join(f"{e:g}" for e in self.edges(a))
            self.message.setText(f"The {a} edges must go up, low to high ({chain} is not true): "
                                 "fix them to redraw the grid.")
        self.message.setVisible(bool(invalid))
        for a in AXES:
            for box in self.boxes[a]:
                set_themed_style(box, "background: {error_bg};" if a in invalid else "")
        return ok

    def _on_box_changed(self, axis: str) -> None:
        if self._check(axis):
            edges = self.edges(axis)
            if edges != self._shown.get(axis):
                self.bandEdgesEdited.emit(axis, edges)

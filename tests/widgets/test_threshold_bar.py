"""The threshold bar: spin box and slider edits, no echo from setters, counts text."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import Qt

from widgets.threshold_bar import ThresholdBar
from tools.screens import layout_problems


@pytest.fixture
def bar(qtbot):
    widget = ThresholdBar()
    qtbot.addWidget(widget)
    widget.set_range(0, 120)
    widget.set_threshold(50)
    return widget


def test_setters_do_not_echo(qtbot, bar):
    with qtbot.assertNotEmitted(bar.thresholdEdited), qtbot.assertNotEmitted(bar.thresholdEditFinished):
        bar.set_threshold(62.5)
        bar.set_range(-10, 200)
        bar.set_counts(3, 10, 1)
    assert bar.threshold() == 62.5 and bar.slider.value() == 62
    assert (bar.slider.minimum(), bar.slider.maximum()) == (-10, 200)


def test_slider_drag_edits_then_finishes(qtbot, bar):
    edits = []
    bar.thresholdEdited.connect(edits.append)
    for position in (55, 60, 65):
        bar.slider.setValue(position)
    assert edits == [55.0, 60.0, 65.0] and bar.spin.value() == 65
    with qtbot.waitSignal(bar.thresholdEditFinished) as finished:
        bar.slider.sliderReleased.emit()
    assert finished.args == [65.0]


def test_keyboard_on_the_slider(qtbot, bar):
    bar.slider.setFocus()
    with qtbot.waitSignal(bar.thresholdEdited) as edited:
        qtbot.keyClick(bar.slider, Qt.Key.Key_Right)
    assert edited.args == [51.0]
    with qtbot.waitSignal(bar.thresholdEdited) as edited:
        qtbot.keyClick(bar.slider, Qt.Key.Key_PageUp)
    assert edited.args == [56.0]


def test_typing_in_the_spin_box(qtbot, bar):
    bar.spin.selectAll()
    with qtbot.assertNotEmitted(bar.thresholdEdited):       # no edit per keystroke
        qtbot.keyClicks(bar.spin.lineEdit(), "72.5")
    with qtbot.waitSignal(bar.thresholdEdited) as edited, \
            qtbot.waitSignal(bar.thresholdEditFinished) as finished:
        qtbot.keyClick(bar.spin, Qt.Key.Key_Return)
    assert edited.args == [72.5] and finished.args == [72.5]
    assert bar.slider.value() == 72                          # the slider follows, in whole points


def test_spin_box_takes_values_beyond_the_slider(qtbot, bar):
    with qtbot.waitSignal(bar.thresholdEdited) as edited:
        bar.spin.setValue(500)
    assert edited.args == [500.0] and bar.slider.value() == bar.slider.maximum() == 120
    bar.set_range(0, 40)                                     # narrower scores keep the threshold
    assert bar.threshold() == 500


@pytest.mark.parametrize(("low", "high", "expected"), [
    (10, 0, (0, 10)), (float("nan"), float("inf"), (0, 100)), (5, 5, (5, 6)), (-3.5, 97.2, (-4, 98)),
])
def test_odd_ranges(bar, low, high, expected):
    bar.set_range(low, high)
    assert (bar.slider.minimum(), bar.slider.maximum()) == expected
    assert not math.isnan(bar.threshold())


def test_counts_text(bar):
    bar.set_counts(712, 5000, 30)
    assert bar.counts.text() == "712 MQLs · 14.2% of 5,000 leads · 30 blocked"
    assert "30 leads are stopped by a gate" in bar.counts.toolTip()
    bar.set_counts(1, 1, 0)
    assert bar.counts.text() == "1 MQL · 100.0% of 1 lead"
    bar.set_counts(0, 0)
    assert bar.counts.text() == "0 MQLs · 0.0% of 0 leads"


def test_renders_without_clipping(qtbot, bar):
    bar.set_counts(12_345, 1_000_000, 4_321)
    bar.resize(bar.sizeHint().width(), bar.sizeHint().height())
    bar.show()
    qtbot.waitExposed(bar)
    assert bar.counts.width() >= bar.counts.sizeHint().width()
    assert layout_problems(bar) == []

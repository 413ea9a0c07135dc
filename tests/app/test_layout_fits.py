"""At 1280x800 every tab reads in full: no key label, button or table column cut short, no tab
that needs a sideways scrollbar (the checks of ``make screens``, on the sample and X Education)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QTableWidget, QWidget

from tools.screens import TABS, X_EDUCATION, _wait, layout_problems, open_list


@pytest.mark.parametrize("which", ["sample", "x_education"])
def test_every_tab_reads_in_full_at_1280x800(qtbot, window, which):
    if which == "x_education" and not X_EDUCATION.exists():
        pytest.skip("../shared/data is not beside this checkout")
    assert open_list(window, which)
    problems = []
    for index, tab in enumerate(TABS):
        window.centre_tabs.setCurrentIndex(index)
        _wait(window, 100)
        problems += layout_problems(window, where=tab)
    window.side_tabs.setCurrentIndex(1)                # the Columns tab beside the lead table
    window.centre_tabs.setCurrentIndex(0)
    _wait(window, 100)
    problems += layout_problems(window, where="Columns")
    assert problems == []


def test_the_checks_catch_what_they_look_for(qtbot):
    page = QWidget()
    qtbot.addWidget(page)
    label = QLabel("1,011 MQLs · 10.9% of 9,240 leads · 734 blocked", page, objectName="counts")
    label.setGeometry(0, 0, 80, 20)
    table = QTableWidget(3, 2, page, objectName="numbers")
    table.setHorizontalHeaderLabels(["Source", "MQL → won rate"])
    table.setGeometry(0, 30, 120, 120)
    table.setColumnWidth(1, 40)
    page.resize(300, 200)
    page.show()
    problems = layout_problems(page)
    assert "label 'counts' is cut short (“1,011 MQLs · 10.9% of 9,240 leads · 734 blocked”)" in problems
    assert "column “MQL → won rate” of numbers is elided" in problems
    assert "numbers needs a sideways scrollbar" in problems


def test_chart_legends_sit_above_the_plotted_area(qtbot, window):
    assert open_list(window, "sample")
    window.show_panel(window.charts)
    _wait(window, 100)
    for chart in (window.charts.histogram, window.charts.sources, window.charts.timeline):
        item = chart.plot.getPlotItem()
        legend = item.legend
        assert not legend.sceneBoundingRect().intersects(item.getViewBox().sceneBoundingRect())

"""The columns panel: list, filter, details, type/tag intents and missing-value markers."""

from __future__ import annotations

import pandas as pd
import pytest
from PySide6.QtCore import QPoint, Qt

from scoring.reading import LeadTable, load_leads
from scoring.reading.profiling import profile_table
from widgets.columns_panel import ColumnsPanel, top_values_text
from tools.screens import layout_problems

LONG = "How did you hear about X Education"


@pytest.fixture
def table():
    return LeadTable.from_frame(pd.DataFrame({
        LONG: ["Select", "Online Search", "Select", "Word Of Mouth", None],
        "Lead Source": ["Google", "Google", "Direct Traffic", "Google", "Olark Chat"],
        "TotalVisits": [0, 2, None, 4, 2],
        "Created": ["2026-01-02", "2026-02-03", "2026-03-04", None, "2026-03-05"],
    }))


@pytest.fixture
def panel(qtbot, table):
    widget = ColumnsPanel()
    qtbot.addWidget(widget)
    widget.set_profiles(profile_table(table))
    widget.set_tags({"source": "Lead Source"})
    return widget


def _row(panel, name):
    return next(panel.tree.topLevelItem(i) for i in range(panel.tree.topLevelItemCount())
                if panel.tree.topLevelItem(i).text(0) == name)


def test_list_shows_type_fill_distinct_tag_and_top_values(panel, table):
    source = _row(panel, "Lead Source")
    assert [source.text(c) for c in range(5)] == ["Lead Source", "Category", "100%", "3", "source"]
    assert source.text(5) == "Google 3 · Direct Traffic 1 · Olark Chat 1"
    visits = _row(panel, "TotalVisits")
    assert visits.text(1) == "Whole number" and visits.text(2) == "80%"
    assert _row(panel, LONG).toolTip(0) == LONG
    assert panel.count_label.text() == "4 columns"


def test_details_of_the_selected_column(panel):
    panel.select_column("TotalVisits")
    assert panel.details_title.text() == "TotalVisits"
    assert panel.summary.text() == "4 of 5 filled (80%) · 3 distinct\nFrom 0 to 4"
    assert panel.type_combo.currentData() == "integer" and panel.tag_combo.currentData() == ""
    assert panel.top_values.rowCount() == 3
    assert [panel.top_values.item(0, c).text() for c in range(3)] == ["2", "2", "40.0%"]
    panel.select_column("Created")
    assert "From 2026-01-02 to 2026-03-05" in panel.summary.text()
    panel.select_column("Lead Source")
    assert panel.tag_combo.currentText() == "Source / channel"


def test_type_change_is_requested_not_applied(qtbot, panel):
    panel.select_column("TotalVisits")
    with qtbot.waitSignal(panel.typeChangeRequested) as changed:
        panel.type_combo.setCurrentIndex(panel.type_combo.findData("text"))
        panel.type_combo.activated.emit(panel.type_combo.currentIndex())
    assert changed.args == ["TotalVisits", "text"]
    with qtbot.assertNotEmitted(panel.typeChangeRequested):       # choosing the same type again
        panel.type_combo.setCurrentIndex(panel.type_combo.findData("integer"))
        panel.type_combo.activated.emit(panel.type_combo.currentIndex())


def test_tag_change_and_removal(qtbot, panel):
    panel.select_column("Created")
    with qtbot.waitSignal(panel.tagChangeRequested) as tagged:
        panel.tag_combo.setCurrentIndex(panel.tag_combo.findData("created"))
        panel.tag_combo.activated.emit(panel.tag_combo.currentIndex())
    assert tagged.args == ["Created", "created"]
    panel.set_tags({"source": "Lead Source", "created": "Created"})
    assert _row(panel, "Created").text(4) == "created"
    panel.select_column("Lead Source")
    with qtbot.waitSignal(panel.tagChangeRequested) as removed:
        panel.tag_combo.setCurrentIndex(0)
        panel.tag_combo.activated.emit(0)
    assert removed.args == ["Lead Source", ""]


def test_setters_emit_nothing(qtbot, panel, table):
    signals = [panel.typeChangeRequested, panel.tagChangeRequested, panel.missingValuesChangeRequested]
    with qtbot.assertNotEmitted(signals[0]), qtbot.assertNotEmitted(signals[1]), \
            qtbot.assertNotEmitted(signals[2]):
        panel.select_column("Created")
        panel.set_profiles(profile_table(table))
        panel.set_tags({"created": "Created"})
        panel.set_missing_values(("Select",))
    assert panel.current_column() == "Created"                     # selection kept across reloads


def test_treat_a_top_value_as_missing(qtbot, panel):
    panel.set_missing_values(("unknown",))
    panel.select_column(LONG)
    assert not panel.missing_button.isEnabled()
    panel.top_values.setCurrentRow(0)
    assert panel.missing_button.text() == "Treat “Select” as missing"
    with qtbot.waitSignal(panel.missingValuesChangeRequested) as marked:
        qtbot.mouseClick(panel.missing_button, Qt.MouseButton.LeftButton)
    assert marked.args == [("unknown", "Select")]
    panel.set_missing_values(("unknown", "Select"))
    assert not panel.missing_button.isEnabled()                    # already a marker


def test_dates_and_booleans_offer_no_missing_marker(panel):
    panel.select_column("Created")
    panel.top_values.setCurrentRow(0)
    assert not panel.missing_button.isEnabled()


def test_marker_editor_adds_removes_and_clears(qtbot, panel):
    assert panel.markers.isHidden() and not panel.add_marker_button.isEnabled()
    qtbot.keyClicks(panel.marker_edit, "  N.A. ")
    with qtbot.waitSignal(panel.missingValuesChangeRequested) as added:
        qtbot.keyClick(panel.marker_edit, Qt.Key.Key_Return)
    assert added.args == [("N.A.",)] and panel.marker_edit.text() == ""
    panel.set_missing_values(("N.A.", "Select", "unknown"))
    assert [panel.markers.item(i).text() for i in range(3)] == ["N.A.", "Select", "unknown"]
    qtbot.keyClicks(panel.marker_edit, "select")                  # already there, in another case
    assert not panel.add_marker_button.isEnabled()
    panel.markers.item(1).setSelected(True)
    with qtbot.waitSignal(panel.missingValuesChangeRequested) as removed:
        qtbot.mouseClick(panel.remove_marker_button, Qt.MouseButton.LeftButton)
    assert removed.args == [("N.A.", "unknown")]
    with qtbot.waitSignal(panel.missingValuesChangeRequested) as cleared:
        qtbot.mouseClick(panel.clear_markers_button, Qt.MouseButton.LeftButton)
    assert cleared.args == [()]


def test_filter_and_activation(qtbot, panel):
    panel.filter.setText("LEAD")
    assert [panel.tree.topLevelItem(i).isHidden() for i in range(4)] == [True, False, True, True]
    assert panel.count_label.text() == "1 of 4"
    with qtbot.waitSignal(panel.columnActivated) as activated:
        panel.tree.itemActivated.emit(_row(panel, "Lead Source"), 0)
    assert activated.args == ["Lead Source"]


def test_empty_panel(qtbot):
    panel = ColumnsPanel()
    qtbot.addWidget(panel)
    assert panel.current_column() is None and "Open a lead list" in panel.details_title.text()
    panel.set_profiles([])
    assert panel.tree.topLevelItemCount() == 0 and not panel.type_combo.isEnabled()


def test_x_education_columns_render(qtbot, shared_data):
    table = load_leads(shared_data / "x_education_leads" / "Leads.csv")
    profiles = profile_table(table)
    source = next(p for p in profiles if p.name == "Lead Source")
    assert top_values_text(source) == "Google 2,868 · Direct Traffic 2,543 · Olark Chat 1,755"
    panel = ColumnsPanel()
    qtbot.addWidget(panel)
    panel.resize(620, 900)
    panel.set_profiles(profiles)
    panel.set_tags({"source": "Lead Source", "outcome": "Converted"})
    panel.set_missing_values(("Select",))
    panel.select_column("Specialization")
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.tree.topLevelItemCount() == 37
    name_rect = panel.tree.visualItemRect(_row(panel, "What matters most to you in choosing a course"))
    assert name_rect.height() < 2 * panel.fontMetrics().height() + 8   # one elided line, not wrapped
    assert layout_problems(panel) == []
    panel.top_values.customContextMenuRequested.emit(QPoint(5, 5))   # the menu opens without error


@pytest.mark.parametrize("width", [390, 900])
def test_name_tag_type_and_fill_stay_visible(qtbot, panel, width):
    panel.resize(width, 700)
    panel.show()
    qtbot.waitExposed(panel)
    item = _row(panel, "Lead Source")
    viewport = panel.tree.viewport().width()
    for column in (0, 4, 1, 2):                                 # name, tag (shown second), type, filled
        rect = panel.tree.visualRect(panel.tree.indexFromItem(item, column))
        assert 0 <= rect.left() and rect.right() <= viewport, column
    assert panel.tree.columnWidth(0) >= 130

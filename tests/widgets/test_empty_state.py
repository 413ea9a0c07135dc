"""The first-launch page: buttons, recent files, the product line and drop hint."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from widgets.empty_state import EmptyState
from tools.screens import layout_problems

RECENT = ["/home/ana/Downloads/hubspot-contacts-2026-03.csv", "/data/leads march.xlsx"]


@pytest.fixture
def page(qtbot):
    widget = EmptyState()
    qtbot.addWidget(widget)
    return widget


def test_buttons_request_open_and_sample(qtbot, page):
    with qtbot.waitSignal(page.openRequested):
        qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(page.sampleRequested):
        qtbot.mouseClick(page.sample_button, Qt.MouseButton.LeftButton)


def test_words_on_the_page(page):
    texts = " ".join(label.text() for label in page.findChildren(type(page.recent_title)))
    assert "Find the leads worth handing to sales" in texts
    assert "or drop a CSV, Excel or Parquet file here" in texts
    assert page.open_button.text() == "Open a lead list…"
    assert page.sample_button.text() == "Try the sample data"


def test_recent_files_list(qtbot, page):
    assert page.recent.isHidden() and page.recent_title.isHidden()
    page.set_recent_files(RECENT)
    assert not page.recent.isHidden() and page.recent.count() == 2
    first = page.recent.item(0)
    assert first.text().startswith("hubspot-contacts-2026-03.csv") and first.toolTip() == RECENT[0]
    page.set_recent_files([])
    assert page.recent.isHidden() and page.recent.count() == 0


def test_clicking_a_recent_file_emits_its_path_once(qtbot, page):
    page.set_recent_files(RECENT)
    page.show()
    qtbot.waitExposed(page)
    opened = []
    page.recentFileActivated.connect(opened.append)
    rect = page.recent.visualItemRect(page.recent.item(1))
    qtbot.mouseClick(page.recent.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened == [RECENT[1]]
    qtbot.mouseDClick(page.recent.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    page.recent.itemActivated.emit(page.recent.item(1))      # the activation of the same double-click
    assert opened == [RECENT[1]]                              # not opened a second time
    page.recent.itemActivated.emit(page.recent.item(0))       # Enter on another file
    assert opened == [RECENT[1], RECENT[0]]


def test_renders(qtbot, page):
    page.set_recent_files(RECENT)
    page.resize(900, 600)
    page.show()
    qtbot.waitExposed(page)
    assert page.open_button.width() >= page.open_button.sizeHint().width()
    assert layout_problems(page) == []

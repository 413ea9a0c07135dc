"""The rule list follows a light/dark switch, and an unticked rule shows its box in dark."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionViewItem

from app.appearance import dark_palette, light_palette
from scoring.model.definition import Condition, Model, Rule
from widgets.rule_list import RuleListWidget


@pytest.fixture
def palette_switch():
    app = QApplication.instance()

    def switch(dark: bool) -> None:
        app.setPalette(dark_palette() if dark else light_palette())
        QApplication.processEvents()

    switch(False)
    yield switch
    switch(False)


def _lightness(image, x, y) -> int:
    return QColor(image.pixel(x, y)).lightness()


def test_a_switch_to_dark_recolours_the_list_and_unticked_boxes_show(qtbot, palette_switch):
    rules = RuleListWidget()
    qtbot.addWidget(rules)
    rules.resize(380, 400)
    rules.set_model(Model(rules=(Rule("On", Condition("a", "is_true"), 5),
                                 Rule("Off", Condition("b", "is_true"), 5, enabled=False))))
    rules.show()
    qtbot.waitExposed(rules)
    viewport = rules.tree.viewport()
    assert _lightness(viewport.grab().toImage(), viewport.width() // 2, viewport.height() - 5) > 200
    palette_switch(True)
    image = viewport.grab().toImage()
    assert _lightness(image, viewport.width() // 2, viewport.height() - 5) < 60      # not white
    off = next(rules.tree.topLevelItem(g).child(c) for g in range(rules.tree.topLevelItemCount())
               for c in range(rules.tree.topLevelItem(g).childCount())
               if rules.tree.topLevelItem(g).child(c).checkState(0) == Qt.CheckState.Unchecked)
    index = rules.tree.indexFromItem(off, 0)
    option = QStyleOptionViewItem()
    option.initFrom(rules.tree)
    option.rect = rules.tree.visualRect(index)
    option.features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
    box = rules.tree.style().subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, option,
                                            rules.tree)
    background = _lightness(image, option.rect.right() - 3, box.center().y())
    edge = max(_lightness(image, box.left() + dx, box.center().y()) for dx in range(1, 5))
    assert edge - background > 40                     # the box's edge stands out of the dark row

"""Light and dark: View > Appearance switches the palette, and the widgets' own colours follow."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from app import settings
from app.appearance import Appearance, dark_palette, light_palette
from app.main_window import MainWindow
from widgets import theme


@pytest.fixture
def window(window):
    yield window
    Appearance.of(QApplication.instance()).set_scheme("light")   # later tests expect light colours


def _open_sample(qtbot, window):
    with qtbot.waitSignal(window.doc.scored, timeout=20000):
        window.actions.open_sample.trigger()


def test_palettes_differ_in_lightness():
    assert theme.is_dark(dark_palette())
    assert not theme.is_dark(light_palette())
    text = dark_palette().color(QPalette.ColorRole.Text)
    base = dark_palette().color(QPalette.ColorRole.Base)
    assert text.lightness() - base.lightness() > 150          # readable text on the dark base


def test_every_meaning_has_a_light_and_a_dark_colour():
    for name, (light, dark) in theme.COLOURS.items():
        assert light != dark, name
        assert theme.hex_colour(name, light_palette()) == light
        assert theme.hex_colour(name, dark_palette()) == dark


def test_dark_scheme_recolours_the_window_and_is_remembered(qtbot, window):
    _open_sample(qtbot, window)
    model = window.lead_view.model
    mql_view_row = next(r for r in range(model.rowCount())
                        if model.index(r, 0).data(Qt.ItemDataRole.DisplayRole) and
                        model.data(model.index(r, 0), Qt.ItemDataRole.BackgroundRole) is not None)
    light_bg = model.data(model.index(mql_view_row, 0), Qt.ItemDataRole.BackgroundRole).color().name()
    window.lead_view.table.selectRow(mql_view_row)
    light_html = window.explain_panel.browser.toHtml()

    window.actions.scheme_dark.trigger()
    qtbot.waitUntil(lambda: theme.is_dark())
    QApplication.processEvents()

    assert settings.read(settings.COLOR_SCHEME) == "dark"
    assert window.actions.scheme_dark.isChecked() and not window.actions.scheme_light.isChecked()
    dark_bg = model.data(model.index(mql_view_row, 0), Qt.ItemDataRole.BackgroundRole).color().name()
    assert light_bg == theme.COLOURS["mql_row"][0] and dark_bg == theme.COLOURS["mql_row"][1]
    # the explanation is re-rendered with the dark scheme's green for "MQL"
    dark_html = window.explain_panel.browser.toHtml()
    assert theme.COLOURS["good"][1] in dark_html and theme.COLOURS["good"][1] not in light_html
    # themed style sheets are re-filled
    chip = window.lead_view.chips["all"]
    assert theme.COLOURS["accent"][1] in chip.styleSheet()

    window.actions.scheme_light.trigger()
    QApplication.processEvents()
    assert not theme.is_dark()
    assert theme.COLOURS["accent"][0] in chip.styleSheet()
    assert settings.read(settings.COLOR_SCHEME) == "light"


def test_system_scheme_follows_the_style_hints(qtbot, window):
    appearance = Appearance.of(QApplication.instance())
    appearance.set_scheme("system")
    expected_dark = QApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark
    assert theme.is_dark() == expected_dark
    appearance.set_scheme("no such scheme")            # a bad settings value means "system"
    assert appearance.scheme == "system"


def test_the_window_starts_with_the_remembered_choice(qtbot):
    settings.write(settings.COLOR_SCHEME, "dark")
    w = MainWindow()
    qtbot.addWidget(w)
    assert w.actions.scheme_dark.isChecked()

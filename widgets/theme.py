"""Semantic colours that follow the application's light or dark palette.

Widgets ask for a colour by meaning ("muted text", "MQL row") instead of writing a hex code, so one
palette switch (``app.appearance``) recolours the whole window. Colours are picked from two tuned
sets by the lightness of the current palette's window colour; ``colour()`` is cheap enough for
``data()`` and paint code (the palette check is one lookup), and widgets that bake colours into
style sheets or HTML rebuild them on ``QEvent.PaletteChange``.
"""

from __future__ import annotations

import weakref

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QWidget

__all__ = ["is_dark", "colour", "hex_colour", "set_themed_style", "follow_palette", "COLOURS"]

#: meaning -> (light palette, dark palette)
COLOURS: dict[str, tuple[str, str]] = {
    "muted": ("#6b7280", "#9aa3af"),          # secondary text, hints, empty states
    "subtle": ("#8a8a8a", "#7d8590"),         # blocked leads, disabled-looking rules
    "heading": ("#374151", "#d0d7de"),        # small section headings inside text
    "good": ("#1a7f37", "#56d364"),           # positive points, "MQL"
    "bad": ("#b42318", "#ff7b72"),            # negative points, gates, errors
    "warn": ("#8a5a00", "#e3b341"),           # "not an MQL", notes about a column
    "mql_row": ("#e3f4e1", "#1f3a28"),        # background of MQL rows in the lead table
    "notice_bg": ("#fff4ce", "#3d3212"),      # background of a notice strip
    "notice_fg": ("#5c4400", "#f2cc60"),
    "accent": ("#2f6fdb", "#4c8dff"),         # checked filter chips
    "chip_border": ("#c9ced6", "#4b5563"),
    "chip_bg": ("#eef1f5", "#2d333b"),        # missing-value marker chips
    "chip_selected": ("#c9d7ee", "#36507a"),
    "bar_good": ("#2f7d4a", "#3fb46a"),       # fill-rate bars
    "bar_low": ("#c7841a", "#d9a23a"),
    "pill_bg": ("#dbe7fb", "#23395d"),        # top-value pills in the columns panel
    "pill_fg": ("#1d3f78", "#c6dafc"),
    "faint": ("#9ca3af", "#6e7681"),          # table rows with too few leads to trust
    "error_bg": ("#fde8e8", "#4a2024"),       # an input that must be fixed
    "current_row": ("#ffff00", "#5c4d0f"),    # the threshold in use, in the threshold table
    # charts (pyqtgraph)
    "chart_bg": ("#ffffff", "#1b1e23"),       # plot background (the dark palette's base)
    "chart_axis": ("#969696", "#6e7681"),     # axis lines, ticks and grid
    "chart_text": ("#6b7280", "#b1bac4"),     # tick numbers, axis labels, titles, legend text
    "chart_mql": ("#3a9d5d", "#3fb46a"),      # MQL bars and lines
    "chart_other": ("#b8c2cf", "#5f6d7e"),    # all-leads / not-MQL bars and lines
    "chart_line": ("#d1495b", "#ff6b7d"),     # the draggable threshold line
    "heatmap": ("#3a9d5d", "#2e9e4f"),        # fit x engagement cells, shaded by MQL share
}


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether ``palette`` (default: the application's) is a dark one."""
    if palette is None:
        if QGuiApplication.instance() is None:
            return False
        palette = QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def hex_colour(name: str, palette: QPalette | None = None) -> str:
    """The ``#rrggbb`` of the colour that means ``name`` under ``palette``."""
    light, dark = COLOURS[name]
    return dark if is_dark(palette) else light


def colour(name: str, palette: QPalette | None = None) -> QColor:
    return QColor(hex_colour(name, palette))


class _AppPaletteWatcher(QObject):
    """The theme's one event filter: on the application's palette change it calls ``apply()`` on
    every live listener (restylers and followers). Filters per themed widget made every event of
    the program (paints, mouse moves over a chart) pass through dozens of Python calls."""

    def __init__(self, app: QGuiApplication) -> None:
        super().__init__(app)
        self._app = app
        self.listeners: weakref.WeakSet[QObject] = weakref.WeakSet()
        app.installEventFilter(self)

    @classmethod
    def watch(cls, listener: QObject) -> None:
        app = QGuiApplication.instance()
        if app is None:
            return
        watcher = app.findChild(cls, options=Qt.FindChildOption.FindDirectChildrenOnly)
        (watcher or cls(app)).listeners.add(listener)

    def eventFilter(self, watched, event) -> bool:
        if watched is self._app and event.type() == QEvent.Type.ApplicationPaletteChange:
            for listener in list(self.listeners):
                if shiboken6.isValid(listener):     # gone with its widget
                    listener.apply()
        return False


class _Restyler(QObject):
    """Re-applies a themed style sheet when the application's palette changes (a child of the
    widget: it goes, and stops listening, with it)."""

    def __init__(self, widget: QWidget, template: str) -> None:
        super().__init__(widget)
        self._widget, self.template = widget, template
        _AppPaletteWatcher.watch(self)   # a widget with a style sheet misses the app's change
        self.apply()

    def apply(self) -> None:
        sheet = self.template.format(**{name: hex_colour(name) for name in COLOURS})
        if self._widget.styleSheet() != sheet:       # never loop: restyling sends PaletteChange
            self._widget.setStyleSheet(sheet)


def set_themed_style(widget: QWidget, template: str) -> None:
    """Give ``widget`` a style sheet whose ``{muted}``, ``{good}``… placeholders are filled with the
    current scheme's colours, and keep it so when the palette changes (light <-> dark).
    Literal braces of the style sheet are written doubled (``QLabel {{ ... }}``). Calling it again
    replaces the widget's template ("" clears the sheet)."""
    restyler = widget.findChild(_Restyler, options=Qt.FindChildOption.FindDirectChildrenOnly)
    if restyler is None:
        _Restyler(widget, template)
    else:
        restyler.template = template
        restyler.apply()


class _Follower(QObject):
    """Calls back when ``widget``'s palette turns from light to dark or back (a child of the
    widget, so it goes with it)."""

    def __init__(self, widget: QWidget, callback) -> None:
        super().__init__(widget)
        self._callback, self._dark = callback, is_dark()
        _AppPaletteWatcher.watch(self)

    def apply(self) -> None:
        dark = is_dark()
        if dark != self._dark:            # one call per switch, whatever else the palette changed
            self._dark = dark
            self._callback()


def follow_palette(widget: QWidget, callback) -> None:
    """Call ``callback()`` whenever the palette switches between light and dark while ``widget``
    lives: for colours baked into items (plot pens, table cell brushes) rather than style sheets."""
    _Follower(widget, callback)

"""Light or dark: the window follows the system's colour scheme, or the one the user picked.

Leadbench uses Qt's Fusion style everywhere (it looks the same on every desktop and takes a palette
fully) with a light palette or a tuned dark one. With the "system" choice the scheme comes from
``QStyleHints.colorScheme()`` and follows it live when the desktop switches. Widgets pick their own
accent colours by meaning through ``widgets.theme``, so they recolour with the palette.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

__all__ = ["SCHEMES", "Appearance", "dark_palette", "light_palette"]

#: What the user can choose (View > Appearance, ``leadbench gui --theme``).
SCHEMES = ("system", "light", "dark")

R, G = QPalette.ColorRole, QPalette.ColorGroup


def light_palette() -> QPalette:
    """Fusion's own light palette, with Leadbench's blue for selections and links."""
    palette = QApplication.style().standardPalette()
    palette.setColor(R.Highlight, QColor("#2f6fdb"))
    palette.setColor(R.Link, QColor("#1f5fc8"))
    return palette


def dark_palette() -> QPalette:
    """A dark palette with enough contrast for long tables (text 13:1 on the base colour)."""
    palette = QPalette()
    roles = {
        R.Window: "#23272e", R.WindowText: "#e6e9ee", R.Base: "#1b1e23", R.AlternateBase: "#262a31",
        R.ToolTipBase: "#2d323a", R.ToolTipText: "#e6e9ee", R.PlaceholderText: "#8b949e",
        R.Text: "#e6e9ee", R.Button: "#2d323a", R.ButtonText: "#e6e9ee", R.BrightText: "#ff7b72",
        R.Light: "#3b414b", R.Midlight: "#333942", R.Mid: "#6e7681", R.Dark: "#15181c",
        R.Shadow: "#0b0c0e", R.Highlight: "#3d6fd1", R.HighlightedText: "#ffffff",
        R.Link: "#79a6ff", R.LinkVisited: "#b492ff",
    }
    for role, value in roles.items():
        palette.setColor(role, QColor(value))
    for role in (R.WindowText, R.Text, R.ButtonText):
        palette.setColor(G.Disabled, role, QColor("#6e7681"))
    palette.setColor(G.Disabled, R.Highlight, QColor("#3b414b"))
    return palette


class Appearance(QObject):
    """Applies a colour scheme to the application and keeps following the system's."""

    def __init__(self, app: QApplication, scheme: str = "system") -> None:
        super().__init__(app)
        self._app = app
        self.scheme = "system"
        app.setStyle("Fusion")
        app.styleHints().colorSchemeChanged.connect(self._on_system_changed)
        self.set_scheme(scheme)

    @classmethod
    def of(cls, app: QApplication) -> "Appearance":
        """The application's Appearance, made (following the system) on first use."""
        found = app.findChild(cls)
        return found if found is not None else cls(app)

    @property
    def dark(self) -> bool:
        if self.scheme == "system":
            return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark
        return self.scheme == "dark"

    def set_scheme(self, scheme: str) -> None:
        """Use ``scheme`` (one of SCHEMES; anything else means "system")."""
        self.scheme = scheme if scheme in SCHEMES else "system"
        self._app.setPalette(dark_palette() if self.dark else light_palette())

    def _on_system_changed(self, _scheme) -> None:
        if self.scheme == "system":
            self.set_scheme("system")

"""Every QSettings key the application uses, as typed constants.

Nobody else writes raw key strings. ``main()`` sets the organisation and application names and the
INI default format; afterwards code only builds ``QSettings()`` with no arguments, which keeps tests
(that redirect INI settings to a temporary folder) away from the user's real settings.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings

import scoring

__all__ = [
    "Key", "read", "write", "RECENT_FILES", "RECENT_MODELS", "LAST_DIR", "GEOMETRY", "WINDOW_STATE",
    "SPLITTER_STATE", "STATE_VERSION", "MAX_RECENT", "add_recent", "recent_files", "configure_application",
]

T = TypeVar("T")

STATE_VERSION = 1
MAX_RECENT = 10


@dataclass(frozen=True)
class Key(Generic[T]):
    name: str
    type: type
    default: T


RECENT_FILES: Key[list] = Key("files/recent", list, [])
RECENT_MODELS: Key[list] = Key("models/recent", list, [])
LAST_DIR: Key[str] = Key("paths/last_dir", str, "")
GEOMETRY: Key[QByteArray] = Key("window/geometry", QByteArray, QByteArray())
WINDOW_STATE: Key[QByteArray] = Key("window/state", QByteArray, QByteArray())
SPLITTER_STATE: Key[QByteArray] = Key("window/splitter", QByteArray, QByteArray())
EXPORT_DELIMITER: Key[str] = Key("export/csv_delimiter", str, ",")
EXPORT_BOM: Key[bool] = Key("export/csv_bom", bool, False)
EXPORT_CRLF: Key[bool] = Key("export/csv_crlf", bool, False)
EXPORT_DECIMAL: Key[str] = Key("export/csv_decimal", str, ".")
EXPORT_SUMMARY: Key[bool] = Key("export/xlsx_summary", bool, True)
#: "system", "light" or "dark" (View > Appearance)
COLOR_SCHEME: Key[str] = Key("window/color_scheme", str, "system")
#: Per lead list (its absolute path), which list column each model column runs on: JSON
#: ``{path: {model column: list column}}``, the most recently used lists first.
COLUMN_MAPS: Key[str] = Key("lists/column_maps", str, "{}")
MAX_COLUMN_MAPS = 50
#: the ledger of a model that has no file yet (File > Hand off to sales…)
LEDGER_PATH: Key[str] = Key("handoff/ledger", str, "")
#: the Tracking tab's target per period (0: none) and period ("week" or "month")
TRACKING_TARGET: Key[int] = Key("tracking/target", int, 0)
TRACKING_PERIOD: Key[str] = Key("tracking/period", str, "week")


def ledger_key(model_path: str) -> Key[str]:
    """The ledger chosen for the model file at ``model_path`` when it is not the one beside it."""
    digest = hashlib.sha1(str(model_path).encode("utf-8")).hexdigest()[:16]
    return Key(f"handoff/ledgers/{digest}", str, "")


def read(key: Key[T]) -> T:
    """The stored value of ``key``, converted to its type (INI files store text)."""
    value = QSettings().value(key.name, key.default, type=key.type)
    if key.type is list:
        # A one-element list comes back from INI as a plain string.
        if isinstance(value, str):
            value = [value] if value else []
        value = [str(v) for v in (value or [])]
    return value


def write(key: Key[T], value: T) -> None:
    QSettings().setValue(key.name, value)


def recent_files(key: Key[list] = RECENT_FILES) -> list[str]:
    return read(key)


def add_recent(path: str, key: Key[list] = RECENT_FILES) -> list[str]:
    """Put ``path`` first in the recent list (no duplicates, at most MAX_RECENT) and return it."""
    items = [p for p in read(key) if p != path]
    items.insert(0, path)
    del items[MAX_RECENT:]
    write(key, items)
    return items


def _column_maps() -> dict:
    try:
        data = json.loads(read(COLUMN_MAPS))
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def column_map(list_path: str | None) -> dict[str, str]:
    """The column mapping stored with the lead list at ``list_path`` ({} when none)."""
    if not list_path:
        return {}
    found = _column_maps().get(str(Path(list_path).resolve()), {})
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


def set_column_map(list_path: str | None, mapping: dict[str, str]) -> None:
    """Store ``mapping`` with the lead list at ``list_path`` (an empty mapping forgets it)."""
    if not list_path:
        return
    key = str(Path(list_path).resolve())
    maps = {k: v for k, v in _column_maps().items() if k != key}
    if mapping:
        maps = {key: dict(mapping), **maps}
    write(COLUMN_MAPS, json.dumps(dict(list(maps.items())[:MAX_COLUMN_MAPS])))


def configure_application() -> None:
    """Names and settings format; call before the first QSettings()."""
    QCoreApplication.setOrganizationName("Leadbench")
    QCoreApplication.setApplicationName("Leadbench")
    QCoreApplication.setApplicationVersion(scoring.__version__)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)

"""``make screens``: every tab and dialog rendered to PNG, and the layout checks they must pass.

Renders the window on the bundled sample (with the B2B starter model) and on X Education's
``Leads.csv`` (``../shared/data``, skipped when absent, with ``tools/x_education_model.json``),
light and dark, at 1280x800 and 1920x1080, into ``docs/screens/`` (not committed): the Leads,
Charts, Back-test and Data quality tabs with the Rules and Columns tabs beside them, the export
dialog, the rule editor and the comparison window. Look at every picture after a change to a view.

The same module holds the checks ``tests/app/test_layout_fits.py`` runs at 1280x800: no key label
or button text cut short, no table header elided, no tab that needs a sideways scrollbar.

    python -m tools.screens [--out DIR] [--only sample|x_education] [--sizes 1280x800,...]
"""

from __future__ import annotations

import argparse
import html
import os
import re
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QFont, QFontMetrics  # noqa: E402
from PySide6.QtWidgets import (QAbstractButton, QAbstractScrollArea, QApplication, QCheckBox,  # noqa: E402
                               QHeaderView, QLabel, QPushButton, QStyle, QTableView,
                               QWidget)

ROOT = Path(__file__).resolve().parents[1]
X_EDUCATION = ROOT.parent / "shared" / "data" / "x_education_leads" / "Leads.csv"
X_MODEL = ROOT / "tools" / "x_education_model.json"
SIZES = ((1280, 800), (1920, 1080))
TABS = ("Leads", "Charts", "Back-test", "Data quality")

__all__ = ["layout_problems", "render_all", "open_list", "LISTS", "TABS"]


# -- the checks --------------------------------------------------------------------------------

def _visible(widget: QWidget) -> bool:
    return widget.isVisible() and widget.width() > 0 and widget.height() > 0


def _clipped_label(label: QLabel) -> bool:
    text = label.text()
    if label.wordWrap() or label.textFormat() == Qt.TextFormat.RichText or not text.strip():
        return False
    if "\n" in text or label.pixmap() is not None and not label.pixmap().isNull():
        return False
    font = QFont(label.font())
    if label.textFormat() == Qt.TextFormat.AutoText and re.search(r"<[a-zA-Z][^>]*>", text):
        if "<br" in text or "<p" in text:
            return False                        # several lines of rich text: not checked
        font.setBold(font.bold() or "<b>" in text)
        text = html.unescape(re.sub(r"<[^>]+>", "", text))
    needed = QFontMetrics(font).horizontalAdvance(text.replace("&", "", 1))
    return needed > label.contentsRect().width() + 1


def _clipped_button(button: QAbstractButton) -> bool:
    text = button.text().replace("&", "", 1)
    if not text:
        return False
    needed = button.fontMetrics().horizontalAdvance(text)
    room = button.width() - (24 if isinstance(button, QCheckBox) else 12)
    if not button.icon().isNull():
        room -= button.iconSize().width() + 4
    return needed > room


def _elided_headers(view: QTableView) -> list[str]:
    header = view.horizontalHeader()
    model = view.model()
    out = []
    if model is None or not header.isVisible():
        return out
    for section in range(header.count()):
        if header.isSectionHidden(section) or header.sectionSize(section) == 0:
            continue
        text = str(model.headerData(section, Qt.Orientation.Horizontal) or "")
        longest = max((header.fontMetrics().horizontalAdvance(line) for line in text.splitlines()),
                      default=0)
        margin = 2 * header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
        if longest + margin > header.sectionSize(section):
            out.append(text)
    return out


#: Tables that are spreadsheets of the lead list (as wide as the list, so they scroll sideways and
#: long headers are cut; the whole header is in the tooltip), and the Columns tab's list of
#: columns (its later columns are extra facts beside the name, type and tag): not checked.
SPREADSHEETS = frozenset({"leadTable", "compareChangedLeads", "duplicateMembers", "columnTree"})


def layout_problems(root: QWidget, *, where: str = "") -> list[str]:
    """What a user of ``root`` (as shown now) cannot read: each problem as one sentence.

    - a visible one-line label or button whose text does not fit (Qt cuts it short);
    - a table column whose header text does not fit its width;
    - a table or scroll area that needs a sideways scrollbar to show its content.
    """
    out = []
    prefix = f"{where}: " if where else ""
    for label in root.findChildren(QLabel):
        if _visible(label) and _clipped_label(label):
            out.append(f"{prefix}label '{label.objectName() or label.text()[:40]}' is cut short "
                       f"(“{label.text()[:60]}”)")
    for button in root.findChildren(QAbstractButton):
        if isinstance(button, (QPushButton, QCheckBox)) and _visible(button) and _clipped_button(button):
            out.append(f"{prefix}button “{button.text()}” is cut short")
    for view in root.findChildren(QTableView):
        if not _visible(view) or view.objectName() in SPREADSHEETS:
            continue
        for text in _elided_headers(view):
            out.append(f"{prefix}column “{text}” of {view.objectName() or 'a table'} is elided")
    for area in root.findChildren(QAbstractScrollArea):
        if not _visible(area) or isinstance(area, QHeaderView) or area.objectName() in SPREADSHEETS:
            continue
        bar = area.horizontalScrollBar()
        if bar.isVisible() and bar.maximum() > 0:
            out.append(f"{prefix}{area.objectName() or type(area).__name__} needs a sideways scrollbar")
    return out


# -- driving the window ------------------------------------------------------------------------

def _wait(window, ms: int = 300) -> None:
    from app import tasks
    app = QApplication.instance()
    tasks.wait_all(30000, window)
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    app.processEvents()


def open_list(window, which: str) -> bool:
    """Open ``which`` ("sample" or "x_education") in ``window`` and wait for its scores."""
    if which == "sample":
        path, model = None, None
    else:
        if not X_EDUCATION.exists():
            return False
        path, model = str(X_EDUCATION), str(X_MODEL)
    loop = QEventLoop()
    window.doc.scored.connect(loop.quit)
    QTimer.singleShot(60_000, loop.quit)
    if path is None:
        window.actions.open_sample.trigger()
    else:
        window.model_files.open(model)
        window.open_file(path)
    loop.exec()
    window.doc.scored.disconnect(loop.quit)
    _wait(window)
    return window.doc.result is not None


LISTS = ("sample", "x_education")


def _grab(widget: QWidget, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(path))


def _dialogs(window, out: Path, stem: str) -> list[Path]:
    """The export dialog, the rule editor, the score groups and the comparison window, each
    grabbed then closed."""
    from app.exporting import ExportDialog
    from widgets.groups_dialog import GroupsDialog
    from widgets.rule_editor import RuleEditorDialog
    saved = []
    window.resize(1280, 800)
    doc = window.doc
    dialog = ExportDialog(doc, str(out / "leads_mqls.xlsx"), window)
    dialog.show()
    _wait(window, 150)
    saved.append(out / f"{stem}-export-dialog.png")
    _grab(dialog, saved[-1])
    dialog.reject()
    rule = next((r for r in doc.model.rules if not r.is_gate), None)
    if rule is not None:
        editor = RuleEditorDialog(window)
        editor.prepare(rule, rule.group, window.rules.column_types(), window.rules.value_counts)
        editor.show()
        _wait(window, 150)
        saved.append(out / f"{stem}-rule-editor.png")
        _grab(editor, saved[-1])
        editor.reject()
    groups = GroupsDialog(doc.model.groups, window)
    groups.show()
    _wait(window, 100)
    saved.append(out / f"{stem}-groups-dialog.png")
    _grab(groups, saved[-1])
    groups.reject()
    other = ROOT / "resources" / "models" / ("agency.json" if stem.startswith("sample") else "b2b_saas.json")
    loop = QEventLoop()
    window.comparer.compared.connect(loop.quit)
    QTimer.singleShot(30_000, loop.quit)
    window.comparer.compare_with_file(str(other))
    loop.exec()
    if window.comparer.dialog is not None:
        _wait(window, 200)
        saved.append(out / f"{stem}-compare.png")
        _grab(window.comparer.dialog, saved[-1])
        window.comparer.dialog.close()
    return saved


def render_all(out: Path, lists=LISTS, sizes=SIZES, schemes=("light", "dark")) -> list[Path]:
    """Render every view; returns the files written."""
    from app.appearance import Appearance
    from app.main_window import MainWindow
    from app.settings import configure_application
    configure_application()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    written: list[Path] = []
    for which in lists:
        for scheme in schemes:
            Appearance.of(app).set_scheme(scheme)
            window = MainWindow()
            window.resize(*sizes[0])
            window.show()
            if not open_list(window, which):
                window.doc.undo_stack.setClean()
                window.close()
                continue
            for width, height in sizes:
                window.resize(width, height)
                _wait(window, 200)
                for side in ("Rules", "Columns"):
                    window.side_tabs.setCurrentIndex(1 if side == "Columns" else 0)
                    for i, tab in enumerate(TABS):
                        if side == "Columns" and tab != "Leads":
                            continue
                        window.centre_tabs.setCurrentIndex(i)
                        _wait(window, 250)
                        name = f"{which}-{scheme}-{width}x{height}-{tab.lower().replace(' ', '-')}"
                        name += "-columns" if side == "Columns" else ""
                        written.append(out / f"{name}.png")
                        _grab(window, written[-1])
                window.side_tabs.setCurrentIndex(0)
                window.centre_tabs.setCurrentIndex(0)
            written += _dialogs(window, out, f"{which}-{scheme}")
            window.doc.undo_stack.setClean()
            window.close()
            window.deleteLater()
            app.processEvents()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.screens", description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screens"))
    parser.add_argument("--only", choices=LISTS)
    parser.add_argument("--sizes", default=",".join(f"{w}x{h}" for w, h in SIZES))
    args = parser.parse_args(argv)
    sizes = tuple(tuple(int(v) for v in s.split("x")) for s in args.sizes.split(","))
    written = render_all(Path(args.out), (args.only,) if args.only else LISTS, sizes)
    print(f"{len(written)} pictures in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The window's actions, their shortcuts and the menus that hold them.

Actions are created here and only here, so menus, toolbars and the shortcut list stay consistent.
The window connects each action's ``triggered`` to its handler.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

__all__ = ["Actions", "build_menus"]

Std = QKeySequence.StandardKey


def _action(window: QMainWindow, text: str, name: str, shortcut=None, tip: str = "") -> QAction:
    action = QAction(text, window)
    action.setObjectName(name)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    return action


def _scheme(window: QMainWindow, text: str, name: str) -> QAction:
    action = _action(window, text, name, tip="Colours of the window: light, dark, or as the desktop")
    action.setCheckable(True)
    return action


@dataclass
class Actions:
    open_file: QAction
    open_sample: QAction
    new_model: QAction
    open_model: QAction
    save_model: QAction
    save_model_as: QAction
    export: QAction
    export_report: QAction
    compare_model: QAction
    compare_saved: QAction
    add_file: QAction
    accounts: QAction
    handoff: QAction
    import_feedback: QAction
    backup_ledger: QAction
    quit: QAction
    undo: QAction
    redo: QAction
    add_rule: QAction
    find: QAction
    show_all: QAction
    show_mql: QAction
    show_not_mql: QAction
    show_blocked: QAction
    scheme_system: QAction
    scheme_light: QAction
    scheme_dark: QAction
    shortcuts: QAction
    about: QAction

    @classmethod
    def create(cls, window: QMainWindow, undo_stack) -> "Actions":
        undo = undo_stack.createUndoAction(window, "Undo")
        undo.setObjectName("undoAction")
        undo.setShortcut(QKeySequence(Std.Undo))
        redo = undo_stack.createRedoAction(window, "Redo")
        redo.setObjectName("redoAction")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence(Std.Redo)])
        return cls(
            open_file=_action(window, "&Open lead list…", "openFileAction", Std.Open,
                              "Open a CSV or spreadsheet of leads"),
            open_sample=_action(window, "Open &sample data", "openSampleAction",
                                tip="Open the bundled sample lead list with the starter model"),
            new_model=_action(window, "&New model", "newModelAction", "Ctrl+Shift+N",
                              "Start an empty scoring model"),
            open_model=_action(window, "Open &model…", "openModelAction", "Ctrl+Shift+O",
                               "Open a scoring model file (.json)"),
            save_model=_action(window, "&Save model", "saveModelAction", Std.Save,
                               "Save the scoring model"),
            save_model_as=_action(window, "Save model &as…", "saveModelAsAction", "Ctrl+Shift+S",
                                  "Save the scoring model to a new file"),
            export=_action(window, "&Export qualified leads…", "exportAction", "Ctrl+E",
                           "Write the scored leads to CSV or Excel for sales"),
            export_report=_action(window, "Export audit &report…", "exportReportAction", "Ctrl+Shift+E",
                                  "Write a report for the client: data quality, the model, charts, "
                                  "back-test and top MQLs (HTML or PDF)"),
            compare_model=_action(window, "Compare with &model…", "compareModelAction", None,
                                  "What changes if another model file replaced this one: leads entering "
                                  "and leaving MQL status, by source, and the rules that differ"),
            compare_saved=_action(window, "Compare with &last saved version", "compareSavedAction", None,
                                  "What your edits since the last save change: leads entering and leaving "
                                  "MQL status"),
            add_file=_action(window, "&Add a file to these leads…", "addFileAction", None,
                             "Bring columns from another file (deals, accounts) or define new ones from "
                             "an activity log, matched to the leads by id, email or name and company"),
            accounts=_action(window, "A&ccounts", "accountsAction", None,
                             "Leads rolled up into accounts by company or email domain"),
            handoff=_action(window, "&Hand off to sales…", "handoffAction", "Ctrl+Shift+H",
                            "Write the MQLs not handed off before for sales, and record them in the ledger"),
            import_feedback=_action(window, "Import sales &feedback…", "importFeedbackAction", None,
                                    "Read the list sales returned (accepted, rejected, converted) into the ledger"),
            backup_ledger=_action(window, "&Back up ledger…", "backupLedgerAction", None,
                                  "Copy the hand-off ledger to a file of your choice"),
            quit=_action(window, "&Quit", "quitAction", Std.Quit),
            undo=undo,
            redo=redo,
            add_rule=_action(window, "Add &rule…", "addRuleAction", "Ctrl+R",
                             "Add a scoring rule"),
            find=_action(window, "&Find leads", "findAction", Std.Find,
                         "Search across all columns"),
            show_all=_action(window, "&All leads", "showAllAction", "Ctrl+1"),
            show_mql=_action(window, "&MQLs only", "showMqlAction", "Ctrl+2"),
            show_not_mql=_action(window, "&Not MQLs", "showNotMqlAction", "Ctrl+3"),
            show_blocked=_action(window, "&Blocked by a gate", "showBlockedAction", "Ctrl+4"),
            scheme_system=_scheme(window, "Follow the &system", "schemeSystemAction"),
            scheme_light=_scheme(window, "&Light", "schemeLightAction"),
            scheme_dark=_scheme(window, "&Dark", "schemeDarkAction"),
            shortcuts=_action(window, "&Keyboard shortcuts", "shortcutsAction", "F1"),
            about=_action(window, "&About Leadbench", "aboutAction"),
        )

    def schemes(self) -> dict[str, QAction]:
        """The View > Appearance choices by scheme name (see ``app.appearance.SCHEMES``)."""
        return {"system": self.scheme_system, "light": self.scheme_light, "dark": self.scheme_dark}

    def all(self) -> list[QAction]:
        return [getattr(self, f.name) for f in fields(self)]


def build_menus(window: QMainWindow, actions: Actions) -> dict[str, QMenu]:
    """Fill the window's menu bar; returns the menus by name (``recent`` and ``templates`` are
    filled later by the window)."""
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addAction(actions.open_file)
    recent = file_menu.addMenu("Open &recent")
    recent.setObjectName("recentMenu")
    file_menu.addAction(actions.open_sample)
    file_menu.addSeparator()
    file_menu.addAction(actions.new_model)
    templates = file_menu.addMenu("New model from &template")
    templates.setObjectName("templatesMenu")
    file_menu.addAction(actions.open_model)
    file_menu.addAction(actions.save_model)
    file_menu.addAction(actions.save_model_as)
    file_menu.addSeparator()
    file_menu.addAction(actions.export)
    file_menu.addAction(actions.export_report)
    file_menu.addSeparator()
    file_menu.addAction(actions.compare_model)
    file_menu.addAction(actions.compare_saved)
    file_menu.addSeparator()
    file_menu.addAction(actions.handoff)
    file_menu.addAction(actions.import_feedback)
    file_menu.addAction(actions.backup_ledger)
    file_menu.addSeparator()
    file_menu.addAction(actions.quit)

    edit = bar.addMenu("&Edit")
    edit.addAction(actions.undo)
    edit.addAction(actions.redo)
    edit.addSeparator()
    edit.addAction(actions.add_rule)
    edit.addAction(actions.find)

    data = bar.addMenu("&Data")
    data.addAction(actions.add_file)
    data.addAction(actions.accounts)

    view = bar.addMenu("&View")
    for action in (actions.show_all, actions.show_mql, actions.show_not_mql, actions.show_blocked):
        view.addAction(action)

    view.addSeparator()
    appearance = view.addMenu("A&ppearance")
    group = QActionGroup(window)
    for action in actions.schemes().values():
        group.addAction(action)
        appearance.addAction(action)

    help_menu = bar.addMenu("&Help")
    help_menu.addAction(actions.shortcuts)
    help_menu.addAction(actions.about)
    return {"file": file_menu, "recent": recent, "templates": templates, "edit": edit,
            "data": data, "view": view, "help": help_menu}

"""The main window: assembles the panels, wires them to the document, and delegates the work.

Layout: an empty state until a list is open; then rules and columns on the left, the threshold bar
and the lead table in the middle, the explanation of the selected lead on the right.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QCloseEvent, QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (QApplication, QFileDialog, QHBoxLayout, QLabel, QMainWindow, QMessageBox,
                               QPushButton, QScrollArea, QSplitter, QStackedWidget, QTabWidget,
                               QVBoxLayout, QWidget)

import resources
from app import settings, tasks
from app.accounts_controller import AccountsController
from app.actions import Actions, build_menus
from app.analytics_inputs import AnalyticsInputs
from app.appearance import Appearance
from app.autosave import Autosaver, offer_recovery
from app.column_format import choose_date_format
from app.backtest_controller import BacktestController
from app.column_map_controller import ColumnMapController
from app.charts_controller import ChartsController
from app.combine_controller import CombineController
from app.compare_controller import CompareController
from app.document import Document
from app.duplicates_controller import DuplicatesController
from app.exporting import ExportController
from app.handoff_parts import HandoffParts
from app.loading import FILE_FILTER, LoadController
from app.model_io import ModelFiles
from app.number_format_intents import NumberFormatIntents, user_marks
from app.paths import data_dir
from app.report_controller import ReportController
from app.rule_intents import RuleIntents
from app.scoring_date import ScoringDateController
from app.starter_controller import StarterController
from app.table_rows import TableRows
from app.window_text import about_text, lead_fields, shortcuts_text, status_text
from scoring.column_types import ColumnType
from scoring.errors import LeadbenchError
from scoring.evaluate.explain import explain_lead
from scoring.handoff.export import lead_id_column
from scoring.model.definition import Model
from scoring.model.model_file import load_model
from scoring.reading.tagging import guess_tags
from scoring.sample import SAMPLE_TODAY
from widgets.accounts_view import AccountsView
from widgets.backtest_panel import BacktestPanel
from widgets.charts import ChartsPanel
from widgets.columns_panel import ColumnsPanel
from widgets.duplicates_panel import DuplicatesPanel
from widgets.empty_state import EmptyState
from widgets.explain_panel import ExplainPanel
from widgets.lead_table_view import LeadTableView
from widgets.progress_strip import ProgressStrip
from widgets.rule_list import RuleListWidget
from widgets.theme import set_themed_style
from widgets.load_notes import LoadNotesNotice
from widgets.scoring_date import ScoringDateBar, StaleDatesNotice
from widgets.threshold_bar import ThresholdBar
from widgets.written_note import WrittenNote

__all__ = ["MainWindow"]

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)
        self.doc = Document(self)
        self.loader = LoadController(self)
        self.table_rows = TableRows(self)        # big lists sort and filter on a worker
        self.model_files = ModelFiles(self, self.doc)
        self.rules = RuleIntents(self, self.doc)
        self.number_formats = NumberFormatIntents(self, self.doc)
        self.autosaver = Autosaver(self.doc, data_dir())
        self._selected_row = -1
        self._build_widgets()
        self.duplicates = DuplicatesController(self.doc, self.duplicates_panel)
        self.exporter = ExportController(self, self.doc, self.duplicates)
        self.reporter = ReportController(self, self.doc, self.progress)
        self.comparer = CompareController(self, self.doc)
        self.scoring_date = ScoringDateController(self.doc, self.scoring_date_bar, self.stale_dates)
        self.combiner = CombineController(self, self.doc)
        self.accounts = AccountsController(self, self.doc, self.accounts_view)
        self.analytics_inputs = AnalyticsInputs(self.doc, unmatched_for=self.combiner.unmatched_for)
        self.charts_controller = ChartsController(self.doc, self.charts, self.analytics_inputs)
        self.backtest_controller = BacktestController(self.doc, self.backtest, self.analytics_inputs)
        self.starter = StarterController(self, self.doc, self.rule_list, self.analytics_inputs)
        self.column_mapper = ColumnMapController(self, self.doc, self.map_button)
        self.centre_tabs.currentChanged.connect(lambda _i: self.charts_controller.refresh())
        self.centre_tabs.currentChanged.connect(lambda _i: self.backtest_controller.refresh())
        self.centre_tabs.currentChanged.connect(lambda _i: self.accounts.refresh_if_stale())
        self.actions = Actions.create(self, self.doc.undo_stack)
        self.menus = build_menus(self, self.actions)
        self.combiner.attach_menu(self.menus["data"])
        self._connect()
        self._on_doc_model_changed()     # the widgets show the starting model (its threshold is 50)
        self.handoff = HandoffParts(self)      # the Tracking tab and the hand-off actions
        self._fill_templates()
        self._refresh_recent()
        self._update_title()
        self._update_enabled()
        schemes = self.actions.schemes()
        schemes.get(settings.read(settings.COLOR_SCHEME), schemes["system"]).setChecked(True)

    # -- assembly -----------------------------------------------------------------------------
    def _build_widgets(self) -> None:
        self.empty_state = EmptyState()
        self.rule_list = RuleListWidget()
        self.columns_panel = ColumnsPanel()
        self.threshold_bar = ThresholdBar()
        self.scoring_date_bar = ScoringDateBar()
        self.stale_dates = StaleDatesNotice()
        self.load_notes = LoadNotesNotice()
        self.lead_view = LeadTableView()
        self.explain_panel = ExplainPanel()
        self.problems_label = QLabel(objectName="problemsLabel", wordWrap=True, visible=False)
        set_themed_style(self.problems_label, "QLabel {{ background: {notice_bg}; color: {notice_fg};"
                                              " padding: 6px; border-radius: 3px; }}")

        self.side_tabs = QTabWidget(objectName="sideTabs")
        self.side_tabs.addTab(self.rule_list, "Rules")
        self.side_tabs.addTab(self.columns_panel, "Columns")

        self.charts = ChartsPanel()
        self.centre_tabs = QTabWidget(objectName="centreTabs")
        self.centre_tabs.addTab(self.lead_view, "Leads")
        self.backtest = BacktestPanel()
        # the panels scroll in a narrow window instead of widening it
        self.centre_tabs.addTab(_scrolling(self.charts), "Charts")
        self.centre_tabs.addTab(_scrolling(self.backtest), "Back-test")
        self.duplicates_panel = DuplicatesPanel()
        self.centre_tabs.addTab(self.duplicates_panel, "Data quality")
        self.accounts_view = AccountsView()
        self.centre_tabs.addTab(self.accounts_view, "Accounts")
        centre = QWidget(objectName="centrePanel")
        layout = QVBoxLayout(centre)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.threshold_bar)
        layout.addWidget(self.scoring_date_bar)      # under the threshold: both decide who is an MQL
        layout.addWidget(self.stale_dates)
        layout.addWidget(self.load_notes)
        self.map_button = QPushButton("Map columns…", objectName="mapColumnsButton", visible=False)
        self.map_button.setToolTip("Choose which columns of this list the model's missing columns are")
        banner = QHBoxLayout()
        banner.addWidget(self.problems_label, 1)
        banner.addWidget(self.map_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(banner)
        layout.addWidget(self.centre_tabs, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, objectName="mainSplitter")
        self.splitter.addWidget(self.side_tabs)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(self.explain_panel)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([390, 650, 240])     # at 1280 px the MQL counts and columns read in full

        self.stack = QStackedWidget(objectName="pages")
        self.stack.addWidget(self.empty_state)
        self.stack.addWidget(self.splitter)
        self.setCentralWidget(self.stack)

        self.progress = ProgressStrip()
        self.written = WrittenNote()
        self.status_label = QLabel(objectName="statusSummary")
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().addPermanentWidget(self.written)
        self.statusBar().addPermanentWidget(self.progress)

    def _connect(self) -> None:
        a, doc = self.actions, self.doc
        a.open_file.triggered.connect(self.choose_and_open)
        a.open_sample.triggered.connect(self.open_sample)
        a.new_model.triggered.connect(self.model_files.new)
        a.open_model.triggered.connect(lambda: self.model_files.open())
        a.save_model.triggered.connect(self.model_files.save)
        a.save_model_as.triggered.connect(self.model_files.save_as)
        a.export.triggered.connect(self.exporter.export)
        a.export_report.triggered.connect(self.reporter.export)
        a.compare_model.triggered.connect(lambda: self.comparer.compare_with_file())
        a.compare_saved.triggered.connect(self.comparer.compare_with_saved)
        a.add_file.triggered.connect(self.combiner.choose_file)
        a.accounts.triggered.connect(lambda: self.show_panel(self.accounts_view))
        a.quit.triggered.connect(self.close)
        a.add_rule.triggered.connect(lambda: self.rules.add("fit"))
        a.find.triggered.connect(self.lead_view.focus_search)
        for action, kind in ((a.show_all, "all"), (a.show_mql, "mql"),
                             (a.show_not_mql, "not_mql"), (a.show_blocked, "blocked")):
            action.triggered.connect(lambda _=False, k=kind: self.lead_view.set_row_filter(k))
        for scheme, action in a.schemes().items():
            action.triggered.connect(lambda _=False, s=scheme: self.set_color_scheme(s))
        a.shortcuts.triggered.connect(lambda: QMessageBox.information(
            self, "Keyboard shortcuts", shortcuts_text(self.actions.all())))
        a.about.triggered.connect(lambda: QMessageBox.about(self, "About Leadbench", about_text()))

        self.empty_state.openRequested.connect(self.choose_and_open)
        self.empty_state.sampleRequested.connect(self.open_sample)
        self.empty_state.recentFileActivated.connect(self.open_file)

        self.lead_view.model.set_background(self.table_rows)
        self.table_rows.started.connect(lambda text: self.progress.start(text, cancellable=False))
        self.table_rows.progress.connect(self.progress.set_fraction)
        self.table_rows.finished.connect(self.progress.finish)
        self.table_rows.failed.connect(lambda message: self.statusBar().showMessage(message, 8000))
        self.loader.started.connect(lambda path: self.progress.start(f"Loading {Path(path).name}…"))
        self.loader.progress.connect(self.progress.set_fraction)
        self.loader.finished.connect(self.progress.finish)
        self.loader.loaded.connect(self._on_loader_loaded)
        self.exporter.started.connect(self.progress.start)
        self.exporter.progress.connect(self.progress.set_fraction)
        self.exporter.finished.connect(self.progress.finish)
        self.exporter.started.connect(lambda _text: self.written.hide())
        self.exporter.wrote.connect(self.written.show_written)
        self.reporter.wrote.connect(self.written.show_written)
        self.written.openFolderRequested.connect(
            lambda path: QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).parent))))
        self.progress.cancelRequested.connect(self.loader.cancel)
        self.progress.cancelRequested.connect(self.exporter.cancel)

        self.rule_list.addRequested.connect(self.rules.add)
        self.rule_list.editRequested.connect(self.rules.edit)
        self.rule_list.ruleToggled.connect(self.rules.toggle)
        self.rule_list.duplicateRequested.connect(self.rules.duplicate)
        self.rule_list.deleteRequested.connect(self.rules.delete)
        self.rule_list.ruleMoved.connect(self.rules.move)
        self.rule_list.groupsEditRequested.connect(self.rules.edit_groups)
        self.threshold_bar.thresholdEdited.connect(
            lambda v: doc.edit_model(doc.model.with_threshold(v), merge_key="threshold"))
        self.threshold_bar.thresholdEditFinished.connect(lambda _v: doc.end_merge())
        self.columns_panel.typeChangeRequested.connect(self._on_columns_type_change)
        self.columns_panel.formatChangeRequested.connect(self._on_columns_format_change)
        self.columns_panel.tagChangeRequested.connect(self._on_columns_tag_change)
        self.columns_panel.numberFormatRequested.connect(self.number_formats.ask)
        self.columns_panel.missingValuesChangeRequested.connect(
            lambda markers: doc.edit_model(_with_missing(doc.model, markers)))
        self.lead_view.leadSelected.connect(self._on_lead_selected)
        self.duplicates_panel.leadActivated.connect(self._on_lead_selected)
        self.duplicates_panel.placeholderIgnoreRequested.connect(lambda value: doc.edit_model(
            _with_missing(doc.model, (*doc.model.missing_values, value)), text=f"Treat “{value}” as empty"))
        self.accounts.leadActivated.connect(self._on_lead_selected)
        self.accounts.accountExplained.connect(self._on_account_explained)
        self.reporter.unmatched_for = self.combiner.unmatched_for
        self.combiner.started.connect(self.progress.start)
        self.combiner.progress.connect(self.progress.set_fraction)
        self.combiner.finished.connect(self.progress.finish)

        doc.tableChanged.connect(self._on_doc_table_changed)
        doc.profilesChanged.connect(lambda: self.columns_panel.set_profiles(self.doc.profiles))
        doc.modelChanged.connect(self._on_doc_model_changed)
        doc.scored.connect(self._on_doc_scored)
        doc.problemsChanged.connect(self._on_doc_problems_changed)
        doc.scoringFailed.connect(lambda msg: self.statusBar().showMessage(msg, 8000))
        doc.undo_stack.cleanChanged.connect(lambda _clean: self._update_title())

    # -- opening files ------------------------------------------------------------------------
    def choose_and_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a lead list",
                                              settings.read(settings.LAST_DIR), FILE_FILTER)
        if path:
            self.open_file(path)

    def open_file(self, path: str, sheet: str | None = None) -> bool:
        if Path(path).suffix.lower() == ".json":
            return self.model_files.open(path)
        # the bundled sample is scored as of its export date, so its recency rules never go stale
        is_sample = Path(path).resolve() == resources.SAMPLE_LEADS.resolve()
        return self.loader.open(path, self.doc.model, sheet, as_of=SAMPLE_TODAY if is_sample else None)

    def open_sample(self) -> None:
        if self.doc.model == type(self.doc.model)() or self.doc.undo_stack.isClean():
            self.model_files.open_template(resources.STARTER_MODEL)
        self.open_file(str(resources.SAMPLE_LEADS))

    def _on_loader_loaded(self, loaded) -> None:
        source = loaded.table.source or ""
        if source and Path(source).resolve() != resources.SAMPLE_LEADS.resolve():
            settings.write(settings.LAST_DIR, str(Path(source).parent))
            settings.add_recent(source)
            self._refresh_recent()
        self.doc.set_table(loaded.table, as_of=loaded.as_of, first=loaded.first,
                           column_map=settings.column_map(loaded.table.source))
        self._apply_guessed_tags()
        table = loaded.table
        self.load_notes.show_notes(Path(source).name if source else "the list", table.file_notes,
                                   [c for c in table.frame.columns if c in table.notes])

    def _apply_guessed_tags(self) -> None:
        """Tag source/outcome/created/email columns from their headers when the model has none."""
        table, model = self.doc.table, self.doc.model
        if table is None or any(s.tag for _c, s in model.columns):
            return
        guessed = guess_tags(list(table.frame.columns), table.types)
        for tag, column in guessed.items():
            model = model.with_column_settings(column, replace(model.column_settings(column), tag=tag))
        if model != self.doc.model:
            # a guess is not a user edit: applied without an undo step, and the model stays clean
            clean = self.doc.undo_stack.isClean()
            self.doc.set_model(model)
            if clean:
                self.doc.undo_stack.setClean()

    # -- document -> widgets ------------------------------------------------------------------
    def _on_doc_table_changed(self) -> None:
        table = self.doc.table
        self.stack.setCurrentWidget(self.splitter)
        self.lead_view.set_frame(table.frame, table.types, table.number_formats)
        if self.doc.profiles:
            self.columns_panel.set_profiles(self.doc.profiles)
        else:                                # a new list: its profiles follow from a worker
            self.columns_panel.show_profiling()
        self._push_column_settings()
        self.explain_panel.set_explanation(None)
        self._selected_row = -1
        self._update_title()
        self._update_enabled()

    def _on_doc_model_changed(self) -> None:
        model = self.doc.model
        self.rule_list.set_model(model)
        self.threshold_bar.set_threshold(model.threshold)
        self._push_column_settings()
        self._update_title()
        self._update_compare_actions()

    def _push_column_settings(self) -> None:
        model = self.doc.model
        self.columns_panel.set_tags({s.tag: c for c, s in model.columns if s.tag})
        self.columns_panel.set_missing_values(tuple(model.missing_values))
        if self.doc.table is not None:
            self.columns_panel.set_formats(self.doc.table.formats)
        self.columns_panel.set_number_marks(user_marks(model))

    def _on_doc_scored(self) -> None:
        result, table = self.doc.result, self.doc.table
        self.lead_view.set_scores(result.total, result.fit, result.engagement, result.mql, result.blocked)
        self.rule_list.set_counts(list(result.rule_counts), table.n_rows)
        if result.total.size:
            self.threshold_bar.set_range(min(0.0, float(result.total.min())),
                                         max(100.0, float(result.total.max())))
        self.threshold_bar.set_counts(int(result.n_mql), table.n_rows, int(result.blocked.sum()))
        self.status_label.setText(status_text(table, result))
        self._show_explanation()
        self._update_compare_actions()

    def _on_doc_problems_changed(self, problems: list) -> None:
        if problems:
            shown = "\n".join(f"• {p}" for p in problems[:5])
            more = f"\n…and {len(problems) - 5} more" if len(problems) > 5 else ""
            self.problems_label.setText("Some rules cannot run on this list and are skipped:\n"
                                        + shown + more)
        self.problems_label.setVisible(bool(problems))

    def _on_lead_selected(self, row: int) -> None:
        self._selected_row = row
        self._show_explanation()

    def _show_explanation(self) -> None:
        row, result, table = self._selected_row, self.doc.result, self.doc.table
        if row < 0 or result is None or table is None or row >= table.n_rows:
            self.explain_panel.set_explanation(None)
            return
        self.explain_panel.set_lead_fields(lead_fields(table, row, id_column=lead_id_column(table, self.doc.model)))
        self.explain_panel.set_explanation(explain_lead(result, row, table))

    def _on_account_explained(self, words: str, best_row: int) -> None:
        """The explain panel explains an account: the account in words, then its best lead."""
        result, table = self.doc.result, self.doc.table
        if result is None or table is None or not 0 <= best_row < table.n_rows:
            return
        self._selected_row = best_row
        self.explain_panel.set_lead_fields([("Account", words), ("Best lead", "")] + lead_fields(table, best_row))
        self.explain_panel.set_explanation(explain_lead(result, best_row))

    # -- column intents -----------------------------------------------------------------------
    def _on_columns_type_change(self, column: str, type_name: str) -> None:
        model = self.doc.model
        current = model.column_settings(column)
        loaded = self.doc.base_table.types.get(column) if self.doc.base_table else None
        new_type = None if loaded is not None and ColumnType(type_name) == loaded else type_name
        fmt = None
        if ColumnType(type_name).is_temporal and self.doc.base_table is not None:
            accepted, fmt = choose_date_format(self, self.doc.base_table, column, ColumnType(type_name),
                                               current.format)
            if not accepted:
                self.columns_panel.show_current()
                return
        self.doc.edit_model(model.with_column_settings(
            column, replace(current, type=new_type, format=fmt)))

    def _on_columns_format_change(self, column: str) -> None:
        table, model = self.doc.table, self.doc.model
        if table is None or self.doc.base_table is None or not table.types[column].is_temporal:
            return
        current = model.column_settings(column)
        accepted, fmt = choose_date_format(self, self.doc.base_table, column, table.types[column],
                                           current.format)
        if accepted:
            self.doc.edit_model(model.with_column_settings(column, replace(current, format=fmt)))

    def _on_columns_tag_change(self, column: str, tag: str) -> None:
        model = self.doc.model
        if tag:   # one column per tag: take the tag off any other column
            for other, s in model.columns:
                if s.tag == tag and other != column:
                    model = model.with_column_settings(other, replace(s, tag=None))
        current = model.column_settings(column)
        self.doc.edit_model(model.with_column_settings(column, replace(current, tag=tag or None)))

    # -- window chrome ------------------------------------------------------------------------
    def _refresh_recent(self) -> None:
        recent = [p for p in settings.recent_files() if Path(p).exists()]
        menu = self.menus["recent"]
        menu.clear()
        for path in recent:
            menu.addAction(Path(path).name, lambda p=path: self.open_file(p)).setToolTip(path)
        menu.setEnabled(bool(recent))
        self.empty_state.set_recent_files(recent)

    def _fill_templates(self) -> None:
        menu = self.menus["templates"]
        for path in resources.template_paths():
            try:
                title = load_model(path).name
            except LeadbenchError:
                continue                      # a broken template is left out of the menu
            menu.addAction(title, lambda p=path: self.model_files.open_template(p))

    def _update_title(self) -> None:
        name = self.doc.model.name
        source = Path(self.doc.table.source).name if self.doc.table and self.doc.table.source else ""
        self.setWindowTitle(" — ".join(x for x in (f"{name}[*]", source, "Leadbench") if x))
        self.setWindowModified(not self.doc.undo_stack.isClean())

    def _update_enabled(self) -> None:
        has = self.doc.has_table
        for action in (self.actions.export, self.actions.export_report, self.actions.add_rule,
                       self.actions.add_file, self.actions.accounts,
                       self.actions.find, self.actions.show_all, self.actions.show_mql, self.actions.show_not_mql,
                       self.actions.show_blocked):
            action.setEnabled(has)
        self._update_compare_actions()

    def _update_compare_actions(self) -> None:
        self.actions.compare_model.setEnabled(self.comparer.can_compare())
        self.actions.compare_saved.setEnabled(self.comparer.can_compare_with_saved())

    def show_panel(self, panel: QWidget) -> None:
        """Bring the centre tab holding ``panel`` (the lead table, charts or back-test) forward."""
        tabs = self.centre_tabs
        for i in range(tabs.count()):
            page = tabs.widget(i)
            if page is panel or page.isAncestorOf(panel):
                tabs.setCurrentIndex(i)
                return

    def set_color_scheme(self, scheme: str) -> None:
        """Light, dark or the system's colours (remembered for the next start)."""
        appearance = Appearance.of(QApplication.instance())
        appearance.set_scheme(scheme)
        settings.write(settings.COLOR_SCHEME, appearance.scheme)
        self.actions.schemes()[appearance.scheme].setChecked(True)

    def sizeHint(self) -> QSize:
        return QSize(1280, 800)

    def offer_recovery(self) -> bool:
        """Offer back the unsaved work of a Leadbench that crashed; True when restored."""
        return offer_recovery(self, self.doc, data_dir(), self.open_file)

    def restore_geometry(self) -> None:
        geometry = settings.read(settings.GEOMETRY)
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = settings.read(settings.WINDOW_STATE)
        if not state.isEmpty():
            self.restoreState(state, settings.STATE_VERSION)
        splitter = settings.read(settings.SPLITTER_STATE)
        if not splitter.isEmpty():
            self.splitter.restoreState(splitter)

    # -- events -------------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if files:
            event.acceptProposedAction()
            QTimer.singleShot(0, lambda: self.open_file(files[0]))

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.model_files.confirm_discard():
            event.ignore()
            return
        tasks.cancel_all(self)       # loads, exports, reports, comparisons, follow-up work
        settings.write(settings.GEOMETRY, self.saveGeometry())
        settings.write(settings.WINDOW_STATE, self.saveState(settings.STATE_VERSION))
        settings.write(settings.SPLITTER_STATE, self.splitter.saveState())
        tasks.wait_all(5000, self)
        self.autosaver.discard()
        event.accept()


def _scrolling(panel: QWidget) -> QScrollArea:
    area = QScrollArea(objectName=f"{panel.objectName() or 'panel'}Scroll", widgetResizable=True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(panel)
    return area


def _with_missing(model: Model, markers) -> Model:
    return replace(model, missing_values=tuple(markers))

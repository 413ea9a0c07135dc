"""File > Export audit report…: pick an HTML or PDF file, build the report in a worker, write it.

The report's numbers come from the document's table and latest scores (the model, its tags
and the as-of date travel inside the score result). HTML is written by the worker; PDF is drawn
on the GUI thread afterwards (Qt's text layout and PDF writer; a few pages, well under a second).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMainWindow

from app import settings
from app.document import Document
from app.error_dialog import show_error
from app.ledger_files import current_ledger
from app.report_pdf import write_pdf
from app.tasks import Task, TaskRunner
from scoring.atomic import atomic_write_text
from scoring.errors import Cancelled, LeadbenchError
from scoring.report.audit import AuditReport, build_report
from scoring.report.html import render_html
from scoring.report.target import check_report_target
from widgets.progress_strip import ProgressStrip
from widgets.written_note import short_path

__all__ = ["ReportController", "make_report", "REPORT_FILTER"]

HTML_FILTER = "Web page, self-contained (*.html)"
PDF_FILTER = "PDF document (*.pdf)"
REPORT_FILTER = f"{HTML_FILTER};;{PDF_FILTER}"


def make_report(table, result, path: str, *, ledger=None, on_progress: Callable[[float], None] | None = None,
                is_cancelled: Callable[[], bool] | None = None, unmatched=None) -> AuditReport:
    """Build the report (worker thread) and, for an HTML ``path``, write it atomically.
    ``unmatched``: see ``scoring.report.audit.build_report`` (joined outcome columns); with a
    ``ledger`` the report has a hand-off section."""
    def part(fraction: float) -> None:            # building is 90% of the work, writing the rest
        if on_progress is not None:
            on_progress(0.9 * fraction)

    report = build_report(table, result, ledger=ledger, on_progress=part, is_cancelled=is_cancelled,
                          unmatched=unmatched)
    if Path(path).suffix.lower() != ".pdf":
        html = render_html(report)
        if is_cancelled is not None and is_cancelled():
            raise Cancelled()
        atomic_write_text(path, html)
    if on_progress is not None:
        on_progress(1.0)
    return report


def _with_suffix(path: str, chosen_filter: str) -> str:
    """The chosen name, with .pdf or .html added when the user typed none."""
    if Path(path).suffix.lower() in (".html", ".htm", ".pdf"):
        return path
    return path + (".pdf" if chosen_filter == PDF_FILTER else ".html")


class ReportController(QObject):
    """Runs one report at a time; shows progress and Cancel in the window's progress strip.

    Signals
    -------
    exported(str): the path of a report just written
    wrote(str, str): "Wrote the audit report to …/x.html" and its path
    """

    exported = Signal(str)
    wrote = Signal(str, str)

    def __init__(self, window: QMainWindow, doc: Document, progress: ProgressStrip) -> None:
        super().__init__(window)
        self._window, self._doc, self._progress = window, doc, progress
        self._path = ""
        self.unmatched_for = None       # column -> leads a joined file did not match (set by the window)
        self._runner = TaskRunner(self)
        self._runner.progress.connect(progress.set_fraction)
        self._runner.finished.connect(progress.finish)
        self._runner.succeeded.connect(self._on_runner_succeeded)
        self._runner.failed.connect(
            lambda message, details: show_error(window, "Cannot write the report", message, details))
        progress.cancelRequested.connect(self.cancel)

    @property
    def busy(self) -> bool:
        return self._runner.busy

    def export(self) -> None:
        """Ask where to save (HTML or PDF), then write the report."""
        doc = self._doc
        if doc.table is None or doc.result is None:
            return
        source = Path(doc.table.source or "leads")
        folder = settings.read(settings.LAST_DIR) or str(source.parent)
        suggested = str(Path(folder) / f"{source.stem} audit report.html")
        path, chosen = QFileDialog.getSaveFileName(self._window, "Export audit report", suggested,
                                                   REPORT_FILTER, HTML_FILTER)
        if path:
            self.start(_with_suffix(path, chosen))

    def start(self, path: str) -> None:
        """Write the report of the current scores to ``path`` (.html or .pdf)."""
        doc = self._doc
        if doc.table is None or doc.result is None:
            return
        try:
            check_report_target(path, doc.table.source)
        except LeadbenchError as exc:
            show_error(self._window, "Choose another file", str(exc))
            return
        self._path = path
        self._progress.start(f"Writing the audit report {Path(path).name}…")
        ledger = current_ledger(doc)
        self._runner.start(Task(make_report, doc.table, doc.result, path, unmatched=self.unmatched_for,
                                ledger=ledger if ledger is not None and ledger.exists() else None))

    def cancel(self) -> None:
        self._runner.cancel()

    def _on_runner_succeeded(self, report: AuditReport) -> None:
        path = self._path
        if Path(path).suffix.lower() == ".pdf":
            try:
                write_pdf(report, path)
            except (LeadbenchError, OSError) as exc:
                show_error(self._window, "Cannot write the report", str(exc))
                return
        self.wrote.emit(f"Wrote the audit report to {short_path(path)}", path)
        self.exported.emit(path)

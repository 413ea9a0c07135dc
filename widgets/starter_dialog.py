"""A suggested starting model, shown with its back-test before the user takes it."""

from __future__ import annotations

import html
import math

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHeaderView, QLabel, QScrollArea,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from scoring.evaluate.explain import format_points
from scoring.insight.starter import StarterModel
from scoring.model.describe import describe_predicate

__all__ = ["StarterDialog"]


def _pct(x: float) -> str:
    return "n/a" if not math.isfinite(x) else f"{x:.0%}"


def _figure(value: str, caption: str) -> str:
    return (f"<td style='padding-right:22px'><div style='font-size:18px; font-weight:700'>"
            f"{html.escape(value)}</div><div>{html.escape(caption)}</div></td>")


class StarterDialog(QDialog):
    """The suggested rules and threshold, the back-test on leads the model was not fitted on,
    and the columns left out with the reason for each. "Use this model" accepts the dialog;
    the caller applies the model (as one undoable step)."""

    def __init__(self, starter: StarterModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("starterDialog")
        self.setWindowTitle(f"Suggested starting model from “{starter.outcome}”")
        self.starter = starter
        h, model = starter.held_out, starter.model
        self.figures = QLabel(objectName="starterFigures", textFormat=Qt.TextFormat.RichText)
        self.figures.setText(
            f"<p style='margin-bottom:4px'><b>{len(model.rules)} rules</b> on {len(starter.columns)} "
            f"columns, threshold <b>{model.threshold:g}</b>. Fitted on {starter.fit_leads:,} of "
            f"{starter.leads:,} leads; measured on the other {h.leads:,}, which it has not seen:</p>"
            "<table><tr>"
            + _figure("n/a" if not math.isfinite(h.auc) else f"{h.auc:.2f}", "ROC AUC")
            + _figure(_pct(h.precision), "MQLs that won (precision)")
            + _figure(_pct(h.recall), "won leads that were MQLs (recall)")
            + _figure(f"{h.mqls:,}", f"MQLs of {h.leads:,}")
            + "</tr></table>"
            f"<p style='margin-top:4px'>{html.escape(starter.threshold_note)} On the whole list: "
            f"{starter.mqls:,} MQLs of {starter.leads:,} leads. "
            + " ".join(html.escape(n) for n in starter.notes) + "</p>")
        self.figures.setWordWrap(True)
        self.rules = QTableWidget(len(model.rules), 3, objectName="starterRules")
        self.rules.setHorizontalHeaderLabels(["Rule", "When", "Points"])
        self.rules.verticalHeader().setVisible(False)
        self.rules.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.rules.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.rules.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.rules.setWordWrap(False)
        for row, rule in enumerate(model.rules):
            points = QTableWidgetItem(format_points(rule.points))
            points.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for column, item in enumerate((QTableWidgetItem(rule.name),
                                           QTableWidgetItem(describe_predicate(rule.when)), points)):
                item.setToolTip(item.text())
                self.rules.setItem(row, column, item)
        header = self.rules.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.rules.setColumnWidth(0, 320)
        self.left_out = QLabel(objectName="starterLeftOut", textFormat=Qt.TextFormat.RichText,
                               wordWrap=True)
        self.left_out.setText(self._left_out_html())
        self.left_out.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(objectName="starterButtons")
        self.use_button = buttons.addButton("Use this model", QDialogButtonBox.ButtonRole.AcceptRole)
        self.use_button.setObjectName("starterUse")
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.figures)
        layout.addWidget(self.rules, 1)
        scroll = QScrollArea(objectName="starterLeftOutScroll", widgetResizable=True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.left_out)
        scroll.setMaximumHeight(190)
        layout.addWidget(scroll)
        layout.addWidget(buttons)
        self.resize(980, 680)

    def _left_out_html(self) -> str:
        s = self.starter
        esc = html.escape
        parts = []
        for note in s.warnings:
            parts.append(f"<p><b>Note:</b> {esc(note.text())}</p>")
        if s.leaky:
            items = "".join(f"<li><b>{esc(c.column)}</b>: {esc(c.reason)}</li>" for c in s.leaky)
            parts.append(f"<p style='margin-bottom:0'><b>Left out because they restate "
                         f"“{esc(s.outcome)}”</b></p><ul style='margin-top:0'>{items}</ul>")
        others = [c for c in s.left_out if not c.leaky and c.column not in s.columns]
        if others:
            shown = others[:40]
            items = "".join(f"<li>{esc(c.column)}: {esc(c.reason)}</li>" for c in shown)
            more = (f"<li>…and {len(others) - len(shown)} more columns</li>"
                    if len(others) > len(shown) else "")
            parts.append(f"<p style='margin-bottom:0'><b>Also left out</b></p>"
                         f"<ul style='margin-top:0'>{items}{more}</ul>")
        return "".join(parts)

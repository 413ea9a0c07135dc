"""Why the selected lead scored what it did, in plain words."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from scoring.explain import LeadExplanation, format_points

__all__ = ["ExplainPanel"]

_EMPTY = "Select a lead to see why it scored what it did."


class ExplainPanel(QWidget):
    """Shows a ``LeadExplanation`` and a few identifying fields of the lead."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("explainPanel")
        self._fields: list[tuple[str, str]] = []
        self._explanation: LeadExplanation | None = None
        title = QLabel("Why this score?", objectName="explainTitle")
        title.setStyleSheet("font-weight: 600; font-size: 14px;")
        self.copy_button = QPushButton("Copy", objectName="explainCopy")
        self.copy_button.clicked.connect(self.copy)
        top = QHBoxLayout()
        top.addWidget(title, 1)
        top.addWidget(self.copy_button)
        self.browser = QTextBrowser(objectName="explainText")
        self.browser.setOpenLinks(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.browser, 1)
        self.set_explanation(None)

    def set_lead_fields(self, fields: list[tuple[str, str]]) -> None:
        self._fields = list(fields)

    def set_explanation(self, explanation: LeadExplanation | None) -> None:
        self._explanation = explanation
        self.copy_button.setEnabled(explanation is not None)
        if explanation is None:
            self.browser.setHtml(f"<p style='color:#6b7280'>{_EMPTY}</p>")
            return
        self.browser.setHtml(self._html(explanation))

    def text(self) -> str:
        if self._explanation is None:
            return _EMPTY
        head = [f"{k}: {v}" for k, v in self._fields]
        return "\n".join(head + self._explanation.lines())

    def copy(self) -> None:
        QApplication.clipboard().setText(self.text())

    def _html(self, e: LeadExplanation) -> str:
        esc = html.escape
        colour = "#1a7f37" if e.mql else ("#b42318" if e.blocking else "#6b4e00")
        fields = "".join(f"<tr><td style='color:#6b7280;padding-right:8px'>{esc(k)}</td>"
                         f"<td>{esc(v)}</td></tr>" for k, v in self._fields)
        out = [f"<table>{fields}</table>" if fields else "",
               f"<p style='font-size:15px;font-weight:600;color:{colour}'>{esc(e.headline())}</p>",
               f"<p>{esc(e.verdict())}</p>",
               f"<p>Fit <b>{e.fit:.1f}</b> · Engagement <b>{e.engagement:.1f}</b></p>".replace(".0<", "<")]
        if e.fired:
            rows = "".join(
                f"<tr><td>{esc(r.name)}</td><td align='right'><b>{esc(format_points(round(r.points, 1)))}</b>"
                + (f" <span style='color:#6b7280'>(decayed from {esc(format_points(r.full_points).lstrip('+'))})"
                   "</span>" if r.decayed else "") + "</td></tr>" for r in e.fired)
            out.append(f"<p style='margin-bottom:2px'>Rules that fired:</p><table width='100%'>{rows}</table>")
        else:
            out.append("<p>No scoring rule matched this lead.</p>")
        for cap in e.caps:
            out.append(f"<p>{esc(cap.group.title())} capped at {cap.cap:g} (raw {round(cap.raw, 1):g}).</p>")
        if e.blocking:
            out.append("<p style='color:#b42318'>Blocked by: " + esc(", ".join(e.blocking)) + "</p>")
        return "".join(out)

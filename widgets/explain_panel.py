"""Why the selected lead scored what it did, in plain words."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from scoring.evaluate.explain import LeadExplanation, format_exact_points, format_points
from widgets.theme import hex_colour

__all__ = ["ExplainPanel", "EMPTY_TEXT"]

#: Shown while no lead is selected.
EMPTY_TEXT = "Select a lead to see why it scored what it did."



def _green() -> str:
    return hex_colour("good")


def _red() -> str:
    return hex_colour("bad")


def _amber() -> str:
    return hex_colour("warn")


def _grey() -> str:
    return hex_colour("muted")


def _heading() -> str:
    return hex_colour("heading")


def _num(value: float) -> str:
    return f"{round(float(value), 2) + 0.0:g}"


def _group_title(group: str) -> str:
    return group[:1].upper() + group[1:]


def _points_html(points: float, exact: bool = False) -> str:
    colour = _green() if points > 0 else (_red() if points < 0 else _grey())
    text = format_exact_points(points) if exact else format_points(points)
    return f"<b style='color:{colour}'>{html.escape(text)}</b>"


class ExplainPanel(QWidget):
    """Shows a :class:`~scoring.evaluate.explain.LeadExplanation` and a few identifying fields of the lead.

    The text is selectable; the Copy button puts the same explanation on the clipboard as plain
    text (for an email to sales or a CRM note). The panel has no signals: it only shows.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("explainPanel")
        self._fields: list[tuple[str, str]] = []
        self._explanation: LeadExplanation | None = None
        title = QLabel("Why this score?", objectName="explainTitle")
        title.setStyleSheet("font-weight: 600; font-size: 14px;")
        self.copy_button = QPushButton("Copy", objectName="explainCopy")
        self.copy_button.setToolTip("Copy this explanation as plain text")
        self.copy_button.clicked.connect(self.copy)
        top = QHBoxLayout()
        top.addWidget(title, 1)
        top.addWidget(self.copy_button)
        self.browser = QTextBrowser(objectName="explainText")
        self.browser.setOpenLinks(False)
        self.browser.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                             | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.browser, 1)
        self.set_explanation(None)

    # -- data in ------------------------------------------------------------------------------
    def set_lead_fields(self, fields: list[tuple[str, str]]) -> None:
        """A few (column, value) pairs that identify the lead: name, email, company..."""
        self._fields = [(str(k), str(v)) for k, v in fields]
        self._render()

    def set_explanation(self, explanation: LeadExplanation | None) -> None:
        """Explain this lead, or show the empty state for ``None``."""
        self._explanation = explanation
        self._render()

    def explanation(self) -> LeadExplanation | None:
        return self._explanation

    # -- output -------------------------------------------------------------------------------
    def text(self) -> str:
        """The explanation as plain text, as copied."""
        e = self._explanation
        if e is None:
            return EMPTY_TEXT
        out = [f"{k}: {v}" for k, v in self._fields]
        out += [e.headline(), e.verdict(), self._groups_line(e)]
        if e.fired:
            out += ["Rules that fired:"] + [f"• {rule.text()}" for rule in e.fired]  # with the caps: add up
        else:
            out.append("No scoring rule matched this lead.")
        out += [f"• {c.text()}" for c in e.caps]
        if e.blocking:
            out.append("Blocked by: " + ", ".join(e.blocking))
        if len(e.closers) > 1 and not e.blocking:
            out.append("Any one of these would qualify it: "
                       + ", ".join(f"{name} ({format_points(points)})" for name, points in e.closers))
        return "\n".join(line for line in out if line)

    def copy(self) -> None:
        """Put :meth:`text` on the clipboard."""
        QApplication.clipboard().setText(self.text())

    # -- rendering ----------------------------------------------------------------------------
    @staticmethod
    def _groups_line(e: LeadExplanation) -> str:
        return " · ".join(f"{_group_title(g)} {_num(v)}" for g, v in e.groups.items())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.PaletteChange:
            self._render()                                 # colours follow light and dark
        super().changeEvent(event)

    def _render(self) -> None:
        self.copy_button.setEnabled(self._explanation is not None)
        if self._explanation is None:
            self.browser.setHtml(f"<p style='color:{_grey()}; margin-top:12px'>{EMPTY_TEXT}</p>")
        else:
            self.browser.setHtml(self._html(self._explanation))

    def _html(self, e: LeadExplanation) -> str:
        esc = html.escape
        out = []
        if self._fields:
            rows = "".join(f"<tr><td style='color:{_grey()}; padding-right:10px'>{esc(k)}</td>"
                           f"<td>{esc(v)}</td></tr>" for k, v in self._fields)
            out.append(f"<table cellspacing='0' cellpadding='1'>{rows}</table><hr>")
        status, colour = (("MQL", _green()) if e.mql else ("Blocked", _red()) if e.blocking
                          else ("Not an MQL", _amber()))
        out.append(f"<p style='margin-bottom:2px'><span style='font-size:16px; font-weight:700; "
                   f"color:{colour}'>{status}</span>&nbsp;&nbsp;<span style='font-size:14px'>scored "
                   f"<b>{_num(e.score)}</b> · threshold {_num(e.threshold)}</span></p>")
        out.append(f"<p style='margin-top:2px'>{esc(e.verdict())}</p>")
        if e.fired or e.caps:
            out.append("<p style='margin-bottom:2px; font-weight:600'>Rules that fired</p>"
                       f"<table width='100%' cellspacing='0' cellpadding='2'>{self._rules_html(e)}</table>")
        else:
            out.append(f"<p style='color:{_grey()}'>No scoring rule matched this lead.</p>")
        if e.blocking:
            gates = "".join(f"<li>{esc(name)}</li>" for name in e.blocking)
            out.append(f"<p style='margin-bottom:0; font-weight:600; color:{_red()}'>Blocked by</p>"
                       f"<ul style='margin-top:0'>{gates}</ul>"
                       f"<p style='color:{_grey()}'>A gate stops a lead from becoming an MQL whatever "
                       "its score.</p>")
        if len(e.closers) > 1 and not e.blocking:
            items = "".join(f"<li>{esc(name)} {_points_html(points)}</li>" for name, points in e.closers)
            out.append("<p style='margin-bottom:0; font-weight:600'>Any one of these would qualify it"
                       f"</p><ul style='margin-top:0'>{items}</ul>")
        return "".join(out)

    @staticmethod
    def _rules_html(e: LeadExplanation) -> str:
        """Fired rules under a heading per group (its subtotal), then the cap that cut it as a
        row of its own, so the points listed add up to the score."""
        esc = html.escape
        caps = {c.group: c for c in e.caps}
        rows = []
        for group in dict.fromkeys([*(rule.group for rule in e.fired), *caps]):
            rows.append(f"<tr><td colspan='2' style='padding-top:6px; color:{_heading()}'>{esc(_group_title(group))}"
                        f" <b>{_num(e.groups.get(group, 0.0))}</b></td></tr>")
            for rule in (r for r in e.fired if r.group == group):
                decay = (f"<br><span style='color:{_grey()}; font-size:small'>decayed from "
                         f"{esc(format_exact_points(rule.full_points).lstrip('+'))}</span>"
                         if rule.decayed and abs(rule.listed - rule.full_points) >= 0.005 else "")
                if rule.detail:            # the numbers behind it: "Revenue € 1,234.56 ≥ € 1,000"
                    decay += f"<br><span style='color:{_grey()}; font-size:small'>{esc(rule.detail)}</span>"
                rows.append(f"<tr><td style='padding-left:10px'>{esc(rule.name)}{decay}</td>"
                            f"<td align='right' valign='top'>{_points_html(rule.listed, True)}</td></tr>")
            cap = caps.get(group)
            if cap is not None:
                rows.append(f"<tr><td style='padding-left:10px; color:{_grey()}'>Capped at {_num(cap.cap)}"
                            f"</td><td align='right' valign='top'>{_points_html(cap.listed, True)}</td></tr>")
        return "".join(rows)

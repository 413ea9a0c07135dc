"""Why a lead scored what it did, in plain words; reason texts for exports."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from scoring.engine import TOLERANCE, ScoreResult

__all__ = ["FiredRule", "CapApplied", "LeadExplanation", "explain_lead", "reasons_text",
           "blocked_by_text", "format_points"]


def _num(value: float) -> str:
    """A score for people: one decimal at most ("94.2", "60")."""
    return f"{round(value, 1):g}"


def format_points(points: float) -> str:
    text = f"{int(points):+d}" if float(points).is_integer() else f"{points:+.1f}"
    return text.replace("-", "−")


@dataclass(frozen=True)
class FiredRule:
    name: str
    group: str
    points: float          # what the lead got (after decay)
    full_points: float     # the rule's points

    @property
    def decayed(self) -> bool:
        return abs(self.points - self.full_points) > 1e-9

    def text(self) -> str:
        out = f"{self.name} {format_points(self.points)}"
        if self.decayed:
            out += f" (decayed from {format_points(self.full_points).lstrip('+')})"
        return out


@dataclass(frozen=True)
class CapApplied:
    group: str
    raw: float
    cap: float


@dataclass(frozen=True)
class LeadExplanation:
    """Everything that decided one lead's score and MQL status."""

    row: int
    score: float
    groups: dict[str, float]
    threshold: float
    mql: bool
    fired: list[FiredRule] = field(default_factory=list)
    caps: list[CapApplied] = field(default_factory=list)
    blocking: list[str] = field(default_factory=list)
    gap: float = 0.0
    closers: list[tuple[str, float]] = field(default_factory=list)

    @property
    def fit(self) -> float:
        return self.groups.get("fit", 0.0)

    @property
    def engagement(self) -> float:
        return self.groups.get("engagement", 0.0)

    def headline(self) -> str:
        status = "MQL" if self.mql else ("Blocked" if self.blocking else "Not an MQL")
        return f"{status}: scored {_num(self.score)} (threshold {_num(self.threshold)})"

    def verdict(self) -> str:
        if self.blocking:
            gates = ", ".join(self.blocking)
            if self.gap <= 0:
                return f"Scores enough, but blocked by: {gates}."
            return f"Blocked by: {gates}; also {_num(self.gap)} points short."
        if self.mql:
            return (f"Qualifies with {_num(-self.gap)} points to spare." if self.gap < 0
                    else "Qualifies exactly at the threshold.")
        if self.closers:
            name, points = self.closers[0]
            return f"{_num(self.gap)} points short: {name} ({format_points(points)}) would qualify it."
        return f"{_num(self.gap)} points short; no single rule would close the gap."

    def lines(self) -> list[str]:
        out = [self.headline(), self.verdict()]
        out += [f"• {rule.text()}" for rule in self.fired] or ["• No scoring rule matched."]
        out += [f"{c.group.title()} capped at {_num(c.cap)} (raw {_num(c.raw)})" for c in self.caps]
        return out

    def text(self) -> str:
        return "\n".join(self.lines())


def explain_lead(result: ScoreResult, row: int) -> LeadExplanation:
    model = result.model
    fired, closers, blocking = [], [], []
    for i, rule in enumerate(model.rules):
        mask = result.matches[i]
        if not rule.enabled:
            continue
        if rule.is_gate:
            if result.gate_failed(i)[row]:
                blocking.append(rule.name)
            continue
        if mask[row] and rule.points:
            factor = result.decay[i][row] if result.decay[i] is not None else 1.0
            fired.append(FiredRule(rule.name, rule.group, float(rule.points * factor), float(rule.points)))
        elif not mask[row] and rule.points > 0:
            closers.append((rule.name, float(rule.points), rule.group))
    groups = {g: float(v[row]) for g, v in result.groups.items()}
    caps = []
    for g, raw in result.groups_raw.items():
        cap = model.group(g).cap
        if cap is not None and raw[row] > cap + TOLERANCE:
            caps.append(CapApplied(g, float(raw[row]), float(cap)))
    score = float(result.total[row])
    gap = round(model.threshold - score, 6)
    useful = []
    if gap > 0:
        for name, points, group in sorted(closers, key=lambda c: c[1]):
            cap = model.group(group).cap
            headroom = points if cap is None else max(0.0, min(points, cap - groups.get(group, 0.0)))
            if headroom >= gap - TOLERANCE:
                useful.append((name, points))
    return LeadExplanation(row, round(score, 6), groups, float(model.threshold),
                           bool(result.mql[row]), fired, caps, blocking, gap, useful[:3])


def _rows(result: ScoreResult, rows) -> np.ndarray:
    return np.arange(result.n_rows) if rows is None else np.asarray(rows, dtype=np.int64)


def reasons_text(result: ScoreResult, rows=None) -> list[str]:
    """"Senior title +15; Asked for a demo +21.2 (decayed from 30)" for each row.

    Built per rule over all rows at once (numpy string concatenation), not per row.
    """
    idx = _rows(result, rows)
    out = np.full(len(idx), "", dtype=object)
    for i, rule in enumerate(result.model.rules):
        mask = result.matches[i]
        if rule.is_gate or not rule.enabled or not rule.points:
            continue
        hit = mask[idx]
        if not hit.any():
            continue
        if result.decay[i] is None:
            piece = np.full(int(hit.sum()), f"{rule.name} {format_points(rule.points)}", dtype=object)
        else:
            got = rule.points * result.decay[i][idx[hit]]
            full = format_points(rule.points).lstrip("+")
            piece = np.array([f"{rule.name} {format_points(round(p, 1))}" +
                              (f" (decayed from {full})" if abs(p - rule.points) > 0.05 else "")
                              for p in got], dtype=object)
        current = out[hit]
        out[hit] = np.where(current == "", piece, current + "; " + piece)
    return out.tolist()


def blocked_by_text(result: ScoreResult, rows=None) -> list[str]:
    """The names of the gates blocking each row, joined by "; " ("" when none)."""
    idx = _rows(result, rows)
    out = np.full(len(idx), "", dtype=object)
    for i, rule in enumerate(result.model.rules):
        if not rule.is_gate:
            continue
        hit = result.gate_failed(i)[idx]
        if hit.any():
            current = out[hit]
            out[hit] = np.where(current == "", rule.name, current + "; " + rule.name)
    return out.tolist()

"""The MQL numbers over time, from the ledger: hand-offs against a target and what sales made of them.

Per week (Monday to Sunday) or month, by each hand-off's scoring date:

- **handed off**: leads handed to sales, against a ``target`` per period: above, at or below, and
  the gap (handed off minus target);
- **lead → MQL**: MQLs / leads of the list at the period's last hand-off;
- **acceptance rate**: accepted / (accepted + rejected) among the period's leads sales answered
  for (a converted or won lead was accepted);
- **MQL → SQL** and **MQL → won**: converted (or won) leads / leads handed off, and won / handed off
  (None until sales answered for some lead of the period).

Rates are fractions from 0 to 1 (None when there is nothing to divide by). :data:`BENCHMARKS`
holds published third-party figures to read them against; they are not measured from your data.
:func:`quality_by` says which sources and rules produce the leads sales rejects, and why.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

import numpy as np
import pandas as pd

from scoring.errors import LeadbenchError
from scoring.handoff.changes import SEPARATOR, Changes, compare_snapshots
from scoring.handoff.ledger import Ledger

__all__ = ["Benchmark", "BENCHMARKS", "BENCHMARK_NOTE", "PeriodKpi", "QualityLine", "Tracking",
           "period_kpis", "quality_by", "tracking", "PERIODS", "rate_text"]

PERIODS = ("week", "month")


@dataclass(frozen=True)
class Benchmark:
    """A published figure to compare a rate with (fractions 0..1); ``text`` says it in words."""

    name: str
    low: float
    high: float | None
    text: str


#: Third-party benchmarks (published B2B marketing averages), labelled as such wherever shown.
BENCHMARKS: dict[str, Benchmark] = {
    "lead_to_mql": Benchmark("Lead → MQL", 0.13, 0.20, "about 13% on average, 20% in the top quartile"),
    "acceptance_rate": Benchmark("Acceptance", 0.80, None, "about 80%"),
    "mql_to_sql": Benchmark("MQL → SQL", 0.10, 0.30, "10–30%; under 10% points at a scoring model or "
                                                     "ideal-customer profile that is off"),
}
BENCHMARK_NOTE = ("Benchmarks are published third-party industry figures, not measured from your data; "
                  "read them as a rough guide.")


@dataclass(frozen=True)
class PeriodKpi:
    """One week or month of hand-offs (see the module docstring for each rate)."""

    period: str
    start: date
    handoffs: int
    handed: int
    target: int | None
    status: str | None          # "above", "at", "below" (None without a target)
    gap: int | None
    leads: int
    mqls: int
    lead_to_mql: float | None
    answered: int
    accepted: int
    rejected: int
    converted: int
    won: int
    acceptance_rate: float | None
    mql_to_sql: float | None
    mql_to_won: float | None

    def as_dict(self) -> dict:
        out = asdict(self)
        out["start"] = self.start.isoformat()
        return out


@dataclass(frozen=True)
class QualityLine:
    """How sales answered for the leads of one source or one rule."""

    kind: str                   # "source" or "rule"
    name: str
    handed: int
    answered: int
    accepted: int
    rejected: int
    converted: int
    rejection_rate: float | None
    top_reason: str
    sentence: str


def _div(a: float, b: float) -> float | None:
    return float(a) / float(b) if b else None


def _period(stamps: pd.Series, by: str) -> pd.Series:
    if by not in PERIODS:
        raise LeadbenchError(f"Cannot group by '{by}': choose week or month.")
    days = pd.to_datetime(stamps).dt.normalize()
    if by == "week":
        return days - pd.to_timedelta(days.dt.day_of_week, unit="D")
    return days.dt.to_period("M").dt.to_timestamp()


def _label(start: pd.Timestamp, by: str) -> str:
    if by == "week":
        iso = start.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"
    return f"{start:%Y-%m}"


def _answers(handed: pd.DataFrame, feedback: pd.DataFrame) -> pd.DataFrame:
    """``handed`` (first hand-off of each lead) with its latest status ("" when none)."""
    first = handed.drop_duplicates("lead_id", keep="first")
    status = dict(zip(feedback["lead_id"], feedback["status"]))
    reason = dict(zip(feedback["lead_id"], feedback["reason"]))
    out = first.copy()
    out["status"] = [status.get(i, "") for i in out["lead_id"]]
    out["reason"] = [reason.get(i, "") or "" for i in out["lead_id"]]
    return out


def _counts(frame: pd.DataFrame) -> dict[str, int]:
    s = frame["status"]
    converted = int((s == "converted").sum())
    won = int((s == "won").sum())
    return {"accepted": int((s == "accepted").sum()) + converted + won, "rejected": int((s == "rejected").sum()),
            "converted": converted + won, "won": won}


def period_kpis(handoffs: pd.DataFrame, handed: pd.DataFrame, feedback: pd.DataFrame, *, by: str = "week",
                target: int | None = None) -> list[PeriodKpi]:
    """The KPIs per period, oldest first (only periods with a hand-off)."""
    if target is not None and target < 0:
        raise LeadbenchError(f"The target must be 0 or more MQLs, not {target}.")
    if handoffs.empty:
        return []
    handoffs = handoffs.assign(period=_period(handoffs["as_of"], by))
    answers = _answers(handed, feedback)
    answers = answers.assign(period=_period(answers["as_of"], by)) if len(answers) else answers.assign(period=[])
    out = []
    for start, group in handoffs.groupby("period", sort=True):
        last = group.iloc[-1]
        leads = answers[answers["period"] == start]
        counts = _counts(leads)
        n = int(group["n_handed"].sum())
        status = gap = None
        if target is not None:
            gap = n - int(target)
            status = "above" if gap > 0 else "at" if gap == 0 else "below"
        answered = counts["accepted"] + counts["rejected"]
        out.append(PeriodKpi(
            period=_label(start, by), start=start.date(), handoffs=len(group), handed=n, target=target,
            status=status, gap=gap, leads=int(last["n_leads"]), mqls=int(last["n_mql"]),
            lead_to_mql=_div(last["n_mql"], last["n_leads"]), answered=answered, **counts,
            acceptance_rate=_div(counts["accepted"], answered),
            mql_to_sql=_div(counts["converted"], n) if answered else None,
            mql_to_won=_div(counts["won"], n) if answered else None))
    return out


def _explode_rules(answers: pd.DataFrame) -> pd.DataFrame:
    rules = answers["rules"].fillna("").astype(str).str.split(SEPARATOR)
    out = answers.assign(name=rules).explode("name")
    return out[out["name"].astype(str) != ""]


def quality_by(answers: pd.DataFrame, kind: str) -> list[QualityLine]:
    """Per source (``kind="source"``) or per rule that gave points (``"rule"``): how many leads sales
    answered for, how many it rejected and the most common reason; most rejected first."""
    frame = (answers.assign(name=answers["source"].fillna("(no source)").astype(str)) if kind == "source"
             else _explode_rules(answers))
    lines = []
    for name, group in frame.groupby("name", sort=False):
        counts = _counts(group)
        answered = counts["accepted"] + counts["rejected"]
        rejected = group[group["status"] == "rejected"]
        reasons = rejected["reason"].astype(str).str.strip()
        reasons = reasons[reasons != ""]
        top = reasons.str.casefold().value_counts()
        top_reason = reasons[reasons.str.casefold() == top.index[0]].iloc[0] if len(top) else ""
        rate = _div(counts["rejected"], answered)
        who = f"leads from {name}" if kind == "source" else f"leads scored by '{name}'"
        if rate is None:
            sentence = f"{who}: no answer from sales yet"
        else:
            sentence = f"{who} are rejected {rate:.0%} of the time" + (f", mostly '{top_reason}'" if top_reason else "")
        lines.append(QualityLine(kind, str(name), len(group), answered, counts["accepted"], counts["rejected"],
                                 counts["converted"], rate, top_reason, sentence))
    return sorted(lines, key=lambda q: (q.rejection_rate is None, -(q.rejection_rate or 0), -q.answered, q.name))


@dataclass(frozen=True)
class Tracking:
    """Everything the Tracking tab and ``leadbench kpi`` show."""

    by: str
    target: int | None
    periods: list[PeriodKpi]
    total: PeriodKpi | None
    by_source: list[QualityLine]
    by_rule: list[QualityLine]
    changes: Changes | None
    n_handoffs: int
    last_handoff: date | None

    def as_dict(self) -> dict:
        """For ``--json``: rates as fractions 0..1, benchmarks labelled third-party."""
        return {
            "by": self.by, "target": self.target, "handoffs": self.n_handoffs,
            "last_handoff": self.last_handoff.isoformat() if self.last_handoff else None,
            "periods": [p.as_dict() for p in self.periods],
            "total": self.total.as_dict() if self.total else None,
            "benchmarks": {"source": "third-party (published industry figures, not your data)",
                           **{k: {"name": b.name, "low": b.low, "high": b.high, "text": b.text}
                              for k, b in BENCHMARKS.items()}},
            "quality_by_source": [asdict(q) for q in self.by_source],
            "quality_by_rule": [asdict(q) for q in self.by_rule],
            "changes": None if self.changes is None else {
                k: getattr(self.changes, k).astype(object).where(getattr(self.changes, k).notna(), None)
                .to_dict("records") for k in ("entered", "left", "stayed")} | {
                "model_changed": self.changes.model_changed},
        }


def _total(periods: list[PeriodKpi], handoffs: pd.DataFrame, answers: pd.DataFrame) -> PeriodKpi | None:
    if not periods:
        return None
    counts = _counts(answers)
    n = sum(p.handed for p in periods)
    answered = counts["accepted"] + counts["rejected"]
    last = handoffs.iloc[-1]
    return PeriodKpi("all", periods[0].start, sum(p.handoffs for p in periods), n, None, None, None,
                     int(last["n_leads"]), int(last["n_mql"]), _div(last["n_mql"], last["n_leads"]), answered,
                     **counts, acceptance_rate=_div(counts["accepted"], answered),
                     mql_to_sql=_div(counts["converted"], n) if answered else None,
                     mql_to_won=_div(counts["won"], n) if answered else None)


def tracking(ledger: Ledger, *, by: str = "week", target: int | None = None) -> Tracking:
    """The KPIs, quality by source and rule, and the changes between the last two hand-offs."""
    handoffs, handed, feedback = ledger.handoffs(), ledger.handed(), ledger.feedback()
    periods = period_kpis(handoffs, handed, feedback, by=by, target=target)
    answers = _answers(handed, feedback)
    changes = None
    if len(handoffs) >= 2:
        last, previous = handoffs.iloc[-1], handoffs.iloc[-2]
        changes = compare_snapshots(ledger.mqls(int(previous["id"])), ledger.mqls(int(last["id"])),
                                    model_changed=last["model_hash"] != previous["model_hash"])
    last_day = handoffs["as_of"].iloc[-1].date() if len(handoffs) else None
    return Tracking(by, target, periods, _total(periods, handoffs, answers), quality_by(answers, "source"),
                    quality_by(answers, "rule"), changes, len(handoffs), last_day)


def rate_text(value: float | None) -> str:
    """A rate as a percentage ("12.5%"; "–" when unknown)."""
    return "–" if value is None or np.isnan(value) else f"{value:.1%}"

"""The audit report's contents: data quality, the model in words, the charts' numbers, the
back-test and the top MQLs, gathered from the engine's analytics for one scored lead list.

:func:`build_report` collects everything into an :class:`AuditReport` (plain numbers, texts and
small DataFrames; nothing formatted for a page). :mod:`scoring.report.html` turns it into one
self-contained HTML file. The window and ``leadbench report`` both go through here, so they
write the same report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from scoring.column_types import ColumnTag, ColumnType
from scoring.errors import Cancelled, LeadbenchError
from scoring.evaluate.explain import reasons_text
from scoring.handoff.export import default_columns
from scoring.handoff.export_summary import source_column
from scoring.insight.analytics import prepare_category, prepare_dates
from scoring.insight.backtest import BacktestSummary, backtest_summary
from scoring.insight.conversion import conversion_by_source
from scoring.insight.distribution import score_histogram
from scoring.insight.outcome import guess_open_values, guess_won_values, outcome_states
from scoring.model.describe import column_labels, describe_predicate
from scoring.reading.profiling import profile_column
from scoring.handoff.kpi import Tracking
from scoring.report.handoff_section import read_handoffs
from scoring.report.quality import (DuplicateFindings, EmailFindings, Placeholder, duplicate_findings,
                                    email_column, email_quality, placeholder_values)
from scoring.insight.timeline import mqls_over_time
from scoring.reading.tagging import guess_tags
from scoring.value_text import value_text

__all__ = ["AuditReport", "ColumnQuality", "RuleLine", "TopLead", "build_report", "TOP_LEADS",
           "TOP_FIELDS"]

#: MQLs listed at the end of the report, best scores first.
TOP_LEADS = 25
#: Contact/company columns shown beside each top MQL.
TOP_FIELDS = 4
_KINDS = {"require": "Must have", "disqualify": "Disqualifies"}


@dataclass(frozen=True)
class ColumnQuality:
    """One column's fill rate: ``filled`` of ``rows`` cells hold a value."""

    name: str
    type: str
    rows: int
    filled: int
    distinct: int
    note: str = ""

    @property
    def fill_rate(self) -> float:
        return self.filled / self.rows if self.rows else 0.0


@dataclass(frozen=True)
class RuleLine:
    """A rule in plain words: ``kind`` is "Fit points", "Must have", "Disqualifies"…; ``points``
    None for gates; ``leads`` how many leads it matches (gates: how many it blocks)."""

    name: str
    kind: str
    points: float | None
    text: str
    leads: int
    enabled: bool


@dataclass(frozen=True)
class TopLead:
    """One of the best-scoring MQLs: its position in the list, scores, a few identifying cells
    (``fields``: column, text) and the reasons it scored."""

    row: int
    score: float
    fit: float
    engagement: float
    fields: tuple[tuple[str, str], ...]
    reasons: str


@dataclass(frozen=True)
class AuditReport:
    """Everything the audit report says about one scored lead list (see :func:`build_report`).

    Optional parts are None when the list lacks what they need; ``notes`` says why in words
    (for example "No created-date column is tagged, so there is no MQLs-over-time chart.").
    """

    title: str
    model_name: str
    model_description: str
    source_name: str
    sheet: str | None
    as_of: date
    generated: datetime
    n_leads: int
    n_columns: int
    n_mql: int
    n_blocked: int
    threshold: float
    groups: tuple[tuple[str, float | None], ...]
    columns: tuple[ColumnQuality, ...]
    placeholders: tuple[Placeholder, ...]
    email: EmailFindings | None
    duplicates: DuplicateFindings | None
    load_warnings: tuple[str, ...]
    rules: tuple[RuleLine, ...]
    histogram: pd.DataFrame
    source_column: str | None = None
    by_source: pd.DataFrame | None = None
    created_column: str | None = None
    timeline: pd.DataFrame | None = None
    outcome_column: str | None = None
    won_values: tuple = ()
    backtest: BacktestSummary | None = None
    top: tuple[TopLead, ...] = ()
    notes: dict[str, str] = field(default_factory=dict)
    handoffs: Tracking | None = None      # from the hand-off ledger, when one was given

    @property
    def mql_rate(self) -> float:
        return self.n_mql / self.n_leads if self.n_leads else 0.0


def _rule_lines(result, columns) -> tuple[RuleLine, ...]:
    labels = column_labels(columns)
    out = []
    for i, rule in enumerate(result.model.rules):
        kind = _KINDS.get(rule.kind, f"{rule.group.capitalize()} points")
        if rule.is_gate:
            leads = int(np.count_nonzero(result.gate_failed(i)))
        else:
            leads = int(result.rule_counts[i])
        text = describe_predicate(rule.when, labels, max_items=None)
        if rule.decay is not None:
            since = labels.get(rule.decay.date_column, rule.decay.date_column)
            text += f" (points halve every {rule.decay.half_life_days:g} days since {since})"
        out.append(RuleLine(rule.name, kind, None if rule.is_gate else float(rule.points), text,
                            leads, bool(rule.enabled)))
    return tuple(out)


def _created_column(table, model) -> str | None:
    column = model.tagged(ColumnTag.CREATED)
    if column is None:
        column = guess_tags(list(table.frame.columns), table.types).get(str(ColumnTag.CREATED))
    if column in table.types and ColumnType(table.types[column]).is_temporal:
        return column
    return None


def _outcome(table, model, column: str | None, won_values: Iterable | None, notes: dict, unmatched=None):
    """(column, won values, won, known) or None; an outcome asked for by name must work."""
    explicit = column is not None
    column = column if explicit else model.tagged(ColumnTag.OUTCOME)
    if column is None:
        notes["backtest"] = ("No outcome column (won / converted) is tagged, so the model is not "
                             "back-tested against real results.")
        return None
    if column not in table.frame.columns:
        if explicit:
            raise LeadbenchError(f"the lead list has no column '{column}' to use as the outcome")
        notes["backtest"] = f"The outcome column '{column}' is not in this lead list."
        return None
    series = table.frame[column]
    saved = model.analysis
    won = set(won_values) if won_values else guess_won_values(series)
    temporal = ColumnType(table.types[column]).is_temporal
    if not won and not temporal:
        if explicit:
            raise LeadbenchError(f"cannot tell which values of '{column}' mean won; "
                                 "name them with --won (e.g. --won Yes)")
        notes["backtest"] = (f"Leadbench cannot tell which values of '{column}' mean won, so the "
                             "model is not back-tested.")
        return None
    still_open = saved.open_values if saved.open_values is not None else guess_open_values(series)
    won_mask, known = outcome_states(series, won, still_open,
                                     unmatched=unmatched(column) if unmatched is not None else None)
    return column, tuple(sorted(won, key=str)), won_mask, known


def _cell_text(value) -> str:
    return value_text(value)


def _top_leads(table, result, n: int) -> tuple[tuple[TopLead, ...], tuple[str, ...]]:
    columns = tuple(default_columns(table, result.model)[:TOP_FIELDS])
    mql_rows = np.flatnonzero(result.mql)
    order = mql_rows[np.argsort(-result.total[mql_rows], kind="stable")][:n]
    reasons = reasons_text(result, order)
    frame = table.frame
    cells = {c: frame[c].iloc[order].tolist() for c in columns}
    leads = []
    for k, row in enumerate(order):
        fields = tuple((c, _cell_text(cells[c][k])) for c in columns)
        leads.append(TopLead(int(row), float(result.total[row]), float(result.fit[row]),
                             float(result.engagement[row]), fields, reasons[k]))
    return tuple(leads), columns


def build_report(table, result, *, outcome: str | None = None, won_values: Iterable | None = None,
                 title: str | None = None, top_n: int = TOP_LEADS, now: datetime | None = None,
                 ledger=None,
                 on_progress: Callable[[float], None] | None = None,
                 is_cancelled: Callable[[], bool] | None = None, unmatched=None) -> AuditReport:
    """Gather the audit report of a scored lead list.

    Parameters
    ----------
    table : the ``LeadTable`` that was scored (markers and type overrides applied)
    result : its ``ScoreResult``; the model, threshold and as-of date come from it
    outcome : the won/converted column to back-test against (default: the model's tagged
        outcome column, skipped with a note when it cannot be used)
    won_values : the outcome values that mean won (default: guessed from the column)
    title : the report's title (default: "Lead scoring audit: <list name>")
    top_n : how many of the best MQLs to list
    now : when the report is made (default: now)
    ledger : the model's hand-off ledger; when given, the report gains a hand-off section (a
        missing or unreadable ledger becomes a note)
    on_progress, is_cancelled : progress (0..1) and cancel, checked between steps
    unmatched : optional ``column -> bool per lead`` (``CombinedTable.unmatched_for``): leads the
        joined file an outcome column came from does not match count as lost; still-open outcome
        values (the model's ``open_values``, else guessed) are left out of the back-test

    Returns
    -------
    AuditReport

    Raises
    ------
    LeadbenchError
        When ``outcome`` is named but missing from the list, or its won values cannot be told.
    Cancelled
        When ``is_cancelled()`` turns True.
    """
    if result.n_rows != table.n_rows:
        raise LeadbenchError("The scores do not belong to this lead list; score it again.")
    model = result.model
    frame = table.frame
    names = [str(c) for c in frame.columns]
    notes: dict[str, str] = {}
    steps = 7 + len(names)
    done = 0

    def step(k: int = 1) -> None:
        nonlocal done
        if is_cancelled is not None and is_cancelled():
            raise Cancelled()
        done += k
        if on_progress is not None:
            on_progress(min(done / steps, 1.0))

    step(0)
    columns = []
    for name in names:
        profile = profile_column(table, name)
        columns.append(ColumnQuality(name, str(profile.type), profile.count, profile.filled,
                                     profile.distinct, profile.note))
        step()
    markers = tuple(model.missing_values) + tuple(getattr(table, "missing_values", ()))
    placeholders = placeholder_values(table, markers)
    step()
    email_col = email_column(table, model)
    email = email_quality(frame[email_col], email_col) if email_col else None
    if email_col is None:
        notes["email"] = "No email column was found, so email addresses are not checked."
    step()
    duplicates = duplicate_findings(frame, email_col, table.types)
    step()
    histogram = score_histogram(result.total, result.mql, model.threshold)
    src = source_column(table, result)
    by_source = source = None
    if src is not None:
        source = prepare_category(frame[src], merge_variants=True)
        by_source = conversion_by_source(source, result.mql)
    else:
        notes["source"] = "No lead source column is tagged, so conversion by source is left out."
    step()
    created = _created_column(table, model)
    timeline = dates = None
    if created is not None:
        dates = prepare_dates(frame[created])
        timeline = mqls_over_time(dates, result.mql)
    else:
        notes["timeline"] = "No created-date column is tagged, so MQLs over time are left out."
    step()
    picked = _outcome(table, model, outcome, won_values, notes, unmatched)
    backtest = None
    out_col, won_tuple = None, ()
    if picked is not None:
        out_col, won_tuple, won, known = picked
        months = dates.span_months if dates is not None else None
        backtest = backtest_summary(result.total, result.mql, won, known=known,
                                    blocked=result.blocked, threshold=model.threshold,
                                    source=source, months=months or None)
        if by_source is not None:
            by_source = backtest.by_source
    step()
    top, _fields = _top_leads(table, result, top_n)
    handoffs, note = read_handoffs(ledger)
    if ledger is not None and handoffs is None:
        notes["handoffs"] = note
    step()
    source_name = Path(table.source).name if getattr(table, "source", None) else "(not from a file)"
    return AuditReport(
        title=title or f"Lead scoring audit: {source_name}",
        model_name=model.name or "Untitled model", model_description=model.description or "",
        source_name=source_name, sheet=getattr(table, "sheet", None), as_of=result.as_of,
        generated=(now or datetime.now()).replace(microsecond=0),
        n_leads=table.n_rows, n_columns=len(names), n_mql=result.n_mql,
        n_blocked=int(np.count_nonzero(result.blocked)), threshold=float(model.threshold),
        groups=tuple((g.name, g.cap) for g in model.groups),
        columns=tuple(columns), placeholders=tuple(placeholders), email=email,
        duplicates=duplicates, load_warnings=tuple(getattr(table, "warnings", ())),
        rules=_rule_lines(result, names), histogram=histogram,
        source_column=src, by_source=by_source, created_column=created, timeline=timeline,
        outcome_column=out_col, won_values=won_tuple, backtest=backtest, top=top, notes=notes,
        handoffs=handoffs)

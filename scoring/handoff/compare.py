"""Comparing two models on one lead list: "what changes if we adopt this definition".

Given the scores of the same leads under an old and a new model, :func:`compare_results` counts
the leads that enter MQL status, leave it, stay MQLs and stay out; splits those counts by the
source column; lists the changed leads (entered first, then left, then leads whose score or gate
status changed, each part by the size of the score change); and says in words which rules differ
between the two models (:func:`scoring.handoff.compare_rules.rule_differences`). Everything is whole-array
work: a million leads compare in a few tens of milliseconds once both scores exist.

:func:`changed_leads_frame` gives the changed leads with their contact columns and both scores;
:func:`export_comparison` writes them to CSV, or to XLSX with a Summary sheet (counts, by source,
rule differences) before the Changed leads sheet. Exports are atomic, refuse the lead list itself
and neutralise formula-like text, as lead exports do (:mod:`scoring.handoff.export`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

from scoring.atomic import atomic_path
from scoring.errors import ExportError, LeadbenchError
from scoring.evaluate.explain import reasons_codes
from scoring.evaluate.result import TOLERANCE, ScoreResult
from scoring.handoff.compare_rules import RuleDifference, rule_differences
from scoring.handoff.export import (csv_table, neutralised_rows, Selection, xlsx_columns, check_target,
                                    default_columns)
from scoring.handoff.export_csv import CsvOptions, write_csv
from scoring.handoff.formula_safe import coded_texts
from scoring.handoff.export_xlsx import MAX_XLSX_ROWS, LeadSheet, TableSheet, write_workbook
from scoring.insight.analytics import PreparedCategory, prepare_category
from scoring.model.definition import Model
from scoring.reading.tagging import guess_tags

__all__ = ["ModelComparison", "RuleDifference", "compare_results", "rule_differences",
           "comparison_source_column", "changed_leads_frame", "export_comparison", "CHANGES",
           "ENTERED", "LEFT", "SCORE_CHANGED", "SOURCE_TABLE_COLUMNS", "EXPORT_COLUMNS"]

ENTERED, LEFT, SCORE_CHANGED = 0, 1, 2
#: The label of each change code (``ModelComparison.change``), as exported.
CHANGES = ("entered", "left", "score changed")
#: Columns of ``ModelComparison.by_source``.
SOURCE_TABLE_COLUMNS = ("source", "leads", "mqls_before", "mqls_after", "entered", "left")
#: Columns an export of the changed leads adds after the lead list's own columns.
EXPORT_COLUMNS = ("old_score", "new_score", "old_mql", "new_mql", "change", "old_reasons", "new_reasons")


@dataclass(frozen=True, eq=False)
class ModelComparison:
    """How MQL status and scores change from ``old_model`` to ``new_model`` on one lead list.

    Attributes
    ----------
    old_model, new_model : the models as scored
    n_leads : leads in the list
    entered, left, stayed_mql, stayed_out : leads that become MQLs, stop being MQLs, are MQLs
        under both, are MQLs under neither
    mqls_before, mqls_after : MQL counts under the old and the new model
    source_column : the column ``by_source`` splits by (None when the list has none)
    by_source : one row per source value (``SOURCE_TABLE_COLUMNS``), the sources with most
        changes (entered + left) first, then most leads; None without a source column
    rows : int64, the changed leads' row positions in the list, in display order: entered, then
        left, then score changed; within each, the biggest score change first (ties in file order)
    change : int8 per changed lead, ``ENTERED``, ``LEFT`` or ``SCORE_CHANGED`` (a lead whose MQL
        status stays but whose score, fit, engagement or gate status changed)
    old_score, new_score, old_fit, new_fit, old_engagement, new_engagement : float64 per
        changed lead
    old_mql, new_mql, old_blocked, new_blocked : bool per changed lead
    differences : the rule, threshold and cap differences, in words
    old_reasons, new_reasons : per changed lead, why it scored what it did under each model
        (``(codes, texts)``: ``texts[codes[i]]``, as :func:`scoring.evaluate.explain.reasons_codes`;
        the listed points add up to the score)
    """

    old_model: Model
    new_model: Model
    n_leads: int
    entered: int
    left: int
    stayed_mql: int
    stayed_out: int
    source_column: str | None
    by_source: pd.DataFrame | None
    rows: np.ndarray
    change: np.ndarray
    old_score: np.ndarray
    new_score: np.ndarray
    old_fit: np.ndarray
    new_fit: np.ndarray
    old_engagement: np.ndarray
    new_engagement: np.ndarray
    old_mql: np.ndarray
    new_mql: np.ndarray
    old_blocked: np.ndarray
    new_blocked: np.ndarray
    differences: tuple[RuleDifference, ...] = field(default=())
    old_reasons: tuple[np.ndarray, list[str]] = field(default=(np.zeros(0, np.intp), [""]))
    new_reasons: tuple[np.ndarray, list[str]] = field(default=(np.zeros(0, np.intp), [""]))

    def reasons(self, i: int) -> tuple[str, str]:
        """Changed lead ``i``'s reasons under the old and the new model."""
        (old_codes, old_texts), (new_codes, new_texts) = self.old_reasons, self.new_reasons
        return old_texts[old_codes[i]], new_texts[new_codes[i]]

    @property
    def mqls_before(self) -> int:
        return self.stayed_mql + self.left

    @property
    def mqls_after(self) -> int:
        return self.stayed_mql + self.entered

    @property
    def rate_before(self) -> float:
        """MQL rate under the old model (0 for an empty list)."""
        return self.mqls_before / self.n_leads if self.n_leads else 0.0

    @property
    def rate_after(self) -> float:
        return self.mqls_after / self.n_leads if self.n_leads else 0.0

    @property
    def n_changed(self) -> int:
        return len(self.rows)

    @property
    def score_change(self) -> np.ndarray:
        """New minus old score per changed lead."""
        return self.new_score - self.old_score

    def count(self, change: int) -> int:
        """Changed leads with ``change`` (``ENTERED``, ``LEFT`` or ``SCORE_CHANGED``)."""
        return int(np.count_nonzero(self.change == change))

    def headline(self, arrow: str = "→") -> str:
        """One sentence: "412 leads become MQLs, 97 stop being MQLs: 1,023 → 1,338" ("none stop
        being MQLs", "No lead becomes an MQL", "1 lead becomes an MQL" as the counts say)."""
        before, after = f"{self.mqls_before:,}", f"{self.mqls_after:,}"
        if not self.entered and not self.left:
            return f"No lead changes MQL status: {before} MQL{'s' if self.mqls_before != 1 else ''} under both"
        become = {0: "No lead becomes an MQL", 1: "1 lead becomes an MQL"}.get(
            self.entered, f"{self.entered:,} leads become MQLs")
        stop = {0: "none stop being MQLs", 1: "1 stops being an MQL"}.get(
            self.left, f"{self.left:,} stop being MQLs")
        return f"{become}, {stop}: {before} {arrow} {after}"

    def to_dict(self, max_leads: int | None = 1000) -> dict[str, Any]:
        """Plain values for JSON: counts, rates, by source, differences and up to ``max_leads``
        changed leads (None: all)."""
        shown = slice(None) if max_leads is None else slice(0, max_leads)
        leads = [{"row": int(r), "change": CHANGES[c], "old_score": float(o), "new_score": float(n),
                  "old_mql": bool(om), "new_mql": bool(nm), "old_blocked": bool(ob),
                  "new_blocked": bool(nb), "old_reasons": self.reasons(i)[0],
                  "new_reasons": self.reasons(i)[1]}
                 for i, (r, c, o, n, om, nm, ob, nb) in enumerate(zip(
                     self.rows[shown].tolist(), self.change[shown].tolist(),
                     np.round(self.old_score[shown], 4).tolist(), np.round(self.new_score[shown], 4).tolist(),
                     self.old_mql[shown].tolist(), self.new_mql[shown].tolist(),
                     self.old_blocked[shown].tolist(), self.new_blocked[shown].tolist()))]
        by_source = None
        if self.by_source is not None:
            by_source = [{k: (v if isinstance(v, str) else int(v)) for k, v in row.items()}
                         for row in self.by_source.to_dict("records")]
        return {
            "old_model": self.old_model.name, "new_model": self.new_model.name,
            "old_threshold": float(self.old_model.threshold),
            "new_threshold": float(self.new_model.threshold),
            "leads": self.n_leads, "mqls_before": self.mqls_before, "mqls_after": self.mqls_after,
            "mql_rate_before": self.rate_before, "mql_rate_after": self.rate_after,
            "entered": self.entered, "left": self.left, "stayed_mql": self.stayed_mql,
            "stayed_not_mql": self.stayed_out, "score_changed": self.count(SCORE_CHANGED),
            "source_column": self.source_column, "by_source": by_source,
            "differences": [{"kind": d.kind, "name": d.name, "text": d.text} for d in self.differences],
            "changed_leads": leads, "changed_leads_total": self.n_changed,
        }


def comparison_source_column(table, *models: Model) -> str | None:
    """The source column to split a comparison by: the first model's tagged source column that
    the list has, else the one its headers suggest (None when there is none)."""
    columns = list(table.frame.columns)
    for model in models:
        tagged = model.tagged("source")
        if tagged in columns:
            return tagged
    return guess_tags(columns, getattr(table, "types", None)).get("source")


def compare_results(table, old: ScoreResult, new: ScoreResult, *,
                    source: PreparedCategory | None = None) -> ModelComparison:
    """Compare the scores of the same leads under two models.

    Parameters
    ----------
    table : scoring.reading.LeadTable
        The lead list both results score (its source column splits the counts; its column
        names label the rule differences).
    old, new : scoring.evaluate.engine.ScoreResult
        The scores under the model in use and under the one considered.
    source : PreparedCategory, optional
        The source column already prepared (``prepare_category(..., merge_variants=True)``);
        by default the models' tagged source column is prepared here.

    Returns
    -------
    ModelComparison

    Raises
    ------
    LeadbenchError
        When the two results, or a result and the table, cover different numbers of leads.
    """
    n = table.n_rows
    if old.n_rows != new.n_rows or old.n_rows != n:
        raise LeadbenchError(
            f"Cannot compare: the scores cover {old.n_rows:,} and {new.n_rows:,} leads but the list "
            f"has {n:,}. Score the open list under both models again.")
    old_mql, new_mql = np.asarray(old.mql, bool), np.asarray(new.mql, bool)
    entered_mask, left_mask = new_mql & ~old_mql, old_mql & ~new_mql
    delta = new.total - old.total
    changed = (entered_mask | left_mask | (old.blocked != new.blocked)
               | (np.abs(delta) > TOLERANCE)
               | (np.abs(new.fit - old.fit) > TOLERANCE)
               | (np.abs(new.engagement - old.engagement) > TOLERANCE))
    rows = np.flatnonzero(changed)
    code = np.full(len(rows), SCORE_CHANGED, np.int8)
    code[entered_mask[rows]] = ENTERED
    code[left_mask[rows]] = LEFT
    # lexsort: the last key sorts first; rows are increasing, so ties keep file order
    order = np.lexsort((rows, -np.abs(delta[rows]), code))
    rows, code = rows[order], code[order]
    n_entered = int(np.count_nonzero(entered_mask))
    n_left = int(np.count_nonzero(left_mask))
    n_both = int(np.count_nonzero(old_mql & new_mql))

    column = source.name if source is not None else comparison_source_column(
        table, new.model, old.model)
    by_source = None
    if column is not None:
        if source is None:
            source = prepare_category(table.frame[column], merge_variants=True)
        by_source = _by_source(source, old_mql, new_mql)

    def pick(values) -> np.ndarray:
        out = np.asarray(values)[rows]
        out.setflags(write=False)
        return out

    rows.setflags(write=False)
    code.setflags(write=False)
    return ModelComparison(
        old_model=old.model, new_model=new.model, n_leads=n, entered=n_entered, left=n_left,
        stayed_mql=n_both, stayed_out=n - n_entered - n_left - n_both, source_column=column,
        by_source=by_source, rows=rows, change=code,
        old_score=pick(old.total), new_score=pick(new.total), old_fit=pick(old.fit),
        new_fit=pick(new.fit), old_engagement=pick(old.engagement),
        new_engagement=pick(new.engagement), old_mql=pick(old_mql), new_mql=pick(new_mql),
        old_blocked=pick(old.blocked), new_blocked=pick(new.blocked),
        differences=tuple(rule_differences(old.model, new.model, table.frame.columns)),
        old_reasons=reasons_codes(old, rows), new_reasons=reasons_codes(new, rows))


def _by_source(source: PreparedCategory, old_mql: np.ndarray, new_mql: np.ndarray) -> pd.DataFrame:
    """Per source: leads, MQLs before and after, entered, left (one bincount over 4 cells)."""
    k = source.n_codes
    cells = np.bincount(source.codes * 4 + old_mql * np.int64(2) + new_mql,
                        minlength=4 * k).reshape(k, 4)
    frame = pd.DataFrame({
        "source": list(source.labels), "leads": cells.sum(axis=1),
        "mqls_before": cells[:, 2] + cells[:, 3], "mqls_after": cells[:, 1] + cells[:, 3],
        "entered": cells[:, 1], "left": cells[:, 2]})
    frame = frame[frame["leads"] > 0]
    moved = frame["entered"] + frame["left"]
    frame = frame.assign(_moved=moved).sort_values(["_moved", "leads", "source"],
                                                   ascending=[False, False, True], kind="stable")
    return frame.drop(columns="_moved").reset_index(drop=True)


# -- the changed leads, for export ------------------------------------------------------------

def _comparison_columns(comparison: ModelComparison, taken: set) -> dict[str, np.ndarray | pa.Array]:
    out = {"old_score": np.round(comparison.old_score, 2), "new_score": np.round(comparison.new_score, 2),
           "old_mql": np.asarray(comparison.old_mql, bool), "new_mql": np.asarray(comparison.new_mql, bool),
           "change": pa.array(CHANGES, pa.string()).take(pa.array(comparison.change, pa.int8())),
           **{name: coded_texts(codes, texts)
              for name, (codes, texts) in (("old_reasons", comparison.old_reasons),
                                           ("new_reasons", comparison.new_reasons))}}
    return {(k if k not in taken else f"{k} (leadbench)"): v for k, v in out.items()}


class _ChangedLeads(Selection):
    """The changed leads as an export selection: the list's columns plus both scores."""

    def __init__(self, table, comparison: ModelComparison, columns: Sequence[str] | None) -> None:
        if comparison.n_leads != table.n_rows:
            raise ExportError("Cannot export the comparison: it was made on another version of the "
                              "lead list. Compare again, then export.")
        super().__init__(table, None, np.asarray(comparison.rows, np.int64),
                         default_columns(table) if columns is None else list(columns))
        self.comparison = comparison

    def score_columns(self, part: slice = slice(None)) -> dict[str, np.ndarray | pa.Array]:
        return {k: v[part] for k, v in _comparison_columns(self.comparison, set(self.names)).items()}


def changed_leads_frame(table, comparison: ModelComparison,
                        columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The changed leads as a DataFrame, in the comparison's order.

    Parameters
    ----------
    table : the lead list compared
    comparison : from :func:`compare_results` on ``table``
    columns : the list's columns to include (default: the contact and company columns,
        :func:`scoring.handoff.export.default_columns`)

    Returns
    -------
    DataFrame
        ``columns`` (typed values), then ``old_score``, ``new_score``, ``old_mql``, ``new_mql``
        and ``change`` ("entered", "left", "score changed"); a name the list already uses gets
        " (leadbench)" added.

    Raises
    ------
    ExportError
        For a column the list does not have, or a comparison made on another list.
    """
    selection = _ChangedLeads(table, comparison, columns)
    frame = pd.DataFrame({name: selection.typed(name) for name in selection.names})
    for name, values in selection.score_columns().items():
        frame[name] = (values.to_numpy(zero_copy_only=False) if isinstance(values, pa.Array)
                       else values)
    return frame


def _summary_sheet(table, comparison: ModelComparison) -> TableSheet:
    c = comparison
    source = getattr(table, "source", None)
    counts = [
        ["Old model", c.old_model.name or "Untitled model"],
        ["New model", c.new_model.name or "Untitled model"],
        ["Old MQL threshold", float(c.old_model.threshold)],
        ["New MQL threshold", float(c.new_model.threshold)],
        ["Lead list", Path(source).name if source else "(not from a file)"],
        ["Leads in the list", c.n_leads],
        ["MQLs before", c.mqls_before],
        ["MQLs after", c.mqls_after],
        ["Before: MQL rate", c.rate_before],
        ["After: MQL rate", c.rate_after],
        ["Leads that become MQLs", c.entered],
        ["Leads that stop being MQLs", c.left],
        ["MQLs under both", c.stayed_mql],
        ["MQLs under neither", c.stayed_out],
        ["Same status, score changed", c.count(SCORE_CHANGED)],
        ["Changed leads (next sheet)", c.n_changed],
    ]
    blocks = [(["Comparison", ""], neutralised_rows(counts))]
    if c.by_source is not None:
        rows = [[str(r.source), int(r.leads), int(r.mqls_before), int(r.mqls_after), int(r.entered),
                 int(r.left)] for r in c.by_source.itertuples(index=False)]
        blocks.append(([f"By {c.source_column}", "Leads", "MQLs before", "MQLs after",
                        "Become MQLs", "Stop being MQLs"], neutralised_rows(rows)))
    differences = [[d.text] for d in c.differences] or [["None: the two models have the same rules"]]
    blocks.append((["What differs in the new model"], neutralised_rows(differences)))
    return TableSheet("Summary", blocks)


def export_comparison(table, comparison: ModelComparison, path: str | os.PathLike, *,
                      columns: Sequence[str] | None = None,
                      on_progress: Callable[[float], None] | None = None,
                      is_cancelled: Callable[[], bool] | None = None) -> Path:
    """Write the changed leads to CSV, or to XLSX with a Summary sheet (picked by the suffix).

    CSV holds the original cells of ``columns`` plus ``EXPORT_COLUMNS``; XLSX has a Summary
    sheet (counts, by source, rule differences) and a Changed leads sheet (typed values; leads
    that are MQLs under the new model filled green).

    Parameters
    ----------
    table : the lead list compared
    comparison : from :func:`compare_results`
    path : the file to write (.csv or .xlsx); replaced atomically if it exists
    columns : the list's columns to include (default: contact and company columns)
    on_progress, is_cancelled : progress (0..1) and cancel checks

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ExportError
        Wrong suffix, missing folder, the lead list itself as target, an unknown column, too many
        changed leads for one Excel sheet, or a write failure (the previous file is untouched).
    Cancelled
        When ``is_cancelled()`` returned True; no file is left behind.
    """
    path = Path(path)
    check_target(path, getattr(table, "source", None))
    selection = _ChangedLeads(table, comparison, columns)
    xlsx = path.suffix.lower() == ".xlsx"
    if xlsx and comparison.n_changed >= MAX_XLSX_ROWS:
        raise ExportError(f"Cannot export {comparison.n_changed:,} changed leads to one sheet of "
                          f"{path.name}: Excel sheets hold at most {MAX_XLSX_ROWS - 1:,} rows. "
                          "Export to .csv instead.")
    try:
        with atomic_path(path) as tmp:
            if xlsx:
                sheets = [_summary_sheet(table, comparison),
                          LeadSheet("Changed leads", xlsx_columns(selection),
                                    np.asarray(comparison.new_mql, bool))]
                write_workbook(tmp, sheets, on_progress=on_progress, is_cancelled=is_cancelled)
            else:
                write_csv(csv_table(selection), tmp, CsvOptions(), on_progress=on_progress,
                          is_cancelled=is_cancelled)
    except OSError as exc:
        raise ExportError(f"Cannot write {path.name}: {exc.strerror or exc}. Nothing was changed.") from None
    if on_progress is not None:
        on_progress(1.0)
    return path

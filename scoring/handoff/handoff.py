"""Handing MQLs to sales: only the ones not handed off before, with owners, recorded in the ledger.

:func:`plan_handoff` tells the current MQLs apart by their id (:mod:`scoring.handoff.identity`)
and asks the ledger which went to sales before ("312 MQLs: 41 new, 271 already with sales since
3 Mar"). :func:`hand_off` then writes the file and records the hand-off together or not at all:

1. the export is written to a temporary file beside the target (:mod:`scoring.atomic`);
2. the ledger transaction commits (the hand-off, each lead handed off, every current MQL);
3. the temporary file is renamed into place.

A failure before step 2 commits leaves the ledger as it was and no file; a failure to rename
after it removes the hand-off from the ledger again. Two hand-offs on one ledger at once (two
windows, a window and the command line) cannot both send the same leads: the one that commits
second finds a hand-off it did not plan with and records nothing. A hand-off counts on its scoring date
(``as_of``), so a list scored as of last Monday is last Monday's hand-off.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa

from scoring.column_types import ColumnType
from scoring.errors import LeadbenchError
from scoring.handoff.export import ExportOptions, export_leads
from scoring.handoff.changes import Changes, compare_snapshots, snapshot
from scoring.handoff.export_summary import source_column
from scoring.handoff.identity import LeadIds, lead_ids
from scoring.handoff.ledger import HandoffRecord, Ledger
from scoring.handoff.owners import OWNER, Assignment, assign_owners, owner_column
from scoring.model.definition import OwnerRules
from scoring.model.model_file import model_to_dict

__all__ = ["HandoffPlan", "HandoffOutcome", "plan_handoff", "hand_off", "fired_rules", "model_hash",
           "file_hash", "short_date", "RULE_SEPARATOR", "changes_since_last"]

#: Between the names of the rules that fired for a lead, in the ledger.
RULE_SEPARATOR = "; "


def short_date(day: date, today: date | None = None) -> str:
    """"3 Mar", or "3 Mar 2025" when not in ``today``'s year."""
    today = today or date.today()
    return f"{day.day} {day:%b}" + ("" if day.year == today.year else f" {day.year}")


@dataclass(frozen=True)
class HandoffPlan:
    """Which MQLs are new to sales.

    Attributes
    ----------
    ids : the id of every lead of the list
    mql_rows : the MQLs that have an id, one per id (the best-scoring), best first
    new : True for the ``mql_rows`` never handed off before
    first_handed : for the others, the scoring date of their first hand-off
    n_mql : all MQLs of the list (with or without an id)
    no_id : MQLs without an id (they cannot be tracked and are not handed off)
    repeated : MQLs whose id belongs to a better-scoring MQL of the same list
    as_of : the scoring date of the plan
    """

    ids: LeadIds
    mql_rows: np.ndarray
    new: np.ndarray
    first_handed: dict[str, date]
    n_mql: int
    no_id: int
    repeated: int
    as_of: date

    @property
    def new_rows(self) -> np.ndarray:
        return self.mql_rows[self.new]

    @property
    def n_new(self) -> int:
        return int(np.count_nonzero(self.new))

    @property
    def n_already(self) -> int:
        return len(self.mql_rows) - self.n_new

    def summary(self) -> str:
        """"312 MQLs: 41 new, 271 already with sales since 3 Mar" (plus leads without an id)."""
        text = f"{self.n_mql:,} MQL{'s' if self.n_mql != 1 else ''}: {self.n_new:,} new"
        if self.n_already:
            since = min(self.first_handed.values())
            text += f", {self.n_already:,} already with sales since {short_date(since, self.as_of)}"
        extra = []
        if self.no_id:
            extra.append(f"{self.no_id:,} without {'an email address' if self.ids.kind == 'email' else 'an id'}"
                         " cannot be tracked and are left out")
        if self.repeated:
            extra.append(f"{self.repeated:,} repeat{'s' if self.repeated == 1 else ''} a better-scoring "
                         "lead's id and are left out")
        return text + ("; " + "; ".join(extra) if extra else "")


def plan_handoff(table, result, ledger: Ledger | None, *, id_column: str | None = None) -> HandoffPlan:
    """The current MQLs and which of them the ledger has seen before (``ledger`` None: a ledger
    that does not exist yet, so every MQL is new).

    Raises
    ------
    LeadbenchError
        Nothing identifies a lead, or the scores belong to another list.
    LedgerError
        The ledger cannot be read.
    """
    if result.n_rows != table.n_rows:
        raise LeadbenchError("The scores belong to another version of the lead list; score it again.")
    ids = lead_ids(table, result.model, id_column)
    mql = np.flatnonzero(result.mql)
    mql = mql[np.argsort(-result.total[mql], kind="stable")]
    values = ids.values.iloc[mql]
    has_id = values.notna().to_numpy()
    first = ~values.duplicated(keep="first").to_numpy()
    rows = mql[has_id & first]
    keys = ids.values.iloc[rows].tolist()
    first_handed = ledger.first_handed(keys) if ledger is not None else {}
    new = np.array([k not in first_handed for k in keys], bool)
    return HandoffPlan(ids, rows, new, first_handed, int(result.n_mql), int(np.count_nonzero(~has_id)),
                       int(np.count_nonzero(has_id & ~first)), result.as_of)


@dataclass(frozen=True)
class HandoffOutcome:
    """What a hand-off did: its ledger id, the files written, the plan, and the owners given."""

    handoff_id: int
    files: list[Path]
    plan: HandoffPlan
    n_handed: int
    assignment: Assignment
    new_only: bool

    def summary(self) -> str:
        what = "new MQL" if self.new_only else "MQL"
        return f"Handed off {self.n_handed:,} {what}{'s' if self.n_handed != 1 else ''}"


def fired_rules(result, rows: np.ndarray) -> list[str]:
    """For each of ``rows``, the names of the scoring rules that gave it points ("A; B")."""
    rows = np.asarray(rows, dtype=np.int64)
    picked = [i for i, rule in enumerate(result.model.rules)
              if rule.enabled and not rule.is_gate and rule.points != 0]
    if not picked or not len(rows):
        return [""] * len(rows)
    matrix = np.stack([np.asarray(result.matches[i], bool)[rows] for i in picked], axis=1)
    patterns, codes = np.unique(np.packbits(matrix, axis=1), axis=0, return_inverse=True)
    names = [result.model.rules[i].name for i in picked]
    texts = [RULE_SEPARATOR.join(n for n, on in zip(names, np.unpackbits(p)[:len(names)]) if on)
             for p in patterns]
    return [texts[c] for c in np.asarray(codes).ravel()]


def model_hash(model) -> str:
    """A short hash of what decides who is an MQL: rules, groups, threshold, column settings."""
    data = model_to_dict(model)
    key = {k: data.get(k) for k in ("threshold", "groups", "rules", "columns", "missing_values")}
    return hashlib.sha256(json.dumps(key, sort_keys=True, default=str).encode()).hexdigest()[:16]


def file_hash(path: str | os.PathLike | None) -> str:
    """The SHA-256 of a lead file ("" when there is none)."""
    if not path or not Path(path).is_file():
        return ""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _with_owners(table, rows: np.ndarray, assignment: Assignment, column: str):
    """``table`` with ``column`` holding the owners of ``rows`` (filled cells elsewhere kept)."""
    if column in table.frame.columns:
        current = table.frame[column].astype("str").to_numpy(object).copy()
    else:
        current = np.full(table.n_rows, None, dtype=object)
    current[rows] = assignment.owners
    texts = pd.Series(current, dtype="str")
    frame = table.frame.copy(deep=False)
    frame[column] = texts
    types = {**table.types, column: ColumnType.TEXT}
    cells = table.cells
    arrow = pa.array(texts, from_pandas=True, type=pa.string())
    if column in cells.column_names:
        cells = cells.set_column(cells.column_names.index(column), column, arrow)
    else:
        cells = cells.append_column(column, arrow)
    return replace(table, frame=frame, types=types, cells=cells)


def hand_off(table, result, ledger_path: str | os.PathLike, path: str | os.PathLike,
             options: ExportOptions | None = None, *, id_column: str | None = None, new_only: bool = True,
             model_name: str | None = None, owners: OwnerRules | None = None, now: datetime | None = None,
             on_progress: Callable[[float], None] | None = None,
             is_cancelled: Callable[[], bool] | None = None) -> HandoffOutcome:
    """Write the MQLs for sales to ``path`` and record the hand-off in the ledger, together.

    Parameters
    ----------
    table, result : the scored lead list (the model, threshold and scoring date come with ``result``)
    ledger_path : the ledger file (created when missing)
    path : the export (.csv or .xlsx); ``options`` as for :func:`scoring.handoff.export.export_leads`
        (``which`` is always MQLs; the owner column is added to chosen columns)
    id_column : the column identifying leads (default: see :mod:`scoring.handoff.identity`)
    new_only : only MQLs never handed off before (default), or every current MQL
    model_name : the name recorded (default: the model's)
    owners : the owner rules (default: the model's)

    Raises
    ------
    LeadbenchError
        Nothing identifies a lead; the ledger is busy, damaged or not writable; the export target
        is refused or cannot be written. Nothing is changed then.
    Cancelled
        Cancelled while writing the file; nothing is changed.
    """
    report = on_progress or (lambda _f: None)
    model = result.model
    with Ledger(ledger_path) as ledger:
        latest = ledger.latest_id()           # a hand-off recorded after this is a conflict
        plan = plan_handoff(table, result, ledger, id_column=id_column)
        report(0.05)
        rows = plan.new_rows if new_only else plan.mql_rows
        existing = owner_column(table.frame.columns)
        owners_rules = model.owners if owners is None else owners
        assignment = assign_owners(table.frame, rows, owners_rules, existing=existing)
        handed_rows = rows[~assignment.held]
        owners = assignment.owners[~assignment.held]
        out_table = table
        options = replace(options or ExportOptions(), which="mql")
        column = existing or OWNER
        if owners_rules.assigns or existing is not None:
            out_table = _with_owners(table, rows, assignment, column)
            if options.columns is not None and column not in options.columns:
                options = replace(options, columns=(*options.columns, column))
        keep = np.zeros(table.n_rows, bool)
        keep[handed_rows] = True
        source = source_column(table, result)
        record = HandoffRecord(
            made_at=(now or datetime.now()).replace(microsecond=0), as_of=result.as_of,
            model_name=model_name or model.name, model_hash=model_hash(model),
            threshold=float(model.threshold),
            source_name=Path(table.source).name if getattr(table, "source", None) else "",
            source_hash=file_hash(getattr(table, "source", None)), id_column=plan.ids.column,
            n_leads=table.n_rows, n_mql=plan.n_mql, n_handed=len(handed_rows), output=str(path))
        handed = pd.DataFrame({
            "lead_id": plan.ids.values.iloc[handed_rows].to_numpy(object),
            "score": result.total[handed_rows], "fit": result.fit[handed_rows],
            "engagement": result.engagement[handed_rows], "rules": fired_rules(result, handed_rows),
            "source": (table.frame[source].take(handed_rows).astype("str").to_numpy(object)
                       if source is not None else None),
            "owner": owners})
        mqls = snapshot(result, plan.ids, plan.mql_rows, fired_rules(result, plan.mql_rows),
                        ledger.last_snapshot(), fired=lambda r: fired_rules(result, r))
        committed: list[int] = []

        def commit() -> None:                 # every file written, none renamed yet
            committed.append(ledger.record_handoff(record, handed, mqls, after=latest))

        try:
            files = export_leads(out_table, result, path, options, keep=keep, before_rename=commit,
                                 on_progress=lambda f: report(0.05 + 0.9 * f), is_cancelled=is_cancelled)
        except BaseException:
            if committed:                     # the ledger has it, the file could not be put in place
                ledger.forget_handoff(committed[0])
            raise
        report(1.0)
        return HandoffOutcome(committed[0], files, plan, len(handed_rows), assignment, new_only)


def changes_since_last(table, result, ledger: Ledger, *, id_column: str | None = None) -> Changes | None:
    """Leads that entered, left or stayed MQL between the last hand-off and ``result`` (the list
    as scored now), and why; None when the ledger has no hand-off yet."""
    last = ledger.last_snapshot()
    if last is None:
        return None
    plan = plan_handoff(table, result, ledger, id_column=id_column)
    now = snapshot(result, plan.ids, plan.mql_rows, fired_rules(result, plan.mql_rows), last,
                   fired=lambda r: fired_rules(result, r))
    latest = ledger.handoffs().iloc[-1]
    return compare_snapshots(last, now, model_changed=latest["model_hash"] != model_hash(result.model))

"""Applying a recipe: the leads with the columns other files bring (a left join, order kept).

``Combiner`` holds a lead list and the source files loaded for it, and keeps what is costly to
redo (the key match of each file, the activity rows' prepared columns and condition masks), so
changing an aggregate's window (30 to 60 days) or the scoring date recomputes only that
aggregate. ``combine`` is the one-call form. Source files are only ever read.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa

from scoring.column_types import ColumnType
from scoring.combine.aggregate import aggregate_rows, column_texts
from scoring.combine.errors import CombineError, SourceMissing
from scoring.combine.keys import KeyMatch, MatchPreview, check_columns, match_keys
from scoring.combine.lookup import aggregate_column, representative_rows, take_column
from scoring.errors import Cancelled, ModelError
from scoring.evaluate.engine import Scorer
from scoring.model.definition import Compound, Condition
from scoring.model.recipe import Aggregate, Source
from scoring.reading import LeadTable, load_leads

__all__ = ["Combiner", "CombinedTable", "combine", "load_source", "source_label", "joined_names"]


def source_label(source: Source) -> str:
    """The file name a message names ("deals.csv")."""
    return Path(source.path).name or source.name


def joined_names(lead_columns, sources) -> dict[tuple[str, str], str]:
    """The name each brought column and aggregate gets among the leads' columns: its own, or,
    when that is taken, the source's name in front (``deals.stage``). Keyed by (source, name)."""
    taken, out = set(lead_columns), {}
    for source in sources:
        for name in (*source.columns, *(a.name for a in source.aggregates)):
            final = name if name not in taken else f"{source.name}.{name}"
            taken.add(final)
            out[(source.name, name)] = final
    return out


@dataclass
class CombinedTable:
    """The leads with the joined columns.

    Attributes
    ----------
    table : a new LeadTable: every lead in its order, its own columns shared (not copied), then
        the new columns (typed, with cell texts, so they retype and export like any column)
    origin : new column -> the source that brought it
    matched : source name -> per lead, True when a row of that file matched it
    previews : source name -> the match in numbers
    source_types : source name -> the types of its file's columns
    """

    table: LeadTable
    origin: dict[str, str] = field(default_factory=dict)
    matched: dict[str, np.ndarray] = field(default_factory=dict)
    previews: dict[str, MatchPreview] = field(default_factory=dict)
    source_types: dict[str, dict] = field(default_factory=dict)

    def unmatched_for(self, column: str) -> np.ndarray | None:
        """Per lead, True where the file that brought ``column`` matched no row (None: the
        column is the leads' own)."""
        source = self.origin.get(column)
        return None if source is None else ~self.matched[source]


def load_source(source: Source, *, path: str | None = None, missing_values=(),
                on_progress=None, is_cancelled=None) -> LeadTable:
    """Read a source's file (``path`` overrides the recipe's); a file that is not there raises
    ``SourceMissing`` naming the source."""
    where = Path(path or source.path)
    if not where.exists():
        raise SourceMissing(source.name, str(where))
    return load_leads(where, sheet=source.sheet, missing_values=missing_values,
                      on_progress=on_progress, is_cancelled=is_cancelled)


class Combiner:
    """A lead list and the files joined to it; see the module docstring.

    Parameters
    ----------
    leads : the lead list as loaded (without joined columns)
    leads_label : its name in messages (default: its file name)
    """

    def __init__(self, leads: LeadTable, *, leads_label: str | None = None) -> None:
        self.leads = leads
        self.leads_label = leads_label or (Path(leads.source).name if leads.source else "the lead list")
        self._tables: dict[str, tuple[tuple, LeadTable]] = {}
        self._matches: dict[tuple, KeyMatch] = {}
        self._scorers: dict[str, tuple[LeadTable, Scorer]] = {}

    # -- files ----------------------------------------------------------------------------------
    def set_table(self, source: Source, table: LeadTable) -> None:
        """Use ``table`` (already read) for ``source``."""
        self._tables[source.name] = ((source.path, source.sheet), table)
        self._scorers.pop(source.name, None)

    def table_of(self, source: Source) -> LeadTable | None:
        held = self._tables.get(source.name)
        return held[1] if held is not None and held[0] == (source.path, source.sheet) else None

    def load(self, sources, *, missing_values=(), on_progress=None, is_cancelled=None) -> None:
        """Read every source file not read yet (``SourceMissing`` names the first one absent)."""
        todo = [s for s in sources if self.table_of(s) is None]
        for i, source in enumerate(todo):
            part = (lambda f, i=i: on_progress((i + f) / len(todo))) if on_progress else None
            self.set_table(source, load_source(source, missing_values=missing_values,
                                               on_progress=part, is_cancelled=is_cancelled))

    def _rows(self, source: Source) -> LeadTable:
        table = self.table_of(source)
        if table is None:
            raise SourceMissing(source.name, source.path)
        return table

    # -- matching -------------------------------------------------------------------------------
    def match(self, source: Source) -> KeyMatch:
        """The key match of ``source`` (kept until its file or key changes)."""
        rows = self._rows(source)
        key = (source.name, source.match, id(rows))
        if key not in self._matches:
            self._matches[key] = match_keys(self.leads, rows, source.match,
                                            leads_label=self.leads_label, file_label=source_label(source))
        return self._matches[key]

    def preview(self, source: Source) -> MatchPreview:
        """The match in numbers ("7,412 of 8,000 leads matched; …")."""
        return self.match(source).preview

    # -- applying -------------------------------------------------------------------------------
    def apply(self, sources, *, as_of: date | None = None, on_progress: Callable[[float], None] | None = None,
              is_cancelled: Callable[[], bool] | None = None) -> CombinedTable:
        """The leads with every source's columns; raises ``CombineError`` (one sentence naming the
        file and column) before anything is built, so nothing half-joined is ever returned."""
        as_of = as_of or date.today()
        taken = set(self.leads.types)
        columns: dict[str, tuple[pd.Series, ColumnType, pa.Array]] = {}
        out = CombinedTable(self.leads)
        for i, source in enumerate(sources):
            if is_cancelled is not None and is_cancelled():
                raise Cancelled()
            match = self.match(source)
            rows = self._rows(source)
            label = source_label(source)
            out.matched[source.name] = match.matched
            out.previews[source.name] = match.preview
            out.source_types[source.name] = dict(rows.types)
            for name, series, ctype, texts in self._lookups(source, match, rows, label):
                self._add(out, columns, taken, source, name, series, ctype, texts)
            for agg in source.aggregates:
                series, ctype = aggregate_rows(match, rows, agg, self._mask(source, rows, agg, as_of, label),
                                               file_label=label)
                self._add(out, columns, taken, source, agg.name, series, ctype, column_texts(series, ctype))
            if on_progress is not None:
                on_progress((i + 1) / max(len(sources), 1))
        out.table = _with_columns(self.leads, columns)
        return out

    def _lookups(self, source: Source, match: KeyMatch, rows: LeadTable, label: str):
        check_columns(rows, source.columns, label)
        if not source.columns:
            return
        if source.many == "aggregate":
            for column in source.columns:
                series = aggregate_column(match, rows, column)
                ctype = rows.types[column]
                ctype = ctype if ctype.is_numeric or ctype.is_temporal else ColumnType.TEXT
                if ctype == ColumnType.INTEGER:
                    series = series.astype("Float64").astype("Int64")
                yield column, series, ctype, column_texts(series, ctype)
            return
        if source.many == "latest":
            _check_dates(rows, source.order_by, label, f"the latest row of {label}")
        picked = representative_rows(match, rows, source.many, source.order_by)
        for column in source.columns:
            series, texts = take_column(rows, column, picked)
            yield column, series, rows.types[column], texts

    def _mask(self, source: Source, rows: LeadTable, agg: Aggregate, as_of: date, label: str):
        parts = []
        if agg.where is not None:
            parts.append(agg.where)
        if agg.within_days is not None:
            check_columns(rows, (agg.date_column,), label)
            _check_dates(rows, agg.date_column, label, f"'{agg.name}'")
            parts.append(Condition(agg.date_column, "within_days", agg.within_days))
        if agg.column is not None:
            check_columns(rows, (agg.column,), label)
        if not parts:
            return None
        held = self._scorers.get(source.name)
        if held is None or held[0] is not rows:
            held = self._scorers[source.name] = (rows, Scorer(rows, as_of=as_of))
        scorer = held[1]
        if scorer.as_of != as_of:
            scorer.as_of = as_of
        pred = parts[0] if len(parts) == 1 else Compound("all", tuple(parts))
        try:
            return scorer.mask(pred, f"{source.name}: {agg.name}")
        except ModelError as exc:
            raise CombineError(f"{label}, column '{agg.name}': {exc.problem}") from None

    @staticmethod
    def _add(out, columns, taken, source, name, series, ctype, texts) -> None:
        final = name if name not in taken else f"{source.name}.{name}"
        if final in taken:
            raise CombineError(f"the column '{final}' from {source_label(source)} clashes with a column "
                               "the leads already have; rename the source or the column")
        taken.add(final)
        columns[final] = (series, ctype, texts)
        out.origin[final] = source.name


def _check_dates(rows: LeadTable, column: str | None, label: str, what: str) -> None:
    check_columns(rows, (column,), label)
    if not rows.types[column].is_temporal:
        texts = rows.raw.column(column).drop_null().unique()[:2].to_pylist()
        shown = ", ".join(f"'{t[:30]}'" for t in texts) or "nothing filled"
        raise CombineError(f"{label}'s column '{column}' does not hold dates Leadbench can read (e.g. {shown}), "
                           f"so {what} cannot be found; choose its date column or fix the dates in the file")


def _with_columns(leads: LeadTable, columns: dict) -> LeadTable:
    if not columns:
        return leads
    new = pd.DataFrame({name: series.array if hasattr(series, "array") else series
                        for name, (series, _t, _x) in columns.items()}, index=leads.frame.index)
    frame = pd.concat([leads.frame, new], axis=1)
    types = dict(leads.types)
    cells = leads.cells
    for name, (_s, ctype, texts) in columns.items():
        types[name] = ColumnType(ctype)
        cells = cells.append_column(name, texts)
    return replace(leads, frame=frame, types=types, cells=cells, notes=dict(leads.notes))


def combine(leads: LeadTable, sources, *, tables: dict[str, LeadTable] | None = None, as_of: date | None = None,
            paths: dict[str, str] | None = None, missing_values=(), on_progress=None,
            is_cancelled=None) -> CombinedTable:
    """``leads`` with every source joined: files read (``paths`` overrides a source's path by
    name; ``tables`` gives files already read), matched and applied."""
    paths = paths or {}
    unknown = sorted(set(paths) - {s.name for s in sources})
    if unknown:
        names = ", ".join(f"'{s.name}'" for s in sources) or "none"
        raise CombineError(f"the model has no source named '{unknown[0]}' (its sources: {names})")
    sources = [replace(s, path=str(paths[s.name])) if s.name in paths else s for s in sources]
    combiner = Combiner(leads)
    for source in sources:
        if tables and source.name in tables:
            combiner.set_table(source, tables[source.name])
    combiner.load(sources, missing_values=missing_values, is_cancelled=is_cancelled)
    return combiner.apply(sources, as_of=as_of, on_progress=on_progress, is_cancelled=is_cancelled)

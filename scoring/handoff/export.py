"""Writing scored leads for sales: CSV, or an XLSX workbook formatted for people.

The output holds the chosen columns of the lead list plus fit_score, engagement_score, score, mql,
blocked_by and reasons, sorted by score (highest first, ties in file order) or by a column; it can
be split by a column (owner, region, source) into sheets of one workbook or into separate files,
and de-duplicated by a keep mask. An XLSX export also gets a Summary and a Model sheet. Writes are
atomic (all files of a split, or none), the source file is never overwritten, and text that a
spreadsheet would run as a formula is neutralised.

CSV keeps each original cell exactly as the lead list had it ("Yes" stays "Yes", dates keep their
format, placeholders such as "Select" stay), so the file goes back into a CRM unchanged. XLSX
writes numbers as numbers and dates as real dates (see :mod:`scoring.handoff.export_xlsx`).
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from scoring.atomic import atomic_path
from scoring.column_types import ColumnTag, ColumnType
from scoring.errors import Cancelled, ExportError
from scoring.evaluate.explain import blocked_by_array, reasons_array
from scoring.handoff.csv_batches import CsvBatches
from scoring.handoff.export_csv import CsvOptions, write_batches
from scoring.handoff.formula_safe import coded_texts, neutralise, neutralise_arrow, neutralised_rows, safe_headers
from scoring.handoff.export_summary import MODEL_HEADER, SOURCE_HEADER, model_rows, source_rows, summary_rows
from scoring.handoff.export_xlsx import (MAX_XLSX_ROWS, LeadSheet, TableSheet, XlsxColumn, excel_serial,
                                         sheet_names, write_workbook)
from scoring.reading.column_typing import missing_set
from scoring.reading.tagging import guess_id_column

__all__ = ["export_leads", "export_rows", "check_target", "neutralise", "neutralise_arrow",
           "default_columns", "lead_id_column", "split_file_names", "ExportOptions", "CsvOptions", "WHICH",
           "SCORE_COLUMNS", "Selection", "csv_table", "xlsx_columns", "neutralised_rows"]

WHICH = ("mql", "all", "not_mql", "blocked")
SCORE_COLUMNS = ["fit_score", "engagement_score", "score", "mql", "blocked_by", "reasons"]
NO_VALUE = "(no value)"               # the split group of leads with an empty split column
# header words of the columns sales needs to reach a lead and size up its company
_CONTACT_WORDS = frozenset("""name firstname lastname fullname email mail phone mobile tel telephone
    company organisation organization account employer job title role position website url domain
    linkedin country city state region address owner industry sector employees size revenue""".split())
# words that make a header about activity, not the contact ("email clicks", "created date")
_ACTIVITY_WORDS = frozenset("""clicks click opens opened sent bounced count views visits downloads
    download score date time created modified activity status stage source campaign""".split())


@dataclass(frozen=True)
class ExportOptions:
    """What to export and how.

    Attributes
    ----------
    which : one of ``WHICH``: "mql" (default), "all", "not_mql", "blocked"
    columns : the lead list's columns to include, in order (None: all); score columns follow
    sort_by : a column to sort by (None: score, best first); missing values sort last
    ascending : sort order for ``sort_by``
    split_by : a column whose values split the export (None: one sheet / one file)
    split_files : with ``split_by``, one file per value (always for CSV); else one sheet per value
    csv : delimiter, byte-order mark and line ends of CSV files
    summary : XLSX only: add a Summary sheet and a Model sheet
    """

    which: str = "mql"
    columns: tuple[str, ...] | None = None
    sort_by: str | None = None
    ascending: bool = False
    split_by: str | None = None
    split_files: bool = False
    csv: CsvOptions = field(default_factory=CsvOptions)
    summary: bool = True
def export_rows(result, which: str = "mql", *, keep: np.ndarray | None = None,
                sort_values: pd.Series | None = None, ascending: bool = False) -> np.ndarray:
    """Row positions to export for ``which`` (mql, all, not_mql, blocked), in export order.

    Parameters
    ----------
    result : the scores
    which : which leads
    keep : optional bool per lead; False leaves a lead out (e.g. a duplicate)
    sort_values : optional column (one value per lead) to sort by instead of the score (best
        first); stable, missing values last
    ascending : order for ``sort_values``

    Raises
    ------
    ExportError
        For an unknown ``which`` or a ``keep`` mask of the wrong length.
    """
    if which not in WHICH:
        raise ExportError(f"Cannot export {which!r} leads: choose one of {', '.join(WHICH)}.")
    chosen = {"mql": result.mql, "all": np.ones(result.n_rows, bool),
              "not_mql": ~result.mql, "blocked": result.blocked}[which]
    if keep is not None:
        keep = np.asarray(keep, bool)
        if keep.shape != chosen.shape:
            raise ExportError("Cannot export: the list of leads to keep does not match the lead list.")
        chosen = chosen & keep
    rows = np.flatnonzero(chosen)
    if sort_values is None:
        return rows[best_first(result.total[rows])]
    picked = sort_values.iloc[rows].reset_index(drop=True)
    order = picked.sort_values(ascending=ascending, kind="stable", na_position="last").index.to_numpy()
    return rows[order]


def best_first(scores: np.ndarray) -> np.ndarray:
    """The positions of ``scores`` from the highest to the lowest, ties in their order.

    Scores take few distinct values (thousands among millions of leads): each is ranked once and
    the leads are sorted by rank with a radix sort, five times faster than sorting the numbers.
    """
    codes, distinct = pd.factorize(scores, use_na_sentinel=False)
    if len(distinct) >= 1 << 16:
        return np.argsort(-scores, kind="stable")
    rank = np.empty(len(distinct), np.uint16)
    rank[np.argsort(-np.asarray(distinct, float), kind="stable")] = np.arange(len(distinct))
    return np.argsort(rank[codes], kind="stable")


def _score_columns(result, rows: np.ndarray, taken: set[str]) -> dict[str, np.ndarray | pa.Array]:
    texts = {"blocked_by": blocked_by_array(result, rows), "reasons": reasons_array(result, rows)}
    out = {"fit_score": np.round(result.fit[rows], 2),
           "engagement_score": np.round(result.engagement[rows], 2),
           "score": np.round(result.total[rows], 2), "mql": np.asarray(result.mql[rows], bool),
           # the few distinct texts made once, a code per row (no Python string per row)
           **{k: coded_texts(codes, distinct) for k, (codes, distinct) in texts.items()}}
    return {(k if k not in taken else f"{k} (leadbench)"): v for k, v in out.items()}


class Selection:
    """The rows and columns to export, with each column's typed values and original texts."""

    def __init__(self, table, result, rows: np.ndarray, columns: Sequence[str] | None) -> None:
        self.table, self.result = table, result
        self.names = _columns(table, columns)
        self.rows = rows
        cells = getattr(table, "cells", None)
        aligned = (cells is not None and cells.num_rows == table.n_rows
                   and list(cells.column_names) == [str(c) for c in table.frame.columns])
        self._cells = cells if aligned else None

    def typed(self, name) -> pd.Series:
        return self.table.frame[name].take(self.rows).reset_index(drop=True)

    def missing(self, name) -> np.ndarray:
        """Whether each chosen row has no typed value in column ``name`` (a gather of booleans,
        not of the values)."""
        return self.table.frame[name].isna().to_numpy()[self.rows]

    def cells(self, name) -> pa.ChunkedArray | None:
        """The original cell texts of column ``name``, every row in the list's order (string or
        dictionary-encoded string; None when the table has none)."""
        return None if self._cells is None else self._cells.column(str(name))

    def texts(self, name) -> pa.Array | None:
        """The original cell texts of the chosen rows, as strings (None when the table has none)."""
        cells = self.cells(name)
        if cells is None:
            return None
        texts = cells.take(pa.array(self.rows))
        return texts.cast(pa.string()) if pa.types.is_dictionary(texts.type) else texts

    def score_columns(self, part: slice = slice(None)) -> dict[str, np.ndarray | pa.Array]:
        """The score columns of the chosen rows (``part``: of those rows only), in export order."""
        return _score_columns(self.result, self.rows[part], set(self.names))


def _columns(table, columns: Sequence[str] | None) -> list:
    names = list(table.frame.columns)
    if columns is None:
        return names
    unknown = [c for c in columns if c not in names]
    if unknown:
        raise ExportError(f"Cannot export column '{unknown[0]}': the lead list has no such column. "
                          "Pick columns from the list that is open.")
    return list(columns)


def lead_id_column(table, model=None) -> str | None:
    """The column naming each lead: the one the model tags ``id``, else one guessed from its
    header and unique values (:func:`scoring.reading.tagging.guess_id_column`); None when the
    list has none."""
    tagged = model.tagged(ColumnTag.ID) if model is not None else None
    if tagged is not None and tagged in table.frame.columns:
        return tagged
    return guess_id_column(table.frame, getattr(table, "types", {}))


def default_columns(table, model=None) -> list[str]:
    """The columns sales needs to tell who a lead is, reach it and size up its company: the
    lead's id first (:func:`lead_id_column`), then names, email, phone, company, title,
    location, industry, size, owner (by header words, plus columns typed as email); the id then
    all other columns when none look like that."""
    types = getattr(table, "types", {})
    identifier = lead_id_column(table, model)

    def wanted(column) -> bool:
        spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", str(column))       # "FirstName" -> "First Name"
        words = set(re.findall(r"[a-z]+", spaced.lower()))
        return str(types.get(column, "")) == ColumnType.EMAIL or bool(
            words & _CONTACT_WORDS and not words & _ACTIVITY_WORDS)

    picked = [c for c in table.frame.columns if wanted(c) and c != identifier]
    if not picked:
        picked = [c for c in table.frame.columns if c != identifier]
    return ([identifier] if identifier is not None else []) + picked


def split_file_names(path: str | os.PathLike, labels: Sequence[str]) -> list[Path]:
    """One file per split value beside ``path``: "leads - West.csv" (safe, unique names)."""
    path = Path(path)
    out, taken = [], set()
    for label in labels:
        safe = " ".join(re.sub(r'[\\/:*?"<>|\x00-\x1f]', " ", str(label)).split()).strip(" .")[:80] or "blank"
        name, n = f"{path.stem} - {safe}", 1
        while name.casefold() in taken:
            n += 1
            name = f"{path.stem} - {safe} ({n})"
        taken.add(name.casefold())
        out.append(path.with_name(name + path.suffix))
    return out


def check_target(path: str | os.PathLike, source: str | os.PathLike | None = None) -> None:
    """Refuse an export target before any work: wrong suffix, missing folder, a folder, the source.

    Raises
    ------
    ExportError
        With a message naming the file and what to do.
    """
    path = Path(path)
    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise ExportError(f"Cannot export to {path.name}: choose a name ending in .csv or .xlsx.")
    if not path.parent.is_dir():
        raise ExportError(f"Cannot export to {path}: the folder {path.parent} does not exist.")
    if path.is_dir():
        raise ExportError(f"Cannot export to {path}: it is a folder. Add a file name ending in .csv or .xlsx.")
    if source:
        src = Path(source)
        same = src.resolve() == path.resolve()
        if not same and path.exists() and src.exists():
            same = os.path.samefile(src, path)
        if same:
            raise ExportError(f"Cannot export over {path.name}: it is the lead list you opened. "
                              "Choose another file name; Leadbench never overwrites your source file.")


def export_leads(table, result, path: str | os.PathLike, options: ExportOptions | None = None, *,
                 keep: np.ndarray | None = None,
                 on_progress: Callable[[float], None] | None = None,
                 is_cancelled: Callable[[], bool] | None = None,
                 before_rename: Callable[[], None] | None = None, **option_fields) -> list[Path]:
    """Write the chosen leads with their scores to CSV or XLSX (picked by the path's suffix).

    Parameters
    ----------
    table : scoring.reading.LeadTable
        The scored lead list.
    result : scoring.evaluate.engine.ScoreResult
        Its scores (same rows as ``table``).
    path : str or os.PathLike
        The file to write, ending in ``.csv`` or ``.xlsx``; replaced atomically if it exists.
        A split into files writes "<stem> - <value><suffix>" beside it instead.
    options : ExportOptions, optional
        Which leads, columns, order, split, CSV format, summary sheets (default: MQLs, all columns).
    keep : numpy.ndarray of bool, optional
        False for leads to leave out (duplicates, see :mod:`scoring.handoff.duplicates`).
    on_progress, is_cancelled : callables, optional
        Progress (0..1) and cancel checks; cancelling raises :class:`scoring.errors.Cancelled`.
    before_rename : callable, optional
        Called once every file is written to its temporary name and before any is renamed into
        place (the hand-off commits its ledger transaction here); if it raises, no file is written.
    **option_fields
        Fields of :class:`ExportOptions` to set (``which="all"``, ``columns=[...]``), over ``options``.

    Returns
    -------
    list of pathlib.Path
        The files written (one, unless split into files).

    Raises
    ------
    ExportError
        Wrong suffix, missing folder, the source file as target, an unknown column, too many rows
        for Excel, scores that do not belong to the table, or a write failure (nothing is changed
        then: with a split, no file is written unless all are).
    Cancelled
        When ``is_cancelled()`` returned True; no file is left behind and previous files are untouched.
    """
    if "columns" in option_fields and option_fields["columns"] is not None:
        option_fields["columns"] = tuple(option_fields["columns"])
    options = replace(options or ExportOptions(), **option_fields)
    path = Path(path)
    source = getattr(table, "source", None)
    check_target(path, source)
    if result.n_rows != table.n_rows:
        raise ExportError("Cannot export: the scores belong to another version of the lead list "
                          "(different number of rows). Score the list again, then export.")
    for column in (options.sort_by, options.split_by):
        if column is not None:
            _columns(table, [column])
    report = on_progress or (lambda _f: None)
    check = is_cancelled or (lambda: False)
    xlsx = path.suffix.lower() == ".xlsx"
    sort_values = table.frame[options.sort_by] if options.sort_by is not None else None
    rows = export_rows(result, options.which, keep=keep, sort_values=sort_values, ascending=options.ascending)
    groups = _split(table, rows, options.split_by)
    to_files = options.split_by is not None and (options.split_files or not xlsx)
    targets = split_file_names(path, [label for label, _ in groups]) if to_files else [path]
    if to_files:
        for target in targets:
            check_target(target, source)
    too_big = [(label, len(r)) for label, r in groups if len(r) >= MAX_XLSX_ROWS]
    if xlsx and too_big:
        raise ExportError(f"Cannot export {too_big[0][1]:,} leads to one sheet of {path.name}: Excel sheets "
                          f"hold at most {MAX_XLSX_ROWS - 1:,} rows. Export to .csv instead, "
                          "export MQLs only, or split the export by a column.")
    report(0.0)
    total = max(len(rows), 1)
    done = 0
    try:
        with contextlib.ExitStack() as stack:
            if to_files:
                for (label, group_rows), target in zip(groups, targets):
                    tmp = stack.enter_context(atomic_path(target))
                    share = len(group_rows) / total
                    _write_one(table, result, group_rows, [(None, group_rows)], tmp, options, xlsx,
                               lambda f, d=done, w=share: report(d / total + w * f), check)
                    done += len(group_rows)
            else:
                _write_one(table, result, rows, groups, stack.enter_context(atomic_path(path)),
                           options, xlsx, report, check)
            if before_rename is not None:
                before_rename()
    except OSError as exc:
        raise ExportError(f"Cannot write {path.name}: {exc.strerror or exc}. "
                          "Nothing was changed.") from None
    report(1.0)
    return targets


def _split(table, rows: np.ndarray, column) -> list[tuple[str | None, np.ndarray]]:
    """``rows`` grouped by the text of ``column`` (order kept within a group); groups sorted by
    name, empty values last as NO_VALUE. Without a column: one group labelled None."""
    if column is None:
        return [(None, rows)]
    values = table.frame[column].take(rows).reset_index(drop=True)
    missing = values.isna().to_numpy()
    labels = np.where(missing, NO_VALUE, values.astype("str").fillna(NO_VALUE).to_numpy(object))
    if values.dtype.kind == "M":
        labels = np.where(missing, NO_VALUE, values.dt.strftime("%Y-%m-%d").fillna(NO_VALUE).to_numpy(object))
    codes, uniques = pd.factorize(pd.Series(labels, dtype=object), sort=False)
    order = sorted(range(len(uniques)), key=lambda i: (uniques[i] == NO_VALUE, str(uniques[i]).casefold()))
    by_code = np.argsort(codes, kind="stable")
    starts = np.searchsorted(codes[by_code], np.arange(len(uniques) + 1))
    return [(str(uniques[i]), rows[by_code[starts[i]:starts[i + 1]]]) for i in order]


def _write_one(table, result, rows, groups, target: Path, options: ExportOptions, xlsx: bool,
               report, check) -> None:
    """One file: CSV of ``rows``, or a workbook with a sheet per group (plus Summary and Model)."""
    columns = options.columns
    if not xlsx:
        batches = CsvBatches(Selection(table, result, rows, columns), options.csv.decimal)
        write_batches(batches.batch, batches.n_rows, target, options.csv, on_progress=report, is_cancelled=check)
        return
    extra = ["Summary", "Model"] if options.summary else []
    names = sheet_names(["Leads" if label is None else label for label, _ in groups], reserved=extra)
    sheets: list[LeadSheet | TableSheet] = []
    for name, (_label, group_rows) in zip(names, groups):
        selection = Selection(table, result, group_rows, columns)
        sheets.append(LeadSheet(name, xlsx_columns(selection), np.asarray(result.mql[group_rows], bool)))
        _raise_if(check)
    report(0.2)
    if options.summary:
        sheets.extend(_summary_sheets(table, result, len(rows)))
    write_workbook(target, sheets, on_progress=lambda f: report(0.2 + 0.8 * f), is_cancelled=check)


def _summary_sheets(table, result, exported: int) -> list[TableSheet]:
    column, by_source = source_rows(table, result)
    blocks = [(["Summary", ""], neutralised_rows(summary_rows(table, result, exported)))]
    if by_source:
        blocks.append(([f"MQLs by {column}", *SOURCE_HEADER[1:]], neutralised_rows(by_source)))
    model = TableSheet("Model", [(MODEL_HEADER, neutralised_rows(model_rows(result.model, table.frame.columns)))])
    return [TableSheet("Summary", blocks), model]


def _raise_if(is_cancelled: Callable[[], bool]) -> None:
    if is_cancelled():
        raise Cancelled()


def csv_table(selection: Selection, decimal: str = ".") -> pa.Table:
    """Original cell texts (text cells neutralised) plus the score columns, as one table (for a
    few rows; exports write :class:`scoring.handoff.csv_batches.CsvBatches` a batch at a time).

    ``decimal=","``: numbers (the list's number columns and the scores) are written with a
    decimal comma and no thousands mark, percentages as "12,5%" (for Excel in German); cells
    that were not numbers keep their text.
    """
    batches = CsvBatches(selection, decimal)
    return batches.batch(0, batches.n_rows)


def xlsx_columns(selection: Selection) -> list[XlsxColumn]:
    """Typed values as Excel wants them; cells that did not fit their type keep their text."""
    markers = missing_set(tuple(getattr(selection.table, "missing_values", ())))
    formats = getattr(selection.table, "number_formats", {})
    out = []
    for name, header in zip(selection.names, safe_headers(selection.names)):
        ctype, typed = selection.table.types.get(name), selection.typed(name)
        texts = selection.texts(name)
        missing = typed.isna().to_numpy()
        if ctype in (ColumnType.INTEGER, ColumnType.NUMBER, ColumnType.DATE, ColumnType.DATETIME):
            if ctype in (ColumnType.DATE, ColumnType.DATETIME):
                kind, values = _serials(typed)
            else:
                kind, values = "number", typed.to_numpy(float, na_value=np.nan).astype(object)
            values[missing] = None
            if texts is not None and missing.any():
                unfit = missing & ~_is_missing_text(texts, markers)
                values[unfit] = _texts(neutralise_arrow(texts))[unfit]
        elif ctype == ColumnType.BOOLEAN:
            kind, values = _yes_no_cells(typed, texts)
            values[missing] = None
        else:
            kind = "text"
            values = _texts(neutralise_arrow(pa.array(typed.astype("str"), from_pandas=True)))
        out.append(XlsxColumn(header, kind, values.tolist(), _num_format(formats.get(name), kind)))
    scores = selection.score_columns()
    for header, values in zip(safe_headers(scores), scores.values()):
        if isinstance(values, (pa.Array, pa.ChunkedArray)):
            out.append(XlsxColumn(header, "text", [v or None for v in values.to_pylist()]))
        else:
            kind = "bool" if values.dtype == bool else "number"
            out.append(XlsxColumn(header, kind, values.tolist()))
    return out


def _yes_no_cells(typed: pd.Series, texts) -> tuple[str, np.ndarray]:
    """A yes/no column's cells: numbers when the list wrote it as numbers (``Converted`` 0/1 stays
    0/1, not the text "1"), else the list's own words ("Yes", "true")."""
    if texts is None:
        return "bool", typed.to_numpy(object, na_value=None)
    trimmed = pc.utf8_trim_whitespace(texts)
    numeric = pc.match_substring_regex(trimmed, r"^[+-]?\d+(\.\d+)?$")
    filled = pa.array(~typed.isna().to_numpy())
    if pc.all(pc.or_(pc.invert(filled), pc.fill_null(numeric, False))).as_py():
        numbers = pc.cast(pc.if_else(filled, trimmed, pa.scalar(None, pa.string())), pa.float64())
        return "number", np.asarray(numbers.to_numpy(zero_copy_only=False), object)
    return "text", _texts(texts)


def _num_format(fmt, kind: str) -> str | None:
    """The Excel number format that shows a column as its list wrote it: a percentage, or an
    amount with its currency (None: General)."""
    if fmt is None or kind != "number":
        return None
    if fmt.percent:
        return "0.00%"
    if fmt.currency:
        sign = fmt.currency.replace('"', "")
        return f'"{sign}" #,##0.00;-"{sign}" #,##0.00'
    return None


def _serials(typed: pd.Series) -> tuple[str, np.ndarray]:
    if getattr(typed.dt, "tz", None) is not None:      # Excel has no time zones: local wall time
        typed = typed.dt.tz_localize(None)
    stamps = typed.to_numpy("datetime64[ns]")
    serial = excel_serial(stamps)
    whole_days = np.all(np.isnan(serial) | (serial == np.floor(serial)))
    return ("date" if whole_days else "datetime"), serial.astype(object)


def _texts(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return np.asarray(values.to_numpy(zero_copy_only=False), object)


def _is_missing_text(texts: pa.ChunkedArray, markers: pa.Array) -> np.ndarray:
    folded = pc.utf8_lower(pc.utf8_trim_whitespace(texts))
    return np.asarray(pc.fill_null(pc.is_in(folded, value_set=markers), True).to_numpy(zero_copy_only=False), bool)

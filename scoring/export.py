"""Writing scored leads for sales: CSV, or an XLSX workbook formatted for people.

The output holds the lead list's columns plus fit_score, engagement_score, score, mql, blocked_by
and reasons, sorted by score (highest first, ties in file order). Writes are atomic, the source
file is never overwritten, and text that a spreadsheet would run as a formula is neutralised.

CSV keeps each original cell exactly as the lead list had it ("Yes" stays "Yes", dates keep their
format, placeholders such as "Select" stay), so the file goes back into a CRM unchanged. XLSX
writes numbers as numbers and dates as real dates (see :mod:`scoring.export_xlsx`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from scoring.atomic import atomic_path
from scoring.column_types import ColumnType
from scoring.errors import Cancelled, ExportError
from scoring.explain import blocked_by_text, reasons_text
from scoring.export_xlsx import MAX_XLSX_ROWS, XlsxColumn, excel_serial, write_xlsx
from scoring.reading.column_typing import missing_set

__all__ = ["export_leads", "export_rows", "check_target", "neutralise", "neutralise_arrow",
           "WHICH", "SCORE_COLUMNS"]

WHICH = ("mql", "all", "not_mql", "blocked")
SCORE_COLUMNS = ["fit_score", "engagement_score", "score", "mql", "blocked_by", "reasons"]
_RISKY = r"^[=+\-@\t\r]."          # a lone "-" or "=" is harmless text
_NEGATIVE_NUMBER = r"^-\d+(\.\d+)?$"
_CSV_CHUNK = 50_000
_TYPED = {ColumnType.INTEGER, ColumnType.NUMBER, ColumnType.BOOLEAN, ColumnType.DATE, ColumnType.DATETIME}


def neutralise_arrow(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Prefix text cells that start with = + - @ tab or CR with an apostrophe.

    A spreadsheet then shows them as text instead of running them as a formula. Negative numbers
    such as ``-5`` are left alone: a spreadsheet reads them as numbers, not formulas.

    Parameters
    ----------
    values : pyarrow string array (nulls allowed)

    Returns
    -------
    The same kind of array, with risky cells prefixed.
    """
    risky = pc.and_(pc.match_substring_regex(values, _RISKY),
                    pc.invert(pc.match_substring_regex(values, _NEGATIVE_NUMBER)))
    if not pc.any(risky).as_py():
        return values
    quote, nothing = pa.scalar("'", values.type), pa.scalar("", values.type)
    return pc.if_else(risky, pc.binary_join_element_wise(quote, values, nothing), values)


def neutralise(values: pd.Series) -> pd.Series:
    """:func:`neutralise_arrow` for a pandas Series of texts (missing values stay missing)."""
    text = values.astype("str")
    out = neutralise_arrow(pa.array(text, from_pandas=True))
    return pd.Series(out.to_numpy(zero_copy_only=False), index=values.index, dtype="str")


def export_rows(result, which: str = "mql") -> np.ndarray:
    """Row positions to export for ``which`` (mql, all, not_mql, blocked), best score first.

    Raises
    ------
    ExportError
        For an unknown ``which``.
    """
    if which not in WHICH:
        raise ExportError(f"Cannot export {which!r} leads: choose one of {', '.join(WHICH)}.")
    keep = {"mql": result.mql, "all": np.ones(result.n_rows, bool),
            "not_mql": ~result.mql, "blocked": result.blocked}[which]
    rows = np.flatnonzero(keep)
    return rows[np.argsort(-result.total[rows], kind="stable")]


def _score_columns(result, rows: np.ndarray, taken: set[str]) -> dict[str, np.ndarray | pa.Array]:
    texts = {"blocked_by": blocked_by_text(result, rows), "reasons": reasons_text(result, rows)}
    out = {"fit_score": np.round(result.fit[rows], 2),
           "engagement_score": np.round(result.engagement[rows], 2),
           "score": np.round(result.total[rows], 2), "mql": np.asarray(result.mql[rows], bool),
           **{k: neutralise_arrow(pa.array(v, pa.string())) for k, v in texts.items()}}
    return {(k if k not in taken else f"{k} (leadbench)"): v for k, v in out.items()}


class _Selection:
    """The rows and columns to export, with each column's typed values and original texts."""

    def __init__(self, table, result, which: str, columns: Sequence[str] | None) -> None:
        self.table, self.result = table, result
        self.names = _columns(table, columns)
        self.rows = export_rows(result, which)
        raw = getattr(table, "raw", None)
        aligned = (raw is not None and raw.num_rows == table.n_rows
                   and list(raw.column_names) == [str(c) for c in table.frame.columns])
        self._raw = raw.select([str(n) for n in self.names]).take(pa.array(self.rows)) if aligned else None

    def typed(self, name) -> pd.Series:
        return self.table.frame[name].take(self.rows).reset_index(drop=True)

    def texts(self, name) -> pa.ChunkedArray | None:
        """The original cell texts of the chosen rows (None when the table has none)."""
        return None if self._raw is None else self._raw.column(str(name))

    def score_columns(self) -> dict[str, np.ndarray | pa.Array]:
        return _score_columns(self.result, self.rows, set(self.names))


def _headers(names) -> list[str]:
    return neutralise_arrow(pa.array([str(n) for n in names], pa.string())).to_pylist()


def _columns(table, columns: Sequence[str] | None) -> list:
    names = list(table.frame.columns)
    if columns is None:
        return names
    unknown = [c for c in columns if c not in names]
    if unknown:
        raise ExportError(f"Cannot export column '{unknown[0]}': the lead list has no such column. "
                          "Pick columns from the list that is open.")
    return list(columns)


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


def export_leads(table, result, path: str | os.PathLike, *, which: str = "mql",
                 columns: Sequence[str] | None = None,
                 on_progress: Callable[[float], None] | None = None,
                 is_cancelled: Callable[[], bool] | None = None) -> Path:
    """Write the chosen leads with their scores to CSV or XLSX (picked by the path's suffix).

    Parameters
    ----------
    table : scoring.reading.LeadTable
        The scored lead list.
    result : scoring.engine.ScoreResult
        Its scores (same rows as ``table``).
    path : str or os.PathLike
        The file to write, ending in ``.csv`` or ``.xlsx``; replaced atomically if it exists.
    which : {"mql", "all", "not_mql", "blocked"}
        Which leads to write.
    columns : sequence of str, optional
        The lead list's columns to include, in this order (default: all). Score columns always follow.
    on_progress, is_cancelled : callables, optional
        Progress (0..1) and cancel checks; cancelling raises :class:`scoring.errors.Cancelled`.

    Returns
    -------
    pathlib.Path
        The written file.

    Raises
    ------
    ExportError
        Wrong suffix, missing folder, the source file as target, too many rows for Excel,
        scores that do not belong to the table, or a write failure (nothing is changed then).
    Cancelled
        When ``is_cancelled()`` returned True; no file is left behind and a previous file is untouched.
    """
    path = Path(path)
    check_target(path, getattr(table, "source", None))
    if result.n_rows != table.n_rows:
        raise ExportError("Cannot export: the scores belong to another version of the lead list "
                          "(different number of rows). Score the list again, then export.")
    report = on_progress or (lambda _f: None)
    check = is_cancelled or (lambda: False)
    xlsx = path.suffix.lower() == ".xlsx"
    n_out = len(export_rows(result, which))
    if xlsx and n_out >= MAX_XLSX_ROWS:
        raise ExportError(f"Cannot export {n_out:,} leads to {path.name}: Excel sheets hold at most "
                          f"{MAX_XLSX_ROWS - 1:,} rows. Export to .csv instead, or export MQLs only.")
    report(0.0)
    selection = _Selection(table, result, which, columns)
    try:
        with atomic_path(path) as tmp:
            if xlsx:
                columns_out = _xlsx_columns(selection)
                _raise_if(check)
                report(0.2)
                write_xlsx(columns_out, tmp, mql=np.asarray(result.mql[selection.rows], bool),
                           on_progress=lambda f: report(0.2 + 0.8 * f), is_cancelled=check)
            else:
                _write_csv(_csv_table(selection), tmp, report, check)
    except OSError as exc:
        raise ExportError(f"Cannot write {path.name}: {exc.strerror or exc}. "
                          "Nothing was changed.") from None
    report(1.0)
    return path


def _raise_if(is_cancelled: Callable[[], bool]) -> None:
    if is_cancelled():
        raise Cancelled()


def _csv_table(selection: _Selection) -> pa.Table:
    """Original cell texts (text cells neutralised) plus the score columns."""
    data = {}
    for name in selection.names:
        texts, typed = selection.texts(name), selection.typed(name)
        is_typed = selection.table.types.get(name) in _TYPED
        if texts is None:        # no original texts: write the typed values
            data[name] = pa.array(typed, from_pandas=True) if is_typed else neutralise_arrow(
                pa.array(typed.astype("str"), from_pandas=True))
        elif is_typed:           # neutralise only the cells that are not values of the type
            data[name] = pc.if_else(pa.array(typed.isna().to_numpy()), neutralise_arrow(texts), texts)
        else:
            data[name] = neutralise_arrow(texts)
    data.update(selection.score_columns())
    out = pa.table({str(k): v for k, v in data.items()})
    return out.rename_columns(_headers(out.column_names))


def _xlsx_columns(selection: _Selection) -> list[XlsxColumn]:
    """Typed values as Excel wants them; cells that did not fit their type keep their text."""
    markers = missing_set(tuple(getattr(selection.table, "missing_values", ())))
    out = []
    for name, header in zip(selection.names, _headers(selection.names)):
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
            kind = "bool"
            values = typed.to_numpy(object, na_value=None) if texts is None else _texts(texts)
            values[missing] = None
        else:
            kind = "text"
            values = _texts(neutralise_arrow(pa.array(typed.astype("str"), from_pandas=True)))
        out.append(XlsxColumn(header, kind, values.tolist()))
    scores = selection.score_columns()
    for header, values in zip(_headers(scores), scores.values()):
        if isinstance(values, (pa.Array, pa.ChunkedArray)):
            out.append(XlsxColumn(header, "text", [v or None for v in values.to_pylist()]))
        else:
            kind = "bool" if values.dtype == bool else "number"
            out.append(XlsxColumn(header, kind, values.tolist()))
    return out


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


def _write_csv(table: pa.Table, target: Path, report, is_cancelled) -> None:
    table = _dates_without_midnight(table)
    with pacsv.CSVWriter(str(target), table.schema) as writer:
        for start in range(0, max(table.num_rows, 1), _CSV_CHUNK):
            _raise_if(is_cancelled)
            writer.write_table(table.slice(start, _CSV_CHUNK))
            report(min(1.0, (start + _CSV_CHUNK) / max(table.num_rows, 1)))


def _dates_without_midnight(table: pa.Table) -> pa.Table:
    """Timestamps that are all at midnight are written as ISO dates (2026-01-05, not 2026-01-05 00:00:00)."""
    for i, field in enumerate(table.schema):
        if pa.types.is_timestamp(field.type):
            column = table.column(i)
            midnight = pc.all(pc.equal(pc.cast(column, pa.date32()).cast(field.type), column)).as_py()
            if midnight is not False:
                table = table.set_column(i, field.name, pc.cast(column, pa.date32()))
    return table

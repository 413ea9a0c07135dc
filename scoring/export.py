"""Writing scored leads for sales: CSV, or XLSX formatted with xlsxwriter.

The output holds the original columns plus fit_score, engagement_score, score, mql, blocked_by
and reasons, sorted by score (highest first). Writes are atomic, the source file is never
overwritten, and text cells that a spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import xlsxwriter

from scoring.atomic import atomic_path
from scoring.errors import Cancelled, ExportError
from scoring.explain import blocked_by_text, reasons_text

__all__ = ["export_leads", "scored_frame", "neutralise", "WHICH", "SCORE_COLUMNS"]

WHICH = ("mql", "all", "not_mql", "blocked")
SCORE_COLUMNS = ["fit_score", "engagement_score", "score", "mql", "blocked_by", "reasons"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CHUNK = 50_000


def neutralise(values: pd.Series) -> pd.Series:
    """Text cells starting with = + - @ tab or CR get a leading apostrophe, so a spreadsheet
    shows them as text instead of running them as formulas."""
    text = values.astype("str")
    risky = text.str.startswith(_FORMULA_START, na=False)
    if not risky.any():
        return values
    return text.where(~risky, "'" + text)


def _rows_for(result, which: str) -> np.ndarray:
    if which not in WHICH:
        raise ExportError(f"Unknown choice of leads {which!r}; use one of {', '.join(WHICH)}.")
    keep = {"mql": result.mql, "all": np.ones(result.n_rows, bool),
            "not_mql": ~result.mql, "blocked": result.blocked}[which]
    rows = np.flatnonzero(keep)
    order = np.argsort(-result.total[rows], kind="stable")
    return rows[order]


def scored_frame(table, result, which: str = "mql") -> pd.DataFrame:
    """The rows to export, with score columns, sorted by score; text cells neutralised."""
    rows = _rows_for(result, which)
    frame = table.frame.iloc[rows].reset_index(drop=True)
    for column in frame.columns:
        if frame[column].dtype == object or str(frame[column].dtype) in ("str", "string") \
                or isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = neutralise(frame[column].astype("str").where(frame[column].notna(), None))
    extra = pd.DataFrame({
        "fit_score": np.round(result.fit[rows], 2), "engagement_score": np.round(result.engagement[rows], 2),
        "score": np.round(result.total[rows], 2), "mql": result.mql[rows],
        "blocked_by": blocked_by_text(result, rows), "reasons": reasons_text(result, rows),
    })
    taken = set(frame.columns)
    extra.columns = [c if c not in taken else f"{c} (leadbench)" for c in extra.columns]
    return pd.concat([frame, extra], axis=1)


def _check_target(path: Path, source: str | None) -> None:
    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise ExportError(f"Cannot export to {path.name}: choose a name ending in .csv or .xlsx.")
    if not path.parent.is_dir():
        raise ExportError(f"Cannot export to {path}: the folder {path.parent} does not exist.")
    if source:
        src = Path(source)
        same = src.resolve() == path.resolve()
        if not same and path.exists() and src.exists():
            same = os.path.samefile(src, path)
        if same:
            raise ExportError(f"Cannot export over {path.name}: it is the lead list you opened. "
                              "Choose another file name; Leadbench never overwrites your source file.")


def export_leads(table, result, path: str | os.PathLike, *, which: str = "mql",
                 on_progress: Callable[[float], None] | None = None,
                 is_cancelled: Callable[[], bool] | None = None) -> Path:
    """Write the chosen leads (``which``: mql, all, not_mql, blocked) to CSV or XLSX by suffix."""
    path = Path(path)
    _check_target(path, getattr(table, "source", None))
    frame = scored_frame(table, result, which)
    report = on_progress or (lambda _f: None)
    try:
        with atomic_path(path) as tmp:
            if path.suffix.lower() == ".csv":
                _write_csv(frame, tmp, report, is_cancelled)
            else:
                _write_xlsx(frame, tmp, report, is_cancelled)
    except Cancelled:
        raise
    except OSError as exc:
        raise ExportError(f"Cannot write {path.name}: {exc.strerror or exc}. "
                          "Nothing was changed.") from None
    report(1.0)
    return path


def _write_csv(frame: pd.DataFrame, target: Path, report, is_cancelled) -> None:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    # dates as ISO dates, not timestamps with times
    for i, field in enumerate(table.schema):
        if pa.types.is_timestamp(field.type):
            column = table.column(i)
            midnight = pc.all(pc.equal(pc.cast(column, pa.date32()).cast(field.type), column)).as_py()
            if midnight is not False:
                table = table.set_column(i, field.name, pc.cast(column, pa.date32()))
    with pacsv.CSVWriter(str(target), table.schema) as writer:
        for start in range(0, max(table.num_rows, 1), _CHUNK):
            if is_cancelled is not None and is_cancelled():
                raise Cancelled()
            writer.write_table(table.slice(start, _CHUNK))
            report(min(1.0, (start + _CHUNK) / max(table.num_rows, 1)))


def _width(frame: pd.DataFrame, column: str) -> float:
    sample = frame[column].head(200).dropna().astype(str)
    longest = max([len(column), *sample.str.len().tolist()]) if len(sample) else len(column)
    return float(min(max(longest + 2, 8), 60))


def _write_xlsx(frame: pd.DataFrame, target: Path, report, is_cancelled) -> None:
    with xlsxwriter.Workbook(str(target), {"constant_memory": True, "strings_to_formulas": False,
                                           "strings_to_urls": False, "nan_inf_to_errors": True}) as book:
        sheet = book.add_worksheet("Leads")
        header = book.add_format({"bold": True, "bg_color": "#DDE4EE", "border": 1})
        date_fmt = book.add_format({"num_format": "yyyy-mm-dd"})
        mql_fmt = book.add_format({"bg_color": "#E2F0D9"})
        mql_date = book.add_format({"bg_color": "#E2F0D9", "num_format": "yyyy-mm-dd"})
        columns = list(frame.columns)
        for j, name in enumerate(columns):
            sheet.set_column(j, j, _width(frame, name))
            sheet.write_string(0, j, str(name), header)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(frame), 1), max(len(columns) - 1, 0))
        kinds = [_kind(frame[c]) for c in columns]
        data = [frame[c].to_numpy(dtype=object) for c in columns]
        missing = [frame[c].isna().to_numpy() for c in columns]
        mql = frame["mql"].to_numpy(bool) if "mql" in frame else np.zeros(len(frame), bool)
        for r in range(len(frame)):
            if r % _CHUNK == 0:
                if is_cancelled is not None and is_cancelled():
                    raise Cancelled()
                report(r / max(len(frame), 1))
            row_fmt, row_date = (mql_fmt, mql_date) if mql[r] else (None, date_fmt)
            for j in range(len(columns)):
                if missing[j][r]:
                    if row_fmt is not None:
                        sheet.write_blank(r + 1, j, None, row_fmt)
                    continue
                value, kind = data[j][r], kinds[j]
                if kind == "number":
                    sheet.write_number(r + 1, j, float(value), row_fmt)
                elif kind == "bool":
                    sheet.write_boolean(r + 1, j, bool(value), row_fmt)
                elif kind == "date":
                    sheet.write_datetime(r + 1, j, pd.Timestamp(value).to_pydatetime(), row_date)
                else:
                    sheet.write_string(r + 1, j, str(value), row_fmt)


def _kind(series: pd.Series) -> str:
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_numeric_dtype(dtype):
        return "number"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "date"
    return "text"

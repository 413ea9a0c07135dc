"""``load_leads``: one entry point for every lead file, with progress and cancel."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Callable

import pyarrow as pa

from scoring.errors import Cancelled, LoadError
from scoring.reading.csv_reader import read_text_table
from scoring.reading.footer import totals_rows
from scoring.reading.repeated_headers import drop_repeated_headers
from scoring.reading.parquet_reader import PARQUET_SUFFIXES, read_parquet
from scoring.reading.sheet_reader import SHEET_SUFFIXES, read_sheet
from scoring.reading.table import LeadTable, column_warning

__all__ = ["load_leads", "TEXT_SUFFIXES", "SUPPORTED_SUFFIXES"]

TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ".tab", ".dat", ""}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | SHEET_SUFFIXES | PARQUET_SUFFIXES
_KNOWN_OTHER = {".pdf": "a PDF document", ".docx": "a Word document", ".doc": "a Word document",
                ".zip": "a zip archive", ".json": "a JSON file (a scoring model?)",
                ".png": "an image", ".jpg": "an image", ".numbers": "an Apple Numbers file",
                ".xml": "an XML file", ".html": "a web page"}


def _check_file(path: Path) -> None:
    if not path.exists():
        raise LoadError(path, "the file does not exist", "Check the name and folder.")
    if path.is_dir():
        raise LoadError(path, "it is a folder, not a file", "Choose a lead list inside it.")
    if not os.access(path, os.R_OK):
        raise LoadError(path, "you do not have permission to read it",
                        "Copy it somewhere you can read, or ask its owner.")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        what = _KNOWN_OTHER.get(suffix, f"a {suffix} file")
        raise LoadError(path, f"{what} is not a lead list Leadbench can read",
                        "Save the leads as CSV or Excel (.xlsx) and open that.")
    if path.stat().st_size == 0:
        raise LoadError(path, "the file is empty", "Export the lead list again and check it has rows.")


def load_leads(path: str | os.PathLike, *, sheet: str | None = None, missing_values=(),
               on_progress: Callable[[float], None] | None = None,
               is_cancelled: Callable[[], bool] | None = None) -> LeadTable:
    """Read and type a lead file (CSV/TSV/TXT, XLSX/XLSM/XLSB/XLS/ODS or Parquet).

    Parquet columns keep the types the file gives them; their text columns are typed as CSV cells
    are (see ``scoring.reading.parquet_reader``).
    Progress is reported as a fraction (reading is the first 70%, typing the rest); ``is_cancelled``
    is checked between blocks and columns, and raises ``Cancelled``. Raises ``LoadError`` with a
    message for the user when the file cannot be read. The file is only ever opened for reading.
    """
    started = time.perf_counter()
    path = Path(path)
    _check_file(path)
    report = _throttled(on_progress)
    read_progress = lambda f: report(0.7 * f)  # noqa: E731
    typed = None
    try:
        if path.suffix.lower() in SHEET_SUFFIXES:
            raw, sheet, warnings = read_sheet(path, sheet, on_progress=read_progress,
                                              is_cancelled=is_cancelled)
        elif path.suffix.lower() in PARQUET_SUFFIXES:
            read = read_parquet(path, on_progress=read_progress, is_cancelled=is_cancelled)
            raw, typed, warnings, sheet = read.texts, read.typed, read.warnings, None
        else:
            raw, warnings = read_text_table(path, on_progress=read_progress, is_cancelled=is_cancelled)
            sheet = None
    except (LoadError, Cancelled):
        raise
    except MemoryError:
        raise LoadError(path, "there is not enough memory to load it",
                        "Close other programs or split the list into smaller files.") from None
    except PermissionError:
        raise LoadError(path, "you do not have permission to read it",
                        "Copy it somewhere you can read, or ask its owner.") from None
    except (OSError, UnicodeError) as exc:
        raise LoadError(path, f"it cannot be read ({exc})",
                        "Check that the file is a lead list and is not open in another program.") from None
    _give_back_memory()              # what the parser held besides the texts (about as much again)
    if typed is None:
        raw, notes = _without_non_leads(raw)
        warnings = [*warnings, *notes]
    if raw.num_columns == 0 or (raw.num_rows == 0 and raw.num_columns <= 1 and typed is None):
        raise LoadError(path, "no table was found in the file", "Check that it holds a list of leads.")

    def on_column(done: int, total: int) -> None:
        if is_cancelled is not None and is_cancelled():
            raise Cancelled()
        report(0.7 + 0.3 * done / total)

    table = LeadTable.from_texts(raw, missing_values=tuple(missing_values), on_column=on_column, typed=typed,
                                 source=str(path), sheet=sheet, warnings=list(warnings))
    del raw
    _give_back_memory()              # the texts of columns now held as codes
    if table.n_rows == 0 and typed is None:      # (Parquet says so in its own words)
        table.warnings.append("The file has a header row but no leads.")
    for column, note in table.notes.items():
        table.warnings.append(column_warning(column, note))
    table.load_seconds = time.perf_counter() - started
    report(1.0)
    return table


def _without_non_leads(raw: pa.Table) -> tuple[pa.Table, list[str]]:
    """The texts without rows that are no leads: the header repeated where lists were joined,
    and a totals row at the end; and a note for each kind left out."""
    notes = []
    raw, repeats = drop_repeated_headers(raw)
    if repeats:
        notes.append(f"Left out {repeats:,} row{'s' if repeats > 1 else ''} repeating the header "
                     "(lists joined one under another).")
    totals = totals_rows([list(row.values()) for row in raw.slice(max(0, raw.num_rows - 3)).to_pylist()])
    if totals and totals < raw.num_rows:
        first = raw.column(0)[raw.num_rows - totals].as_py().strip()
        raw = raw.slice(0, raw.num_rows - totals)
        notes.append(f"Left out the totals row at the end (“{first}”)." if totals == 1 else
                     f"Left out the {totals} totals rows at the end (“{first}”…).")
    return raw, notes


def _give_back_memory() -> None:
    """Return the memory Arrow freed to the system: its allocator keeps freed pages for reuse,
    but what comes next (typing, scoring) allocates through numpy, which cannot use them."""
    pa.default_memory_pool().release_unused()


def _throttled(on_progress: Callable[[float], None] | None) -> Callable[[float], None]:
    """``on_progress`` called at most 20 times a second, with rising fractions, and always at 1.0."""
    if on_progress is None:
        return lambda _fraction: None
    last = {"time": float("-inf"), "fraction": -1.0}

    def report(fraction: float) -> None:
        now = time.perf_counter()
        if fraction <= last["fraction"] or (fraction < 1.0 and now - last["time"] < 0.05):
            return
        last["time"], last["fraction"] = now, fraction
        on_progress(fraction)
    return report

"""Shared benchmark inputs: big generated lead files, cached in bench/out/ (git-ignored)."""

from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from scoring.sample import generate_sample

__all__ = ["OUT", "big_csv", "big_xlsx", "timed", "best_of"]

OUT = Path(__file__).resolve().parent / "out"

_NOTES = ["Met at the booth, wants pricing for the team plan", "Asked about SSO and audit logs",
          "Downloaded the ROI calculator; follow up next quarter", "", "",
          "Budget approved for Q3, comparing three vendors", "Existing customer of a partner"]


def big_csv(rows: int = 1_000_000) -> Path:
    """A ~176 MB lead CSV of ``rows`` rows (generated once, then reused)."""
    OUT.mkdir(exist_ok=True)
    path = OUT / f"leads_{rows}.csv"
    if not path.exists():
        frame = generate_sample(rows, seed=7)
        rng = np.random.default_rng(7)
        frame["notes"] = np.array(_NOTES, object)[rng.integers(0, len(_NOTES), rows)]
        tmp = path.with_suffix(".part")
        frame.to_csv(tmp, index=False, lineterminator="\n")
        tmp.replace(path)
    return path


def big_xlsx(rows: int = 100_000) -> Path:
    """An XLSX of ``rows`` generated leads, written with xlsxwriter (dates as real dates)."""
    import xlsxwriter  # benchmark-only writer of the input file

    OUT.mkdir(exist_ok=True)
    path = OUT / f"leads_{rows}.xlsx"
    if not path.exists():
        frame = generate_sample(rows, seed=11)
        tmp = path.with_suffix(".part.xlsx")
        with xlsxwriter.Workbook(str(tmp), {"constant_memory": True}) as book:
            sheet = book.add_worksheet("Leads")
            sheet.write_row(0, 0, list(frame.columns))
            values = frame.astype(object).where(frame.notna(), None).to_numpy()
            for r, row in enumerate(values, start=1):
                sheet.write_row(r, 0, [v for v in row])
        tmp.replace(path)
    return path


@contextmanager
def timed(label: str, sink: dict):
    start = time.perf_counter()
    yield
    sink[label] = time.perf_counter() - start


def best_of(fn, repeat: int = 3) -> float:
    """The fastest of ``repeat`` runs of ``fn()``, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best

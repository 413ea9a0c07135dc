"""Shared benchmark inputs (big generated lead files, cached in bench/out/, git-ignored) and targets.

``ROWS`` is the size of the main generated list: a million leads, or 200,000 with
``python -m bench --quick`` (which sets ``LEADBENCH_BENCH_ROWS`` before the modules load). Each
benchmark module lists its ``TARGETS``; ``python -m bench`` prints every figure beside its target
and exits non-zero when a ratio misses (times are shown for information: on shared machines only
ratios measured in the same run are comparable).
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from scoring.memory import use_system_allocator
from scoring.sample import generate_sample

use_system_allocator()           # measured as the app runs (app.cli.main does the same)

__all__ = ["OUT", "ROWS", "BIG_ROWS", "Target", "make_big_csv", "big_csv", "big_xlsx", "timed", "best_of", "in_turns"]

OUT = Path(__file__).resolve().parent / "out"
#: rows of the main generated list (``--quick``: 200,000)
ROWS = int(os.environ.get("LEADBENCH_BENCH_ROWS", "1000000"))
#: rows of the big list, ten times the main one (10M; ``--quick``: 2M)
BIG_ROWS = ROWS * 10


@dataclass(frozen=True)
class Target:
    """A figure a benchmark returns (``key`` in its result) and the most it may be.

    ``unit`` "x" is a ratio to a bare library doing the same work in the same run: judged, a miss
    fails ``python -m bench``. "AUC" is a gap in ROC AUC to a reference model fitted and measured
    on the same leads: judged too. "ms freeze" is the longest time the window's GUI thread did not
    respond (``bench.freeze.FreezeMeter``): judged, since a freeze is felt whatever the machine.
    "ms" and "s" are times: shown beside their target, not judged.
    """

    key: str
    limit: float
    unit: str = "x"
    label: str = ""

    @property
    def judged(self) -> bool:
        return self.unit in ("x", "AUC", "ms freeze")

    def met(self, value: float) -> bool:
        return value <= self.limit

_NOTES = ["Met at the booth, wants pricing for the team plan", "Asked about SSO and audit logs",
          "Downloaded the ROI calculator; follow up next quarter", "", "",
          "Budget approved for Q3, comparing three vendors", "Existing customer of a partner"]


def make_big_csv(path: Path, rows: int = ROWS, seed: int = 7) -> Path:
    """Write ``rows`` realistic generated leads to ``path`` (~176 MB for a million).

    Columns: first/last name, email, company, job title, industry, employees, country, lead
    source, created date, last activity, page views, email clicks, webinar/download/demo yes-no,
    lifecycle stage, converted 0/1 and a free-text note. Generated column by column with numpy
    (``scoring.sample.generate_sample``), written to a temporary name and then renamed, so an
    interrupted run never leaves a half file behind.
    """
    path = Path(path)
    frame = generate_sample(rows, seed=seed)
    rng = np.random.default_rng(seed)
    frame["notes"] = np.array(_NOTES, object)[rng.integers(0, len(_NOTES), rows)]
    tmp = path.with_suffix(".part")
    frame.to_csv(tmp, index=False, lineterminator="\n")
    tmp.replace(path)
    return path


def big_csv(rows: int = ROWS) -> Path:
    """The generated lead CSV of ``rows`` rows in bench/out/ (made once, then reused)."""
    OUT.mkdir(exist_ok=True)
    path = OUT / f"leads_{rows}.csv"
    return path if path.exists() else make_big_csv(path, rows)


def big_xlsx(rows: int = ROWS // 10) -> Path:
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


def in_turns(bare, ours, rounds: int, before=None) -> tuple[float, float]:
    """The best seconds of ``bare()`` and of ``ours()``, run in turns ``rounds`` times, so that a
    neighbour's burst of work on a shared machine weighs on both sides alike; ``before()`` (not
    timed) runs before each of them."""
    bare_s, ours_s = float("inf"), float("inf")
    settle = before or (lambda: None)
    for _ in range(rounds):
        settle()
        bare_s = min(bare_s, best_of(bare, repeat=1))
        settle()
        ours_s = min(ours_s, best_of(ours, repeat=1))
    return bare_s, ours_s

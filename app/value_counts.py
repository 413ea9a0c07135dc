"""The distinct values of a column with their counts, for the rule editor's "in list" picker.

Counted once per table and column (most frequent first, a date column's newest first, at most
``VALUE_LIMIT`` values). Counting a text column of a big list takes seconds (ten million e-mail
addresses), so for lists of ``WORKER_ROWS`` leads or more the text columns are counted on the
follow-up worker (``app.tasks.follow_up_pool``) as soon as the list is shown, in Arrow, and the
picker finds them ready; other columns (categories, numbers, yes/no, dates) count in milliseconds
and are counted when asked for.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from PySide6.QtCore import QObject

from app.document import Document
from app.tasks import FOLLOW_UP_MS, Task, TaskRunner, follow_up_pool
from scoring.errors import Cancelled

__all__ = ["ValueCounts", "VALUE_LIMIT", "WORKER_ROWS", "count_texts"]

VALUE_LIMIT = 2000          # distinct values offered in the in-list picker
WORKER_ROWS = 200_000


def _text(value) -> str:
    if isinstance(value, pd.Timestamp) and value == value.normalize():
        return value.date().isoformat()          # "2018-03-03", not "2018-03-03 00:00:00"
    return str(value)


def counted(series: pd.Series, temporal: bool) -> list[tuple[str, int]]:
    """``series``'s values with their counts: most frequent first (dates: newest first)."""
    counts = series.value_counts(dropna=True)
    if temporal:
        counts = counts.sort_index(ascending=False)
    return [(_text(v), int(n)) for v, n in counts.head(VALUE_LIMIT).items()]


def count_texts(frame: pd.DataFrame, columns: list[str], *, on_progress=None,
                is_cancelled=None) -> dict[str, list[tuple[str, int]]]:
    """The values of text ``columns`` with their counts, most frequent first (ties in order of
    first appearance), counted in Arrow so the GUI thread runs meanwhile."""
    out = {}
    for i, column in enumerate(columns):
        if is_cancelled is not None and is_cancelled():
            raise Cancelled()
        texts = pa.array(frame[column].array)
        counts = pc.value_counts(pc.drop_null(texts))
        values, numbers = counts.field("values"), counts.field("counts").to_numpy()
        top = np.argsort(-numbers, kind="stable")[:VALUE_LIMIT]
        out[column] = list(zip(values.take(pa.array(top)).to_pylist(), numbers[top].tolist()))
        if on_progress is not None:
            on_progress((i + 1) / len(columns))
    return out


class ValueCounts(QObject):
    """Per column of the document's table, its values with counts (``of(column)``)."""

    def __init__(self, doc: Document) -> None:
        super().__init__(doc)
        self._doc = doc
        self._cache: dict[str, list[tuple[str, int]]] = {}
        self._runner = TaskRunner(self, pool=follow_up_pool())
        self._runner.succeeded.connect(self._cache.update)
        doc.tableChanged.connect(self._on_doc_table_changed)

    def of(self, column: str) -> list[tuple[str, int]]:
        """``column``'s values with their counts (cached per table)."""
        if column not in self._cache:
            table = self._doc.table
            if table is None or column not in table.frame.columns:
                return []
            ctype = table.types.get(column)
            self._cache[column] = counted(table.frame[column], ctype is not None and ctype.is_temporal)
        return self._cache[column]

    def _on_doc_table_changed(self) -> None:
        self._cache.clear()
        table = self._doc.table
        if table is None or table.n_rows < WORKER_ROWS:
            self._runner.cancel()
            return
        texts = [c for c in table.frame.columns if isinstance(table.frame[c].dtype, pd.StringDtype)]
        self._runner.start(Task(count_texts, table.frame, texts), after_ms=FOLLOW_UP_MS)

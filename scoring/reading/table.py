"""The loaded lead list: typed columns plus the original cell texts, for re-typing."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd
import pyarrow as pa

from scoring.column_types import ColumnType
from scoring.reading.column_typing import convert_column, missing_set, type_column

__all__ = ["LeadTable"]


@dataclass
class LeadTable:
    """A lead list as Leadbench works with it.

    Attributes
    ----------
    frame : typed columns (dtypes per ``ColumnType``), RangeIndex
    types : the type of every column
    raw : the original cell texts, one pyarrow string column per frame column
    source, sheet : where it came from
    warnings : things the user should know (skipped rows, values that did not fit a type)
    missing_values : the extra missing-value markers applied (beyond the defaults)
    load_seconds : how long loading took
    """

    frame: pd.DataFrame
    types: dict[str, ColumnType]
    raw: pa.Table
    source: str | None = None
    sheet: str | None = None
    warnings: list[str] = field(default_factory=list)
    missing_values: tuple[str, ...] = ()
    load_seconds: float = 0.0
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def n_rows(self) -> int:
        return len(self.frame)

    @classmethod
    def from_texts(cls, raw: pa.Table, *, missing_values: tuple[str, ...] = (), on_column=None,
                   **attrs) -> "LeadTable":
        """Type every column of ``raw`` (string columns) and build the table."""
        markers = missing_set(missing_values)
        columns, types, notes = {}, {}, {}
        # One column at a time: typing columns on parallel threads was faster, but crashed
        # (a reference-count race on None inside a C extension) while the GUI thread ran Python.
        for i, name in enumerate(raw.column_names):
            typed = type_column(raw.column(i), name, markers)
            columns[name], types[name] = typed.values, typed.type
            if typed.note:
                notes[name] = typed.note
            if on_column is not None:
                on_column(i + 1, raw.num_columns)
        frame = pd.DataFrame(columns, copy=False) if columns else pd.DataFrame(index=pd.RangeIndex(raw.num_rows))
        return cls(frame, types, raw, missing_values=tuple(missing_values), notes=notes, **attrs)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, **attrs) -> "LeadTable":
        """Type an in-memory DataFrame as if its cells had been read from a file."""
        raw = pa.table({str(c): pa.array([None if pd.isna(v) else _text(v) for v in frame[c]],
                                         pa.string()) for c in frame.columns})
        return cls.from_texts(raw, **attrs)

    def retype(self, column: str, ctype: ColumnType) -> "LeadTable":
        """A new table with ``column`` converted to ``ctype`` from its original texts."""
        markers = missing_set(self.missing_values)
        typed = convert_column(_one_chunk(self.raw.column(column)), ColumnType(ctype), markers)
        frame = self.frame.copy(deep=False)
        frame[column] = typed.values
        notes = dict(self.notes)
        notes.pop(column, None)
        if typed.note:
            notes[column] = typed.note
        return replace(self, frame=frame, types={**self.types, column: typed.type}, notes=notes)

    def with_missing_values(self, markers: tuple[str, ...]) -> "LeadTable":
        """A new table typed again with ``markers`` treated as missing (e.g. "Select")."""
        attrs = dict(source=self.source, sheet=self.sheet, warnings=list(self.warnings),
                     load_seconds=self.load_seconds)
        return LeadTable.from_texts(self.raw, missing_values=tuple(markers), **attrs)


def _one_chunk(arr):
    if isinstance(arr, pa.ChunkedArray):
        return arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0)
    return arr


def _text(value) -> str:
    if isinstance(value, pd.Timestamp):
        return value.isoformat(sep=" ") if value.time().isoformat() != "00:00:00" else value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (bool,)) or type(value).__name__ == "bool_":
        return "true" if value else "false"
    return str(value)

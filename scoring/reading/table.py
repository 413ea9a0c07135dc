"""The loaded lead list: typed columns plus the original cell texts, for re-typing."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from scoring.column_types import ColumnType
from scoring.reading.column_typing import convert_column, missing_set, prepare_column, type_column
from scoring.reading.dates import DateFormatError, DateReading, reading_words
from scoring.reading.numbers import (DELIMITER_KEY, NATIVE_NUMBERS_KEY, NumberEvidence, NumberFormat,
                                     format_from_marks)

__all__ = ["LeadTable", "column_warning"]


def column_warning(column: str, note: str) -> str:
    """The warning a column's note makes: "Column “employees”: 2 values that … treated as missing."."""
    return f"Column “{column}”: {note}."

_THREADED_ROWS = 100_000


@dataclass
class LeadTable:
    """A lead list as Leadbench works with it.

    Attributes
    ----------
    frame : typed columns (dtypes per ``ColumnType``), RangeIndex
    types : the type of every column
    cells : the original cell texts as read: one pyarrow column per frame column, string or
        dictionary-encoded string
    raw : (property) the same texts, every column a plain pyarrow string column; decoded from
        ``cells`` on first use
    source, sheet : where it came from
    warnings : things the user should know (skipped rows, values that did not fit a type)
    missing_values : the extra missing-value markers applied (beyond the defaults)
    load_seconds : how long loading took
    notes : per column, what the user should know (values that did not fit, times converted to UTC)
    formats : per date column, how its cells were read, in the user's words ("DD/MM/YYYY HH:mm")
    number_formats : per number column, how its numbers are written (marks, currency, percent)
    evidence : what the whole file says about how it writes numbers (its field separator, the
        decimal marks its columns show), used again when a column is re-typed
    """

    frame: pd.DataFrame
    types: dict[str, ColumnType]
    cells: pa.Table = field(repr=False)
    source: str | None = None
    sheet: str | None = None
    warnings: list[str] = field(default_factory=list)
    missing_values: tuple[str, ...] = ()
    load_seconds: float = 0.0
    notes: dict[str, str] = field(default_factory=dict)
    formats: dict[str, str] = field(default_factory=dict)
    number_formats: dict[str, NumberFormat] = field(default_factory=dict)
    evidence: NumberEvidence = field(default_factory=NumberEvidence)
    _raw: pa.Table | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def n_rows(self) -> int:
        return len(self.frame)

    @property
    def file_notes(self) -> list[str]:
        """The warnings about the file as a whole (rows left out, its encoding, what it really
        was), without those a column's note makes (see ``notes``)."""
        return [w for w in self.warnings if not w.startswith("Column “")]

    @property
    def raw(self) -> pa.Table:
        """The original cell texts, one pyarrow string column per frame column."""
        if self._raw is None:
            self._raw = pa.table({name: _texts_of(self.cells.column(i))
                                  for i, name in enumerate(self.cells.column_names)})
        return self._raw

    @classmethod
    def from_texts(cls, raw: pa.Table, *, missing_values: tuple[str, ...] = (), on_column=None,
                   typed: dict | None = None, **attrs) -> "LeadTable":
        """Type every column of ``raw`` (string columns) and build the table.

        ``typed``: columns whose type the file states (Parquet), already converted
        (``TypedColumn`` by name); they are kept as they are, with their texts in ``raw`` as cells,
        and only the other columns are typed from their texts.
        """
        given = typed or {}
        markers = missing_set(missing_values)
        serials = attrs.get("sheet") is not None
        metadata = raw.schema.metadata or {}
        evidence = NumberEvidence(delimiter=metadata.get(DELIMITER_KEY, b"").decode() or None)
        native = set(json.loads(metadata.get(NATIVE_NUMBERS_KEY, b"[]")))
        typed_columns, unsure, readings, encoded = {}, [], {}, {}
        # The Arrow-only part of typing (dictionary encoding) runs ahead on a worker
        # thread while this thread does the rest. Only pyarrow kernels run there: typing whole
        # columns on threads was faster still, but crashed (a reference-count race on None
        # inside a C extension) while the GUI thread ran Python.
        ahead = raw.num_rows >= _THREADED_ROWS and raw.num_columns > 1
        pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="leadbench-typing") if ahead else None
        try:
            pending = {i: pool.submit(prepare_column, raw.column(i)) for i, name in enumerate(raw.column_names)
                       if name not in given} if pool else {}
            for i, name in enumerate(raw.column_names):
                if name in given:        # typed by the file: no doubt, and no vote for the file
                    typed_columns[name] = given[name]
                    if on_column is not None:
                        on_column(i + 1, raw.num_columns)
                    continue
                prepared = pending[i].result() if pool else prepare_column(raw.column(i))
                if prepared.dictionary is not None:
                    encoded[name] = _dictionary_cells(raw.column(i), prepared)
                elif pa.types.is_dictionary(raw.column(i).type):     # many distinct: cells as texts
                    encoded[name] = prepared.array
                typed = type_column(raw.column(i), name, markers, excel_serials=serials, prepared=prepared,
                                    evidence=replace(evidence, native=True) if name in native else evidence)
                typed_columns[name] = typed
                marks = typed.number.marks if typed.number is not None else None
                if name in native:
                    pass                 # stored as numbers: no doubt, and no vote for the file
                elif marks is not None and marks.ambiguous:
                    unsure.append(i)
                elif marks is not None and typed.number.format is not None:
                    evidence = evidence.with_vote(name, marks)
                if typed.date_format is not None:
                    readings[name] = typed.date_format
                if on_column is not None:
                    on_column(i + 1, raw.num_columns)
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
        for i in unsure:        # a "1.200" column: decided again with every other column's evidence
            name = raw.column_names[i]
            typed_columns[name] = type_column(raw.column(i), name, markers, excel_serials=serials,
                                              evidence=evidence)
        types = {name: typed.type for name, typed in typed_columns.items()}
        followed = {}
        for name, typed, other in _follow_the_file(raw, readings, types, markers, serials):
            typed_columns[name], followed[name] = typed, other
        columns = {name: typed.values for name, typed in typed_columns.items()}
        frame = pd.DataFrame(columns, copy=False) if columns else pd.DataFrame(index=pd.RangeIndex(raw.num_rows))
        # few distinct texts: kept once each, cells as codes (one new table: setting columns one by
        # one looks each name up among all of them, minutes for a list of 10,000 columns)
        cells = pa.Table.from_arrays([encoded.get(name, raw.column(i)) for i, name in enumerate(raw.column_names)],
                                     names=raw.column_names, metadata=raw.schema.metadata) if encoded else raw
        table = cls(frame, {}, cells, missing_values=tuple(missing_values), evidence=evidence, **attrs)
        for name, typed in typed_columns.items():
            table._note_column(name, typed)
        for name, other in followed.items():
            table.formats[name] = f"{reading_words(typed_columns[name].date_format)} (like “{other}”)"
        return table

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, *, missing_values: tuple[str, ...] = (),
                   **attrs) -> "LeadTable":
        """Type an in-memory DataFrame as if its cells had been read from a file.

        Every column is turned into cell texts (vectorised: dates as ISO text, whole floats
        without ".0", booleans as true/false) and typed like a loaded file's columns.
        """
        raw = pa.table({str(c): _texts(frame[c]) for c in frame.columns})
        numbers = [str(c) for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c].dtype)
                   and not pd.api.types.is_bool_dtype(frame[c].dtype)]
        if numbers:                       # numbers already: their texts use a decimal point
            raw = raw.replace_schema_metadata({NATIVE_NUMBERS_KEY: json.dumps(numbers).encode()})
        return cls.from_texts(raw, missing_values=tuple(missing_values), **attrs)

    def retype(self, column: str, ctype: ColumnType, fmt: str | None = None) -> "LeadTable":
        """A new table with ``column`` converted to ``ctype`` from its original texts.

        ``fmt``: how the cells are written, for dates a pattern (``DD/MM/YYYY``, ``excel-serial``;
        see ``scoring.reading.dates``; None: found from the values). Cells that do not fit the
        type become missing; the table's ``notes`` say how many. Every other column is shared
        with this table, not copied. A pattern that cannot be used raises ``DateFormatError``.
        """
        markers = missing_set(self.missing_values)
        ctype = ColumnType(ctype)
        typed = convert_column(_texts_of(self.cells.column(column)), ctype, markers,
                               date_format=fmt if ctype.is_temporal else None,
                               excel_serials=self.sheet is not None,
                               number=self.number_formats.get(column))
        return self._with_column(column, typed)

    def with_number_marks(self, column: str, decimal: str | None = None,
                          thousands: str | None = None) -> "LeadTable":
        """A new table with ``column`` read as numbers (whole numbers when all are) with the
        decimal and thousands marks a user set ("," and "."; None keeps what was detected), e.g.
        from the model's column settings.

        Texts that are not numbers in that format become missing (the note says how many); the
        column's currency and percent stay as detected. Other columns are shared, not copied.
        """
        fmt = format_from_marks(decimal, thousands, self.number_formats.get(column))
        # whole numbers (a count read with its thousands mark) or else numbers
        typed = convert_column(_texts_of(self.cells.column(column)), ColumnType.INTEGER,
                               missing_set(self.missing_values), number=fmt)
        return self._with_column(column, typed)

    def apply_settings(self, settings) -> "LeadTable":
        """This table with per-column ``(column, type, format)`` settings applied (a column the
        table lacks is left out; one already of that type and read as found is not re-read).

        A format that cannot be used (a model file written by hand) is not applied: the column
        is read as found and its note says why.
        """
        table = self
        for column, ctype, fmt in settings:
            if column not in table.types or not (ctype or fmt):
                continue
            ctype = ColumnType(ctype or table.types[column])
            if fmt and not ctype.is_temporal:
                fmt = None
            if table.types[column] == ctype and not fmt:
                continue
            try:
                table = table.retype(column, ctype, fmt)
            except DateFormatError as exc:
                table = table.retype(column, ctype)
                table.notes[column] = "; ".join(n for n in (f"{exc}, so it was read automatically",
                                                            table.notes.get(column)) if n)
        return table

    def with_missing_values(self, markers: tuple[str, ...]) -> "LeadTable":
        """A new table with ``markers`` (e.g. "Select") treated as missing, beyond the defaults.

        Only the columns that hold a marker that was added or removed are typed again (their
        type is decided anew from the values left); the others are shared with this table.
        """
        markers = tuple(markers)
        before, after = missing_set(self.missing_values), missing_set(markers)
        changed = pa.array(sorted(set(before.to_pylist()) ^ set(after.to_pylist())), pa.string())
        table = replace(self, missing_values=markers, frame=self.frame.copy(deep=False),
                        types=dict(self.types), notes=dict(self.notes), warnings=list(self.warnings),
                        formats=dict(self.formats), number_formats=dict(self.number_formats))
        if len(changed) == 0:
            return table
        for name in self.cells.column_names:
            distinct = _distinct_texts(self.cells.column(name))
            folded = pc.utf8_lower(pc.utf8_trim_whitespace(distinct))
            if pc.any(pc.is_in(folded, value_set=changed)).as_py():
                typed = type_column(self.cells.column(name), name, after,
                                    excel_serials=self.sheet is not None, evidence=self.evidence)
                table = table._with_column(name, typed, in_place=True)
        return table

    def _with_column(self, column: str, typed, in_place: bool = False) -> "LeadTable":
        frame = self.frame if in_place else self.frame.copy(deep=False)
        frame[column] = typed.values
        table = self if in_place else replace(self, frame=frame, types=dict(self.types),
                                              notes=dict(self.notes), warnings=list(self.warnings),
                                              number_formats=dict(self.number_formats),
                                              formats=dict(self.formats))
        old = column_warning(column, self.notes[column]) if column in self.notes else None
        table._note_column(column, typed)
        if old in table.warnings:      # the load's warning about this column follows its new note
            at = table.warnings.index(old)
            table.warnings[at:at + 1] = [column_warning(column, table.notes[column])] if column in table.notes else []
        return table

    def _note_column(self, column: str, typed) -> None:
        """Record ``typed``'s type, note and number format for ``column`` (in place)."""
        self.types[column] = typed.type
        self.notes.pop(column, None)
        if typed.full_note:
            self.notes[column] = typed.full_note
        self.number_formats.pop(column, None)
        if typed.number is not None and typed.number.format is not None and typed.type.is_numeric:
            self.number_formats[column] = typed.number.format
        self.formats.pop(column, None)
        if typed.date_format is not None:
            self.formats[column] = reading_words(typed.date_format)


def _follow_the_file(raw: pa.Table, readings: dict, types: dict, markers, serials: bool):
    """Date columns whose day/month order nothing in their values decided, read in the order the
    file's other date columns show (a "Modified" column of 01/02/2026 beside a "Created" column
    holding 25/01/2026 is day first too): (name, typed column, the column that decided)."""
    decided = {}
    for name, reading in readings.items():
        if isinstance(reading, DateReading) and reading.order in ("DMY", "MDY") and not reading.guessed:
            decided.setdefault(reading.order, name)
    if len(decided) != 1:
        return []
    order, other = next(iter(decided.items()))
    pattern = "DD/MM/YYYY" if order == "DMY" else "MM/DD/YYYY"
    out = []
    for name, reading in readings.items():
        if isinstance(reading, DateReading) and reading.guessed and reading.order != order:
            typed = convert_column(_texts_of(raw.column(name)), types[name], markers,
                                   date_format=pattern, excel_serials=serials)
            out.append((name, typed, other))
    return out


def _texts_of(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    """A column of cell texts as one plain string array (decoding a dictionary column)."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    if pa.types.is_dictionary(column.type):
        column = column.cast(pa.string())
    return column


def _dictionary_cells(texts: pa.ChunkedArray | pa.Array, prepared) -> pa.DictionaryArray:
    """A column of few distinct texts as codes into them (empty cells stay empty, not ""), each
    code as narrow as the number of texts allows: a byte for up to 128 texts (a quarter of the
    memory, and sorting an export by score gathers from an array that stays in the cache)."""
    indices = prepared.indices
    if texts.null_count:
        indices = pc.if_else(pc.is_valid(texts), indices, pa.scalar(None, indices.type))
        if isinstance(indices, pa.ChunkedArray):
            indices = indices.combine_chunks()
    narrow = next(t for t in (pa.int8(), pa.int16(), pa.int32())
                  if len(prepared.dictionary) <= np.iinfo(t.to_pandas_dtype()).max + 1)
    if narrow != indices.type:
        indices = indices.cast(narrow)
    return pa.DictionaryArray.from_arrays(indices, prepared.dictionary)


def _distinct_texts(column: pa.ChunkedArray) -> pa.Array:
    if pa.types.is_dictionary(column.type):
        return pc.unique(pa.chunked_array([c.dictionary for c in column.chunks], pa.string()))
    return pc.unique(column)


def _texts(column: pd.Series) -> pa.Array:
    """The cells of an in-memory column as the texts a file would hold (None for missing)."""
    missing = column.isna().to_numpy()
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        values = column.dt.tz_localize(None) if getattr(column.dt, "tz", None) else column
        midnight = bool((values.dropna() == values.dropna().dt.normalize()).all())
        texts = values.dt.strftime("%Y-%m-%d" if midnight else "%Y-%m-%d %H:%M:%S")
    elif pd.api.types.is_bool_dtype(column.dtype):
        texts = pd.Series(np.where(column.fillna(False).to_numpy(bool), "true", "false"))
    elif pd.api.types.is_float_dtype(column.dtype):
        numbers = pa.array(column.astype("str").to_numpy(dtype=object), pa.string(), mask=missing)
        return pc.replace_substring_regex(numbers, r"\.0$", "")
    else:
        texts = column.astype("str")
    return pa.array(texts.to_numpy(dtype=object), pa.string(), mask=missing)

"""Reading Parquet lead lists with pyarrow.parquet, a row group (and a few columns) at a time.

Parquet columns have types, and the file's types are kept rather than guessed from text:
integers -> integer, floats and decimals -> number, booleans -> boolean, dates -> date,
timestamps -> datetime (times with a time zone converted to UTC, with a note, as CSV times with
offsets are). Text columns (string, large string, dictionary of strings) are typed from their
values exactly as CSV cells are, by ``LeadTable.from_texts``. Every column also gets cell texts,
which re-typing reads and exports write back: numbers with a decimal point (whole floats without
".0"), dates ISO, times in UTC ending in "Z", booleans true/false.

Nested columns are read rather than refused, since warehouse and CRM exports hold them:
a struct's fields become columns named "address.city" (as Arrow's ``flatten`` names them); a
list becomes text, its items joined with "; " as CRMs write multi-select fields; maps and lists
of nested values become JSON text. A binary column that is not UTF-8 text is left out, and
pandas' own index columns (``__index_level_0__``) are not leads' data. Each of these gets a
warning.

Memory and speed: row groups are read one part at a time and each part is turned into cell texts
and typed values at once, so the file's typed columns are never held whole beside their copies;
a typed column of few distinct values keeps its texts as codes. Text columns are kept as read
(they are the cells), with their dictionaries when the file stores them dictionary-encoded, which
skips decoding a text per cell and lets the typing work on the dictionary.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from scoring.column_types import ColumnType as T
from scoring.errors import Cancelled, LoadError
from scoring.reading.converting import TypedColumn
from scoring.reading.dates import offsets_note
from scoring.reading.headers import unique_names

if TYPE_CHECKING:
    import pyarrow.parquet as pq

__all__ = ["PARQUET_SUFFIXES", "LIST_SEPARATOR", "ParquetRead", "read_parquet"]

PARQUET_SUFFIXES = {".parquet"}
#: between a list's items in its cell text ("Webinar; Demo"), as CRMs write multi-select fields
LIST_SEPARATOR = "; "
_MAGIC, _ENCRYPTED = b"PAR1", b"PARE"
_SIGNATURE = 28             # the nonce and tag after a signed plain footer: some columns are encrypted
_PARTS = 16                 # a file of few row groups is read in about this many parts, for progress
_MIN_BLOCK = 4              # ...of at least this many columns each (fewer would read slower)
_SAMPLE = 10_000            # cells looked at to decide whether a typed column's texts are kept as codes
_PANDAS_INDEX = re.compile(r"^__index_level_\d+__$")
_TO_NS = {"s": 10**9, "ms": 10**6, "us": 10**3, "ns": 1}
_DAY_NS = 86_400 * 10**9
_NAT = np.iinfo(np.int64).min
_MIN_NS, _MAX_NS = pd.Timestamp.min.value, pd.Timestamp.max.value
_ENCRYPTED_ADVICE = ("Ask whoever exported it for a copy without Parquet encryption (or decrypt it "
                     "with the tool that wrote it) and open that.")


@dataclass
class ParquetRead:
    """What ``read_parquet`` found.

    texts : every column's cell texts (string columns), named uniquely
    typed : the columns whose type the file states, already converted (by name)
    warnings : things the user should know (flattened or left-out columns, lists as text)
    """

    texts: pa.Table
    typed: dict[str, TypedColumn]
    warnings: list[str]


def read_parquet(path: str | Path, *, on_progress: Callable[[float], None] | None = None,
                 is_cancelled: Callable[[], bool] | None = None) -> ParquetRead:
    """Read a Parquet file's columns as cell texts plus the typed columns the file states.

    Progress is reported as a fraction, once per part read (a row group, or a few of its
    columns when the file has few row groups); ``is_cancelled`` is checked before each part and
    raises ``Cancelled``. A damaged, cut-short, encrypted or column-less file raises ``LoadError``.
    """
    path = Path(path)
    handle = _open(path)
    try:
        return _read(path, handle, on_progress, is_cancelled)
    finally:
        handle.close()


# -- opening ----------------------------------------------------------------------------------
def _open(path: Path) -> pq.ParquetFile:
    size = path.stat().st_size
    with open(path, "rb") as handle:
        head = handle.read(4)
        handle.seek(max(size - 8, 0))
        footer, tail = handle.read(4), handle.read(4)
    if _ENCRYPTED in (head, tail):
        raise LoadError(path, "the Parquet file is encrypted", _ENCRYPTED_ADVICE)
    if head != _MAGIC:
        raise LoadError(path, "it is not a Parquet file (it does not begin as one)",
                        "Check which file this is; export the leads again as Parquet, CSV or Excel.")
    if tail != _MAGIC or size < 12:
        raise LoadError(path, "the Parquet file is cut short (its end, which lists the columns, is missing)",
                        "Copy or download it again: the copy may not have finished.")
    import pyarrow.parquet as pq       # (only when a Parquet file is opened: 35 ms of every start)

    try:
        handle = pq.ParquetFile(path)
        if int.from_bytes(footer, "little") - handle.metadata.serialized_size == _SIGNATURE:
            handle.close()       # (reading the metadata of its encrypted columns would abort Python)
            raise LoadError(path, "the Parquet file is encrypted", _ENCRYPTED_ADVICE)
        names = _dictionary_columns(handle)
        if names:                # read with their dictionaries: faster, and typing uses them as they are
            handle.close()
            handle = pq.ParquetFile(path, metadata=handle.metadata, read_dictionary=names)
        return handle
    except (pa.ArrowException, OSError) as exc:
        raise _damaged(path, exc) from None


def _dictionary_columns(handle: pq.ParquetFile) -> list[str]:
    """The text columns stored dictionary-encoded throughout (every row group has a dictionary
    page, and the data pages are codes, at most 3 bytes a cell, not texts of 4 bytes and more).

    Reading these as Arrow dictionaries skips decoding every cell's text; a column whose writer
    fell back to plain texts (too many distinct values) would only be slower to read so.
    """
    schema, meta = handle.schema_arrow, handle.metadata
    names = schema.names
    leaf = {meta.schema.column(i).path: i for i in range(meta.num_columns)}
    out = []
    for field in schema:
        kind = field.type.value_type if pa.types.is_dictionary(field.type) else field.type
        if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)) or names.count(field.name) > 1 \
                or field.name not in leaf:
            continue
        chunks = [meta.row_group(g).column(leaf[field.name]) for g in range(meta.num_row_groups)]
        codes = sum(c.total_uncompressed_size - (c.data_page_offset - (c.dictionary_page_offset or 0))
                    for c in chunks)
        if all(c.has_dictionary_page for c in chunks) and codes <= 3 * max(meta.num_rows, 1):
            out.append(field.name)
    return out


def _damaged(path: Path, exc: Exception) -> LoadError:
    text = " ".join(str(exc).split())
    if "crypt" in text.lower():          # columns encrypted under a plain footer
        return LoadError(path, "the Parquet file is encrypted", _ENCRYPTED_ADVICE)
    return LoadError(path, f"the Parquet file is damaged ({text[:120]})",
                     "Export or copy it again from where it came from.")


# -- the plan: which columns, read in which parts -----------------------------------------------
def _leaves(field: pa.Field, prefix: str = "") -> list[tuple[str, pa.DataType]]:
    """A column's leaf columns with their names: a struct's fields as "a.b", recursively."""
    name = f"{prefix}{field.name}"
    if pa.types.is_struct(field.type):
        return [leaf for child in field.type for leaf in _leaves(child, f"{name}.")]
    return [(name, field.type)]


def _leaf_arrays(column: pa.ChunkedArray) -> list[pa.ChunkedArray]:
    """The leaf columns of a column read, in ``_leaves`` order (a null struct's fields are null)."""
    if pa.types.is_struct(column.type):
        return [leaf for child in column.flatten() for leaf in _leaf_arrays(child)]
    return [column]


def _parts(handle: pq.ParquetFile, kept: list[int]) -> list[tuple[int, list[int] | None]]:
    """(row group, top-level columns or None for all) for each part to read."""
    names = handle.schema_arrow.names
    groups = handle.metadata.num_row_groups
    by_name = len(set(names)) == len(names) and not any("." in n for n in names)
    blocks = min(math.ceil(_PARTS / max(groups, 1)), math.ceil(len(kept) / _MIN_BLOCK)) if by_name else 1
    if blocks <= 1:
        return [(g, None) for g in range(groups)]
    size = math.ceil(len(kept) / blocks)
    return [(g, kept[b:b + size]) for g in range(groups) for b in range(0, len(kept), size)]


def _read(path: Path, handle: pq.ParquetFile, on_progress, is_cancelled) -> ParquetRead:
    schema = handle.schema_arrow
    kept = [j for j, f in enumerate(schema) if not _PANDAS_INDEX.match(f.name)]
    leaves = {j: _leaves(schema.field(j)) for j in kept}
    named = [(j, leaf) for j in kept for leaf in leaves[j]]
    if not named:
        raise LoadError(path, "the file has no columns", "Export the lead list again with its columns.")
    names = unique_names([name for _j, (name, _type) in named])
    rows = handle.metadata.num_rows
    columns = {j: [] for j in kept}
    for (j, (_name, kind)), name in zip(named, names):
        columns[j].append(_NativeColumn(name, kind, rows) if _native_type(kind) else _TextColumn(name, kind))
    parts = _parts(handle, kept)
    starts = np.cumsum([0] + [handle.metadata.row_group(g).num_rows for g in range(handle.metadata.num_row_groups)])
    for step, (group, block) in enumerate(parts):
        if is_cancelled is not None and is_cancelled():
            raise Cancelled()
        read = _read_part(path, handle, group, None if block is None else [schema.field(j).name for j in block])
        at = int(starts[group])
        for j in block if block is not None else kept:
            column = read.column(schema.field(j).name if block is not None else j)
            for target, leaf in zip(columns[j], _leaf_arrays(column)):
                target.add(leaf, at)
        if on_progress is not None:
            on_progress((step + 1) / len(parts))
    warnings = [f"Column “{schema.field(j).name}” is pandas' index, not the leads' data: left out."
                for j, f in enumerate(schema) if j not in columns]
    texts, typed = {}, {}
    for j in kept:
        if pa.types.is_struct(schema.field(j).type):
            warnings.append(_struct_note(schema.field(j).name, [c.name for c in columns[j]]))
        for column in columns[j]:
            if column.note:
                warnings.append(f"Column “{column.name}”: {column.note}.")
            if not column.dropped:
                texts[column.name] = column.cells()
            if isinstance(column, _NativeColumn):
                typed[column.name] = column.typed()
    if rows == 0:
        warnings.append("The file has columns but no leads.")
    return ParquetRead(pa.table(texts) if texts else pa.table({}), typed, warnings)


def _read_part(path: Path, handle: pq.ParquetFile, group: int, names: list[str] | None) -> pa.Table:
    try:
        return handle.read_row_group(group, columns=names, use_threads=True)
    except (MemoryError, PermissionError):
        raise
    except (pa.ArrowException, OSError) as exc:     # bad pages: "Corrupt snappy compressed data"
        raise _damaged(path, exc) from None


def _struct_note(name: str, fields: list[str]) -> str:
    if not fields:
        return f"Column “{name}” is a group of no fields: left out."
    shown = ", ".join(f"“{f}”" for f in fields[:3]) + (f" and {len(fields) - 3:,} more" if len(fields) > 3 else "")
    return f"Column “{name}” is a group of fields: read as {shown}."


# -- columns ----------------------------------------------------------------------------------
def _native_type(kind: pa.DataType) -> T | None:
    """The type a column of Arrow type ``kind`` keeps, or None for a column typed from its texts."""
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    if pa.types.is_integer(kind):
        return T.INTEGER
    if pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        return T.NUMBER
    if pa.types.is_boolean(kind):
        return T.BOOLEAN
    if pa.types.is_date(kind):
        return T.DATE
    if pa.types.is_timestamp(kind):
        return T.DATETIME
    return None


class _TextColumn:
    """A column typed from its texts: its cell texts, one chunk per part read."""

    def __init__(self, name: str, kind: pa.DataType) -> None:
        self.name, self.kind, self.chunks, self.dropped, self.note = name, kind, [], False, ""
        if _is_list(kind):
            self.note = ("lists written as JSON text" if _is_nested(kind.value_type) else
                         f"lists written as text, items separated by “{LIST_SEPARATOR.strip()}”")
        elif pa.types.is_map(kind):
            self.note = "keys and values written as JSON text"

    def add(self, column: pa.ChunkedArray, _at: int) -> None:
        if self.dropped:
            return
        try:
            self.chunks.extend(_dictionary_texts(chunk) if pa.types.is_dictionary(chunk.type) else
                               _texts(chunk) for chunk in column.chunks)
        except pa.ArrowInvalid:          # bytes that are not UTF-8: a picture, a hash
            kind = self.kind.value_type if pa.types.is_dictionary(self.kind) else self.kind
            if not (pa.types.is_binary(kind) or pa.types.is_large_binary(kind)
                    or pa.types.is_fixed_size_binary(kind) or pa.types.is_binary_view(kind)):
                raise
            self.dropped, self.chunks = True, []
            self.note = "holds binary data, not text: left out"

    def cells(self) -> pa.ChunkedArray:
        return pa.chunked_array(self.chunks, self.chunks[0].type if self.chunks else pa.string())


class _NativeColumn:
    """A column the file types: typed values filled in place part by part, and cell texts."""

    def __init__(self, name: str, kind: pa.DataType, rows: int) -> None:
        self.name, self.chunks, self.dropped, self.note = name, [], False, ""
        self.type = _native_type(kind)
        base = kind.value_type if pa.types.is_dictionary(kind) else kind
        self.zone = base.tz if pa.types.is_timestamp(base) else None
        self.out_of_range = 0
        dtype = {T.INTEGER: np.int64, T.NUMBER: np.float64, T.BOOLEAN: np.bool_}.get(self.type, "datetime64[ns]")
        self.values = np.empty(rows, dtype)
        self.missing = np.zeros(rows, bool)
        self.coded: bool | None = None if self.type != T.NUMBER else False     # (NaN has no text)

    def add(self, column: pa.ChunkedArray, at: int) -> None:
        for chunk in column.chunks:
            if not len(chunk):
                continue
            if pa.types.is_dictionary(chunk.type):
                chunk = chunk.dictionary_decode()
            if self.coded is None:     # decided on the first part, kept for the rest
                sample = chunk.slice(0, _SAMPLE)
                self.coded = pc.count_distinct(sample).as_py() <= 0.2 * len(sample)
            if self.coded:       # few distinct values (counts, dates, flags): each written once
                encoded = chunk.dictionary_encode()
                self.chunks.append(pa.DictionaryArray.from_arrays(encoded.indices, _texts(encoded.dictionary)))
            else:
                self.chunks.append(_texts(chunk))
            self._fill(chunk, at)
            at += len(chunk)

    def cells(self) -> pa.ChunkedArray | pa.Array:
        """The column's cell texts: plain texts, or codes into texts (one dictionary)."""
        if self.coded:           # (one part: its codes as they are; several: their dictionaries merged)
            return self.chunks[0] if len(self.chunks) == 1 else pa.chunked_array(self.chunks).combine_chunks()
        return pa.chunked_array(self.chunks, pa.string())

    def _fill(self, chunk: pa.Array, at: int) -> None:
        end = at + len(chunk)
        missing = chunk.is_null().to_numpy(zero_copy_only=False)
        if self.type == T.INTEGER and self.values.dtype == np.int64:
            try:
                whole = chunk.cast(pa.int64())
                self.values[at:end] = (pc.fill_null(whole, 0) if whole.null_count else whole).to_numpy(
                    zero_copy_only=False)
            except pa.ArrowInvalid:      # an unsigned 64-bit value beyond int64: numbers instead
                self.type, self.values = T.NUMBER, np.where(self.missing, np.nan, self.values.astype(np.float64))
        if self.type == T.NUMBER:
            numbers = chunk.cast(pa.float64(), safe=False).to_numpy(zero_copy_only=False)
            self.values[at:end] = numbers
            missing = missing | np.isnan(numbers)
        elif self.type == T.BOOLEAN:
            self.values[at:end] = pc.fill_null(chunk, False).to_numpy(zero_copy_only=False)
        elif self.type.is_temporal:
            if self.type == T.DATE:
                ticks, scale = chunk.cast(pa.date32(), safe=False).cast(pa.int32()), _DAY_NS
            else:
                ticks, scale = chunk.cast(pa.int64()), _TO_NS[chunk.type.unit]
            low, high = (v.as_py() for v in pc.min_max(ticks).values())
            if low is None or (low >= _MIN_NS // scale + 1 and high <= _MAX_NS // scale):     # the usual
                nanos = pc.fill_null(pc.multiply(ticks.cast(pa.int64()), scale), _NAT)
                self.values.view(np.int64)[at:end] = nanos.to_numpy(zero_copy_only=False)
            else:                # years pandas cannot hold (9999-12-31 as "never"): missing
                ticks = pc.fill_null(ticks, 0).to_numpy(zero_copy_only=False).astype(np.int64)
                valid = (ticks >= _MIN_NS // scale + 1) & (ticks <= _MAX_NS // scale) & ~missing
                self.out_of_range += int((~valid & ~missing).sum())
                self.values.view(np.int64)[at:end] = np.where(valid, np.where(valid, ticks, 0) * scale, _NAT)
                missing = ~valid
        self.missing[at:end] = missing

    def typed(self) -> TypedColumn:
        """The typed column (pandas dtype per ``ColumnType``), with what the user should know."""
        if self.type == T.INTEGER:
            self.values[self.missing] = 0
            values = pd.Series(pd.arrays.IntegerArray(self.values, self.missing))
        elif self.type == T.BOOLEAN:
            values = pd.Series(pd.arrays.BooleanArray(self.values, self.missing))
        else:
            values = pd.Series(self.values, copy=False)
        info = offsets_note((self.zone,)) if self.zone else ""
        far = (f"{self.out_of_range:,} date{'s' if self.out_of_range != 1 else ''} before 1678 or after "
               "2261 treated as missing") if self.out_of_range else ""
        return TypedColumn(self.type, values, "; ".join(n for n in (info, far) if n), info=info)


# -- cell texts -------------------------------------------------------------------------------
def _is_list(kind: pa.DataType) -> bool:
    return (pa.types.is_list(kind) or pa.types.is_large_list(kind) or pa.types.is_fixed_size_list(kind)
            or pa.types.is_list_view(kind) or pa.types.is_large_list_view(kind))


def _is_nested(kind: pa.DataType) -> bool:
    return pa.types.is_nested(kind) or (pa.types.is_dictionary(kind) and pa.types.is_nested(kind.value_type))


def _texts(array: pa.Array) -> pa.Array:
    """The cells of an Arrow array as texts (a plain string array, null for an empty cell)."""
    kind = array.type
    if pa.types.is_dictionary(kind):
        return _texts(array.dictionary_decode())
    if isinstance(array, pa.ExtensionArray):
        return _texts(array.storage)
    if pa.types.is_string(kind):
        return array
    if pa.types.is_null(kind):
        return pa.nulls(len(array), pa.string())
    if pa.types.is_floating(kind):
        array = array.cast(pa.float32()) if kind == pa.float16() else array
        texts = array.cast(pa.string())           # shortest form: "0.1", "2", "1e+20"
        return pc.if_else(pc.is_nan(array), pa.scalar(None, pa.string()), texts) if len(array) else texts
    if pa.types.is_date64(kind):
        return array.cast(pa.date32(), safe=False).cast(pa.string())
    if pa.types.is_timestamp(kind):
        return _time_texts(array)
    if _is_list(kind):
        return _list_texts(array)
    if pa.types.is_nested(kind):
        return _json_texts(array)
    if pa.types.is_duration(kind) or pa.types.is_interval(kind):     # "0:01:30", not a count of units
        return pa.array([None if v is None else str(v) for v in array.to_pylist()], pa.string())
    try:                  # strings, integers, decimals, booleans, dates, UTF-8 bytes (ArrowInvalid if not)
        return array.cast(pa.string())
    except pa.ArrowNotImplementedError:       # kinds Arrow cannot write as text
        return pa.array([None if v is None else str(v) for v in array.to_pylist()], pa.string())


def _dictionary_texts(array: pa.DictionaryArray) -> pa.Array:
    """A dictionary chunk of a text column: kept as codes into texts (the typing uses them)."""
    texts = _texts(array.dictionary)
    if texts.type != array.dictionary.type:
        array = pa.DictionaryArray.from_arrays(array.indices, texts)
    return array


def _time_texts(array: pa.Array) -> pa.Array:
    """Timestamps as "2024-01-05 09:30:00" (fractions when there are some); with a time zone in
    UTC, ending in "Z". Parquet stores such times in UTC: no time zone database is needed."""
    unit, zone = array.type.unit, array.type.tz
    if zone:
        array = array.cast(pa.int64()).cast(pa.timestamp(unit))
    try:
        array = array.cast(pa.timestamp("s"))        # whole seconds print without a fraction
    except pa.ArrowInvalid:
        pass
    texts = pc.strftime(array, "%Y-%m-%d %H:%M:%S")
    if array.type.unit != "s":                          # "05.500000" -> "05.5", "05.000" -> "05"
        texts = pc.replace_substring_regex(pc.replace_substring_regex(texts, r"\.0+$", ""),
                                           r"(\.\d*[1-9])0+$", r"\1")
    return pc.binary_join_element_wise(texts, "Z", "") if zone else texts


def _list_texts(array: pa.Array) -> pa.Array:
    """A list's items as one text, joined with ``LIST_SEPARATOR`` (an empty list: an empty cell);
    lists of nested values as JSON."""
    if _is_nested(array.type.value_type):
        return _json_texts(array)
    if not (pa.types.is_list(array.type) or pa.types.is_large_list(array.type)):
        array = array.cast(pa.large_list(array.type.value_type))
    items = pc.fill_null(_texts(array.values), "")
    lists = type(array).from_arrays(array.offsets, items, mask=array.is_null())
    joined = pc.binary_join(lists, LIST_SEPARATOR).cast(pa.string())
    return pc.if_else(pc.equal(joined, ""), pa.scalar(None, pa.string()), joined)


def _json_texts(array: pa.Array) -> pa.Array:
    """Nested values as JSON text, cell by cell (maps as objects; dates and decimals as text)."""
    values = array.to_pylist(maps_as_pydicts="lossy")
    return pa.array([None if v is None or v == [] or v == {} else
                     json.dumps(v, ensure_ascii=False, default=str) for v in values], pa.string())

"""Looking at a column of many texts (emails, names, notes) without copying its texts.

A list of ten million leads holds a quarter of a gigabyte of emails. Trimming them, marking the
missing ones or taking a sample through Arrow's kernels copies every text (a chunked column is
even joined into one first). These read the column's offsets and bytes with numpy instead: the
length and the first and last byte of each cell, the cells at some rows chunk by chunk, and the
same texts with other cells marked missing (a new validity bitmap over the same buffers), and
bytes read as binary turned into text, checking only the chunks that are not plain ASCII.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

__all__ = ["cell_lengths", "spaces_at_edges", "take_rows", "with_missing", "binary_as_text", "is_ascii"]

#: first/last bytes of a cell that trimming could remove: ASCII white space, and the bytes that
#: begin and end a no-break space (U+00A0 is C2 A0 in UTF-8)
_EDGE_START = np.zeros(256, bool)
_EDGE_START[[0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0xC2]] = True
_EDGE_END = np.zeros(256, bool)
_EDGE_END[[0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0xA0]] = True


def _chunks(arr: pa.Array | pa.ChunkedArray) -> list[pa.Array]:
    return list(arr.chunks) if isinstance(arr, pa.ChunkedArray) else [arr]


def _offsets(chunk: pa.Array) -> np.ndarray:
    """Where each cell of a string chunk begins and ends in its data buffer (n + 1 positions)."""
    kind = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
    offsets = np.frombuffer(chunk.buffers()[1], dtype=kind)
    return offsets[chunk.offset:chunk.offset + len(chunk) + 1]


def _data(chunk: pa.Array) -> np.ndarray:
    buffer = chunk.buffers()[2]
    return np.frombuffer(buffer, np.uint8) if buffer is not None else np.zeros(0, np.uint8)


def cell_lengths(arr: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """The length of each cell in bytes (0 for an empty or missing cell)."""
    parts = [np.diff(_offsets(c)) for c in _chunks(arr) if len(c)]
    return np.concatenate(parts) if parts else np.zeros(0, np.int64)


def spaces_at_edges(arr: pa.Array | pa.ChunkedArray) -> bool:
    """Whether any cell may begin or end with white space (False: trimming changes nothing).

    Looks at each cell's first and last byte only; a cell starting or ending with a byte of a
    no-break space counts, so the answer errs towards trimming."""
    for chunk in _chunks(arr):
        offsets = _offsets(chunk)
        filled = offsets[1:] > offsets[:-1]
        if not filled.any():
            continue
        data = _data(chunk)
        if _EDGE_START[data[offsets[:-1][filled]]].any() or _EDGE_END[data[offsets[1:][filled] - 1]].any():
            return True
    return False


def take_rows(arr: pa.Array | pa.ChunkedArray, rows: np.ndarray) -> pa.Array:
    """The cells at ``rows`` (ascending positions), taken chunk by chunk: Arrow's take on a
    chunked column joins all its chunks first."""
    rows = np.asarray(rows, np.int64)
    if not isinstance(arr, pa.ChunkedArray):
        return arr.take(pa.array(rows))
    starts = np.cumsum([0] + [len(c) for c in arr.chunks])
    cut = np.searchsorted(rows, starts)
    parts = [chunk.take(pa.array(rows[cut[i]:cut[i + 1]] - starts[i]))
             for i, chunk in enumerate(arr.chunks) if cut[i + 1] > cut[i]]
    return pa.concat_arrays(parts) if parts else pa.array([], arr.type)


def with_missing(arr: pa.Array | pa.ChunkedArray, missing: np.ndarray) -> pa.ChunkedArray:
    """The same texts with the cells where ``missing`` is True (and only those) missing: a new
    validity bitmap over the column's own offsets and bytes, no text copied."""
    out, at = [], 0
    for chunk in _chunks(arr):
        n = len(chunk)
        valid = ~np.asarray(missing[at:at + n], bool)
        at += n
        if chunk.null_count:
            valid &= chunk.is_valid().to_numpy(zero_copy_only=False)
        kind = 8 if pa.types.is_large_string(chunk.type) else 4
        offsets = chunk.buffers()[1].slice(chunk.offset * kind, (n + 1) * kind)
        data = chunk.buffers()[2] if chunk.buffers()[2] is not None else pa.py_buffer(b"")
        bitmap = pa.py_buffer(np.packbits(valid, bitorder="little"))
        out.append(pa.Array.from_buffers(chunk.type, n, [bitmap, offsets, data],
                                         null_count=int(n - valid.sum())))
    return pa.chunked_array(out, arr.type)


def is_ascii(chunk: pa.Array) -> bool:
    """Whether a chunk of texts (or bytes) is plain ASCII (one max over its bytes)."""
    offsets = _offsets(chunk)
    data = _data(chunk)[offsets[0]:offsets[-1]] if len(offsets) else _data(chunk)[:0]
    return not len(data) or int(data.max()) < 0x80


def binary_as_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """A column read as binary, as text: chunks of plain ASCII are viewed as text as they are
    (no copy, no check: ASCII is valid UTF-8); the others are checked to be UTF-8.

    Raises ``pa.ArrowInvalid`` ("Invalid UTF8 ...") when a cell is not valid UTF-8. Checking the
    whole column's bytes at once is cheaper than the CSV parser's check of every cell as it goes.
    """
    chunks = [chunk.view(pa.string()) if is_ascii(chunk) else chunk.cast(pa.string())
              for chunk in column.chunks]
    return pa.chunked_array(chunks, pa.string())

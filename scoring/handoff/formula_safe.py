"""Text a spreadsheet would run as a formula, made safe: an apostrophe before = + - @ tab or CR.

Every export writes cells through these functions. Negative numbers such as ``-5`` are left alone
(a spreadsheet reads them as numbers, not formulas), and so is a lone "-" or "=".

Checking is cheap when nothing is risky, which is the common case: only the first byte of each
cell is looked at (a column of few distinct texts is checked on those texts), and the slower
pattern match runs on the cells that start with one of the six characters.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["neutralise_arrow", "neutralise", "risky_cells", "prefixed", "neutralised_rows", "safe_headers",
           "coded_texts"]

_RISKY = r"^[=+\-@\t\r]."          # a lone "-" or "=" is harmless text
_NEGATIVE_NUMBER = r"^-\d+(\.\d+)?$"
_RISKY_FIRST = np.zeros(256, bool)
_RISKY_FIRST[[ord(c) for c in "=+-@\t\r"]] = True


def _first_bytes_risky(values: pa.Array) -> np.ndarray:
    """Per cell: does it start with one of the risky characters (read from the Arrow buffers,
    without making a new array)."""
    if isinstance(values, pa.ChunkedArray):
        return np.concatenate([_first_bytes_risky(c) for c in values.chunks]) if values.num_chunks \
            else np.zeros(0, bool)
    if pa.types.is_dictionary(values.type):
        risky = _first_bytes_risky(values.dictionary)[values.indices.fill_null(0).to_numpy(zero_copy_only=False)]
        return risky & values.is_valid().to_numpy(zero_copy_only=False) if values.null_count else risky
    large = pa.types.is_large_string(values.type) or pa.types.is_large_binary(values.type)
    _validity, offsets_buffer, data_buffer = values.buffers()[:3]
    offsets = np.frombuffer(offsets_buffer, np.int64 if large else np.int32,
                            count=len(values) + 1, offset=values.offset * (8 if large else 4))
    if data_buffer is None or len(values) == 0:
        return np.zeros(len(values), bool)
    data = np.frombuffer(data_buffer, np.uint8)
    starts, lengths = offsets[:-1], np.diff(offsets)
    first = data[np.minimum(starts, max(len(data) - 1, 0))] if len(data) else np.zeros(len(values), np.uint8)
    risky = _RISKY_FIRST[first] & (lengths > 1)
    if values.null_count:
        risky &= values.is_valid().to_numpy(zero_copy_only=False)
    return risky


def risky_cells(values: pa.Array | pa.ChunkedArray) -> np.ndarray | None:
    """Per cell: would a spreadsheet run it as a formula? None when no cell would (the usual
    answer, found from the first bytes alone)."""
    maybe = _first_bytes_risky(values)
    if not maybe.any():
        return None
    at = np.flatnonzero(maybe)
    texts = values.take(pa.array(at))
    if pa.types.is_dictionary(texts.type):
        texts = texts.cast(pa.string())
    risky = pc.and_(pc.match_substring_regex(texts, _RISKY),
                    pc.invert(pc.match_substring_regex(texts, _NEGATIVE_NUMBER)))
    risky = np.asarray(pc.fill_null(risky, False).to_numpy(zero_copy_only=False), bool)
    if not risky.any():
        return None
    out = np.zeros(len(values), bool)
    out[at[risky]] = True
    return out


def prefixed(values: pa.Array, where: np.ndarray) -> pa.Array:
    """``values`` (strings) with an apostrophe before the cells ``where`` is True."""
    if pa.types.is_dictionary(values.type):
        values = values.cast(pa.string())
    quote, nothing = pa.scalar("'", values.type), pa.scalar("", values.type)
    return pc.if_else(pa.array(where), pc.binary_join_element_wise(quote, values, nothing), values)


def neutralise_arrow(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Prefix text cells that start with = + - @ tab or CR with an apostrophe.

    Parameters
    ----------
    values : pyarrow string array (nulls allowed)

    Returns
    -------
    The same array when no cell is risky, else a string array with risky cells prefixed.
    """
    risky = risky_cells(values)
    if risky is None:
        return values
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    return prefixed(values, risky)


def neutralise(values: pd.Series) -> pd.Series:
    """:func:`neutralise_arrow` for a pandas Series of texts (missing values stay missing)."""
    text = values.astype("str")
    out = neutralise_arrow(pa.array(text, from_pandas=True))
    return pd.Series(out.to_numpy(zero_copy_only=False), index=values.index, dtype="str")


def neutralised_rows(rows: list[list]) -> list[list]:
    """Texts in summary rows (source values, rule names from a model file) made formula-safe."""
    return [[neutralise_arrow(pa.array([v]))[0].as_py() if isinstance(v, str) else v for v in row]
            for row in rows]


def safe_headers(names) -> list[str]:
    """Column headers, formula-safe."""
    return neutralise_arrow(pa.array([str(n) for n in names], pa.string())).to_pylist()


def coded_texts(codes: np.ndarray, texts: list[str] | pa.Array) -> pa.DictionaryArray:
    """Per row one of a few distinct ``texts`` (``texts[codes[i]]``), formula-safe, as an Arrow
    dictionary column: each text is held once, however many rows say it."""
    distinct = neutralise_arrow(texts if isinstance(texts, pa.Array) else pa.array(texts, pa.string()))
    return pa.DictionaryArray.from_arrays(pa.array(np.asarray(codes), pa.int32()), distinct)

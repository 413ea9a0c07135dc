"""A few cells of a big column, read without copying the column.

``series.iloc[rows]`` over an Arrow-backed text column takes from its chunked array, and Arrow's
take over a chunked array joins the chunks first: a copy of the whole column (hundreds of
megabytes at ten million leads) to read a handful of cells. ``cells_at`` takes from each chunk
only the rows it holds. Part of the shared floor: imports nothing of Leadbench.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

__all__ = ["cells_at"]


def cells_at(series: pd.Series, rows) -> np.ndarray:
    """The values of ``series`` at positions ``rows``, as an object array (missing texts of an
    Arrow-backed text column are None; other columns give what ``iloc`` gives)."""
    rows = np.asarray(rows, np.int64)
    chunked = pa.array(series.array) if isinstance(series.dtype, pd.StringDtype) else None
    if not isinstance(chunked, pa.ChunkedArray) or chunked.num_chunks <= 1 or not len(rows):
        return series.iloc[rows].to_numpy(object)
    ends = np.cumsum([len(chunk) for chunk in chunked.chunks])
    starts = ends - [len(chunk) for chunk in chunked.chunks]
    which = np.searchsorted(ends, rows, side="right")
    out = np.empty(len(rows), object)
    for index in np.unique(which):
        chosen = np.flatnonzero(which == index)
        piece = chunked.chunk(int(index)).take(pa.array(rows[chosen] - starts[index]))
        out[chosen] = piece.to_pylist()
    return out

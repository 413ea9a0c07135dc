"""The rows of a CSV export, built a batch at a time while the file is being written.

A million leads are never gathered into one table: each column is looked at once (does any cell
need an apostrophe so a spreadsheet shows it as text? a column of few distinct texts is looked at
through those texts), and then every batch takes its rows from the lead list's cells, in export
order (a slice when the rows are the list's own order, a gather otherwise) and adds the score
columns. A column of few distinct texts is gathered as codes into them, so sorting by score does
not copy its texts, and the reasons are codes into the distinct reason texts.

Cells are written as the list had them; with ``decimal=","`` numbers are written with a decimal
comma (see :func:`scoring.handoff.export_csv.number_texts`).
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from scoring.column_types import ColumnType
from scoring.handoff.export_csv import dates_without_midnight, number_texts
from scoring.handoff.formula_safe import neutralise_arrow, prefixed, risky_cells, safe_headers

__all__ = ["CsvBatches", "TYPED"]

#: column types whose cells that are values of the type are written as they are
TYPED = {ColumnType.INTEGER, ColumnType.NUMBER, ColumnType.BOOLEAN, ColumnType.DATE, ColumnType.DATETIME}
_NUMERIC = (ColumnType.INTEGER, ColumnType.NUMBER)

#: a column of the list: its cells at the given rows of the list (a slice, or positions)
Column = Callable[[np.ndarray | slice], pa.Array]


class CsvBatches:
    """The cells of a :class:`scoring.handoff.export.Selection` plus its score columns, as Arrow
    tables of consecutive rows: ``batch(lo, hi)`` holds export rows ``lo`` to ``hi``.

    Attributes
    ----------
    n_rows : the number of rows exported
    names : the headers, formula-safe
    """

    def __init__(self, selection, decimal: str = ".") -> None:
        rows = np.asarray(selection.rows, np.int64)
        self.n_rows = len(rows)
        self._rows = rows
        self._in_order = self.n_rows == 0 or (
            int(rows[-1]) - int(rows[0]) == self.n_rows - 1 and bool(np.all(np.diff(rows) == 1)))
        self._columns: list[Column] = [self._column(selection, name, decimal) for name in selection.names]
        self._selection, self._decimal = selection, decimal
        self.names = safe_headers(list(selection.names) + list(selection.score_columns(slice(0, 0))))

    def batch(self, lo: int, hi: int) -> pa.Table:
        """Export rows ``lo`` to ``hi`` (not included) as a table of plain columns (texts
        decoded here, so that a writer on another thread only writes)."""
        at = self._rows[lo:hi]
        where = slice(int(at[0]), int(at[0]) + len(at)) if self._in_order and len(at) else at
        arrays = [column(where) for column in self._columns]
        arrays += self._score_values(lo, hi)
        return pa.Table.from_arrays([_decoded(a) for a in arrays], names=self.names)

    def _score_values(self, lo: int, hi: int) -> list[pa.Array]:
        """The score columns of export rows ``lo`` to ``hi``: numbers, and the reasons as codes
        into their distinct texts, made for this batch alone (reasons for a million leads at
        once would hold every rule's points per lead; made for a block that several batches
        share, one worker made them while the other waited for them)."""
        return [_score_array(v, self._decimal) for v in self._selection.score_columns(slice(lo, hi)).values()]

    # -- one column ---------------------------------------------------------------------------
    def _column(self, selection, name, decimal: str):
        ctype = selection.table.types.get(name)
        cells = selection.cells(name)
        if cells is None:                       # no original texts: the typed values
            return _plain(_typed_cells(selection.table.frame[name], ctype in TYPED), None)
        if cells.num_chunks > 1 and not self._in_order:
            cells = pa.chunked_array([cells.combine_chunks()])
        cells = cells.chunk(0) if cells.num_chunks == 1 else cells
        typed = ctype in TYPED
        missing = selection.table.frame[name].isna().to_numpy() if typed else None
        if decimal != "." and ctype in _NUMERIC:
            fmt = getattr(selection.table, "number_formats", {}).get(name)
            values = selection.table.frame[name].to_numpy(float, na_value=np.nan)
            return _decimal_numbers(cells, values, missing, decimal, fmt is not None and fmt.percent)
        if pa.types.is_dictionary(cells.type) and isinstance(cells, pa.Array):
            return _coded(cells, missing)
        risky = risky_cells(cells)
        if risky is not None and missing is not None:
            risky &= missing                    # values of the column's type are never formulas
        return _plain(cells, risky if risky is not None and risky.any() else None)


def _decoded(values: pa.Array) -> pa.Array:
    """Texts held as codes, as texts (a gather from the distinct texts: cheaper than a cast)."""
    if not pa.types.is_dictionary(values.type):
        return values
    return values.dictionary.take(values.indices)


def _gather(values: pa.Array | pa.ChunkedArray, where) -> pa.Array:
    if isinstance(where, slice):
        return values.slice(where.start, where.stop - where.start)
    return values.take(pa.array(where))


def _plain(cells: pa.Array, risky: np.ndarray | None) -> Column:
    if risky is None:
        return lambda where: _gather(cells, where)
    return lambda where: prefixed(_gather(cells, where), risky[where])


def _coded(cells: pa.DictionaryArray, missing: np.ndarray | None) -> Column:
    """A column of few distinct texts: the texts made safe once, the rows gathered as codes."""
    dictionary = cells.dictionary
    risky = risky_cells(dictionary)
    if risky is not None and missing is not None:          # a text that is a value of the type
        codes = cells.indices.fill_null(0).to_numpy(zero_copy_only=False)
        held = np.zeros(len(dictionary), bool)
        held[codes[~missing & cells.is_valid().to_numpy(zero_copy_only=False)]] = True
        risky &= ~held
    if risky is not None and risky.any():
        dictionary = prefixed(dictionary, risky)
    indices = cells.indices
    return lambda where: pa.DictionaryArray.from_arrays(_gather(indices, where), dictionary)


def _decimal_numbers(cells, values: np.ndarray, missing: np.ndarray, decimal: str, percent: bool) -> Column:
    """Numbers with a decimal comma; cells that are not numbers keep their (safe) text."""
    def column(where):
        texts = neutralise_arrow(_gather(cells, where))
        if pa.types.is_dictionary(texts.type):
            texts = texts.cast(pa.string())
        return pc.if_else(pa.array(missing[where]), texts, number_texts(values[where], decimal, percent=percent))
    return column


def _score_array(values: np.ndarray | pa.Array, decimal: str) -> pa.Array:
    """A score column as written: numbers as texts with the decimal mark asked for, each
    distinct number written once (a few thousand scores among a million leads: formatting
    every cell costs five times as much), the rows as codes into them."""
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        return values
    if values.dtype.kind != "f":
        return pa.array(values)
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    texts = number_texts(distinct, decimal)
    return pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int32), mask=codes < 0), texts)


def _typed_cells(typed, is_typed: bool) -> pa.Array:
    """A column without original texts: typed values as they are, texts made safe."""
    if is_typed:
        values = pa.array(typed, from_pandas=True)
        return dates_without_midnight(values) if pa.types.is_timestamp(values.type) else values
    return neutralise_arrow(pa.array(typed.astype("str"), from_pandas=True))

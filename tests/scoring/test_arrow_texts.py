"""Texts of a big column looked at through their offsets and bytes: the same answers as Arrow's
kernels, on plain, sliced and chunked columns."""

import numpy as np
import pyarrow as pa
import pytest

from scoring.reading.arrow_texts import cell_lengths, spaces_at_edges, take_rows, with_missing
from scoring.reading.converting import trim_spaces


def _shapes(values):
    whole = pa.array(["pad"] + values + ["pad"])
    return [pa.array(values), whole.slice(1, len(values)),
            pa.chunked_array([pa.array(values[:2]), pa.array([], pa.string()), pa.array(values[2:])])]


@pytest.mark.parametrize("values, edged", [
    (["ann@x.com", "", None, "bo"], False),
    (["ann@x.com", " bo", None, "cy"], True),
    (["ann@x.com", "bo\t", None, "cy"], True),
    (["ann", "bo", None, "cy\u00a0"], True),           # a no-break space pasted from a web page
    (["ann", "\u00e9l\u00e8ve", None, "caf\u00e9"], False),   # accents are not spaces
])
def test_spaces_at_edges_tells_whether_trimming_changes_a_cell(values, edged):
    for column in _shapes(values):
        assert spaces_at_edges(column) is edged
        trimmed = trim_spaces(column)
        assert (trimmed.to_pylist() != column.to_pylist()) is edged


def test_cell_lengths_are_bytes_per_cell():
    for column in _shapes(["ann", "", None, "caf\u00e9"]):
        assert cell_lengths(column).tolist() == [3, 0, 0, 5]


def test_take_rows_takes_from_each_chunk():
    column = pa.chunked_array([pa.array(["a", "b"]), pa.array(["c"]), pa.array(["d", "e", None])])
    assert take_rows(column, np.array([0, 2, 3, 5])).to_pylist() == ["a", "c", "d", None]
    assert take_rows(column, np.array([], np.int64)).to_pylist() == []
    assert take_rows(pa.array(["x", "y"]), np.array([1])).to_pylist() == ["y"]


def test_with_missing_marks_cells_missing_and_keeps_missing_ones():
    for column in _shapes(["ann", "n/a", None, ""]):
        out = with_missing(column, np.array([False, True, False, False]))
        assert out.to_pylist() == ["ann", None, None, ""]
        assert out.null_count == 2

"""Reading a sheet column by column: blank rows and columns, kinds of cells, and the cycle
collector left as it was found."""

import gc
import re

import pytest
import xlsxwriter

from scoring.errors import LoadError
from scoring.reading import load_leads
from scoring.reading.sheet_reader import read_sheet
from tests.hostile.generators import patch_zip


def _book(path, rows, *, formatted=None):
    with xlsxwriter.Workbook(str(path)) as book:
        sheet = book.add_worksheet("Leads")
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
        if formatted is not None:               # a fill colour far right and below: no value
            sheet.write_blank(*formatted, None, book.add_format({"bg_color": "#DDEEFF"}))
    return path


def test_blank_rows_trailing_rows_and_formatted_columns_are_left_out(tmp_path):
    rows = [["Export of 3 leads"], [], ["name", "employees", "note"], ["Ann", 12, ""], [],
            ["Bob", None, "call back"], [None, None, None], ["Cid", 7.5, None]]
    raw, sheet, warnings = read_sheet(_book(tmp_path / "l.xlsx", rows, formatted=(40, 9)))
    assert sheet == "Leads"
    assert raw.column_names == ["name", "employees", "note"]
    assert raw.to_pydict() == {"name": ["Ann", "Bob", "Cid"], "employees": ["12", None, "7.5"],
                               "note": [None, "call back", None]}
    assert warnings == ["Skipped 2 rows above the header row."]
    assert raw.schema.metadata == {b"leadbench.native_numbers": b'["employees"]'}


def test_a_column_of_several_kinds_is_read_cell_by_cell(tmp_path):
    rows = [["id", "flag"], [1, True], ["A-2", False], [3.25, "maybe"], [None, None], [10 ** 6, True]]
    table = load_leads(_book(tmp_path / "l.xlsx", rows))
    assert table.n_rows == 4
    assert table.raw.to_pydict() == {"id": ["1", "A-2", "3.25", "1000000"],
                                     "flag": ["true", "false", "maybe", "true"]}


def test_a_header_wider_than_the_leads_keeps_its_empty_columns_named(tmp_path):
    rows = [["name", "email", "phone"], ["Ann", None, None], ["Bob", "bob@x.co", None]]
    raw, _sheet, _warnings = read_sheet(_book(tmp_path / "l.xlsx", rows))
    assert raw.to_pydict() == {"name": ["Ann", "Bob"], "email": [None, "bob@x.co"], "phone": [None, None]}


def test_a_not_a_number_cell_counts_as_empty(tmp_path):
    path = _book(tmp_path / "l.xlsx", [["name", "score"], ["Ann", 1], ["Bob", 2], ["x", 3]])
    path = patch_zip(path, "xl/worksheets/sheet1.xml",      # the last row: two cells that are NaN
                     lambda xml: re.sub(r'(<row r="4".*?</row>)',
                                        '<row r="4"><c r="A4"><v>NaN</v></c><c r="B4"><v>NaN</v></c></row>',
                                        xml))
    raw, _sheet, _warnings = read_sheet(path)
    assert raw.to_pydict() == {"name": ["Ann", "Bob"], "score": ["1", "2"]}


def test_one_cell_is_not_a_table(tmp_path):
    with pytest.raises(LoadError, match="holds only “Leads March”"):
        read_sheet(_book(tmp_path / "l.xlsx", [[], [None, "Leads March"]]))


@pytest.mark.parametrize("enabled", [True, False])
def test_the_cycle_collector_is_left_as_it_was(tmp_path, enabled):
    good = _book(tmp_path / "good.xlsx", [["name", "score"], ["Ann", 1]])
    bad = _book(tmp_path / "bad.xlsx", [["only"]])
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        assert read_sheet(good)[0].num_rows == 1
        assert gc.isenabled() is enabled
        with pytest.raises(LoadError):
            read_sheet(bad)
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def test_columns_whose_kind_changes_after_the_first_block_of_rows(tmp_path):
    n = 5_000                                   # more rows than one block of conversion
    rows = [["code", "later", "amount"]]
    rows += [[f"C{i}", None, float(i)] for i in range(1, n)]
    rows += [[12345, 7.5, 2.5], ["C-last", "text", 3.0]]        # a number among texts, a text among numbers
    table = load_leads(_book(tmp_path / "l.xlsx", rows))
    raw = table.raw.to_pydict()
    assert table.n_rows == n + 1
    assert raw["code"][:2] == ["C1", "C2"] and raw["code"][-2:] == ["12345", "C-last"]
    assert raw["later"][:n - 1] == [None] * (n - 1) and raw["later"][-2:] == ["7.5", "text"]
    assert raw["amount"][-3:] == [str(n - 1), "2.5", "3"]
    assert table.frame["amount"].dtype.kind == "f"

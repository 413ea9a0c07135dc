"""The sheet-extent pre-scan: its quick look (wide references and the last row tag) finds the same
grid as counting every row tag does, and sheets that would not fit are still refused."""

import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from scoring.errors import LoadError
from scoring.reading import load_leads
from scoring.reading.sheet_extent import (MAX_CELLS, SheetExtent, _quick_scan, _scan, sheet_members,
                                          sheet_extents)
from tests.conftest import SHARED_DATA


def _counted(path: Path) -> dict[str, SheetExtent]:
    """Every sheet's grid by the full scan (every row tag counted and read), as before the quick look."""
    out = {}
    with zipfile.ZipFile(path) as archive:
        for sheet, member in sheet_members(archive).items():
            with archive.open(member) as stream:
                extent = _scan(stream)
            if extent.cells > MAX_CELLS:
                with archive.open(member) as stream:
                    extent = _scan(stream, precise=True)
            out[sheet] = extent
    return out


def _shared_workbooks() -> list[Path]:
    return sorted(SHARED_DATA.glob("*/*.xlsx"))


@pytest.mark.parametrize("path", _shared_workbooks(), ids=lambda p: p.name)
def test_real_workbooks_get_the_grid_the_full_scan_finds(path):
    extents = sheet_extents(path)
    assert extents, "every sheet of a real workbook is measured"
    assert extents == _counted(path)


def test_the_shared_workbooks_are_there():
    if not SHARED_DATA.exists():
        pytest.skip("../shared/data is not beside this checkout")
    assert len(_shared_workbooks()) >= 20


def _leads(path: Path, rows: int, columns: int, far_blank: tuple[int, int] | None = None) -> Path:
    with xlsxwriter.Workbook(str(path)) as book:
        sheet = book.add_worksheet("Leads")
        sheet.write_row(0, 0, [f"field {c}" for c in range(columns)])
        for r in range(1, rows):
            sheet.write_row(r, 0, [f"lead {r}"] + [r * c for c in range(1, columns)])
        if far_blank is not None:           # formatting only: a fill colour, no value
            sheet.write_blank(*far_blank, None, book.add_format({"bg_color": "#FFFF00"}))
        book.add_worksheet("Notes").write(0, 0, "read me")
    return path


@pytest.mark.parametrize("rows, columns", [(2, 3), (500, 30), (30_000, 40)])
def test_generated_workbooks_measure_their_rows_and_columns(tmp_path, rows, columns):
    path = _leads(tmp_path / "leads.xlsx", rows, columns)      # 30,000 x 40: several megabytes of XML
    extents = sheet_extents(path)
    assert extents["Leads"] == SheetExtent(rows, max(columns, 26))
    assert extents["Notes"] == SheetExtent(1, 26)
    assert extents == _counted(path)


def test_a_formatted_cell_far_out_counts_in_the_quick_look(tmp_path):
    path = _leads(tmp_path / "leads.xlsx", 50, 5, far_blank=(9_999, 99))      # CV10000
    assert sheet_extents(path)["Leads"] == SheetExtent(10_000, 100) == _counted(path)["Leads"]
    table = load_leads(path)
    assert (table.n_rows, len(table.frame.columns)) == (49, 5)


def test_a_formatted_cell_at_the_far_corner_does_not_stop_the_load(tmp_path):
    path = _leads(tmp_path / "leads.xlsx", 50, 5, far_blank=(1_048_575, 16_383))     # XFD1048576
    extent = sheet_extents(path)["Leads"]
    assert extent == _counted(path)["Leads"]
    assert extent.cells <= MAX_CELLS             # the empty far cell is left out on the second look
    table = load_leads(path)
    assert (table.n_rows, len(table.frame.columns)) == (49, 5)
    assert table.frame["field 0"].iloc[-1] == "lead 49"


def test_a_value_at_the_far_corner_is_refused(tmp_path):
    path = tmp_path / "far.xlsx"
    with xlsxwriter.Workbook(str(path)) as book:
        sheet = book.add_worksheet("Leads")
        sheet.write_row(0, 0, ["name", "email"])
        sheet.write_row(1, 0, ["Ann", "ann@example.com"])
        sheet.write(1_048_575, 16_383, " ")
    assert sheet_extents(path)["Leads"] == SheetExtent(1_048_576, 16_384)
    with pytest.raises(LoadError, match="reaches cell XFD1048576"):
        load_leads(path)


def _sheet_xml(rows: list[str], after: str = "") -> bytes:
    return ('<?xml version="1.0"?><worksheet xmlns="main"><sheetData>' + "".join(rows)
            + "</sheetData>" + after + "</worksheet>").encode()


def _row(number: int, refs: tuple[str, ...] = ("A",)) -> str:
    return f'<row r="{number}">' + "".join(f'<c r="{c}{number}"><v>1</v></c>' for c in refs) + "</row>"


def test_the_last_row_is_found_wherever_the_stream_is_cut():
    xml = _sheet_xml([_row(n) for n in range(1, 40)] + [_row(70_000, ("A", "AB"))],
                     after='<rowBreaks count="1"><brk id="3"/></rowBreaks>')
    for cut in range(1, len(xml)):
        assert _quick_scan([xml[:cut], xml[cut:]]) == SheetExtent(70_000, 28), cut


def test_rows_without_numbers_are_left_to_the_count():
    xml = _sheet_xml(['<row><c><v>1</v></c></row>'] * 5)
    assert _quick_scan([xml]) is None

    class Stream:
        def __init__(self, data):
            self._data = data

        def read(self, size):
            out, self._data = self._data[:size], self._data[size:]
            return out
    assert _scan(Stream(xml)) == SheetExtent(5, 26)


def test_a_prefixed_row_and_a_row_number_after_other_attributes_are_read():
    xml = ('<x:worksheet xmlns:x="main"><x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>'
           '<x:row spans="1:1" r="812"><x:c r="A812"><x:v>2</x:v></x:c></x:row>'
           '</x:sheetData></x:worksheet>').encode()
    assert _quick_scan([xml]) == SheetExtent(812, 26)

"""Numbers an XLSX shows as percentages or amounts are read as Excel shows them, as a CSV of the
same sheet says them: an open rate shown as 12.5% is a percentage (0.125, shown "12.5%"), not a bare
0.125; "$1,200.50" is an amount in dollars."""

import re
import zipfile

import openpyxl
import pytest
import xlsxwriter

from scoring.column_types import ColumnType as T
from scoring.reading import load_leads

RATES = [0.125, 0.07, 0.5, None]


def _xlsxwriter_book(path):
    with xlsxwriter.Workbook(str(path)) as book:
        sheet = book.add_worksheet("Leads")
        formats = {"open_rate": book.add_format({"num_format": "0.0%"}),
                   "win_rate": book.add_format({"num_format": 9}),          # Excel's own "0%"
                   "deal": book.add_format({"num_format": '"$"#,##0.00'}),
                   "budget": book.add_format({"num_format": "#,##0.00 [$€-407]"})}
        header = ["name", "open_rate", "win_rate", "deal", "budget", "score", "mixed"]
        sheet.write_row(0, 0, header)
        rows = [("Ann", 0.125, 0.25, 1200.5, -12.5, 0.5, 0.5),
                ("Bob", 0.07, 1, 950, 1000, 0.25, 0.25),
                ("Cy", 0.5, 0, 12000, 3, 1, 1),
                ("Di", None, None, None, None, 2, 2)]
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                name = header[c]
                if value is None:
                    continue
                if name in formats:
                    sheet.write_number(r, c, value, formats[name])
                elif name == "mixed" and r == 1:          # one in four shown as a percentage
                    sheet.write_number(r, c, value, formats["win_rate"])
                else:
                    sheet.write(r, c, value)
    return path


def test_percent_and_currency_columns_read_as_excel_shows_them(tmp_path):
    table = load_leads(_xlsxwriter_book(tmp_path / "leads.xlsx"))
    frame = table.frame
    assert table.types["open_rate"] == T.NUMBER
    assert frame["open_rate"].tolist()[:3] == [0.125, 0.07, 0.5]
    assert frame["win_rate"].tolist()[:3] == [0.25, 1, 0]
    assert table.raw.column("open_rate").to_pylist() == ["12.5%", "7%", "50%", None]
    assert table.number_formats["open_rate"].percent and table.number_formats["win_rate"].percent
    assert frame["deal"].tolist()[:3] == [1200.5, 950, 12000]
    assert table.number_formats["deal"].currency == "$"
    assert frame["budget"].tolist()[:3] == [-12.5, 1000, 3]
    assert table.number_formats["budget"].currency == "€"
    # plain numbers, and a column where only one number in four is shown as a percentage, keep their values
    assert frame["score"].tolist() == [0.5, 0.25, 1, 2]
    assert frame["mixed"].tolist() == [0.5, 0.25, 1, 2]
    assert not table.number_formats["mixed"].percent and table.number_formats["mixed"].currency is None


def test_the_sheet_and_its_csv_give_the_same_numbers(tmp_path):
    sheet = load_leads(_xlsxwriter_book(tmp_path / "leads.xlsx"))
    csv = tmp_path / "leads.csv"
    csv.write_text('name,open_rate,deal\nAnn,12.5%,"$1,200.50"\nBob,7.0%,$950.00\n'
                   'Cy,50.0%,"$12,000.00"\nDi,,\n', encoding="utf-8")
    text = load_leads(csv)
    for column in ("open_rate", "deal"):
        assert sheet.frame[column].tolist()[:3] == text.frame[column].tolist()[:3]
        assert sheet.types[column] == text.types[column]
        assert sheet.number_formats[column].percent == text.number_formats[column].percent
        assert sheet.number_formats[column].currency == text.number_formats[column].currency


def test_a_table_away_from_the_corner_is_read_by_its_own_columns(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["C3"], sheet["D3"], sheet["E3"] = "id", "rate", "count"
    for i, rate in enumerate([0.5, 0.25, 1.0]):
        sheet.cell(4 + i, 3, i + 1)
        sheet.cell(4 + i, 4, rate).number_format = "0%"
        sheet.cell(4 + i, 5, i * 10)
    path = tmp_path / "offset.xlsx"
    book.save(path)
    table = load_leads(path)
    assert table.frame["rate"].tolist() == [0.5, 0.25, 1]
    assert table.number_formats["rate"].percent and "count" not in table.number_formats
    assert table.frame["id"].tolist() == [1, 2, 3]
    assert table.frame["count"].tolist() == [0, 10, 20]


def test_cells_without_references_are_placed_by_their_order(tmp_path):
    """The format lets a writer leave out a cell's reference (``<c s="1">``): cells then follow
    one another along their row."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "rate"])
    for i, rate in enumerate([0.5, 0.25], start=1):
        sheet.append([i, rate])
        sheet.cell(i + 1, 2).number_format = "0.0%"
    original = tmp_path / "with_refs.xlsx"
    book.save(original)
    path = tmp_path / "no_refs.xlsx"
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb'(<c) r="[A-Z]+\d+"', rb"\1", data)
                assert b' r="A2"' not in data
            target.writestr(info, data)
    table = load_leads(path)
    assert table.frame["rate"].tolist() == [0.5, 0.25]
    assert table.raw.column("rate").to_pylist() == ["50%", "25%"]


@pytest.mark.parametrize("code, shown", [("0.00%", "50%"), ('#,##0 "EUR"', "EUR 1"),
                                         ("[$£-809]#,##0.00;[Red]-[$£-809]#,##0.00", "£ 1"),
                                         ('0" leads"', None), ("0.00E+00", None)])
def test_number_formats_are_told_apart(code, shown):
    from scoring.reading.sheet_formats import Shown, _shown_by
    got = _shown_by(code)
    if shown is None:
        assert got is None
    elif shown.endswith("%"):
        assert got == Shown(percent=True)
    else:
        assert got == Shown(currency=shown.split()[0])

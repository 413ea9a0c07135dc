"""Loading spreadsheets: XLSX/XLSM through xlsxwriter, ODS built by hand, sheets, dates, serials."""

import datetime as dt
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import xlsxwriter

from scoring.column_types import ColumnType as T
from scoring.errors import Cancelled, LoadError
from scoring.reading import list_sheets, load_leads
from scoring.reading.sheet_reader import biggest_sheet


def workbook(path: Path, sheets: dict) -> Path:
    with xlsxwriter.Workbook(str(path)) as book:
        date_fmt = book.add_format({"num_format": "yyyy-mm-dd"})
        for name, rows in sheets.items():
            sheet = book.add_worksheet(name)
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    if isinstance(value, dt.datetime):
                        sheet.write_datetime(r, c, value, date_fmt)
                    elif value is not None:
                        sheet.write(r, c, value)
    return path


LEADS = [["Leads report, March"], [], ["name", "created", "employees", "demo", "score"],
         ["Ann", dt.datetime(2026, 3, 1), 12, "Yes", 1.5],
         ["Bob", dt.datetime(2026, 4, 2), 3000, "No", 2]]


def test_sheets_are_listed_and_the_first_with_data_is_read(tmp_path):
    path = workbook(tmp_path / "leads.xlsx", {"Notes": [], "Leads": LEADS, "Other": [["x", "y"], [1, 2]]})
    assert [(s.name, s.rows, s.columns) for s in list_sheets(path)] == [
        ("Notes", 0, 0), ("Leads", 4, 5), ("Other", 2, 2)]
    assert list_sheets(path)[1].cols == 5
    table = load_leads(path)
    assert table.sheet == "Leads"
    assert list(table.frame.columns) == ["name", "created", "employees", "demo", "score"]
    assert table.types == {"name": T.CATEGORY, "created": T.DATE, "employees": T.INTEGER,
                           "demo": T.BOOLEAN, "score": T.NUMBER}
    assert table.frame["created"].tolist() == [pd.Timestamp("2026-03-01"), pd.Timestamp("2026-04-02")]
    assert any("above the header" in w for w in table.warnings)
    other = load_leads(path, sheet="Other")
    assert other.sheet == "Other" and other.frame["x"].tolist() == [1]


def test_an_unknown_or_empty_sheet_is_explained(tmp_path):
    path = workbook(tmp_path / "leads.xlsx", {"Notes": [], "Leads": LEADS})
    with pytest.raises(LoadError, match="no sheet called “Missing”.*Notes, Leads"):
        load_leads(path, sheet="Missing")
    with pytest.raises(LoadError, match="sheet “Notes” is empty"):
        load_leads(path, sheet="Notes")
    empty = workbook(tmp_path / "empty.xlsx", {"Sheet1": []})
    with pytest.raises(LoadError, match="empty.xlsx.*no data"):
        load_leads(empty)


def test_xlsm_and_duplicate_blank_headers(tmp_path):
    path = workbook(tmp_path / "leads.xlsm", {"S": [["email", None, "email"], ["a@b.co", 1, "c@d.co"]]})
    table = load_leads(path)
    assert list(table.frame.columns) == ["email", "Column 2", "email (2)"]


def test_excel_serial_numbers_in_a_date_column(tmp_path):
    rows = [["name", "created date", "employees"], ["Ann", 46082, 46082], ["Bob", 46113.5, 40000]]
    table = load_leads(workbook(tmp_path / "leads.xlsx", {"S": rows}))
    assert table.types["created date"] == T.DATETIME
    assert table.frame["created date"].tolist() == [pd.Timestamp("2026-03-01"), pd.Timestamp("2026-04-01 12:00")]
    assert table.types["employees"] == T.INTEGER          # the header names no date
    as_date = table.retype("employees", T.DATE)
    assert as_date.frame["employees"].iloc[1] == pd.Timestamp("2009-07-06")


def test_cancel_while_reading_a_workbook(tmp_path):
    path = workbook(tmp_path / "leads.xlsx", {"Leads": LEADS})
    with pytest.raises(Cancelled):
        load_leads(path, is_cancelled=lambda: True)


def _ods(path: Path, rows: list[list]) -> Path:
    """A minimal OpenDocument spreadsheet, written by hand (no ODS writer is installed)."""
    def cell(value):
        if value is None:
            return "<table:table-cell/>"
        if isinstance(value, dt.date):
            return (f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
                    f"<text:p>{value.isoformat()}</text:p></table:table-cell>")
        if isinstance(value, (int, float)):
            return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                    f"<text:p>{value}</text:p></table:table-cell>")
        return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'
    body = "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows)
    content = ('<?xml version="1.0" encoding="UTF-8"?>'
               '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               '<office:body><office:spreadsheet><table:table table:name="Leads">'
               f"{body}</table:table></office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?>'
                '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
                'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return path


def test_ods_spreadsheet(tmp_path):
    path = _ods(tmp_path / "leads.ods", [["name", "created", "employees"],
                                         ["Ann", dt.date(2026, 3, 1), 12], ["Bob", dt.date(2026, 4, 2), 300]])
    assert [s.name for s in list_sheets(path)] == ["Leads"]
    table = load_leads(path)
    assert table.sheet == "Leads"
    assert table.types["created"] == T.DATE and table.types["employees"] == T.INTEGER
    assert table.frame["created"].dt.day.tolist() == [1, 2]
    assert table.frame["employees"].tolist() == [12, 300]


def test_columns_of_mixed_cells_keep_every_value(tmp_path):
    rows = [["id", "mixed", "when", "size", "flag"],
            [1, 12, dt.datetime(2026, 3, 1), 10, True],
            [2, "unknown", dt.datetime(2026, 3, 1, 9, 30), "", False],
            [3, 2.5, None, 1e20, True],
            [None, None, None, None, None],            # a blank row inside the table
            [4, "", dt.datetime(2026, 3, 2), 7, False]]
    table = load_leads(workbook(tmp_path / "mixed.xlsx", {"S": rows}))
    assert table.raw.column("mixed").to_pylist() == ["12", "unknown", "2.5", None]
    assert table.raw.column("when").to_pylist() == ["2026-03-01", "2026-03-01 09:30:00", None, "2026-03-02"]
    assert table.types["when"] == T.DATETIME
    assert table.frame["when"].iloc[1] == pd.Timestamp("2026-03-01 09:30")
    assert table.raw.column("size").to_pylist() == ["10", None, "1e+20", "7"]
    assert table.types["flag"] == T.BOOLEAN and table.frame["flag"].tolist() == [True, False, True, False]
    assert table.n_rows == 4


def test_the_biggest_table_is_read_not_a_short_read_me_before_it(tmp_path):
    read_me = [["About this export"], ["Made by the CRM on 3 March; one row per lead."],
               ["Questions: ops@example.com"]]
    leads = [["name", "employees"]] + [[f"Lead {i}", i * 10] for i in range(30)]
    path = workbook(tmp_path / "export.xlsx", {"Read me": read_me, "Leads": leads, "Totals": [["n"], [30]]})
    table = load_leads(path)
    assert table.sheet == "Leads" and table.n_rows == 30
    assert table.frame["employees"].iloc[-1] == 290
    assert biggest_sheet(list_sheets(path)) == "Leads"
    assert load_leads(path, sheet="Read me").sheet == "Read me"     # still there when asked for
    assert biggest_sheet(list_sheets(workbook(tmp_path / "e.xlsx", {"A": [], "B": []}))) is None


def test_a_report_footer_below_a_blank_row_is_left_out_of_a_workbook(tmp_path):
    path = tmp_path / "report.xlsx"
    with xlsxwriter.Workbook(str(path)) as book:
        sheet = book.add_worksheet("Leads")
        rows = [["First Name", "Company", "Employees"], ["Ann", "Acme", 12], ["Bob", "Beta", 300],
                [], ["Grand Totals (2 records)"], ["Confidential Information - Do Not Distribute"]]
        for r, row in enumerate(rows):
            sheet.write_row(r, 0, row)
    table = load_leads(path)
    assert table.frame["First Name"].tolist() == ["Ann", "Bob"]
    assert table.types["Employees"] == T.INTEGER
    assert any(w.startswith("Left out the 2 lines below the leads") for w in table.warnings)


def test_a_lead_with_only_its_name_below_a_blank_row_stays_in_a_workbook(tmp_path):
    path = tmp_path / "leads.xlsx"
    with xlsxwriter.Workbook(str(path)) as book:
        sheet = book.add_worksheet("Leads")
        for r, row in enumerate([["Name", "Employees"], ["Ann", 12], ["Bob", 300], [], ["Zoe"]]):
            sheet.write_row(r, 0, row)
    assert load_leads(path).frame["Name"].tolist() == ["Ann", "Bob", "Zoe"]


def test_a_header_repeated_inside_a_workbook_is_left_out(tmp_path):
    path = tmp_path / "joined.xlsx"
    with xlsxwriter.Workbook(str(path)) as book:
        sheet = book.add_worksheet("Leads")
        rows = [["Name", "", "Employees"], ["Ann", "x", 12], ["Name", "", "Employees"], ["Bob", "y", 300]]
        for r, row in enumerate(rows):
            sheet.write_row(r, 0, row)
    table = load_leads(path)
    assert table.frame["Name"].tolist() == ["Ann", "Bob"]
    assert table.types["Employees"] == T.INTEGER

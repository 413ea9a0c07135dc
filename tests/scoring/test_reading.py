"""Loading lead files: encodings, delimiters, headers, types, bad input."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xlsxwriter

from scoring.column_types import ColumnType as T
from scoring.errors import Cancelled, LoadError
from scoring.reading import list_sheets, load_leads

CSV = "name,email,employees,signup,demo,score\nAnn,ann@acme.com,12,2026-01-05,yes,1.5\nBob,bob@beta.io,300,2026-02-10,no,2\n"


def write(tmp_path, name, data) -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_encodings_are_detected(tmp_path, encoding):
    text = CSV.replace("Ann", "Zoë Müller")
    table = load_leads(write(tmp_path, "leads.csv", text.encode(encoding)))
    assert table.frame["name"].tolist() == ["Zoë Müller", "Bob"]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_delimiters_and_line_ends(tmp_path, delimiter, newline):
    text = CSV.replace(",", delimiter).replace("\n", newline)
    table = load_leads(write(tmp_path, "leads.txt", text))
    assert list(table.frame.columns) == ["name", "email", "employees", "signup", "demo", "score"]
    assert table.n_rows == 2


def test_types_are_decided_from_values(tmp_path):
    table = load_leads(write(tmp_path, "leads.csv", CSV))
    assert table.types == {"name": T.CATEGORY, "email": T.EMAIL, "employees": T.INTEGER,
                           "signup": T.DATE, "demo": T.BOOLEAN, "score": T.NUMBER}
    assert str(table.frame["employees"].dtype) == "Int64"
    assert table.frame["signup"].dt.month.tolist() == [1, 2]
    assert table.frame["demo"].tolist() == [True, False]


@pytest.mark.parametrize(("values", "month"), [
    (["01/05/2026", "02/13/2026"], [1, 2]),      # 13 can only be a day: US month-first
    (["05/01/2026", "13/02/2026"], [1, 2]),      # 13 can only be a day: day-first
    (["05.01.2026", "13.02.2026"], [1, 2]),
    (["2026-01-05 10:30:00", "2026-02-13 08:00:00"], [1, 2]),
])
def test_date_order_is_decided_per_column(tmp_path, values, month):
    text = "when\n" + "\n".join(values) + "\n"
    table = load_leads(write(tmp_path, "d.csv", text))
    assert table.types["when"] in (T.DATE, T.DATETIME)
    assert table.frame["when"].dt.month.tolist() == month


def test_quoted_fields_trailing_delimiters_and_title_rows(tmp_path):
    text = ('Lead export, March 2026\n\n'
            'name,notes,\n"Smith, Ann","line one\nline two",\nBob,"said ""hi""",\n')
    table = load_leads(write(tmp_path, "leads.csv", text))
    assert table.frame["name"].tolist() == ["Smith, Ann", "Bob"]
    assert table.frame["notes"].tolist() == ["line one\nline two", 'said "hi"']
    assert any("above the header" in w for w in table.warnings)


def test_blank_and_duplicate_headers_get_readable_names(tmp_path):
    table = load_leads(write(tmp_path, "leads.csv", "email,,email,Email\na@b.co,1,c@d.co,x\n"))
    assert list(table.frame.columns) == ["email", "Column 2", "email (2)", "Email"]


def test_missing_markers_including_extra_ones(tmp_path):
    text = "source,size\nWeb,NA\nSelect,n/a\nselect ,10\nnull,None\nAds,5\n"
    plain = load_leads(write(tmp_path, "leads.csv", text))
    assert plain.frame["size"].isna().tolist() == [True, True, False, True, False]
    marked = load_leads(tmp_path / "leads.csv", missing_values=("Select",))
    assert marked.frame["source"].isna().tolist() == [False, True, True, True, False]
    assert plain.with_missing_values(("Select",)).frame["source"].isna().sum() == 3


def test_retype_converts_from_the_original_text(tmp_path):
    table = load_leads(write(tmp_path, "leads.csv", CSV))
    as_text = table.retype("employees", T.TEXT)
    assert as_text.frame["employees"].tolist() == ["12", "300"]
    assert as_text.retype("employees", T.NUMBER).frame["employees"].tolist() == [12.0, 300.0]
    assert table.types["employees"] == T.INTEGER            # the original is unchanged


def test_cut_off_file_loads_complete_rows_with_a_warning(tmp_path):
    table = load_leads(write(tmp_path, "leads.csv", CSV + "Cid,cid@x.com,4"))
    assert table.n_rows == 2
    assert any("cut off" in w for w in table.warnings)


def test_mixed_utf8_and_cp1252_bytes(tmp_path):
    data = "name,city\nZoë,Köln\n".encode("utf-8") + "Renée,Montréal\n".encode("cp1252") * 20000
    table = load_leads(write(tmp_path, "leads.csv", data))
    assert table.frame["name"].iloc[0] == "Zoë" and table.frame["name"].iloc[-1] == "Renée"


@pytest.mark.parametrize(("name", "data", "message"), [
    ("empty.csv", b"", "the file is empty"),
    ("blank.csv", b"\n\n  \n", "the file is empty"),
    ("photo.csv", bytes(range(256)) * 40, "not a text table"),
    ("report.pdf", b"%PDF-1.4", "PDF document is not a lead list"),
    ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "password-protected"),
    ("broken.xlsx", b"PK\x03\x04 truncated", "damaged"),
])
def test_bad_input_gets_one_clear_message(tmp_path, name, data, message):
    with pytest.raises(LoadError, match=message) as info:
        load_leads(write(tmp_path, name, data))
    assert name in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(LoadError, match="does not exist"):
        load_leads(tmp_path / "nope.csv")


def test_progress_and_cancel(tmp_path):
    path = write(tmp_path, "leads.csv", CSV * 1)
    seen = []
    load_leads(path, on_progress=seen.append)
    assert seen and seen[-1] == pytest.approx(1.0) and seen == sorted(seen)
    with pytest.raises(Cancelled):
        load_leads(path, is_cancelled=lambda: True)


def test_source_file_is_never_written(tmp_path):
    path = write(tmp_path, "leads.csv", CSV)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    load_leads(path).retype("employees", T.TEXT)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def _workbook(path, sheets):
    with xlsxwriter.Workbook(str(path)) as book:
        for name, rows in sheets.items():
            sheet = book.add_worksheet(name)
            date_fmt = book.add_format({"num_format": "yyyy-mm-dd"})
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    if hasattr(value, "year"):
                        sheet.write_datetime(r, c, value, date_fmt)
                    elif value is not None:
                        sheet.write(r, c, value)


def test_workbook_sheets_dates_and_default_sheet(tmp_path):
    path = tmp_path / "leads.xlsx"
    rows = [["Leads report"], [], ["name", "created", "employees"],
            ["Ann", pd.Timestamp("2026-03-01").to_pydatetime(), 12],
            ["Bob", pd.Timestamp("2026-04-02").to_pydatetime(), 3000]]
    _workbook(path, {"Notes": [], "Leads": rows, "Other": [["x", "y"], [1, 2]]})
    sheets = list_sheets(path)
    assert [(s.name, s.rows) for s in sheets] == [("Notes", 0), ("Leads", 4), ("Other", 2)]
    table = load_leads(path)
    assert table.sheet == "Leads"
    assert table.types["created"] == T.DATE and table.types["employees"] == T.INTEGER
    assert table.frame["created"].dt.day.tolist() == [1, 2]
    other = load_leads(path, sheet="Other")
    assert other.frame["x"].tolist() == [1]
    with pytest.raises(LoadError, match="no sheet called"):
        load_leads(path, sheet="Missing")


# -- public suites and real lists ------------------------------------------------------------
def test_csv_spectrum_expected_parses(shared_data):
    folder = shared_data / "csv_spectrum"
    checked = 0
    for expected_file in sorted((folder / "json").glob("*.json")):
        csv_file = folder / "csvs" / f"{expected_file.stem}.csv"
        expected = json.loads(expected_file.read_text(encoding="utf-8", errors="replace"))
        if isinstance(expected, dict):
            expected = [expected]
        if any("\ufffd" in v for row in expected for v in row.values()):
            continue   # the suite wrote a replacement character where the file has cp1252 bytes
        if not expected:
            with pytest.raises(LoadError):
                load_leads(csv_file)
            continue
        table = load_leads(csv_file)
        raw = table.raw.to_pandas()
        got = [{k: ("" if v is None else v) for k, v in row.items()} for row in raw.to_dict("records")]
        want = [{k: v.replace("\r\n", "\n") for k, v in row.items()} for row in expected]
        got = [{k: v.replace("\r\n", "\n") for k, v in row.items()} for row in got]
        assert got == want, expected_file.stem
        checked += 1
    assert checked >= 10


def test_xlsx2csv_suite_loads_or_explains_every_workbook(shared_data):
    folder = shared_data / "xlsx2csv_tests"
    for path in sorted(folder.glob("*.xls*")):
        try:
            load_leads(path)
        except LoadError as exc:          # e.g. a sheet of one cell is not a table
            assert path.name in str(exc)


def _expected_rows(path):
    return pd.read_csv(path, header=None, dtype=str, keep_default_na=False).values.tolist()


def test_xlsx2csv_suite_tables_match_expected_cells(shared_data):
    folder = shared_data / "xlsx2csv_tests"
    utf8 = load_leads(folder / "utf8.xlsx")
    expected = _expected_rows(folder / "utf8.csv")
    assert list(utf8.frame.columns) == expected[0]
    assert utf8.raw.to_pandas().values.tolist() == expected[1:]
    empty_row = load_leads(folder / "empty_row.xlsx")           # a blank first row is skipped
    assert list(empty_row.frame.columns)[:3] == ["Date", "Agency", "Customer"]
    sheets = load_leads(folder / "sheets.xlsx")
    assert sheets.sheet == list_sheets(folder / "sheets.xlsx")[0].name


def test_real_lists(shared_data):
    leads = load_leads(shared_data / "x_education_leads" / "Leads.csv", missing_values=("Select",))
    assert leads.frame.shape == (9240, 37)
    assert leads.types["Do Not Email"] == T.BOOLEAN
    assert leads.types["TotalVisits"] in (T.INTEGER, T.NUMBER)
    assert leads.frame["Specialization"].isna().sum() > 3000       # "Select" became missing
    bank = load_leads(shared_data / "uci_bank_marketing" / "bank-additional-full.csv")
    assert bank.frame.shape == (41188, 21)
    assert bank.types["y"] == T.BOOLEAN and bank.types["age"] == T.INTEGER
    pipeline = load_leads(shared_data / "maven_crm_sales_opportunities" / "sales_pipeline.csv")
    assert pipeline.types["engage_date"] == T.DATE
    assert np.isclose(pipeline.frame["close_value"].sum(), pd.read_csv(
        shared_data / "maven_crm_sales_opportunities" / "sales_pipeline.csv")["close_value"].sum())

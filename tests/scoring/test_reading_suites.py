"""Public suites and real lead lists: csv_spectrum, xlsx2csv's workbooks, X Education, UCI bank, Maven."""

import csv
import json
import math
import re

import numpy as np
import pandas as pd
import pytest

from scoring.column_types import ColumnType as T
from scoring.errors import LoadError
from scoring.reading import list_sheets, load_leads


# -- csv_spectrum: expected parses of quoting edge cases ---------------------------------------
def _spectrum_cases(shared_data):
    folder = shared_data / "csv_spectrum"
    return [(folder / "csvs" / f"{p.stem}.csv", p) for p in sorted((folder / "json").glob("*.json"))]


def test_csv_spectrum_expected_parses(shared_data):
    checked = 0
    for csv_file, expected_file in _spectrum_cases(shared_data):
        expected = json.loads(expected_file.read_text(encoding="utf-8", errors="replace"))
        expected = [expected] if isinstance(expected, dict) else expected
        if not expected:
            with pytest.raises(LoadError, match="empty"):
                load_leads(csv_file)
            continue
        if any("\ufffd" in v for row in expected for v in row.values()):
            # the suite's JSON holds a replacement character where the file has cp1252 bytes;
            # we decode those bytes instead: compare everything else
            table = load_leads(csv_file)
            assert table.n_rows == len(expected), csv_file.name
            continue
        table = load_leads(csv_file)
        got = [{k: ("" if v is None else v) for k, v in row.items()} for row in table.raw.to_pylist()]
        assert got == expected, csv_file.name
        checked += 1
    assert checked >= 10


# -- xlsx2csv: expected CSVs of workbooks, compared by value ------------------------------------
def _cells(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return [row for row in csv.reader(handle)]


def _rows(table):
    return [list(table.frame.columns)] + [["" if v is None else v for v in row.values()]
                                          for row in table.raw.to_pylist()]


def _same_value(expected: str, got: str) -> bool:
    """Equal as shown: numbers within the rounding of the expected display, booleans any case."""
    if " ".join(expected.split()).casefold() == " ".join(got.split()).casefold():
        return True
    text = expected.replace(",", "")
    percent = text.endswith("%")
    try:
        want = float(text.rstrip("%")) / (100 if percent else 1)
        have = float(got.rstrip("%")) / (100 if got.endswith("%") else 1)   # (shown as the sheet shows it)
    except ValueError:
        return False
    decimals = len(text.rstrip("%").partition(".")[2]) + (2 if percent else 0)
    return math.isclose(want, have, rel_tol=1e-9, abs_tol=0.5 * 10 ** -decimals + 1e-12)


def _assert_rows_match(expected, got):
    width = max(len(r) for r in expected)
    expected = [r + [""] * (width - len(r)) for r in expected if any(c.strip() for c in r)]
    assert len(got) == len(expected), (got, expected)
    for want_row, got_row in zip(expected, got):
        for want, have in zip(want_row, got_row + [""] * (width - len(got_row))):
            if not want and re.fullmatch(r"Column \d+", have):
                continue                        # a blank header got a readable name
            assert _same_value(want, have), (want, have)


@pytest.mark.parametrize("name", [
    "utf8.xlsx", "xlsx2csv-test-file.xlsx", "last-column-empty.xlsx", "float_formatting.xlsx",
    "empty_row.xlsx", "no_cell_ids.xlsx", "skip_empty_lines.xlsx", "twolettercolumns.xlsx",
    "float.xlsx", "float2.xlsx", "percentage.xlsx", "percentage_ignore.xlsx",
])
def test_xlsx2csv_workbooks_match_expected_values(shared_data, name):
    folder = shared_data / "xlsx2csv_tests"
    table = load_leads(folder / name)
    _assert_rows_match(_cells(folder / name.replace(".xlsx", ".csv")), _rows(table))


def test_xlsx2csv_multi_sheet_dumps_match_each_sheet(shared_data):
    """sheets.csv and sheets_order.csv dump every sheet under "-------- N - name" lines."""
    folder = shared_data / "xlsx2csv_tests"
    for name in ("sheets.xlsx", "sheets_order.xlsx"):
        dump = _cells(folder / name.replace(".xlsx", ".csv"))
        starts = [i for i, r in enumerate(dump) if r and r[0].startswith("-------- ")]
        sheets = list_sheets(folder / name)
        for k, start in enumerate(starts):
            sheet_name = dump[start][0].split(" - ", 1)[1]
            end = starts[k + 1] if k + 1 < len(starts) else len(dump)
            assert sheet_name in [s.name for s in sheets]
            _assert_rows_match(dump[start + 1:end], _rows(load_leads(folder / name, sheet=sheet_name)))


def test_xlsx2csv_hyperlinks_keep_their_text(shared_data):
    # xlsx2csv writes <a href> markup (its own option); a lead list wants the shown text
    folder = shared_data / "xlsx2csv_tests"
    for name in ("hyperlinks.xlsm", "hyperlinks_continous.xlsm"):
        expected = [[re.sub(r"<[^>]+>", "", c) for c in row] for row in _cells(folder / name.replace(".xlsm", ".csv"))]
        _assert_rows_match(expected, _rows(load_leads(folder / name)))


def test_xlsx2csv_dates_and_times_come_out_as_dates(shared_data):
    # the expected CSVs copy Excel's display formats ('29-Mar-1940', '03"-"08"-"2017'); we read values
    folder = shared_data / "xlsx2csv_tests"
    timeformat = load_leads(folder / "timeformat.xlsx")
    first = timeformat.frame.columns[0]
    assert first == "2017-08-03 14:35:00"
    assert timeformat.frame[first].tolist() == [pd.Timestamp("2017-08-03"), pd.Timestamp("2017-08-03 15:40")]
    junk = load_leads(folder / "junk-small.xlsx")
    assert list(junk.frame.columns)[:4] == ["1940-03-29", "2008-07-25", "2008-07-25 (2)", "2009-04-08"]


def test_xlsx2csv_title_rows_above_a_table_are_skipped(shared_data):
    folder = shared_data / "xlsx2csv_tests"
    table = load_leads(folder / "namespace.xlsx")
    expected = _cells(folder / "namespace.csv")
    header_at = next(i for i, r in enumerate(expected) if r and r[0] == "Atlas level")
    assert any("above the header" in w for w in table.warnings)
    _assert_rows_match(expected[header_at:], _rows(table))


@pytest.mark.parametrize("name", ["datetime.xlsx", "formatted_inline_string.xlsx", "input-weird.xlsx"])
def test_xlsx2csv_single_values_are_not_lead_tables(shared_data, name):
    # each holds one value (xlsx2csv prints it); a lead list needs a header and columns
    with pytest.raises(LoadError, match=f"{name}: no table was found"):
        load_leads(shared_data / "xlsx2csv_tests" / name)


def test_xlsx2csv_escapes_and_booleans(shared_data):
    table = load_leads(shared_data / "xlsx2csv_tests" / "escape.xlsx")
    assert [c.casefold() for c in table.frame.columns] == ["hello world !", "false"]   # plain spaces


# -- real lead lists ----------------------------------------------------------------------------
def test_x_education_leads(shared_data):
    path = shared_data / "x_education_leads" / "Leads.csv"
    leads = load_leads(path, missing_values=("Select",))
    assert leads.frame.shape == (9240, 37)
    assert leads.types["Do Not Email"] == T.BOOLEAN
    assert leads.frame["Do Not Email"].sum() == (pd.read_csv(path)["Do Not Email"] == "Yes").sum()
    assert leads.types["Converted"] == T.BOOLEAN
    assert leads.frame["Converted"].mean() == pytest.approx(0.385, abs=0.001)
    assert leads.types["TotalVisits"] in (T.INTEGER, T.NUMBER)
    assert leads.types["Lead Source"] == T.CATEGORY
    plain = pd.read_csv(path)["Specialization"]
    assert leads.frame["Specialization"].isna().sum() == plain.isna().sum() + (plain == "Select").sum()
    assert not leads.frame["Specialization"].isin(["Select"]).any()


def test_uci_bank_list(shared_data):
    path = shared_data / "uci_bank_marketing" / "bank-additional-full.csv"
    bank = load_leads(path)
    assert bank.frame.shape == (41188, 21)
    assert bank.types["y"] == T.BOOLEAN and bank.types["age"] == T.INTEGER
    assert bank.types["emp.var.rate"] == T.NUMBER and bank.types["job"] == T.CATEGORY
    expected = pd.read_csv(path, sep=";")
    assert bank.frame["y"].sum() == (expected["y"] == "yes").sum()
    assert np.allclose(bank.frame["euribor3m"].to_numpy(), expected["euribor3m"].to_numpy())


def test_maven_pipeline_dates(shared_data):
    path = shared_data / "maven_crm_sales_opportunities" / "sales_pipeline.csv"
    pipeline = load_leads(path)
    expected = pd.read_csv(path)
    assert pipeline.types["engage_date"] == T.DATE and pipeline.types["close_date"] == T.DATE
    assert pipeline.frame["engage_date"].min() == pd.Timestamp(expected["engage_date"].min())
    assert pipeline.frame["close_date"].isna().sum() == expected["close_date"].isna().sum()
    assert np.isclose(pipeline.frame["close_value"].sum(), expected["close_value"].sum())
    assert pipeline.types["deal_stage"] == T.CATEGORY

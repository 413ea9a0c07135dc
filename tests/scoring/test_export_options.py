"""Export options: columns, order, de-duplication, split into sheets or files, CSV format, and the
Summary and Model sheets of a workbook."""

from __future__ import annotations

import csv
from datetime import date

import numpy as np
import openpyxl
import pytest

import resources
from scoring.errors import Cancelled, ExportError
from scoring.evaluate.engine import Scorer
from scoring.handoff.export import (NO_VALUE, CsvOptions, ExportOptions, default_columns, export_leads,
                                    split_file_names)
from scoring.handoff.export_xlsx import sheet_names
from scoring.model.model_file import load_model
from scoring.reading import load_leads

AS_OF = date(2026, 11, 1)


@pytest.fixture(scope="module")
def sample():
    table = load_leads(resources.SAMPLE_LEADS)
    result = Scorer(table, as_of=AS_OF).score(load_model(resources.STARTER_MODEL))
    return table, result


def rows_of(path, delimiter=",", encoding="utf-8"):
    with open(path, encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def test_csv_with_semicolons_bom_and_windows_line_ends(sample, tmp_path):
    table, result = sample
    options = ExportOptions(csv=CsvOptions(delimiter=";", bom=True, line_end="\r\n"))
    out, = export_leads(table, result, tmp_path / "mql.csv", options)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == result.n_mql + 1 and data.count(b"\n") == result.n_mql + 1
    plain, = export_leads(table, result, tmp_path / "plain.csv")
    assert rows_of(out, ";", "utf-8-sig") == rows_of(plain)
    with pytest.raises(ExportError, match="comma, semicolon, tab or vertical bar"):
        CsvOptions(delimiter=":")


def test_columns_sort_by_a_column_and_leave_out_duplicates(sample, tmp_path):
    table, result = sample
    keep = np.ones(table.n_rows, bool)
    keep[np.flatnonzero(result.mql)[:10]] = False
    out, = export_leads(table, result, tmp_path / "x.csv", which="mql", columns=["company", "employees"],
                        sort_by="employees", ascending=True, keep=keep)
    rows = rows_of(out)
    assert len(rows) == result.n_mql - 10
    assert list(rows[0])[:3] == ["company", "employees", "fit_score"]
    sizes = [int(r["employees"]) for r in rows if r["employees"]]
    assert sizes == sorted(sizes)
    assert all(r["employees"] for r in rows[:len(sizes)])          # missing values last
    with pytest.raises(ExportError, match="no such column"):
        export_leads(table, result, tmp_path / "y.csv", sort_by="nope")
    with pytest.raises(ExportError, match="does not match"):
        export_leads(table, result, tmp_path / "y.csv", keep=keep[:5])


def test_split_into_csv_files_one_per_value(sample, tmp_path):
    table, result = sample
    written = export_leads(table, result, tmp_path / "mqls.csv", split_by="lead_source")
    sources = table.frame["lead_source"][result.mql]
    expected = sorted(sources.dropna().unique(), key=str.casefold) + ([NO_VALUE] if sources.isna().any() else [])
    assert [p.name for p in written] == [f"mqls - {v}.csv" for v in expected]
    total = 0
    for path, value in zip(written, expected):
        rows = rows_of(path)
        total += len(rows)
        assert {r["lead_source"] or NO_VALUE for r in rows} == {value}
        scores = [float(r["score"]) for r in rows]
        assert scores == sorted(scores, reverse=True)
    assert total == result.n_mql
    assert not (tmp_path / "mqls.csv").exists()


def test_split_into_sheets_with_summary_and_model(sample, tmp_path):
    table, result = sample
    out, = export_leads(table, result, tmp_path / "mqls.xlsx", split_by="country")
    book = openpyxl.load_workbook(out)
    countries = sorted(table.frame["country"][result.mql].dropna().unique(), key=str.casefold)
    assert book.sheetnames[:len(countries)] == countries
    assert book.sheetnames[-2:] == ["Summary", "Model"]
    assert sum(book[c].max_row - 1 for c in book.sheetnames[:-2]) == result.n_mql
    summary = {r[0]: r[1] for r in book["Summary"].iter_rows(values_only=True) if r[0]}
    assert summary["MQL threshold"] == result.model.threshold
    assert summary["MQLs"] == result.n_mql and summary["Leads in the list"] == table.n_rows
    assert summary["Model"] == result.model.name
    by_source = {r[0]: r[1:4] for r in book["Summary"].iter_rows(values_only=True)}
    partner = table.frame["lead_source"] == "Partner"
    assert by_source["Partner"][:2] == (int(partner.sum()), int((partner & result.mql).sum()))
    rules = [r for r in book["Model"].iter_rows(values_only=True)][1:]
    assert [r[0] for r in rules] == [rule.name for rule in result.model.rules]
    assert all(r[3] for r in rules)                                   # every rule in words
    assert not any("more)" in r[3] for r in rules)                    # lists in full


def test_split_into_workbooks_each_with_its_summary(sample, tmp_path):
    table, result = sample
    written = export_leads(table, result, tmp_path / "mqls.xlsx", split_by="country", split_files=True,
                           summary=True)
    assert len(written) > 1
    for path in written:
        book = openpyxl.load_workbook(path, read_only=True)
        assert book.sheetnames == ["Leads", "Summary", "Model"]


def test_cancelled_split_leaves_no_file(sample, tmp_path):
    table, result = sample
    calls = []
    with pytest.raises(Cancelled):
        export_leads(table, result, tmp_path / "m.csv", which="all", split_by="country",
                     is_cancelled=lambda: calls.append(1) or len(calls) > 3)
    assert list(tmp_path.iterdir()) == []


def test_safe_sheet_and_file_names(tmp_path):
    assert sheet_names(["West", "west", "a/b:c", "", "x" * 40, "Summary"], reserved=["Summary"]) == [
        "West", "west (2)", "a b c", "(blank)", "x" * 31, "Summary (2)"]
    names = split_file_names(tmp_path / "leads.csv", ["West", "../etc/passwd", "a|b", "WEST"])
    assert [p.name for p in names] == ["leads - West.csv", "leads - etc passwd.csv", "leads - a b.csv",
                                       "leads - WEST (2).csv"]
    assert all(p.parent == tmp_path for p in names)


def test_default_columns_are_the_ones_sales_needs(sample):
    table, _ = sample
    picked = default_columns(table)
    for column in ("first_name", "last_name", "email", "company", "job_title", "country", "industry",
                   "employees"):
        assert column in picked
    for column in ("page_views", "webinar_attended", "demo_requested", "email_clicks", "created_date",
                   "lead_source", "lifecycle_stage"):
        assert column not in picked


def test_default_columns_of_crm_style_headers():
    import pandas as pd
    from scoring.reading import LeadTable
    table = LeadTable.from_frame(pd.DataFrame({c: ["x"] for c in (
        "FirstName", "LastName", "Email Address", "Company Name", "Phone Number", "Lead Owner",
        "Email Opens", "Create Date", "Lead Source", "Lifecycle Stage", "Annual Revenue")}))
    assert default_columns(table) == ["FirstName", "LastName", "Email Address", "Company Name",
                                      "Phone Number", "Lead Owner", "Annual Revenue"]

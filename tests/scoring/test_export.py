"""Exports: columns, order, formats, formula injection, atomicity, never over the source."""

import csv

import openpyxl
import pytest

from scoring.engine import Scorer
from scoring.errors import Cancelled, ExportError
from scoring.export import export_leads
from scoring.model import Condition, Model, Rule
from scoring.reading import load_leads

ROWS = [
    ["name", "note", "employees", "created", "demo"],
    ["Ann", "=HYPERLINK(\"http://evil\")", "250", "2026-01-05", "yes"],
    ["Bob", "+1 555 0100", "-5", "2026-02-10", "no"],
    ["Cid", "@SUM(A1)", "12", "2026-03-01", "yes"],
    ["Dee", "plain", "4000", "", "no"],
]
MODEL = Model(threshold=20, rules=(
    Rule("Demo", Condition("demo", "is_true"), 20, group="engagement"),
    Rule("Big", Condition("employees", "gt", 100), 15),
    Rule("No Dee", Condition("name", "eq", "Dee"), kind="disqualify"),
))


def read_rows(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def scored(tmp_path):
    source = tmp_path / "leads.csv"
    with open(source, "w", newline="") as handle:
        csv.writer(handle).writerows(ROWS)
    table = load_leads(source)
    return table, Scorer(table).score(MODEL)


def test_csv_export_of_mqls_sorted_with_score_columns_and_neutralised_cells(scored, tmp_path):
    table, result = scored
    out = export_leads(table, result, tmp_path / "mqls.csv")
    rows = read_rows(out)
    assert [r["name"] for r in rows] == ["Ann", "Cid"]                # 35 then 20
    assert list(rows[0])[-6:] == ["fit_score", "engagement_score", "score", "mql", "blocked_by", "reasons"]
    assert rows[0]["score"] == "35" or float(rows[0]["score"]) == 35
    assert rows[0]["reasons"] == "Demo +20; Big +15"
    assert rows[0]["note"].startswith("'=") and rows[1]["note"].startswith("'@")
    assert rows[0]["created"] == "2026-01-05"


def test_all_leads_include_blocked_reasons(scored, tmp_path):
    table, result = scored
    rows = read_rows(export_leads(table, result, tmp_path / "all.csv", which="all"))
    assert len(rows) == 4
    dee = next(r for r in rows if r["name"] == "Dee")
    assert dee["blocked_by"] == "No Dee" and dee["mql"].lower() == "false"
    bob = next(r for r in rows if r["name"] == "Bob")
    assert bob["note"] == "'+1 555 0100" and bob["employees"] == "-5"    # numbers stay numbers


def test_xlsx_export_is_formatted(scored, tmp_path):
    table, result = scored
    out = export_leads(table, result, tmp_path / "all.xlsx", which="all")
    sheet = openpyxl.load_workbook(out).active
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["name", "note"] and header[-1] == "reasons"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    assert sheet["A1"].font.bold
    assert sheet["A2"].value == "Ann" and sheet["A2"].fill.fgColor.rgb.endswith("E2F0D9")
    assert sheet["B2"].data_type == "s" and sheet["B2"].value.startswith("'=")
    assert sheet["C3"].value in (12, 4000, -5, 250)
    created = sheet.cell(row=2, column=4).value
    assert created.year == 2026 and created.month == 1
    non_mql = [r for r in sheet.iter_rows(min_row=2) if r[0].value == "Bob"][0]
    assert not non_mql[0].fill.fgColor.rgb.endswith("E2F0D9")


def test_refuses_the_source_file_and_bad_targets(scored, tmp_path):
    table, result = scored
    before = (tmp_path / "leads.csv").read_bytes()
    with pytest.raises(ExportError, match="lead list you opened"):
        export_leads(table, result, tmp_path / "leads.csv")
    with pytest.raises(ExportError, match=".csv or .xlsx"):
        export_leads(table, result, tmp_path / "out.pdf")
    with pytest.raises(ExportError, match="does not exist"):
        export_leads(table, result, tmp_path / "nowhere" / "out.csv")
    assert (tmp_path / "leads.csv").read_bytes() == before


def test_cancel_leaves_the_previous_file_and_no_partial_file(scored, tmp_path):
    table, result = scored
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"previous")
    with pytest.raises(Cancelled):
        export_leads(table, result, target, which="all", is_cancelled=lambda: True)
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["leads.csv", "out.xlsx"]

"""Exports: columns, order, formats, formula injection, atomicity, never over the source."""

import csv
import dataclasses
import os
from datetime import datetime

import numpy as np
import openpyxl
import pandas as pd
import pytest

from scoring.column_types import ColumnType
from scoring.errors import Cancelled, ExportError
from scoring.evaluate.engine import Scorer
import scoring.handoff.export as export
from scoring.handoff.export import export_leads, export_rows, neutralise
from scoring.model.definition import Condition, Model, Rule
from scoring.reading import LeadTable, load_leads

ROWS = [
    ["name", "note", "employees", "created", "demo"],
    ["Ann", "=HYPERLINK(\"http://evil\")", "250", "2026-01-05", "Yes"],
    ["Bob", "+1 555 0100", "-5", "2026-05-02", "No"],
    ["Cid", "@SUM(A1)", "unknown", "2026-03-01", "Yes"],
    ["Dee", "-12", "4000", "", "No"],
]
MODEL = Model(threshold=20, rules=(
    Rule("Demo", Condition("demo", "is_true"), 20, group="engagement"),
    Rule("Big", Condition("employees", "gt", 100), 15),
    Rule("No Dee", Condition("name", "eq", "Dee"), kind="disqualify"),
))
GREEN = "E2F0D9"


def read_rows(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def scored(tmp_path):
    source = tmp_path / "leads.csv"
    with open(source, "w", newline="") as handle:
        csv.writer(handle).writerows(ROWS)
    table = load_leads(source).retype("employees", ColumnType.INTEGER)   # "unknown" does not fit
    return table, Scorer(table).score(MODEL)


def test_csv_export_of_mqls_sorted_with_score_columns_and_neutralised_cells(scored, tmp_path):
    table, result = scored
    out, = export_leads(table, result, tmp_path / "mqls.csv")
    rows = read_rows(out)
    assert [r["name"] for r in rows] == ["Ann", "Cid"]                # 35 then 20
    assert list(rows[0])[-6:] == ["fit_score", "engagement_score", "score", "mql", "blocked_by", "reasons"]
    assert float(rows[0]["score"]) == 35 and float(rows[0]["fit_score"]) == 15
    assert rows[0]["reasons"] == "Demo +20; Big +15"
    assert rows[0]["note"].startswith("'=") and rows[1]["note"].startswith("'@")
    # original cells exactly as the list had them: Yes/No, the date's format, text in a number column
    assert rows[0]["demo"] == "Yes" and rows[0]["created"] == "2026-01-05"
    assert rows[1]["employees"] == "unknown"


def test_all_leads_include_blocked_reasons_and_numbers_stay_numbers(scored, tmp_path):
    table, result = scored
    rows = read_rows(export_leads(table, result, tmp_path / "all.csv", which="all")[0])
    assert [r["name"] for r in rows] == ["Ann", "Cid", "Dee", "Bob"]
    dee = next(r for r in rows if r["name"] == "Dee")
    assert dee["blocked_by"] == "No Dee" and dee["mql"].lower() == "false"
    assert dee["note"] == "-12"                                       # a negative number is not a formula
    bob = next(r for r in rows if r["name"] == "Bob")
    assert bob["note"] == "'+1 555 0100" and bob["employees"] == "-5"
    assert bob["created"] == "2026-05-02"


def test_which_and_columns_select_rows_and_columns(scored, tmp_path):
    table, result = scored
    blocked = read_rows(export_leads(table, result, tmp_path / "b.csv", which="blocked", columns=["name"])[0])
    assert blocked == [{"name": "Dee", "fit_score": "15", "engagement_score": "0", "score": "15",
                        "mql": "false", "blocked_by": "No Dee", "reasons": "Big +15"}]
    rest = read_rows(export_leads(table, result, tmp_path / "n.csv", which="not_mql", columns=["demo", "name"])[0])
    assert [(r["name"], r["demo"]) for r in rest] == [("Dee", "No"), ("Bob", "No")]
    assert list(rest[0])[:2] == ["demo", "name"]
    with pytest.raises(ExportError, match="choose one of mql, all"):
        export_leads(table, result, tmp_path / "x.csv", which="hot")
    with pytest.raises(ExportError, match="no such column"):
        export_leads(table, result, tmp_path / "x.csv", columns=["budget"])


def test_rows_sort_by_score_with_ties_in_file_order():
    table = LeadTable.from_frame(pd.DataFrame({"n": list(range(8)), "hot": [0, 1, 1, 0, 1, 0, 0, 1]}))
    result = Scorer(table).score(Model(threshold=1, rules=(Rule("Hot", Condition("hot", "eq", 1), 5),)))
    assert export_rows(result, "all").tolist() == [1, 2, 4, 7, 0, 3, 5, 6]
    assert export_rows(result, "mql").tolist() == [1, 2, 4, 7]


def test_rule_names_and_headers_cannot_inject_formulas(tmp_path):
    table = LeadTable.from_frame(pd.DataFrame({"=cmd|' /C calc'!A0": ["x", "y"], "v": [1, 2]}))
    model = Model(threshold=1, rules=(Rule("=1+1", Condition("v", "gte", 1), 5),
                                      Rule("@gate", Condition("v", "eq", 2), kind="disqualify")))
    result = Scorer(table).score(model)
    for suffix in ("csv", "xlsx"):
        out, = export_leads(table, result, tmp_path / f"o.{suffix}", which="all")
        if suffix == "csv":
            rows = read_rows(out)
            header, cells = list(rows[0]), [v for r in rows for v in r.values()]
        else:
            sheet = openpyxl.load_workbook(out).active
            header = [c.value for c in sheet[1]]
            cells = [c.value for r in sheet.iter_rows(min_row=2) for c in r]
            assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)
        assert header[0] == "'=cmd|' /C calc'!A0"
        assert "'=1+1 +5" in cells and "'@gate" in cells
        assert not any(isinstance(v, str) and v.startswith(("=", "+", "@")) for v in cells)


def test_neutralise_only_touches_risky_text():
    values = pd.Series(["=1", "+x", "-", "-3.5", "-x", "@a", "\tb", "ok", None], dtype="str")
    assert neutralise(values).tolist()[:8] == ["'=1", "'+x", "-", "-3.5", "'-x", "'@a", "'\tb", "ok"]
    assert neutralise(values).isna().tolist()[-1]


def test_xlsx_export_is_formatted(scored, tmp_path):
    table, result = scored
    out, = export_leads(table, result, tmp_path / "all.xlsx", which="all")
    sheet = openpyxl.load_workbook(out).active
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["name", "note"] and header[-1] == "reasons"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:K5"
    assert sheet["A1"].font.bold and sheet.column_dimensions["K"].width >= 15
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    ann, bob, cid, dee = rows["Ann"], rows["Bob"], rows["Cid"], rows["Dee"]
    assert sheet["A2"].value == "Ann" and all(c.fill.fgColor.rgb.endswith(GREEN) for c in ann if c.value is not None)
    assert sheet.row_dimensions[2].fill.fgColor.rgb.endswith(GREEN)          # blank cells too
    assert not any(c.fill.fgColor.rgb.endswith(GREEN) for c in bob)
    assert ann[1].data_type == "s" and ann[1].value.startswith("'=")
    assert ann[2].value == 250 and bob[2].value == -5 and bob[2].data_type == "n"
    assert cid[2].value == "unknown"                       # did not fit the number type: kept as text
    assert ann[3].value == datetime(2026, 1, 5) and ann[3].number_format == "yyyy-mm-dd"
    assert bob[3].value == datetime(2026, 5, 2) and dee[3].value is None
    assert ann[4].value == "Yes" and bob[4].value == "No"  # booleans as the list wrote them
    assert ann[header.index("mql")].value is True and dee[header.index("mql")].value is False
    assert ann[header.index("score")].value == 35 and dee[header.index("blocked_by")].value == "No Dee"


def test_xlsx_keeps_times_and_handles_time_zones(tmp_path):
    frame = pd.DataFrame({"seen": ["2026-03-01 09:30", "2026-03-02 17:05", None], "v": [1, 2, 3]})
    table = LeadTable.from_frame(frame)
    stamps = pd.to_datetime(frame["seen"]).dt.tz_localize("Europe/Berlin")
    zoned = dataclasses.replace(table, frame=table.frame.assign(seen=stamps))
    result = Scorer(table).score(Model(threshold=0, rules=(Rule("V", Condition("v", "gte", 2), 1),)))
    sheet = openpyxl.load_workbook(export_leads(zoned, result, tmp_path / "t.xlsx", which="all")[0]).active
    cells = {r[1].value: r[0] for r in sheet.iter_rows(min_row=2)}
    assert cells[2].value == datetime(2026, 3, 2, 17, 5) and cells[2].number_format == "yyyy-mm-dd hh:mm"
    assert cells[3].value is None


def test_refuses_the_source_file_and_bad_targets(scored, tmp_path):
    table, result = scored
    source = tmp_path / "leads.csv"
    before = source.read_bytes()
    with pytest.raises(ExportError, match="lead list you opened"):
        export_leads(table, result, source)
    os.link(source, tmp_path / "same.csv")                        # another name, the same file
    with pytest.raises(ExportError, match="lead list you opened"):
        export_leads(table, result, tmp_path / "same.csv")
    with pytest.raises(ExportError, match=".csv or .xlsx"):
        export_leads(table, result, tmp_path / "out.pdf")
    with pytest.raises(ExportError, match="does not exist"):
        export_leads(table, result, tmp_path / "nowhere" / "out.csv")
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(ExportError, match="it is a folder"):
        export_leads(table, result, tmp_path / "folder.csv")
    assert source.read_bytes() == before


def test_scores_of_another_table_and_too_many_rows_for_excel(scored, tmp_path, monkeypatch):
    table, result = scored
    other = LeadTable.from_frame(pd.DataFrame({"demo": ["Yes"], "employees": [5], "name": ["Z"]}))
    with pytest.raises(ExportError, match="Score the list again"):
        export_leads(other, result, tmp_path / "x.csv")
    monkeypatch.setattr(export, "MAX_XLSX_ROWS", 4)
    with pytest.raises(ExportError, match="Export to .csv instead"):
        export_leads(table, result, tmp_path / "x.xlsx", which="all")
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_cancel_leaves_the_previous_file_and_no_partial_file(scored, tmp_path, suffix):
    table, result = scored
    target = tmp_path / f"out.{suffix}"
    target.write_bytes(b"previous")
    with pytest.raises(Cancelled):
        export_leads(table, result, target, which="all", is_cancelled=lambda: True)
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["leads.csv", f"out.{suffix}"]


def test_a_failed_write_is_reported_and_changes_nothing(scored, tmp_path, monkeypatch):
    table, result = scored
    target = tmp_path / "out.csv"
    target.write_bytes(b"previous")

    def disk_full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export, "write_batches", disk_full)
    with pytest.raises(ExportError, match="No space left on device. Nothing was changed"):
        export_leads(table, result, target)
    assert target.read_bytes() == b"previous" and len(list(tmp_path.iterdir())) == 2


def test_progress_rises_to_one_on_a_bigger_list(tmp_path):
    n = 3000
    rng = np.random.default_rng(1)
    table = LeadTable.from_frame(pd.DataFrame({"v": rng.integers(0, 100, n), "t": ["a", "=b", "c"] * (n // 3)}))
    result = Scorer(table).score(Model(threshold=50, rules=(Rule("V", Condition("v", "gte", 1), 60),)))
    for suffix in ("csv", "xlsx"):
        seen = []
        out, = export_leads(table, result, tmp_path / f"big.{suffix}", which="all", on_progress=seen.append)
        assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
        assert out.stat().st_size > 10_000
    sheet = openpyxl.load_workbook(tmp_path / "big.xlsx", read_only=True).active
    assert sheet.max_row == n + 1


def test_clashing_and_unicode_names_and_no_rows(tmp_path):
    table = LeadTable.from_frame(pd.DataFrame({"score": [5, 6], "Größe ✓": ["a", "b"], "v": [1, 2]}))
    result = Scorer(table).score(Model(threshold=100, rules=(Rule("V", Condition("v", "gte", 1), 5),)))
    rows = read_rows(export_leads(table, result, tmp_path / "a.csv", which="all")[0])
    assert list(rows[0])[:6] == ["score", "Größe ✓", "v", "fit_score", "engagement_score", "score (leadbench)"]
    assert rows[0]["score"] == "5" and rows[0]["score (leadbench)"] == "5"
    assert (tmp_path / "a.csv").read_text(encoding="utf-8").count("\n") == 3
    for suffix in ("csv", "xlsx"):                     # no MQLs: a header and nothing else
        out, = export_leads(table, result, tmp_path / f"none.{suffix}")
        if suffix == "csv":
            assert read_rows(out) == [] and out.read_text(encoding="utf-8").startswith('"score","Größe ✓"')
        else:
            assert openpyxl.load_workbook(out).active.max_row == 1


def test_best_first_orders_like_a_stable_sort_of_the_scores():
    from scoring.handoff.export import best_first
    rng = np.random.default_rng(5)
    few = np.round(rng.integers(0, 300, 5_000) / 4 - 10, 2)           # ties everywhere
    many = rng.random(70_000)                                            # more distinct than ranks
    for scores in (few, many, np.array([1.0, np.nan, 3.0, 1.0]), np.zeros(0)):
        assert best_first(scores).tolist() == np.argsort(-scores, kind="stable").tolist()

"""The command line: summaries, exit codes and one-line messages, never a traceback."""

import csv
import json
import subprocess
import sys

import openpyxl
import pytest

from app.cli.main import main
from tests.conftest import ROOT, SAMPLE

MODEL = ROOT / "resources" / "models" / "b2b_saas.json"


def test_score_prints_a_summary_and_writes_xlsx(tmp_path, capsys):
    out = tmp_path / "mqls.xlsx"
    assert main(["score", str(SAMPLE), "--model", str(MODEL), "--output", str(out), "--only-mql",
                 "--as-of", "2026-11-01"]) == 0
    text = capsys.readouterr().out
    assert "Leads:   5,000" in text and "MQLs:" in text and "Student or intern" in text
    sheet = openpyxl.load_workbook(out).active
    assert sheet["A1"].value == "first_name" and sheet.max_row > 500


def test_profile_json_on_a_real_list_with_placeholders(shared_data, capsys):
    leads = shared_data / "x_education_leads" / "Leads.csv"
    assert main(["profile", str(leads), "--json", "--missing", "Select"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["rows"] == 9240 and len(data["columns"]) == 37
    spec = next(c for c in data["columns"] if c["name"] == "Specialization")
    assert "Select" not in [v for v, _n in spec["top"]]


def test_profile_table_on_the_sample(capsys):
    assert main(["profile", str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "5,000 rows, 18 columns" in out and "lead_source" in out


@pytest.mark.parametrize(("args", "message"), [
    (["profile", "/no/such/leads.csv"], "Cannot open leads.csv: the file does not exist"),
    (["score", str(SAMPLE), "--model", "/no/model.json", "--output", "x.csv"], "does not exist"),
    (["score", str(SAMPLE), "--model", str(MODEL), "--output", str(SAMPLE)], "lead list you opened"),
    (["score", str(SAMPLE), "--model", str(MODEL), "--output", "o.csv", "--as-of", "yesterday"],
     "not a date like"),
    (["score", str(SAMPLE)], "--model"),
])
def test_bad_input_exits_2_with_one_line(args, message, capsys):
    assert run_cli(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def run_cli(args) -> int:
    """The exit status, whether main returns it or argparse exits."""
    try:
        return main(args)
    except SystemExit as exc:
        return exc.code


@pytest.mark.parametrize(("content", "message"), [
    ("{not json", "is not valid JSON"),
    ('{"format": "leadbench-model", "version": 1, "rules": [{"name": "X", "when": '
     '{"column": "country", "op": "sounds_like", "value": "US"}}]}', "unknown operator"),
    ('{"format": "leadbench-model", "version": 1, "rules": [{"name": "X", "points": 5, "when": '
     '{"column": "budget", "op": "gt", "value": 5}}]}', "column 'budget' is not in"),
])
def test_bad_models_exit_2(tmp_path, content, message, capsys):
    model = tmp_path / "model.json"
    model.write_text(content)
    assert main(["score", str(SAMPLE), "--model", str(model), "--output", str(tmp_path / "o.csv")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]
    assert not (tmp_path / "o.csv").exists()


def test_empty_file_in_a_real_subprocess(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    run = subprocess.run([sys.executable, "-m", "app", "profile", str(empty)], capture_output=True,
                         text=True, cwd=ROOT, timeout=60)
    assert run.returncode == 2
    assert run.stderr.strip() == ("leadbench: Cannot open empty.csv: the file is empty. "
                                  "Export the lead list again and check it has rows.")
    version = subprocess.run([sys.executable, "-m", "app", "--version"], capture_output=True,
                             text=True, cwd=ROOT, timeout=60)
    assert version.stdout.startswith("leadbench ")


def test_a_command_in_a_real_process_says_everything_and_writes_a_whole_file(tmp_path):
    # the process ends without freeing the list object by object: output and file are complete
    out = tmp_path / "scored.csv"
    run = subprocess.run([sys.executable, "-m", "app", "score", str(SAMPLE), "--model", str(MODEL),
                          "--output", str(out), "--as-of", "2026-11-01"], capture_output=True,
                         text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "Leads:   5,000" and lines[-1] == f"Wrote {out}"
    with open(out, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 5_000 and rows[-1]["reasons"] is not None


def test_backtest_on_the_sample_prints_metrics(capsys):
    assert main(["backtest", str(SAMPLE), "--model", str(MODEL), "--outcome", "converted",
                 "--as-of", "2026-11-01"]) == 0
    out = capsys.readouterr().out
    assert "ROC AUC" in out and "precision" in out and "Conversion by source" in out


def test_backtest_json_on_a_real_list(shared_data, tmp_path, capsys):
    model = tmp_path / "edu.json"
    model.write_text(json.dumps({"format": "leadbench-model", "version": 1, "name": "edu", "threshold": 20,
                                 "missing_values": ["Select"], "rules": [
        {"name": "Working professional", "points": 25, "when": {
            "column": "What is your current occupation", "op": "eq", "value": "Working Professional"}},
        {"name": "Engaged on the site", "points": 15, "group": "engagement", "when": {
            "column": "Total Time Spent on Website", "op": "gte", "value": 500}}]}))
    leads = shared_data / "x_education_leads" / "Leads.csv"
    assert main(["backtest", str(leads), "--model", str(model), "--outcome", "Converted", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["leads"] == 9240 and data["won"] == 3561          # Converted = 1 in 38.5%
    assert 0.6 < data["auc"] <= 1 and data["lift"] > 1
    assert {row["source"] for row in data["by_source"]} >= {"Google", "Direct Traffic"}


def test_backtest_errors_are_one_line(capsys, tmp_path):
    assert run_cli(["backtest", str(SAMPLE), "--model", str(MODEL), "--outcome", "nope"]) == 2
    assert "has no column 'nope'" in capsys.readouterr().err
    assert run_cli(["backtest", str(SAMPLE), "--model", str(MODEL), "--outcome", "company"]) == 2
    assert "name them with --won" in capsys.readouterr().err


DIRTY = ("name,title,demo,employees,created\n"
         "Ann,=HYPERLINK(\"http://evil\"),Yes,250,2026-10-20\n"
         "Bob,VP Sales,No,-5,2026-09-01\n"
         "Cid,@SUM(A1),Yes,1200,2026-10-30\n")
DIRTY_MODEL = {"format": "leadbench-model", "version": 1, "name": "demo", "threshold": 20,
               "rules": [{"name": "Asked for a demo", "points": 20, "group": "engagement",
                          "when": {"column": "demo", "op": "is_true"}},
                         {"name": "Big company", "points": 10,
                          "when": {"column": "employees", "op": "gte", "value": 1000}}]}


@pytest.fixture
def dirty(tmp_path):
    leads, model = tmp_path / "leads.csv", tmp_path / "model.json"
    leads.write_text(DIRTY)
    model.write_text(json.dumps(DIRTY_MODEL))
    return leads, model


def test_score_to_csv_and_xlsx_read_back(dirty, tmp_path, capsys):
    leads, model = dirty
    assert main(["score", str(leads), "--model", str(model), "--output", str(tmp_path / "o.csv")]) == 0
    out = capsys.readouterr().out
    assert "Leads:   3" in out and "MQLs:    2 (66.7%) at threshold 20" in out
    assert f"Wrote {tmp_path / 'o.csv'}" in out
    with open(tmp_path / "o.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["name"] for r in rows] == ["Cid", "Ann", "Bob"]
    assert rows[0]["title"] == "'@SUM(A1)" and rows[1]["title"].startswith("'=HYPERLINK")
    assert rows[2]["employees"] == "-5" and rows[0]["reasons"] == "Asked for a demo +20; Big company +10"

    assert main(["score", str(leads), "--model", str(model), "--output", str(tmp_path / "o.xlsx"),
                 "--only-mql"]) == 0
    sheet = openpyxl.load_workbook(tmp_path / "o.xlsx").active
    assert [c.value for c in sheet[1]][:5] == ["name", "title", "demo", "employees", "created"]
    assert sheet.max_row == 3 and sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert sheet["A2"].value == "Cid" and sheet["A2"].fill.fgColor.rgb.endswith("E2F0D9")
    assert sheet["B2"].data_type == "s" and sheet["B2"].value == "'@SUM(A1)"
    assert sheet["D2"].value == 1200 and sheet["E2"].is_date


def test_bad_output_is_refused_before_loading(capsys):
    assert main(["score", "/no/such/leads.csv", "--model", str(MODEL), "--output", "out.pdf"]) == 2
    assert "choose a name ending in .csv or .xlsx" in capsys.readouterr().err


def test_gui_is_the_default_command(monkeypatch):
    import app.gui

    calls = []
    monkeypatch.setattr(app.gui, "run_gui", lambda *args, **kw: calls.append(args + tuple(kw.values())) or 0)
    assert main([]) == 0 and main(["leads.csv", "--model", "m.json"]) == 0
    assert main(["gui", "--screenshot", "w.png", "--size", "800x600"]) == 0
    assert main(["gui", "--theme", "dark"]) == 0
    assert calls == [(None, None, None, (1280, 800), None), ("leads.csv", "m.json", None, (1280, 800), None),
                     (None, None, "w.png", (800, 600), None), (None, None, None, (1280, 800), "dark")]


def test_ctrl_c_exits_130_quietly_and_os_errors_exit_2(monkeypatch, capsys):
    def interrupted(_args):
        raise KeyboardInterrupt

    monkeypatch.setattr("app.cli.profile.run", interrupted)
    assert main(["profile", str(SAMPLE)]) == 130
    assert capsys.readouterr().err == ""

    def denied(_args):
        raise PermissionError(13, "Permission denied", "/data/leads.csv")

    monkeypatch.setattr("app.cli.profile.run", denied)
    assert main(["profile", str(SAMPLE)]) == 2
    assert capsys.readouterr().err == "leadbench: Permission denied (/data/leads.csv)\n"


def test_profile_loads_only_what_it_needs(tmp_path):
    code = ("import sys; from app.cli.main import main; "
            f"status = main(['profile', {str(SAMPLE)!r}]); "
            "heavy = ('PySide6', 'pyqtgraph', 'scoring.report', 'scoring.sql', 'scoring.insight', "
            "'app.cli.report', 'app.cli.sql', 'app.cli.compare'); "
            "print(sorted({m.split('.')[0] if m.startswith(('PySide6', 'pyqtgraph')) else m "
            "for m in sys.modules if m.startswith(heavy)})); "
            "raise SystemExit(status)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1] == "[]"


def test_profile_json_on_the_sample(capsys):
    assert main(["profile", str(SAMPLE), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["rows"] == 5000 and [c["name"] for c in data["columns"]][:3] == ["first_name", "last_name", "email"]
    columns = {c["name"]: c for c in data["columns"]}
    assert columns["employees"]["type"] == "integer" and 0.85 < columns["employees"]["fill_rate"] < 0.95
    assert columns["created_date"]["type"] == "date" and columns["lead_source"]["type"] == "category"


def test_score_a_sheet_of_a_workbook_with_missing_markers(tmp_path, capsys):
    import xlsxwriter

    book_path = tmp_path / "crm.xlsx"
    with xlsxwriter.Workbook(str(book_path)) as book:
        book.add_worksheet("Notes").write(0, 0, "exported from the CRM")
        sheet = book.add_worksheet("Leads")
        for r, row in enumerate([["name", "demo", "employees"], ["Ann", "Yes", 2000],
                                 ["Bob", "Select", 10], ["Cid", "No", 5000]]):
            sheet.write_row(r, 0, row)
    model = tmp_path / "m.json"
    model.write_text(json.dumps(DIRTY_MODEL))
    out = tmp_path / "scored.csv"
    assert main(["score", str(book_path), "--sheet", "Leads", "--model", str(model), "--output", str(out),
                 "--missing", "Select"]) == 0
    assert "Leads:   3" in capsys.readouterr().out
    with open(out, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["name"], r["score"], r["mql"]) for r in rows] == [("Ann", "30", "true"), ("Cid", "10", "false"),
                                                                 ("Bob", "0", "false")]
    assert rows[2]["demo"] == "Select"                  # the original cell, as the CRM wrote it


def test_missing_markers_take_one_value_per_flag_in_any_position(shared_data, capsys):
    leads = shared_data / "x_education_leads" / "Leads.csv"
    assert main(["profile", "--missing", "Select", "--missing", "Unknown", str(leads), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    spec = next(c for c in data["columns"] if c["name"] == "Specialization")
    assert "Select" not in [v for v, _n in spec["top"]]


def test_score_with_columns_which_split_and_csv_format(tmp_path, capsys):
    out = tmp_path / "blocked.csv"
    assert main(["score", str(SAMPLE), "--model", str(MODEL), "--output", str(out), "--which", "not-mql",
                 "--columns", "email,company", "--columns", "country", "--split-by", "country",
                 "--delimiter", "semicolon", "--bom", "--crlf", "--as-of", "2026-11-01"]) == 0
    printed = [line for line in capsys.readouterr().out.splitlines() if line.startswith("Wrote ")]
    files = sorted(tmp_path.glob("blocked - *.csv"))
    assert len(printed) == len(files) > 3 and not out.exists()
    data = files[0].read_bytes()
    assert data.startswith(b"\xef\xbb\xbf" + b'"email";"company";"country";"fit_score"')
    assert b"\r\n" in data
    with open(files[0], encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert rows and {r["mql"] for r in rows} == {"false"}
    assert len({r["country"] for r in rows}) == 1


def test_score_with_an_unknown_column_is_one_line(tmp_path, capsys):
    code = main(["score", str(SAMPLE), "--model", str(MODEL), "--output", str(tmp_path / "x.csv"),
                 "--columns", "email,nope"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "nope" in err


def test_the_models_scoring_date_is_used_unless_as_of_overrides_it(tmp_path, capsys):
    from datetime import date

    from scoring.model.definition import Condition, Model, Rule
    from scoring.model.model_file import save_model

    leads = tmp_path / "leads.csv"
    leads.write_text("email,created\n" + "".join(f"p{i}@a.com,2018-03-{i:02d}\n" for i in range(1, 29)))
    model = tmp_path / "m.json"
    save_model(Model(threshold=10, as_of=date(2018, 3, 28), rules=(
        Rule("Recent", Condition("created", "within_days", 14), 10, "engagement"),)), model)
    out = tmp_path / "out.csv"
    assert main(["score", str(leads), "--model", str(model), "--output", str(out)]) == 0
    assert "MQLs:    15 (53.6%) at threshold 10" in capsys.readouterr().out
    assert main(["score", str(leads), "--model", str(model), "--output", str(out), "--as-of", "2026-01-01"]) == 0
    assert "MQLs:    0 (0.0%)" in capsys.readouterr().out


def test_score_with_the_duckdb_engine_prints_the_same_counts(tmp_path, capsys):
    pytest.importorskip("duckdb")
    out = tmp_path / "scored.parquet"
    assert main(["score", str(SAMPLE), "--model", str(MODEL), "--output", str(out), "--as-of", "2026-11-01"]
                + ["--output", str(tmp_path / "engine.csv")]) == 0
    engine = capsys.readouterr().out.splitlines()[1]
    assert main(["score", str(SAMPLE), "--model", str(MODEL), "--output", str(out), "--engine", "duckdb",
                 "--as-of", "2026-11-01"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Leads:   5,000"
    assert lines[1] == engine + " (DuckDB engine)"
    assert lines[2] == f"Wrote {out} (5,000 leads)"
    assert main(["score", str(SAMPLE), "--model", str(MODEL), "--output", str(out), "--engine", "duckdb",
                 "--columns", "email", "--bom"]) == 2
    assert capsys.readouterr().err == ("leadbench: --engine duckdb writes every column, best score first, "
                                       "as plain CSV or Parquet: leave out --columns, --bom\n")

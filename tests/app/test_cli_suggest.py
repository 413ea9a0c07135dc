"""``leadbench suggest``: writes a model file, prints held-out figures and what it left out."""

import json

from app.cli.main import main
from scoring.model.model_file import load_model
from scoring.reading import load_leads
from tests.conftest import SAMPLE


def test_suggest_writes_a_model_and_prints_held_out_figures(tmp_path, capsys):
    out = tmp_path / "start.json"
    assert main(["suggest", str(SAMPLE), "--outcome", "converted", "--max-rules", "6",
                 "--output", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Fitted on 3,500 of 5,000 leads; the figures below are on the other 1,500" in text
    assert "ROC AUC 0." in text and "Precision (MQL-to-won)" in text and "MQLs" in text
    assert "lifecycle_stage: the list's stage column" in text
    assert text.rstrip().endswith(f"Wrote {out}")
    model = load_model(out)
    assert 1 <= len(model.rules) <= 6 and model.name == "Starting model from converted"
    # the written model scores the list it came from
    assert main(["backtest", str(SAMPLE), "--model", str(out), "--outcome", "converted"]) == 0


def test_suggest_json_with_columns_and_won_values(tmp_path, capsys):
    out = tmp_path / "start.json"
    assert main(["suggest", str(SAMPLE), "--outcome", "converted", "--won", "1", "--columns",
                 "job_title, demo_requested", "--output", str(out), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data["columns"]) <= {"job_title", "demo_requested"} and data["fit_leads"] == 3500
    assert 0.5 < data["held_out"]["auc"] <= 1 and data["output"] == str(out)
    assert load_model(out).analysis.won_values == (True,)      # "1" on a yes/no column


def test_suggest_on_x_education_leaves_out_tags(shared_data, tmp_path, capsys):
    leads = shared_data / "x_education_leads" / "Leads.csv"
    out = tmp_path / "x.json"
    assert main(["suggest", str(leads), "--outcome", "Converted", "--missing", "Select",
                 "--output", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Tags: its values restate the outcome" in text
    assert load_model(out).missing_values == ("Select",)
    table = load_leads(leads, missing_values=("Select",))
    model = load_model(out)
    assert all(rule.when.column in table.frame.columns for rule in model.rules
               if hasattr(rule.when, "column"))


def test_suggest_errors_are_one_line(tmp_path, capsys):
    cases = [
        (["--outcome", "nope", "--output", str(tmp_path / "m.json")], "has no column 'nope'"),
        (["--outcome", "converted", "--output", str(tmp_path / "m.txt")], "must end in .json"),
        (["--outcome", "converted", "--columns", "created_date", "--output", str(tmp_path / "m.json")],
         "No column is worth scoring: created_date: a date"),
        (["--outcome", "converted", "--columns", "job_title,nope", "--output", str(tmp_path / "m.json")],
         "has no column 'nope'"),
    ]
    for args, message in cases:
        assert main(["suggest", str(SAMPLE), *args]) == 2
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "m.json").exists()


def test_a_rule_limit_of_zero_is_a_usage_error(tmp_path, capsys):
    try:
        main(["suggest", str(SAMPLE), "--outcome", "converted", "--max-rules", "0",
              "--output", str(tmp_path / "m.json")])
    except SystemExit as exc:
        assert exc.code == 2
    assert "the rule limit must be between 1 and 100" in capsys.readouterr().err

"""``leadbench compare``: counts old -> new, by source, rule differences, export; bad input exits 2."""

from __future__ import annotations

import json
from datetime import date

import openpyxl
import pandas as pd
import pytest

from app.cli.compare import table_for_model
from app.cli.main import main
from scoring.evaluate.engine import Scorer
from scoring.handoff.compare import compare_results
from scoring.model.model_file import load_model
from scoring.reading import load_leads
from tests.conftest import ROOT, SAMPLE

MODEL = ROOT / "resources" / "models" / "b2b_saas.json"
AS_OF = date(2026, 11, 1)


@pytest.fixture
def candidate(tmp_path):
    data = json.loads(MODEL.read_text(encoding="utf-8"))
    data["name"] = "Looser"
    data["threshold"] = 55
    data["rules"][0]["points"] = 20
    path = tmp_path / "new.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def expected(new_path, old_path=MODEL, missing=()):
    base = load_leads(SAMPLE, missing_values=missing)
    old_model, new_model = load_model(old_path), load_model(new_path)
    new_table = table_for_model(base, new_model, missing)
    old = Scorer(table_for_model(base, old_model, missing), as_of=AS_OF).score(old_model)
    return compare_results(new_table, old, Scorer(new_table, as_of=AS_OF).score(new_model))


def test_summary_on_the_sample(candidate, capsys):
    assert main(["compare", str(SAMPLE), "--model", str(candidate), "--against", str(MODEL),
                 "--as-of", "2026-11-01"]) == 0
    out = capsys.readouterr().out
    c = expected(candidate)
    assert c.entered > 0
    assert f"MQLs:               826 -> {c.mqls_after:,} (16.5% -> {c.rate_after:.1%}; threshold 65 -> 55)" in out
    assert f"Become MQLs:        {c.entered:,}\nStop being MQLs:    {c.left:,}\n" in out
    assert f"MQLs under both:    {c.stayed_mql:,}\nMQLs under neither: {c.stayed_out:,}\n" in out
    assert "By lead_source (most changes first; 1 more not shown):" in out
    top = c.by_source.iloc[0]
    assert f"  {top.source:<14}  {top.leads:>8,}" in out
    assert "  MQL threshold lowered from 65 to 55" in out
    assert "  Changed Senior title: points +15 → +20" in out


def test_top_ten_sources_only(candidate, capsys):
    main(["compare", str(SAMPLE), "--model", str(candidate), "--against", str(MODEL), "--as-of", "2026-11-01"])
    out = capsys.readouterr().out
    block = out.split("(most changes first")[1].split("Rule differences:")[0]
    rows = [line for line in block.splitlines()[2:] if line.strip()]
    assert len(rows) == 10 and "more not shown" in block          # the sample has 11 sources


def test_json_and_xlsx_output(candidate, tmp_path, capsys):
    out = tmp_path / "changes.xlsx"
    assert main(["compare", str(SAMPLE), "--model", str(candidate), "--against", str(MODEL),
                 "--as-of", "2026-11-01", "--output", str(out), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    c = expected(candidate)
    assert (data["entered"], data["left"], data["mqls_before"]) == (c.entered, c.left, 826)
    assert data["new_model"] == "Looser" and data["output"] == str(out)
    assert data["changed_leads_total"] == c.n_changed and len(data["changed_leads"]) == min(1000, c.n_changed)
    assert data["differences"][0] == {"kind": "threshold", "name": "",
                                      "text": "MQL threshold lowered from 65 to 55"}
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == ["Summary", "Changed leads"]
    rows = list(book["Changed leads"].iter_rows(values_only=True))
    assert len(rows) == c.n_changed + 1 and rows[0][-7:] == ("old_score", "new_score", "old_mql",
                                                             "new_mql", "change", "old_reasons",
                                                             "new_reasons")
    capped = [r[-1] for r in rows[1:] if "capped at" in (r[-1] or "")]
    assert capped and all(reason.split("; ")[-1].startswith(("Fit capped at", "Engagement capped at"))
                          for reason in capped)
    book.close()


def test_csv_output_reads_back(candidate, tmp_path, capsys):
    out = tmp_path / "changes.csv"
    assert main(["compare", str(SAMPLE), "--model", str(candidate), "--against", str(MODEL),
                 "--as-of", "2026-11-01", "--output", str(out)]) == 0
    c = expected(candidate)
    assert f"Wrote {c.n_changed:,} changed leads to {out}" in capsys.readouterr().out
    back = pd.read_csv(out)
    assert len(back) == c.n_changed and (back["change"] == "entered").sum() == c.entered
    assert back["email"].iloc[0] == load_leads(SAMPLE).frame["email"].iloc[c.rows[0]]


def test_each_model_uses_its_own_column_settings(tmp_path, capsys):
    data = json.loads(MODEL.read_text(encoding="utf-8"))
    data["missing_values"] = ["Direct"]
    data["rules"].append({"name": "No source", "group": "fit", "points": 40,
                          "when": {"column": "lead_source", "op": "is_empty"}})
    path = tmp_path / "marker.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["compare", str(SAMPLE), "--model", str(path), "--against", str(MODEL), "--json",
                 "--as-of", "2026-11-01"]) == 0
    got = json.loads(capsys.readouterr().out)
    c = expected(path)
    assert got["entered"] == c.entered > 50         # "Direct" leads count as having no source
    assert got["mqls_before"] == 826


def test_identical_models(capsys):
    assert main(["compare", str(SAMPLE), "--model", str(MODEL), "--against", str(MODEL),
                 "--as-of", "2026-11-01"]) == 0
    out = capsys.readouterr().out
    assert "MQLs:               826 -> 826" in out and "Become MQLs:        0\n" in out
    assert "none: the two models have the same rules" in out


@pytest.mark.parametrize("args, message", [
    (["--model", "nope.json", "--against", str(MODEL)], "nope.json"),
    (["--model", str(MODEL), "--against", str(MODEL), "--output", "out.txt"], ".csv or .xlsx"),
    (["--model", str(MODEL), "--against", str(MODEL), "--output", str(SAMPLE)], "never overwrites"),
])
def test_bad_input_exits_2_with_one_line(args, message, capsys):
    assert main(["compare", str(SAMPLE), *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("leadbench: ") and message in err[0]


def test_a_model_that_does_not_fit_the_list(tmp_path, capsys):
    bad = tmp_path / "other.json"
    bad.write_text('{"format": "leadbench-model", "version": 1, "rules": [{"name": "Big", "points": 5, '
                   '"when": {"column": "revenue", "op": "gt", "value": 1}}]}', encoding="utf-8")
    assert main(["compare", str(SAMPLE), "--model", str(MODEL), "--against", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("leadbench: the old model (other.json) does not fit sample_leads.csv")
    assert "revenue" in err and "\n" not in err


def test_missing_arguments_are_usage_errors(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["compare", str(SAMPLE), "--model", str(MODEL)])
    assert exit_.value.code == 2 and "--against" in capsys.readouterr().err


def test_columns_choose_what_the_changed_leads_hold(candidate, tmp_path, capsys):
    out = tmp_path / "changes.csv"
    assert main(["compare", str(SAMPLE), "--model", str(candidate), "--against", str(MODEL),
                 "--as-of", "2026-11-01", "--output", str(out), "--columns", "email,company",
                 "--columns", "lead_source"]) == 0
    back = pd.read_csv(out)
    assert list(back.columns) == ["email", "company", "lead_source", "old_score", "new_score", "old_mql",
                                  "new_mql", "change", "old_reasons", "new_reasons"]


def test_columns_naming_no_column_exit_2(candidate, tmp_path, capsys):
    out = tmp_path / "changes.csv"
    assert main(["compare", str(SAMPLE), "--model", str(candidate), "--against", str(MODEL),
                 "--output", str(out), "--columns", "email,nickname"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "'nickname'" in err[0] and not out.exists()


def test_changed_leads_start_with_the_lead_id(tmp_path, capsys):
    leads = tmp_path / "leads.csv"
    frame = load_leads(SAMPLE).frame.head(300).copy()
    frame.insert(3, "Lead ID", [f"L-{i:04d}" for i in range(len(frame))])
    frame.to_csv(leads, index=False)
    looser = tmp_path / "looser.json"
    data = json.loads(MODEL.read_text(encoding="utf-8"))
    data["threshold"] = 10
    looser.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "changes.csv"
    assert main(["compare", str(leads), "--model", str(looser), "--against", str(MODEL),
                 "--as-of", "2026-11-01", "--output", str(out)]) == 0
    back = pd.read_csv(out)
    assert len(back) > 0 and list(back.columns)[:3] == ["Lead ID", "first_name", "last_name"]
    assert back["Lead ID"].str.startswith("L-").all()

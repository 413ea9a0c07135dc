"""``leadbench sql``: stdout is the SQL (and runs), bad input exits 2 with one line."""

from __future__ import annotations

import numpy as np

from app.cli.main import main
from scoring.evaluate.engine import Scorer
from scoring.model.model_file import load_model
from scoring.reading import load_leads
from tests.app.test_cli import run_cli
from tests.conftest import ROOT, SAMPLE
from tests.scoring.test_sql import (AS_OF, duckdb_connection, model_cells, run_scores,
                                    sqlite_connection)

MODELS = ROOT / "resources" / "models"


def test_stdout_is_sql_that_scores_the_sample_as_the_engine(capsys):
    assert main(["sql", "--model", str(MODELS / "b2b_saas.json"), "--table", "lead list",
                 "--as-of", "2026-11-01"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith('-- Leadbench model "B2B SaaS starter" as DuckDB SQL')
    assert captured.err == ""
    table = load_leads(SAMPLE)
    rows = duckdb_connection(table).execute(
        f"SELECT score, mql FROM (\n{captured.out}) AS q ORDER BY _row").fetchall()
    result = Scorer(table, as_of=AS_OF).score(
        load_model(MODELS / "b2b_saas.json"))
    np.testing.assert_allclose([r[0] for r in rows], result.total, atol=1e-9)
    assert [r[1] for r in rows] == result.mql.tolist()


def test_types_from_a_lead_list_and_the_sqlite_dialect(capsys):
    assert main(["sql", "--model", str(MODELS / "agency.json"), "--dialect", "sqlite",
                 "--missing", "Select"]) == 0
    out = capsys.readouterr().out
    assert "'select'" in out and "MIN(" in out and "char(32, 9" in out
    assert main(["sql", "--model", str(MODELS / "b2b_saas.json"), "--dialect", "bigquery",
                 "--types-from", str(SAMPLE), "--table", "my-project.crm.leads"]) == 0
    out = capsys.readouterr().out
    assert "FROM `my-project`.crm.leads AS t" in out and "REGEXP_CONTAINS" in out
    assert "Types guessed" not in out          # every type came from the list


def test_sqlite_output_scores_the_agency_list_as_the_engine(capsys):
    model = load_model(MODELS / "agency.json")
    table = model_cells(model, 300, seed=3)
    assert main(["sql", "--model", str(MODELS / "agency.json"), "--dialect", "sqlite",
                 "--table", "lead list", "--as-of", "2026-11-01"]) == 0
    sql = capsys.readouterr().out
    got = run_scores(sqlite_connection, table, sql)
    result = Scorer(table, as_of=AS_OF).score(model)
    np.testing.assert_allclose(got["score"], result.total, atol=1e-9)
    assert (got["mql"].astype(bool) == result.mql).all() and 0 < result.n_mql < 300


def run_error(args, capsys) -> str:
    assert run_cli(args) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "Traceback" not in captured.err
    return captured.err


def test_regex_in_sqlite_exits_2_naming_rule_and_operator(capsys):
    err = run_error(["sql", "--model", str(MODELS / "b2b_saas.json"), "--dialect", "sqlite"],
                    capsys)
    assert err.count("\n") == 1
    assert 'Rule "Free-mail address", operator \'matches pattern\' (matches)' in err


def test_bad_input_exits_2(capsys, tmp_path):
    model = str(MODELS / "b2b_saas.json")
    assert "does not exist" in run_error(["sql", "--model", str(tmp_path / "none.json")], capsys)
    assert "invalid choice: 'oracle'" in run_error(["sql", "--model", model, "--dialect",
                                                    "oracle"], capsys)
    assert "not a date like" in run_error(["sql", "--model", model, "--as-of", "soon"], capsys)
    agency = str(MODELS / "agency.json")
    err = run_error(["sql", "--model", agency, "--types-from", str(SAMPLE)], capsys)
    assert "column 'budget' is not in this lead list" in err

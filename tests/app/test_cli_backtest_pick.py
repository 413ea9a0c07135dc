"""``leadbench backtest --target-precision P`` / ``--mqls-per-month N``: the recommended threshold."""

from __future__ import annotations

import json
from datetime import date

import pytest

from app.cli.main import main
from scoring.evaluate.engine import Scorer
from scoring.insight.backtest import threshold_table
from scoring.insight.outcome import outcome_to_bool
from scoring.model.model_file import load_model
from scoring.reading import load_leads
from tests.conftest import ROOT, SAMPLE

MODEL = ROOT / "resources" / "models" / "b2b_saas.json"


def _lowest_reaching(precision: float) -> float:
    table, model = load_leads(SAMPLE), load_model(MODEL)
    result = Scorer(table, as_of=date(2026, 11, 1)).score(model)
    won, known = outcome_to_bool(table.frame["converted"], {True})
    frame = threshold_table(result.total, won, known, result.blocked, include=model.threshold)
    return float(frame.loc[frame["precision"] >= precision, "threshold"].min())


@pytest.mark.parametrize("target", ["0.55", "55%"])
def test_a_target_precision_picks_the_lowest_threshold_reaching_it(target, capsys):
    assert main(["backtest", str(SAMPLE), "--model", str(MODEL), "--outcome", "converted",
                 "--as-of", "2026-11-01", "--target-precision", target, "--json"]) == 0
    pick = json.loads(capsys.readouterr().out)["pick"]
    assert pick["met"] is True and pick["precision"] >= 0.55
    assert pick["threshold"] == _lowest_reaching(0.55)
    assert pick["message"] == f"Threshold {pick['threshold']:g} gives an MQL-to-won rate of at least 55%."


def test_mqls_per_month_uses_the_created_date_and_prints_the_pick(capsys):
    assert main(["backtest", str(SAMPLE), "--model", str(MODEL), "--outcome", "converted",
                 "--as-of", "2026-11-01", "--mqls-per-month", "50"]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("Threshold ") and "a month." in x)
    assert line.endswith("gives at most 50 MQLs a month.")
    assert float(line.split()[1]) > 0


def test_without_a_target_the_pick_is_null(capsys):
    assert main(["backtest", str(SAMPLE), "--model", str(MODEL), "--outcome", "converted", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["pick"] is None


def test_per_month_without_a_created_date_says_what_to_do(tmp_path, capsys):
    leads = tmp_path / "no dates.csv"
    frame = load_leads(SAMPLE).frame.drop(columns=["created_date"])
    frame.to_csv(leads, index=False)
    model = json.loads(MODEL.read_text(encoding="utf-8"))
    del model["columns"]["created_date"]
    model_path = tmp_path / "model.json"
    model_path.write_text(json.dumps(model), encoding="utf-8")
    assert main(["backtest", str(leads), "--model", str(model_path), "--outcome", "converted",
                 "--mqls-per-month", "50"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "created-date column" in err[0]


@pytest.mark.parametrize(("args", "message"), [
    (["--target-precision", "3"], "'3' is not a rate between 0 and 1: write 0.3 or 30%"),
    (["--target-precision", "abc"], "'abc' is not a rate: write 0.3 or 30%"),
    (["--mqls-per-month", "0"], "'0' must be more than 0 MQLs a month"),
    (["--target-precision", "0.5", "--mqls-per-month", "10"],
     "argument --mqls-per-month: not allowed with argument --target-precision"),
])
def test_bad_targets_exit_2(args, message, capsys):
    with pytest.raises(SystemExit) as exited:              # argparse's usage error
        main(["backtest", str(SAMPLE), "--model", str(MODEL), "--outcome", "converted", *args])
    assert exited.value.code == 2
    assert capsys.readouterr().err.strip().splitlines()[-1].endswith(message)

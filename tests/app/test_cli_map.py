"""``--map``: a model made for one list runs on a list that names its columns otherwise."""

import json

import pandas as pd
import pytest

from app.cli.main import main
from tests.conftest import ROOT, SAMPLE

MODEL = ROOT / "resources" / "models" / "b2b_saas.json"
RENAMED = {"job_title": "Title", "industry": "Sector", "employees": "Number of Employees",
           "email": "Email Address", "demo_requested": "Requested Demo",
           "webinar_attended": "Attended Webinar", "whitepaper_download": "Whitepaper Download",
           "page_views": "Pages Viewed", "email_clicks": "Email Clicks",
           "last_activity": "Last Activity Date", "lead_source": "Original Source"}


@pytest.fixture(scope="module")
def renamed(tmp_path_factory):
    path = tmp_path_factory.mktemp("lists") / "renamed.csv"
    pd.read_csv(SAMPLE, dtype=str, keep_default_na=False).rename(columns=RENAMED).to_csv(path, index=False)
    return path


def _mqls(out: str) -> str:
    return next(line for line in out.splitlines() if line.startswith("MQLs:"))


def test_auto_maps_every_column_and_scores_as_on_the_original(renamed, tmp_path, capsys):
    assert main(["score", str(SAMPLE), "--model", str(MODEL), "--output", str(tmp_path / "a.csv"),
                 "--as-of", "2026-11-01"]) == 0
    original = _mqls(capsys.readouterr().out)
    assert main(["score", str(renamed), "--model", str(MODEL), "--output", str(tmp_path / "b.csv"),
                 "--as-of", "2026-11-01", "--map", "auto"]) == 0
    captured = capsys.readouterr()
    assert _mqls(captured.out) == original
    assert "job_title -> Title" in captured.err and "last_activity -> Last Activity Date" in captured.err
    a = pd.read_csv(tmp_path / "a.csv")
    b = pd.read_csv(tmp_path / "b.csv")
    assert a["score"].tolist() == b["score"].tolist()


def test_without_map_the_model_is_refused(renamed, tmp_path, capsys):
    assert main(["score", str(renamed), "--model", str(MODEL), "--output", str(tmp_path / "b.csv")]) == 2
    err = capsys.readouterr().err
    assert "column 'job_title' is not in this lead list" in err
    assert err.count("\n") == 1


def test_explicit_pairs_with_auto_for_the_rest_on_backtest_and_report(renamed, tmp_path, capsys):
    assert main(["backtest", str(renamed), "--model", str(MODEL), "--outcome", "converted", "--json",
                 "--as-of", "2026-11-01", "--map", "job_title=Title", "--map", "auto"]) == 0
    assert 0.5 < json.loads(capsys.readouterr().out)["auc"] < 1
    out = tmp_path / "r.html"
    assert main(["report", str(renamed), "--model", str(MODEL), "--output", str(out), "--as-of",
                 "2026-11-01", "--map", "auto"]) == 0
    assert "Senior title" in out.read_text(encoding="utf-8")


def test_compare_maps_both_models(renamed, tmp_path, capsys):
    other = tmp_path / "other.json"
    data = json.loads(MODEL.read_text())
    data["threshold"] = 55
    other.write_text(json.dumps(data))
    assert main(["compare", str(renamed), "--model", str(other), "--against", str(MODEL), "--map", "auto",
                 "--as-of", "2026-11-01"]) == 0
    assert "threshold 65 -> 55" in capsys.readouterr().out


@pytest.mark.parametrize("maps, message", [
    (["job_title"], "--map takes MODEL_COLUMN=LIST_COLUMN or auto, not 'job_title'"),
    (["job_title=Nope"], "the list has no column 'Nope' to map 'job_title' to"),
    (["nope=Title"], "the model has no rule or tag on a column 'nope' to map"),
    (["job_title=Title", "industry=Title"], "'job_title' and 'industry' cannot both be mapped to 'Title'"),
])
def test_bad_maps_are_one_line(renamed, tmp_path, capsys, maps, message):
    args = [a for m in maps for a in ("--map", m)]
    assert main(["score", str(renamed), "--model", str(MODEL), "--output", str(tmp_path / "x.csv"), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_auto_refuses_an_unclear_column_and_lists_candidates(tmp_path, capsys):
    frame = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False).rename(
        columns={"job_title": "Field A", "industry": "Field B"})
    path = tmp_path / "vague.csv"
    frame.to_csv(path, index=False)
    assert main(["score", str(path), "--model", str(MODEL), "--output", str(tmp_path / "x.csv"),
                 "--map", "auto"]) == 2
    err = capsys.readouterr().err
    assert "cannot map the model's column 'job_title' with confidence; candidates: Field A (" in err
    assert "--map 'job_title=COLUMN'" in err and err.count("\n") == 1


def test_the_duckdb_engine_refuses_map(renamed, tmp_path, capsys):
    assert main(["score", str(renamed), "--model", str(MODEL), "--output", str(tmp_path / "x.csv"),
                 "--engine", "duckdb", "--map", "auto"]) == 2
    assert "leave out --map" in capsys.readouterr().err

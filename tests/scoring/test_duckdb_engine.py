"""``leadbench score --engine duckdb``: the model's SQL run by DuckDB on the file gives the engine's
scores, lead for lead, on the bundled sample and on a real list; what DuckDB would read otherwise
is refused by name."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from scoring.errors import LeadbenchError
from scoring.evaluate.engine import Scorer
from scoring.model.definition import Condition, Group, Model, Rule
from scoring.model.model_file import load_model
from scoring.reading import load_leads
from tests.conftest import ROOT, SAMPLE

duckdb = pytest.importorskip("duckdb")
from scoring.sql.duckdb_engine import score_with_duckdb  # noqa: E402

AS_OF = date(2026, 11, 1)


def _engine_scores(path, model) -> pd.DataFrame:
    table = load_leads(path, missing_values=tuple(model.missing_values))
    for column, settings in model.columns:
        if settings.type and table.types.get(column) != settings.type:
            table = table.retype(column, settings.type)
    result = Scorer(table, as_of=AS_OF).score(model)
    return pd.DataFrame({"score": result.total, "mql": result.mql})


def test_the_sample_scores_the_same_lead_for_lead_and_is_written_best_first(tmp_path):
    model = load_model(ROOT / "resources" / "models" / "b2b_saas.json")
    out = tmp_path / "scored.parquet"
    run = score_with_duckdb(SAMPLE, model, out, as_of=AS_OF)
    ours = _engine_scores(SAMPLE, model)
    assert (run.n_rows, run.n_mql, run.written) == (5000, int(ours["mql"].sum()), 5000)
    theirs = pd.read_parquet(out)
    assert list(theirs.columns[-4:]) == ["fit_score", "engagement_score", "score", "mql"]
    assert theirs["score"].is_monotonic_decreasing
    original = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
    # rows are matched on every original cell (the sample has no id column)
    key = lambda frame: frame[list(original.columns)].fillna("").astype(str).agg("\x1f".join, axis=1)  # noqa: E731
    mine = pd.Series(ours["score"].to_numpy(), index=key(original)).sort_index()
    other = pd.Series(theirs["score"].to_numpy(), index=key(theirs)).sort_index()
    assert mine.index.equals(other.index)
    np.testing.assert_allclose(other.to_numpy(), mine.to_numpy(), atol=1e-6)
    assert theirs["email"].iloc[0] == original.loc[ours["score"].idxmax(), "email"] or \
        theirs["score"].iloc[0] == ours["score"].max()


def test_a_real_list_scores_the_same_and_only_mqls_are_written(tmp_path, shared_data):
    leads = shared_data / "x_education_leads" / "Leads.csv"
    model = Model("X Education", threshold=20, groups=(Group("fit", 30), Group("engagement")), rules=(
        Rule("Reference", Condition("Lead Source", "in", ("Reference", "Welingak Website")), 15),
        Rule("Working", Condition("What is your current occupation", "eq", "Working Professional"), 12),
        Rule("Visits", Condition("TotalVisits", "gte", 5), 6, "engagement"),
        Rule("Time on site", Condition("Total Time Spent on Website", "gt", 800), 10, "engagement"),
        Rule("SMS", Condition("Last Activity", "eq", "SMS Sent"), 8, "engagement"),
        Rule("No email", Condition("Do Not Email", "is_true"), kind="disqualify")),
        missing_values=("Select",))
    out = tmp_path / "mqls.csv"
    run = score_with_duckdb(leads, model, out, as_of=AS_OF, only_mql=True)
    ours = _engine_scores(leads, model)
    ids = pd.read_csv(leads, usecols=["Prospect ID"])["Prospect ID"]
    assert run.n_rows == 9240 and run.n_mql == int(ours["mql"].sum()) == run.written
    theirs = pd.read_csv(out)
    assert set(theirs["Prospect ID"]) == set(ids[ours["mql"].to_numpy()])
    expected = pd.Series(ours["score"].to_numpy(), index=ids)
    np.testing.assert_allclose(theirs["score"], expected[theirs["Prospect ID"]].to_numpy(), atol=1e-6)
    assert theirs["Do Not Email"].isin(["No"]).all()         # the original cells, not converted ones


def test_a_column_duckdb_would_read_otherwise_is_refused_by_name(tmp_path):
    leads = tmp_path / "leads.csv"
    leads.write_text("email,revenue\n" + "".join(f"p{i}@a.com,${i}.50\n" for i in range(30)))
    model = Model("Revenue", rules=(Rule("Big", Condition("revenue", "gt", 10), 60),))
    with pytest.raises(LeadbenchError) as caught:
        score_with_duckdb(leads, model, tmp_path / "out.csv")
    assert str(caught.value) == (
        "the DuckDB engine would read column 'revenue' differently from Leadbench: '$0.50' (line 2) "
        "reads as 0.5 in Leadbench and as nothing in DuckDB; score this file without --engine duckdb, "
        "or retype the column to text in the model")
    assert not (tmp_path / "out.csv").exists()


def test_unsupported_files_and_targets_are_refused(tmp_path):
    model = Model()
    with pytest.raises(LeadbenchError, match="reads CSV, TSV or Parquet files, not leads.xlsx"):
        score_with_duckdb(tmp_path / "leads.xlsx", model, tmp_path / "out.csv")
    with pytest.raises(LeadbenchError, match="writes .csv or .parquet, not out.xlsx"):
        score_with_duckdb(SAMPLE, model, tmp_path / "out.xlsx")

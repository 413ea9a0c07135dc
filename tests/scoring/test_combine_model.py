"""The recipe and account roll-up in the model file, three-state outcomes, and accounts."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from scoring.combine import CombineError, roll_up
from scoring.errors import ModelError
from scoring.insight.outcome import guess_open_values, outcome_states
from scoring.model.definition import Condition, Model
from scoring.model.model_file import load_model, model_from_dict, save_model
from scoring.model.recipe import AccountRollup, Aggregate, MatchKey, Source
from scoring.reading import load_leads

MAVEN = "maven_crm_sales_opportunities"


def _model(tmp_path) -> Model:
    return Model(name="Joined", sources=(
        Source("deals", str(tmp_path / "data" / "deals.csv"), MatchKey("id", ("lead_id",), ("lead_id",)),
               columns=("stage", "won_date"), many="latest", order_by="won_date"),
        Source("events", "/elsewhere/events.xlsx", MatchKey("email", ("email",), ("contact",)), sheet="Log",
               aggregates=(Aggregate("Email clicks, last 30 days", "count",
                                     where=Condition("event", "eq", "click"), within_days=30,
                                     date_column="when"),))),
        accounts=AccountRollup("domain", "email", "top3", 120))


def test_recipe_round_trips_with_paths_relative_to_the_model(tmp_path):
    model = _model(tmp_path)
    save_model(model, tmp_path / "m.json")
    data = json.loads((tmp_path / "m.json").read_text())
    assert data["sources"][0]["path"] == "data/deals.csv"
    assert data["sources"][1]["path"] == "/elsewhere/events.xlsx"
    assert data["sources"][1]["aggregates"][0] == {
        "name": "Email clicks, last 30 days", "fn": "count",
        "where": {"column": "event", "op": "eq", "value": "click"}, "within_days": 30, "date_column": "when"}
    assert data["accounts"] == {"by": "domain", "column": "email", "score": "top3", "threshold": 120}
    again = load_model(tmp_path / "m.json")
    assert again == model
    assert again.sources[0].path == str(tmp_path / "data" / "deals.csv")


def test_models_without_a_recipe_load_as_before(tmp_path):
    model = model_from_dict({"format": "leadbench-model", "version": 1, "rules": []})
    assert model.sources == () and model.accounts is None
    save_model(model, tmp_path / "m.json")
    assert "sources" not in json.loads((tmp_path / "m.json").read_text())


@pytest.mark.parametrize("sources, message", [
    ([{"name": "d", "path": "d.csv", "match": {"by": "phone", "leads": ["a"], "file": ["a"]}}],
     "source 'd': match must say by which key (id, email, name)"),
    ([{"name": "d", "path": "d.csv", "match": {"by": "id", "leads": ["a"], "file": ["a"]}, "many": "latest"}],
     "source 'd': many \"latest\" needs order_by"),
    ([{"name": "d", "path": "d.csv", "match": {"by": "id", "leads": ["a"], "file": ["a"]},
       "aggregates": [{"name": "x", "fn": "median", "column": "a"}]}], "fn must be one of count"),
])
def test_bad_recipes_are_refused_by_source_and_field(sources, message):
    with pytest.raises(ModelError, match=message.replace("(", r"\(").replace(")", r"\)")):
        model_from_dict({"format": "leadbench-model", "version": 1, "sources": sources})


def test_maven_deal_stage_has_three_states(shared_data):
    stage = load_leads(shared_data / MAVEN / "sales_pipeline.csv").frame["deal_stage"]
    assert guess_open_values(stage) == {"Engaging", "Prospecting"}
    won, known = outcome_states(stage, {"Won"}, guess_open_values(stage))
    assert int(won.sum()) == 4238 and int(known.sum()) == 4238 + 2473      # 2,089 open deals left out
    assert int((~known).sum()) == 1589 + 500


def test_a_lead_without_a_deal_is_lost_and_a_filled_won_date_is_won():
    stage = pd.Series(["Won", None, "Open", "Lost", None], dtype="category")
    won, known = outcome_states(stage, {"Won"}, {"Open"}, unmatched=np.array([0, 1, 0, 0, 0], bool))
    assert won.tolist() == [True, False, False, False, False]
    assert known.tolist() == [True, True, False, True, False]      # the last: a deal without a stage
    closed = pd.Series(pd.to_datetime(["2026-01-02", None, None, "2026-02-01", None]))
    _, known = outcome_states(pd.Series(["Won", "Lost", "Lost", "Lost", "Won"]), {"Won"}, (), closed=closed)
    assert known.tolist() == [True, False, False, True, True]     # lost without a close date: still open
    won_date = pd.Series(pd.to_datetime(["2026-01-02", None]))
    assert outcome_states(won_date, ())[0].tolist() == [True, False]


def test_accounts_by_company_and_by_domain():
    frame = pd.DataFrame({"company": ["Acme, Inc.", "ACME inc", "Globex", None, "acme inc"],
                          "email": ["a@acme.com", "b@ACME.com", "c@gmail.com", "d@globex.com", "bad"]})
    total = np.array([50.0, 30.0, 10.0, 70.0, 20.0])
    mql = total >= 50
    by_company = roll_up(frame, total, mql, AccountRollup("company", None, "sum", 90))
    assert by_company.frame[["account", "leads", "mqls", "score", "mqa"]].values.tolist() == [
        ["Acme, Inc.", 3, 1, 100.0, True], ["Globex", 1, 0, 10.0, False]]
    assert by_company.without == 1 and by_company.lead_account.tolist() == [0, 0, 1, -1, 0]
    assert by_company.summary() == ("2 accounts, 1 Marketing Qualified Account (score ≥ 90); "
                                    "1 lead without an account")
    by_domain = roll_up(frame, total, mql, AccountRollup("domain", None, "max", 60))
    assert by_domain.frame[["account", "leads", "score"]].values.tolist() == [["globex.com", 1, 70.0],
                                                                             ["acme.com", 2, 50.0]]
    assert by_domain.without == 2             # gmail.com never forms an account; "bad" is no address
    for kind, want in (("average", 100 / 3), ("top3", 100 / 3), ("max", 50.0)):
        got = roll_up(frame, total, mql, AccountRollup("company", "company", kind, 1)).frame["score"][0]
        assert got == pytest.approx(want)
    four = pd.DataFrame({"company": ["A"] * 4})
    top3 = roll_up(four, np.array([1.0, 9.0, 5.0, 7.0]), np.zeros(4, bool), AccountRollup("company", None, "top3", 1))
    assert top3.frame["score"][0] == pytest.approx(7.0) and top3.frame["best_lead"][0] == 1
    with pytest.raises(CombineError, match="no column to group accounts by; choose a company column"):
        roll_up(pd.DataFrame({"x": [1]}), np.zeros(1), np.zeros(1, bool), AccountRollup())


def test_maven_accounts_from_deals(shared_data):
    leads = load_leads(shared_data / MAVEN / "sales_pipeline.csv")
    total = leads.frame["close_value"].fillna(0).to_numpy(float)
    accounts = roll_up(leads.frame, total, total > 0, AccountRollup("company", "account", "sum", 500_000),
                       types=leads.types)
    want = leads.frame.groupby("account", observed=True)["close_value"].sum().sort_values(ascending=False)
    assert accounts.frame["account"][0] == want.index[0]
    assert accounts.frame["score"][0] == want.iloc[0]
    assert len(accounts.frame) == 85 and accounts.without == 1425
    assert accounts.n_mqa == int((want >= 500_000).sum())

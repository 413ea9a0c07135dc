"""The explanation suggests only rules the lead could still match (issue 15)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scoring.evaluate.engine import Scorer
from scoring.evaluate.explain import explain_lead
from scoring.evaluate.reachable import out_of_reach
from scoring.model.definition import Compound, Condition, Model, Rule
from scoring.model.model_file import load_model
from scoring.reading import LeadTable, load_leads
from scoring.sample import SAMPLE_TODAY
from tests.conftest import ROOT, SAMPLE


def test_a_vp_at_a_mid_size_company_is_not_told_to_become_a_manager_or_an_enterprise():
    table = load_leads(SAMPLE)
    model = load_model(ROOT / "resources" / "models" / "b2b_saas.json")
    result = Scorer(table, as_of=SAMPLE_TODAY).score(model)
    frame = table.frame
    vp_mid = (frame["job_title"].astype(str).str.startswith("VP")
              & frame["employees"].between(50, 5000).fillna(False).to_numpy(bool))
    short = np.flatnonzero(vp_mid.to_numpy() & ~result.mql & ~result.blocked
                           & (result.total > model.threshold - 10))
    assert len(short) > 3
    seen_before = set()
    for row in short:
        seen_before |= {name for name, _p in explain_lead(result, row).closers}
        names = {name for name, _p in explain_lead(result, row, table).closers}
        assert not names & {"Manager title", "Enterprise (over 5,000 people)", "Senior title",
                            "Company of 50-5,000 people"}
    assert {"Manager title", "Enterprise (over 5,000 people)"} <= seen_before   # what it said before


def _one(frame: dict, rules, threshold=20) -> tuple:
    table = LeadTable.from_frame(pd.DataFrame(frame))
    model = Model(threshold=threshold, rules=tuple(rules))
    return table, model, Scorer(table).score(model)


def test_a_missing_value_or_an_engagement_rule_stays_suggested():
    rules = [Rule(name="Big company", group="fit", points=25, when=Condition("employees", "gt", 1000)),
             Rule(name="Many visits", group="engagement", points=25, when=Condition("visits", "gte", 10))]
    table, model, result = _one({"employees": [None, 200], "visits": [1, 2]}, rules)
    assert [n for n, _p in explain_lead(result, 0, table).closers] == ["Big company", "Many visits"]
    assert [n for n, _p in explain_lead(result, 1, table).closers] == ["Many visits"]


def test_when_no_rule_is_in_reach_the_verdict_says_so():
    rules = [Rule(name="Enterprise", group="fit", points=30, when=Condition("employees", "gt", 5000))]
    table, model, result = _one({"employees": [300]}, rules)
    explanation = explain_lead(result, 0, table)
    assert explanation.closers == []
    assert explanation.verdict() == "20 points short; no single rule would close the gap."


@pytest.mark.parametrize(("when", "reach"), [
    # all: one settled part rules the whole rule out
    (Compound("all", (Condition("title", "contains", "manager"), Condition("visits", "gt", 5))), False),
    # any: in reach while one part is
    (Compound("any", (Condition("title", "contains", "manager"), Condition("country", "is_empty"))), False),
    (Compound("any", (Condition("title", "contains", "manager"), Condition("region", "eq", "EU"))), True),
    # not: "not a VP" is settled for a VP
    (Compound("not", (Condition("title", "contains", "vp"),)), False),
    (Compound("not", (Condition("title", "contains", "intern"),)), True),
])
def test_compound_conditions_follow_their_logic(when, reach):
    frame = {"title": ["VP Sales"], "visits": [1], "country": ["DE"], "region": [None]}
    table = LeadTable.from_frame(pd.DataFrame(frame))
    model = Model(threshold=10, rules=(Rule(name="r", group="fit", points=50, when=when),))
    assert (0 not in out_of_reach(model, table, 0)) is reach

"""Comparing two models: counts, by source, changed leads, rule differences, export."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import date

import numpy as np
import openpyxl
import pandas as pd
import pytest

from scoring.handoff.compare import (CHANGES, ENTERED, LEFT, SCORE_CHANGED, changed_leads_frame,
                                     compare_results, export_comparison)
from scoring.errors import Cancelled, ExportError, LeadbenchError
from scoring.evaluate.engine import Scorer
from scoring.handoff.compare_rules import rule_differences
from scoring.model.definition import ColumnSettings, Condition, Decay, Group, Model, Rule
from scoring.model.model_file import model_from_dict
from scoring.reading import LeadTable, load_leads
from tests.scoring.helpers import table_of

AS_OF = date(2026, 11, 1)
TITLES = ["VP Sales", "VP Ops", "Analyst", "Analyst", "vp marketing", "Intern"]
OLD = Model(threshold=40, rules=(
    Rule("Senior", Condition("title", "contains", "vp"), 30),
    Rule("Visits", Condition("visits", "gte", 5), 20, group="engagement"),
), columns=(("source", ColumnSettings(tag="source")),))
NEW = replace(OLD, threshold=30, rules=(
    OLD.rules[0],
    replace(OLD.rules[1], points=25),
    Rule("No partners", Condition("source", "in", ("Partner",)), kind="disqualify"),
))


@pytest.fixture
def table() -> LeadTable:
    return table_of({"name": ["Ann", "Bob", "Cid", "Dee", "Eve", "=cmd()"],
                     "email": [f"{n}@x.com" for n in "abcdef"],
                     "title": TITLES, "visits": [10, 0, 10, 0, 6, 3],
                     "source": ["Partner", "Web", "Web", "Partner", "web", None]})


def compare(table, old=OLD, new=NEW):
    scorer = Scorer(table, as_of=AS_OF)
    return compare_results(table, scorer.score(old), scorer.score(new))


def test_counts_and_changed_leads_by_hand(table):
    # old: 50 30 20 0 50 0 (MQLs 0, 4); new: 55* 30 25 0* 55 0 (* blocked by the partner gate)
    c = compare(table)
    assert (c.entered, c.left, c.stayed_mql, c.stayed_out) == (1, 1, 1, 3)
    assert (c.mqls_before, c.mqls_after, c.n_leads) == (2, 2, 6)
    assert c.rate_before == pytest.approx(2 / 6)
    # entered, left, then score or gate changes by the size of the change (ties in file order)
    assert c.rows.tolist() == [1, 0, 2, 4, 3]
    assert c.change.tolist() == [ENTERED, LEFT, SCORE_CHANGED, SCORE_CHANGED, SCORE_CHANGED]
    assert c.old_score.tolist() == [30, 50, 20, 50, 0] and c.new_score.tolist() == [30, 55, 25, 55, 0]
    assert c.old_fit.tolist() == [30, 30, 0, 30, 0] and c.new_engagement.tolist() == [0, 25, 25, 25, 0]
    assert c.old_mql.tolist() == [False, True, False, True, False]
    assert c.new_mql.tolist() == [True, False, False, True, False]
    assert c.new_blocked.tolist() == [False, True, False, False, True] and not c.old_blocked.any()
    assert c.count(SCORE_CHANGED) == 3 and c.score_change.tolist() == [0, 5, 5, 5, 0]
    assert c.headline() == "1 lead becomes an MQL, 1 stops being an MQL: 2 → 2"
    with pytest.raises(ValueError):
        c.rows[0] = 3                               # a snapshot: the arrays are read-only


def test_by_source_merges_spellings_and_puts_most_changes_first(table):
    c = compare(table)
    assert c.source_column == "source"
    assert c.by_source.to_dict("records") == [
        {"source": "Web", "leads": 3, "mqls_before": 1, "mqls_after": 2, "entered": 1, "left": 0},
        {"source": "Partner", "leads": 2, "mqls_before": 1, "mqls_after": 0, "entered": 0, "left": 1},
        {"source": "(no source)", "leads": 1, "mqls_before": 0, "mqls_after": 0, "entered": 0, "left": 0},
    ]


def test_rule_differences_in_words(table):
    texts = [d.text for d in compare(table).differences]
    assert texts[0] == "MQL threshold lowered from 40 to 30"
    assert "Added No partners: never an MQL when Source is one of Partner" in texts
    assert "Changed Visits: points +20 → +25" in texts
    assert len(texts) == 3


def test_identical_models_change_nothing(table):
    c = compare(table, OLD, OLD)
    assert (c.entered, c.left, c.n_changed) == (0, 0, 0)
    assert c.differences == () and c.stayed_mql == 2 and c.stayed_out == 4
    assert c.headline() == "No lead changes MQL status: 2 MQLs under both"
    assert c.by_source[["entered", "left"]].to_numpy().sum() == 0
    assert changed_leads_frame(table, c).empty


def test_a_gate_turned_off_lets_leads_in():
    table = table_of({"title": ["VP", "VP", "Analyst"], "email": ["a@x.com", "bad", "c@x.com"]})
    gate = Rule("Valid email", Condition("email", "contains", "@"), kind="require")
    old = Model(threshold=10, rules=(Rule("Senior", Condition("title", "eq", "VP"), 10), gate))
    new = old.with_rule(1, replace(gate, enabled=False))
    c = compare(table, old, new)
    assert (c.entered, c.left, c.rows.tolist()) == (1, 0, [1])
    assert c.old_blocked.tolist() == [True] and c.new_blocked.tolist() == [False]
    assert c.old_score.tolist() == c.new_score.tolist() == [10]       # the score did not move
    assert [d.text for d in c.differences] == ["Changed Valid email: turned off"]
    assert c.source_column is None and c.by_source is None


def test_a_gate_that_blocks_a_non_mql_is_a_change_without_moving_the_score():
    table = table_of({"title": ["Intern", "VP"]})
    old = Model(threshold=50, rules=(Rule("Senior", Condition("title", "eq", "VP"), 10),))
    new = old.with_rules(old.rules + (Rule("No interns", Condition("title", "eq", "Intern"),
                                           kind="disqualify"),))
    c = compare(table, old, new)
    assert c.rows.tolist() == [0] and c.change.tolist() == [SCORE_CHANGED]
    assert (c.entered, c.left) == (0, 0)


def test_scores_of_another_list_are_refused(table):
    other = table_of({"title": ["VP"], "visits": [1], "source": ["Web"]})
    with pytest.raises(LeadbenchError, match="cover 6 and 1 leads"):
        compare_results(table, Scorer(table).score(OLD), Scorer(other).score(OLD))


def test_rule_differences_renames_caps_decay_and_order():
    base = Model(threshold=50, groups=(Group("fit", 40), Group("engagement")), rules=(
        Rule("A", Condition("x", "gt", 1), 10),
        Rule("B", Condition("y", "eq", "yes"), 5, group="engagement"),
    ))
    assert rule_differences(base, base.with_rules(base.rules[::-1])) == []      # order only
    assert rule_differences(base, base.with_rule(0, replace(base.rules[0], extra=(("note", 1),)))) == []
    new = replace(base, groups=(Group("fit", None), Group("engagement", 30)), rules=(
        replace(base.rules[0], name="A2"),
        replace(base.rules[1], when=Condition("y", "eq", "no"), decay=Decay("seen", 30), group="fit"),
    ))
    differences = rule_differences(base, new, ["x", "y", "seen"])
    assert [(d.kind, d.name) for d in differences] == [
        ("cap", "fit"), ("cap", "engagement"), ("added", "A2"), ("removed", "A"), ("changed", "B")]
    assert [d.text for d in differences] == [
        "Fit points no longer capped (were capped at 40)",
        "Engagement points now capped at 30 (were not capped)",
        "Added A2: +10 fit when X is more than 1",          # a rename is a removal and an addition
        "Removed A: +10 fit when X is more than 1",
        "Changed B: moved from engagement to fit; condition now “Y is no” (was “Y is yes”); "
        "points halve every 30 days since Seen (was no decay)",
    ]


def test_changed_leads_frame_has_contacts_and_both_scores(table):
    c = compare(table)
    frame = changed_leads_frame(table, c)
    assert list(frame.columns) == ["name", "email", "title", "old_score", "new_score", "old_mql",
                                   "new_mql", "change", "old_reasons", "new_reasons"]
    assert frame["name"].tolist() == ["Bob", "Ann", "Cid", "Eve", "Dee"]
    assert frame["change"].tolist() == ["entered", "left", "score changed", "score changed",
                                        "score changed"]
    assert frame["new_score"].tolist() == [30, 55, 25, 55, 0]
    # why each scored what it did, before and after (the points add up to the scores)
    assert frame["old_reasons"].tolist()[:2] == ["Senior +30", "Senior +30; Visits +20"]
    assert frame["new_reasons"].tolist()[:2] == ["Senior +30", "Senior +30; Visits +25"]
    assert changed_leads_frame(table, c, ["visits"]).columns[0] == "visits"
    with pytest.raises(ExportError, match="no such column"):
        changed_leads_frame(table, c, ["nope"])


def test_export_csv_neutralises_and_keeps_original_cells(table, tmp_path):
    table = table_of({"name": ["=cmd()", "Bob"], "email": ["a@x.com", "b@x.com"], "title": ["VP", "x"],
                      "visits": [10, 0], "source": ["Web", "Web"]})
    c = compare(table)
    path = export_comparison(table, c, tmp_path / "changes.csv")
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["name"] for r in rows] == ["'=cmd()"]
    assert float(rows[0]["old_score"]) == 50 and float(rows[0]["new_score"]) == 55
    assert rows[0]["change"] == "score changed" and rows[0]["old_mql"] == "true"
    assert rows[0]["new_mql"] == "true" and not list(tmp_path.glob(".*.part"))


def test_export_xlsx_has_summary_and_changed_leads(table, tmp_path):
    c = compare(table)
    export_comparison(table, c, tmp_path / "changes.xlsx")
    book = openpyxl.load_workbook(tmp_path / "changes.xlsx")
    assert book.sheetnames == ["Summary", "Changed leads"]
    summary = [[cell for cell in row if cell is not None]
               for row in book["Summary"].iter_rows(values_only=True)]
    values = {row[0]: row[1] for row in summary if len(row) == 2}
    assert values["MQLs before"] == 2 and values["Leads that become MQLs"] == 1
    assert values["Leads that stop being MQLs"] == 1 and values["New MQL threshold"] == 30
    assert ["Web", 3, 1, 2, 1, 0] in summary
    assert ["MQL threshold lowered from 40 to 30"] in summary
    leads = list(book["Changed leads"].iter_rows(values_only=True))
    assert leads[0] == ("name", "email", "title", "old_score", "new_score", "old_mql", "new_mql", "change",
                        "old_reasons", "new_reasons")
    assert [r[0] for r in leads[1:]] == ["Bob", "Ann", "Cid", "Eve", "Dee"]
    assert leads[1][3:] == (30, 30, False, True, "entered", "Senior +30", "Senior +30")


def test_export_refuses_the_source_and_cancels_without_a_file(tmp_path):
    source = tmp_path / "leads.csv"
    source.write_text("title,visits,source\nVP,10,Web\nAnalyst,1,Partner\n", encoding="utf-8")
    table = load_leads(source)
    c = compare(table)
    with pytest.raises(ExportError, match="never overwrites"):
        export_comparison(table, c, source)
    with pytest.raises(ExportError, match="csv or .xlsx"):
        export_comparison(table, c, tmp_path / "changes.txt")
    for name in ("changes.csv", "changes.xlsx"):
        with pytest.raises(Cancelled):
            export_comparison(table, c, tmp_path / name, is_cancelled=lambda: True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["leads.csv"]


X_EDUCATION = {
    "format": "leadbench-model", "version": 1, "name": "X Education inbound", "threshold": 30,
    "missing_values": ["Select"],
    "columns": {"Lead Source": {"tag": "source"}},
    "rules": [
        {"name": "Came through a form", "group": "fit", "points": 10,
         "when": {"column": "Lead Origin", "op": "in", "value": ["Landing Page Submission", "Lead Add Form"]}},
        {"name": "Working professional", "group": "fit", "points": 15,
         "when": {"column": "What is your current occupation", "op": "eq", "value": "working professional"}},
        {"name": "3 to 20 visits", "group": "engagement", "points": 10,
         "when": {"column": "TotalVisits", "op": "between", "value": [3, 20]}},
        {"name": "10+ minutes on the site", "group": "engagement", "points": 20,
         "when": {"column": "Total Time Spent on Website", "op": "gte", "value": 600}},
        {"name": "Do not email", "kind": "disqualify",
         "when": {"column": "Do Not Email", "op": "is_true"}},
    ],
}


def test_x_education_with_two_thresholds(shared_data, tmp_path):
    old = model_from_dict(X_EDUCATION)
    new = old.with_threshold(40)
    table = load_leads(shared_data / "x_education_leads" / "Leads.csv", missing_values=old.missing_values)
    scorer = Scorer(table, as_of=AS_OF)
    before, after = scorer.score(old), scorer.score(new)
    c = compare_results(table, before, after)
    # raising the bar only takes leads out; nobody's score moves
    assert c.entered == 0 and c.left == before.n_mql - after.n_mql > 100
    assert c.left == int(np.count_nonzero(before.mql & ~after.mql))
    assert c.stayed_mql == after.n_mql and c.stayed_out == table.n_rows - before.n_mql
    assert c.n_changed == c.left and (c.change == LEFT).all()
    assert (c.old_score >= 30 - 1e-9).all() and (c.old_score < 40).all()
    assert (c.score_change == 0).all() and (np.diff(c.rows) > 0).all()     # ties in file order
    assert c.source_column == "Lead Source"
    frame = c.by_source
    assert frame["leads"].sum() == table.n_rows and frame["left"].sum() == c.left
    assert frame["mqls_after"].sum() == after.n_mql and frame["entered"].sum() == 0
    google = frame[frame["source"].str.casefold() == "google"]
    assert len(google) == 1                   # "google" and "Google" are one source
    assert [d.text for d in c.differences] == ["MQL threshold raised from 30 to 40"]
    export_comparison(table, c, tmp_path / "x.csv")
    back = pd.read_csv(tmp_path / "x.csv")
    assert len(back) == c.left and set(back["change"]) == {"left"}
    assert back["old_mql"].all() and not back["new_mql"].any()
    # and back again: the same leads enter
    reverse = compare_results(table, after, before)
    assert reverse.entered == c.left and sorted(reverse.rows.tolist()) == sorted(c.rows.tolist())
    assert CHANGES[reverse.change[0]] == "entered"


def test_headline_wording_for_none_and_one(table):
    stricter = compare(table, OLD, OLD.with_threshold(55))
    assert stricter.headline() == "No lead becomes an MQL, 2 stop being MQLs: 2 → 0"
    looser = compare(table, OLD, OLD.with_threshold(30))
    assert looser.headline() == "1 lead becomes an MQL, none stop being MQLs: 2 → 3"


def test_an_empty_list_compares_and_exports(tmp_path):
    table = table_of({"name": pd.Series([], dtype=object), "title": pd.Series([], dtype=object),
                      "source": pd.Series([], dtype=object)})
    c = compare(table, OLD.with_rules(OLD.rules[:1]), NEW.with_rules(NEW.rules[:1]))
    assert (c.n_leads, c.n_changed, c.rate_before) == (0, 0, 0.0)
    assert c.by_source is not None and c.by_source.empty
    assert c.headline() == "No lead changes MQL status: 0 MQLs under both"
    export_comparison(table, c, tmp_path / "empty.xlsx")
    export_comparison(table, c, tmp_path / "empty.csv")
    assert openpyxl.load_workbook(tmp_path / "empty.xlsx").sheetnames == ["Summary", "Changed leads"]
    assert (tmp_path / "empty.csv").read_text().startswith('"name","title"')

"""Mapping a model's columns onto a list that names them otherwise."""

import pytest

from scoring.errors import LeadbenchError
from scoring.evaluate.column_map import (apply_mapping, auto_mapping, check_mapping, missing_columns,
                                         model_columns, propose_mapping)
from scoring.evaluate.engine import Scorer
from scoring.model.definition import ColumnSettings, Compound, Condition, Decay, Model, Rule
from tests.scoring.helpers import table_of

MODEL = Model(rules=(
    Rule("Senior", Condition("job_title", "contains_any", ("vp", "director")), 20),
    Rule("Source", Compound("any", (Condition("lead_source", "in", ("Referral", "Partner")),
                                    Condition("lead_source", "eq", "Webinar"))), 10),
    Rule("Demo", Condition("demo_requested", "is_true"), 30, group="engagement",
         decay=Decay("last_activity", 30)),
    Rule("Country", Condition("country", "in", ("US", "CA")), kind="require"),
), columns=(("lead_source", ColumnSettings(tag="source")), ("stage", ColumnSettings(tag="stage"))))

LIST = table_of({
    "Title": ["VP Sales", "Analyst", "Director"],
    "Original Source": ["Referral", "Ads", "Webinar"],
    "Channel Notes": ["called", "emailed", "met"],
    "Requested Demo": ["yes", "no", "yes"],
    "Last Activity Date": ["2026-10-01", "2026-09-01", None],
    "Billing Country": ["US", "DE", "CA"],
    "Region": ["US", "EU", "US"],
}).retype("Last Activity Date", "date")


def test_model_columns_and_the_missing_ones():
    assert model_columns(MODEL) == ["job_title", "lead_source", "demo_requested", "last_activity", "country"]
    assert missing_columns(MODEL, LIST) == model_columns(MODEL)
    assert missing_columns(MODEL, LIST, tagged=True)[-1] == "stage"


def test_proposals_rank_by_name_meaning_type_and_values():
    proposals = {p.model_column: p for p in propose_mapping(MODEL, LIST)}
    assert proposals["job_title"].proposed == "Title" and proposals["job_title"].confident
    assert "same meaning in CRM exports" in proposals["job_title"].candidates[0].reasons
    source = proposals["lead_source"]
    assert source.proposed == "Original Source"
    assert source.candidates[0].reasons == ("same meaning in CRM exports", "2 of 3 rule values occur")
    # a yes/no rule cannot run on a text column, a decay needs a date: those are no candidates
    assert proposals["demo_requested"].proposed == "Requested Demo"
    assert [c.column for c in proposals["last_activity"].candidates] == ["Last Activity Date"]
    # "Billing Country" is a CRM synonym and holds the rule's values; "Region" holds them too
    assert proposals["country"].proposed == "Billing Country"
    assert proposals["stage"].optional and proposals["stage"].proposed is None or not proposals["stage"].confident


def test_auto_mapping_runs_the_rules_on_the_mapped_columns():
    mapping = auto_mapping(MODEL, LIST)
    assert mapping == {"job_title": "Title", "lead_source": "Original Source",
                       "demo_requested": "Requested Demo", "last_activity": "Last Activity Date",
                       "country": "Billing Country"}          # the unclear stage tag is left alone
    mapped = apply_mapping(MODEL, mapping)
    assert mapped.rules[2].decay.date_column == "Last Activity Date"
    assert mapped.tagged("source") == "Original Source" and mapped.tagged("stage") == "stage"
    assert [r.name for r in mapped.rules] == [r.name for r in MODEL.rules]
    result = Scorer(LIST).score(mapped)
    assert result.matches[0].tolist() == [True, False, True]
    assert result.matches[1].tolist() == [True, False, True]
    assert result.blocked.tolist() == [False, True, False]
    assert apply_mapping(MODEL, {}) is MODEL


def test_one_list_column_is_never_given_to_two_model_columns():
    model = Model(rules=(Rule("A", Condition("job_title", "contains", "vp"), 1),
                         Rule("B", Condition("jobtitle", "contains", "vp"), 1)))
    table = table_of({"Job Title": ["VP"], "Notes": ["x"]})
    proposals = propose_mapping(model, table)
    assert [p.proposed for p in proposals].count("Job Title") == 1
    with pytest.raises(LeadbenchError, match="cannot map the model's column 'jobtitle' with confidence"):
        auto_mapping(model, table)
    with pytest.raises(LeadbenchError, match="cannot both be mapped to 'Job Title'"):
        check_mapping(model, table, {"job_title": "Job Title", "jobtitle": "Job Title"})


def test_an_unclear_column_is_refused_with_its_candidates():
    table = table_of({"Field A": ["VP Sales"], "Field B": ["Referral"], "Requested Demo": ["yes"],
                      "Last Activity Date": ["2026-10-01"], "Billing Country": ["US"]})
    table = table.retype("Last Activity Date", "date")
    with pytest.raises(LeadbenchError) as err:
        auto_mapping(MODEL, table)
    assert str(err.value).startswith("cannot map the model's column 'job_title' with confidence; "
                                     "candidates: Field A (name")
    assert "--map 'job_title=COLUMN'" in str(err.value)

"""Plain-English descriptions of conditions and rules."""

from __future__ import annotations

import pytest

from scoring.model.describe import (column_label, column_labels, describe_predicate, describe_rule,
                                    describe_value, short_rule_name, SHORT_NAME_LIMIT)
from scoring.model.definition import Compound, Condition, Decay, Rule


@pytest.mark.parametrize(("column", "label"), [
    ("job_title", "Job title"), ("country", "Country"), ("page_views_30d", "Page views 30d"),
    ("Lead Source", "Lead Source"), ("IsConverted", "IsConverted"), ("E-mail", "E-mail"),
    ("Total Time Spent on Website", "Total Time Spent on Website"), ("_id", "_id"), ("", ""),
])
def test_column_label_only_rewrites_snake_case(column, label):
    assert column_label(column) == label


@pytest.mark.parametrize(("cond", "text"), [
    (Condition("job_title", "contains_any", ("vp", "director", "chief")),
     "Job title contains any of vp, director, chief"),
    (Condition("country", "in", ("US", "CA", "GB", "DE", "FR", "NL")),
     "Country is one of US, CA, GB, DE (+2 more)"),
    (Condition("employees", "between", (50.0, 5000.0)), "Employees is between 50 and 5,000"),
    (Condition("employees", "gte", 1500.5), "Employees is at least 1,500.5"),
    (Condition("last_seen", "within_days", 30.0), "Last seen is within the last 30 days"),
    (Condition("last_seen", "older_than_days", 90), "Last seen is more than 90 days ago"),
    (Condition("demo", "is_true"), "Demo is yes"),
    (Condition("email", "matches", r"@(gmail|yahoo)\."), r"Email matches pattern @(gmail|yahoo)\."),
    (Condition("phone", "is_empty"), "Phone is empty"),
    (Condition("created", "before", "2024-01-31"), "Created is before 2024-01-31"),
    (Condition("Lead Source", "eq", "Google"), "Lead Source is Google"),
])
def test_conditions_read_as_sentences(cond, text):
    labels = column_labels(["job_title", "country", "employees", "last_seen", "demo", "email",
                            "phone", "created", "Lead Source"])
    assert describe_predicate(cond, labels=labels) == text


def test_without_labels_raw_column_names_are_used():
    cond = Compound("all", (Condition("title", "contains_any", ("vp", "director")),
                            Condition("seen", "within_days", 30)))
    assert describe_predicate(cond) == "title contains any of vp, director and seen is within the last 30 days"


def test_compounds_nest_with_brackets_and_negation():
    pred = Compound("any", (
        Condition("size", "gt", 50),
        Compound("all", (Condition("title", "contains", "vp"), Condition("demo", "is_true"))),
        Compound("not", (Condition("country", "eq", "US"),)),
    ))
    assert describe_predicate(pred, labels={"size": "Company size"}) == (
        "Company size is more than 50 or (title contains vp and demo is yes) or (not (country is US))")


def test_values_and_unknown_operators():
    assert describe_value(Condition("x", "is_empty")) == ""
    assert describe_value(Condition("x", "within_days", 14.0)) == "14 days"
    assert describe_value(Condition("x", "in", (1.0, 2.5))) == "1, 2.5"
    assert describe_predicate(Condition("x", "sounds_like", "smith")) == "x sounds_like smith"


def test_rules_in_one_sentence():
    labels = column_labels(["demo", "last_seen", "country"])
    rule = Rule("Demo", Condition("demo", "is_true"), 30, group="engagement",
                decay=Decay("last_seen", 14))
    assert describe_rule(rule, labels) == (
        "Demo: +30 engagement when Demo is yes, halving every 14 days since Last seen")
    assert describe_rule(Rule("Free mail", Condition("demo", "is_false"), -10.0)) == (
        "Free mail: −10 fit when demo is no")
    gate = Rule("US only", Condition("country", "in", ("US",)), kind="require")
    assert describe_rule(gate, labels) == "US only: an MQL must have Country is one of US"
    out = Rule("Students", Condition("country", "eq", "XX"), kind="disqualify")
    assert describe_rule(out) == "Students: never an MQL when country is XX"


@pytest.mark.parametrize(("when", "name"), [
    (Condition("What is your current occupation", "in", ("Working Professional", "Businessman")),
     "Occupation: Working Professional +1"),
    (Condition("page_views", "gte", 10), "Page views ≥ 10"),
    (Condition("employees", "between", (50, 5000)), "Employees 50–5,000"),
    (Condition("demo_requested", "is_true"), "Demo requested: yes"),
    (Condition("last_activity", "within_days", 30), "Last activity: last 30 days"),
    (Condition("country", "not_in", ("US", "CA")), "Country: not US +1"),
    (Compound("not", (Condition("job_title", "contains", "student"),)), "Not Job title: student"),
    (Compound("any", (Condition("job_title", "contains", "vp"), Condition("employees", "gt", 5000),
                      Condition("industry", "eq", "Software"))), "Job title: vp or 2 more"),
])
def test_generated_rule_names_are_short_and_name_the_column_and_values(when, name):
    labels = column_labels(["page_views", "employees", "demo_requested", "last_activity", "country",
                            "job_title", "industry"])
    assert short_rule_name(when, labels) == name
    assert len(short_rule_name(when, labels)) <= SHORT_NAME_LIMIT


def test_a_long_list_of_long_values_still_gives_a_short_name():
    values = tuple(f"A very long specialisation name number {i}" for i in range(12))
    name = short_rule_name(Condition("What matters most to you in choosing a course", "in", values))
    assert len(name) <= SHORT_NAME_LIMIT and name.endswith("…")

"""Explanations of one lead, and the reason texts written into exports."""

import re
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.evaluate.engine import Scorer
from scoring.evaluate.explain import (blocked_by_text, explain_lead, format_points, reasons_text)
from scoring.model.definition import Condition, Decay, Group, Model, Rule
from tests.scoring.helpers import table_of
from tests.scoring.test_engine import conditions, frames

AS_OF = date(2026, 11, 1)

LEADS = table_of({
    "title": ["VP Sales", "Analyst", "Student", "Director", "Manager"],
    "demo": ["yes", "no", "yes", "yes", "no"],
    "seen": ["2026-11-01", "2026-10-02", "2026-10-02", None, "2026-10-31"],
    "views": [30, 2, 12, 40, 8],
})

MODEL = Model(
    name="Test", threshold=50, groups=(Group("fit", cap=20), Group("engagement")),
    rules=(
        Rule("Senior title", Condition("title", "contains_any", ("vp", "director")), 15),
        Rule("Lots of views", Condition("views", "gte", 10), 10),
        Rule("Asked for a demo", Condition("demo", "is_true"), 30, group="engagement",
             decay=Decay("seen", 30)),
        Rule("Webinar", Condition("views", "gte", 35), 40, group="engagement", enabled=False),
        Rule("Analyst", Condition("title", "eq", "analyst"), -5),
        Rule("No students", Condition("title", "contains", "student"), kind="disqualify"),
        Rule("Has a title", Condition("title", "not_empty"), kind="require"),
    ))


@pytest.fixture(scope="module")
def result():
    return Scorer(LEADS, as_of=AS_OF).score(MODEL)


def test_a_qualified_lead_lists_fired_rules_and_the_cap(result):
    e = explain_lead(result, 0)                      # VP, 30 views, demo today: 25 fit capped at 20
    assert e.mql and e.score == 50 and e.fit == 20 and e.engagement == 30
    assert [(f.name, f.points, f.decayed) for f in e.fired] == [
        ("Senior title", 15, False), ("Lots of views", 10, False), ("Asked for a demo", 30, False)]
    assert [(c.group, c.raw, c.cap) for c in e.caps] == [("fit", 25, 20)]
    assert e.lines() == [
        "MQL: scored 50 (threshold 50)",
        "Qualifies exactly at the threshold.",
        "• Senior title +15", "• Lots of views +10", "• Asked for a demo +30",
        "• Fit capped at 20: −5",                    # 15 + 10 + 30 − 5 = 50
    ]


def test_decayed_points_and_blocking_gates(result):
    e = explain_lead(result, 2)                      # student, demo 30 days ago: 15 of 30 points
    assert not e.mql and e.blocking == ["No students"]
    assert e.fired[1].text() == "Asked for a demo +15 (decayed from 30)"
    assert e.score == 25 and e.gap == 25
    assert e.verdict() == "Blocked by: No students; also 25 points short."


def test_gap_names_the_rules_that_would_close_it_alone(result):
    e = explain_lead(result, 4)                      # manager, no demo, 8 views: 0 points
    assert e.gap == 50 and e.closers == []           # demo (+30) cannot close 50
    assert e.text().splitlines()[1] == "50 points short; no single rule would close the gap."
    short = explain_lead(Scorer(LEADS, as_of=AS_OF).score(MODEL.with_threshold(25)), 4)
    # the demo would give 30 (its date is 1 day old: 29.3 after decay); fit rules are capped
    assert short.closers == [("Asked for a demo", 30.0)]
    assert short.verdict() == "25 points short: Asked for a demo (+30) would qualify it."


def test_closers_respect_the_group_cap_and_ignore_disabled_rules(result):
    e = explain_lead(result, 1)                      # analyst: -5 fit, 0 engagement
    assert e.score == -5 and e.gap == 55
    e = explain_lead(Scorer(LEADS, as_of=AS_OF).score(MODEL.with_threshold(5)), 1)
    # each closes the 10-point gap alone; the disabled Webinar rule (+40) is never suggested
    assert e.closers == [("Lots of views", 10.0), ("Senior title", 15.0), ("Asked for a demo", 30.0)]
    capped = Model(threshold=25, groups=(Group("fit", cap=20), Group("engagement")),
                   rules=MODEL.rules[:2])
    e = explain_lead(Scorer(LEADS, as_of=AS_OF).score(capped), 2)   # 10 fit points, 15 short
    assert e.gap == 15 and e.closers == []           # +15 would be cut to +10 by the cap
    uncapped = Model(threshold=25, rules=MODEL.rules[:2])
    assert explain_lead(Scorer(LEADS, as_of=AS_OF).score(uncapped), 2).closers == [
        ("Senior title", 15.0)]


def test_reasons_and_blocked_texts(result):
    assert reasons_text(result) == [
        "Senior title +15; Lots of views +10; Asked for a demo +30; Fit capped at 20: −5",
        "Analyst −5",
        "Lots of views +10; Asked for a demo +15 (decayed from 30)",
        "Senior title +15; Lots of views +10; Asked for a demo +30; Fit capped at 20: −5",
        "",
    ]
    assert blocked_by_text(result) == ["", "", "No students", "", ""]
    assert reasons_text(result, rows=[4, 1]) == ["", "Analyst −5"]
    assert blocked_by_text(result, rows=np.array([2])) == ["No students"]


def test_format_points():
    assert [format_points(p) for p in (15, -10, 21.24, 29.98, -0.01, 7.5)] == [
        "+15", "−10", "+21.2", "+30", "+0", "+7.5"]


# -- property: the vectorised texts equal a plain per-row join ------------------------------
@settings(max_examples=60, deadline=None)
@given(flags=st.lists(st.tuples(st.booleans(), st.booleans(), st.booleans(),
                                st.sampled_from(["2026-11-01", "2026-10-20", "2026-06-01", None])),
                      min_size=1, max_size=30),
       enabled=st.lists(st.booleans(), min_size=4, max_size=4))
def test_reason_texts_equal_a_per_row_join(flags, enabled):
    table = table_of({"a": [f[0] for f in flags], "b": [f[1] for f in flags],
                      "c": [f[2] for f in flags], "d": [f[3] for f in flags]})
    table = table.retype("a", "boolean").retype("b", "boolean").retype("c", "boolean")
    table = table.retype("d", "date")
    rules = (Rule("A", Condition("a", "is_true"), 5, enabled=enabled[0]),
             Rule("B", Condition("b", "is_true"), -2.5, enabled=enabled[1]),
             Rule("C", Condition("c", "is_true"), 20, group="engagement", decay=Decay("d", 10),
                  enabled=enabled[2]),
             Rule("Gate", Condition("a", "is_false"), kind="disqualify", enabled=enabled[3]),
             Rule("Must B", Condition("b", "is_true"), kind="require", enabled=enabled[3]))
    result = Scorer(table, as_of=AS_OF).score(Model(rules=rules))
    expected, blocked = [], []
    for row in range(len(flags)):
        parts, gates = [], []
        for i, rule in enumerate(rules):
            if not rule.enabled or not result.matches[i][row] and not rule.is_gate:
                continue
            if rule.kind == "disqualify" and result.matches[i][row]:
                gates.append(rule.name)
            elif rule.kind == "require" and not result.matches[i][row]:
                gates.append(rule.name)
            elif rule.kind == "score":
                parts.append(explain_lead(result, row).fired[len(parts)].text())
        expected.append("; ".join(parts))
        blocked.append("; ".join(gates))
    assert reasons_text(result) == expected
    assert blocked_by_text(result) == blocked


# -- property: listed points add up to the score ---------------------------------------------
_PART = re.compile(r" ([+−])(\d+(?:\.\d{1,2})?)(?: \(decayed from −?\d+(?:\.\d{1,2})?\))?$")


def listed_cents(reasons: str) -> int:
    """The listed points of one reasons text, in hundredths."""
    total = 0
    for part in filter(None, reasons.split("; ")):
        match = _PART.search(part)
        assert match, part
        total += (-1 if match[1] == "−" else 1) * round(float(match[2]) * 100)
    return total


_random_rules = st.builds(
    Rule, st.text("abcdef", min_size=1, max_size=5), conditions(),
    st.sampled_from([-10, -0.35, 1 / 3, 5, 7.5, 12.25, 20, 33]), st.sampled_from(["fit", "engagement"]),
    st.sampled_from(["score", "score", "score", "score", "require", "disqualify"]), st.booleans(),
    st.one_of(st.none(), st.builds(Decay, st.just("day"), st.sampled_from([7, 30, 45.5]))))
_random_models = st.builds(
    Model, st.just("m"), st.sampled_from([0, 10, 25]),
    st.tuples(st.builds(Group, st.just("fit"), st.sampled_from([None, 5, 15, 22.5])),
              st.builds(Group, st.just("engagement"), st.sampled_from([None, 0, 12, 40]))),
    st.lists(_random_rules, max_size=8).map(tuple))


@settings(max_examples=200, deadline=None)
@given(frame=frames(), model=_random_models, day=st.sampled_from([AS_OF, date(2027, 3, 14)]))
def test_listed_points_always_add_up_to_the_score(frame, model, day):
    """Every lead's reasons (and its explanation) list points that sum to its score as exported
    (rounded to the cent), with caps listed as parts and decayed rules at the points used."""
    table = table_of(frame.to_dict("list"))
    for column, ctype in {"cat": "text", "num": "number", "flag": "boolean", "day": "date"}.items():
        table = table.retype(column, ctype)
    result = Scorer(table, as_of=day).score(model)
    reasons = reasons_text(result)
    for row, text in enumerate(reasons):
        score_cents = int(np.rint(result.total[row] * 100))
        assert listed_cents(text) == score_cents, (text, result.total[row])
        e = explain_lead(result, row)
        listed = [rule.listed for rule in e.fired] + [cap.listed for cap in e.caps]
        assert round(sum(listed) * 100) == score_cents
        assert "; ".join([r.text() for r in e.fired] + [c.text() for c in e.caps]) == text
        for rule in e.fired:                      # each listed part is its exact points to a cent
            assert abs(rule.listed - rule.points) <= 0.01 + 1e-9
        for cap in e.caps:
            assert abs(cap.listed - (cap.cap - cap.raw)) <= 0.01 + 1e-9
            assert f"{cap.group.capitalize()} capped at" in text


def test_a_capped_decayed_lead_lists_the_points_used_and_the_cap():
    leads = table_of({"seen": ["2026-10-02", "2026-10-20"], "demo": [True, True]}).retype("seen", "date")
    model = Model(threshold=10, groups=(Group("fit"), Group("engagement", cap=20)), rules=(
        Rule("Demo", Condition("demo", "is_true"), 15, group="engagement", decay=Decay("seen", 45)),
        Rule("Visit", Condition("demo", "is_true"), 10, group="engagement", decay=Decay("seen", 30))))
    result = Scorer(leads, as_of=AS_OF).score(model)
    first, second = reasons_text(result)
    # 30 days old: 15 × 2^(−30/45) = 9.45, 10 × 2^(−1) = 5: 14.45, under the cap
    assert first == "Demo +9.45 (decayed from 15); Visit +5 (decayed from 10)"
    # 12 days old: 12.47 + 7.58 = 20.05, capped at 20
    assert second == "Demo +12.47 (decayed from 15); Visit +7.58 (decayed from 10); Engagement capped at 20: −0.05"
    assert explain_lead(result, 1).lines()[-1] == "• Engagement capped at 20: −0.05"

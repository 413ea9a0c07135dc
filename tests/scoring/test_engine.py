"""The engine against hand-computed cases and against a plain row-by-row evaluator."""

from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.emails import EMAIL_SPACES, FREE_MAIL_DOMAINS
from scoring.errors import Cancelled, ModelError
from scoring.evaluate.engine import Scorer
from scoring.model.definition import Compound, Condition, Decay, Group, Model, Rule
from tests.scoring.helpers import table_of

AS_OF = date(2026, 11, 1)

LEADS = table_of({
    "title": ["VP Sales", " vp marketing ", "Student", None, "Director"],
    "size": [10, 250, None, 5000, 80],
    "demo": ["Yes", "No", "Yes", None, "yes"],
    "seen": ["2026-10-30", "2026-09-01", None, "2026-10-31", "2025-01-01"],
    "country": ["US", "DE", "US", "GB", None],
    "email": ["ann@Gmail.com", " bob@acme.io", "not an email", None, "c@yahoo.co.uk"],
})


def rows(table, cond, **model_kw):
    rule = Rule("r", cond, 1)
    result = Scorer(table, as_of=AS_OF).score(Model(rules=(rule,), **model_kw))
    return list(np.flatnonzero(result.matches[0]))


@pytest.mark.parametrize(("cond", "expected"), [
    (Condition("title", "eq", "VP SALES"), [0]),
    (Condition("title", "ne", "vp sales"), [1, 2, 4]),          # missing never matches ne
    (Condition("title", "contains", "VP"), [0, 1]),
    (Condition("title", "not_contains", "vp"), [2, 4]),
    (Condition("title", "contains_any", ("vp", "dir")), [0, 1, 4]),
    (Condition("title", "starts_with", "vp"), [0, 1]),           # surrounding spaces ignored
    (Condition("title", "ends_with", "TOR"), [4]),
    (Condition("title", "matches", r"^(vp|director)\b"), [0, 1, 4]),
    (Condition("title", "is_empty"), [3]),
    (Condition("title", "not_empty"), [0, 1, 2, 4]),
    (Condition("country", "in", ("us", "GB")), [0, 2, 3]),
    (Condition("email", "is_free_mail"), [0, 4]),
    (Condition("email", "not_free_mail"), [1]),                   # filled and valid, not free
    (Condition("country", "not_in", ("us",)), [1, 3]),
    (Condition("size", "gt", 80), [1, 3]),
    (Condition("size", "gte", 80), [1, 3, 4]),
    (Condition("size", "lt", 80), [0]),
    (Condition("size", "lte", 80), [0, 4]),
    (Condition("size", "between", (50, 300)), [1, 4]),
    (Condition("size", "eq", "250"), [1]),
    (Condition("size", "ne", 250), [0, 3, 4]),
    (Condition("size", "is_empty"), [2]),
    (Condition("demo", "is_true"), [0, 2, 4]),
    (Condition("demo", "is_false"), [1]),
    (Condition("demo", "is_empty"), [3]),
    (Condition("seen", "within_days", 30), [0, 3]),
    (Condition("seen", "older_than_days", 30), [1, 4]),
    (Condition("seen", "before", "2026-09-02"), [1, 4]),
    (Condition("seen", "after", "2026-10-30"), [3]),
    (Condition("seen", "is_empty"), [2]),
    (Compound("all", (Condition("title", "contains", "vp"), Condition("size", "gt", 100))), [1]),
    (Compound("any", (Condition("title", "eq", "student"), Condition("size", "gt", 1000))), [2, 3]),
    (Compound("not", (Condition("country", "eq", "US"),)), [1, 3, 4]),
])
def test_every_operator_with_missing_values(cond, expected):
    assert rows(LEADS, cond) == expected


def test_groups_caps_gates_and_threshold():
    model = Model(
        threshold=30, groups=(Group("fit", cap=20), Group("engagement")),
        rules=(
            Rule("Senior", Condition("title", "contains_any", ("vp", "director")), 15),
            Rule("Mid-size", Condition("size", "between", (50, 1000)), 10),
            Rule("Demo", Condition("demo", "is_true"), 30, group="engagement"),
            Rule("Tiny", Condition("size", "lt", 20), -10),
            Rule("Not US", Condition("country", "eq", "DE"), kind="disqualify"),
            Rule("Has country", Condition("country", "not_empty"), kind="require"),
        ))
    result = Scorer(LEADS, as_of=AS_OF).score(model)
    assert result.fit.tolist() == [5, 20, 0, 0, 20]          # row 1: 25 capped at 20
    assert result.groups_raw["fit"].tolist() == [5, 25, 0, 0, 25]
    assert result.engagement.tolist() == [30, 0, 30, 0, 30]
    assert result.total.tolist() == [35, 20, 30, 0, 50]
    assert result.blocked.tolist() == [False, True, False, False, True]
    assert result.mql.tolist() == [True, False, True, False, False]
    assert result.rule_counts.tolist() == [3, 2, 3, 1, 1, 4]
    assert result.contributions.shape == (6, 5)
    assert result.contributions[3].tolist() == [-10, 0, 0, 0, 0]


def test_decay_halves_points_every_half_life_and_missing_dates_do_not_decay():
    rule = Rule("Demo", Condition("demo", "is_true"), 40, group="engagement",
                decay=Decay("seen", 30))
    table = table_of({"demo": ["yes", "yes", "yes"], "seen": ["2026-11-01", "2026-10-02", None]})
    result = Scorer(table, as_of=AS_OF).score(Model(rules=(rule,)))
    assert result.total == pytest.approx([40, 20, 40])


def test_disabled_rules_score_and_block_nothing():
    model = Model(rules=(Rule("Senior", Condition("title", "contains", "vp"), 15, enabled=False),
                         Rule("Gate", Condition("title", "is_empty"), kind="require", enabled=False)))
    result = Scorer(LEADS, as_of=AS_OF).score(model)
    assert not result.total.any() and not result.blocked.any()
    assert [m.any() for m in result.matches] == [False, False]
    assert result.rule_counts.tolist() == [0, 0]


def test_missing_column_and_wrong_operator_name_the_rule():
    with pytest.raises(ModelError, match='Rule "Where".*column'):
        Scorer(LEADS).score(Model(rules=(Rule("Where", Condition("nope", "eq", "x"), 1),)))
    with pytest.raises(ModelError, match='Rule "Num".*does not apply'):
        Scorer(LEADS).score(Model(rules=(Rule("Num", Condition("size", "contains", "x"), 1),)))


def test_results_are_snapshots_and_cancel_stops():
    scorer = Scorer(LEADS, as_of=AS_OF)
    first = scorer.score(Model(threshold=10, rules=(Rule("a", Condition("size", "gt", 50), 20),)))
    before = first.total.copy()
    scorer.score(Model(threshold=10, rules=(Rule("a", Condition("size", "gt", 50), 5),)))
    assert first.total.tolist() == before.tolist()
    with pytest.raises(Cancelled):
        scorer.score(first.model, is_cancelled=lambda: True)


# -- property: the vectorised engine equals a row-by-row evaluation ---------------------------
CATS = ["alpha", "Beta", " beta", "gamma", None, " Ann@Gmail.com", "bob@acme.io", "x@y"]
COLUMNS = {"cat": "text", "num": "number", "flag": "bool", "day": "date"}


@st.composite
def frames(draw):
    n = draw(st.integers(1, 25))
    return pd.DataFrame({
        "cat": draw(st.lists(st.sampled_from(CATS), min_size=n, max_size=n)),
        "num": draw(st.lists(st.one_of(st.none(), st.integers(-5, 5)), min_size=n, max_size=n)),
        "flag": draw(st.lists(st.sampled_from(["yes", "no", None]), min_size=n, max_size=n)),
        "day": draw(st.lists(st.sampled_from(["2026-10-31", "2026-09-15", "2025-12-01", None]),
                             min_size=n, max_size=n)),
    })


def conditions():
    text = st.builds(Condition, st.just("cat"),
                     st.sampled_from(["eq", "ne", "contains", "not_contains", "starts_with",
                                      "ends_with", "is_empty", "not_empty"]),
                     st.sampled_from(["alpha", "BETA", "a", "gam"]))
    text_list = st.builds(Condition, st.just("cat"), st.sampled_from(["in", "not_in", "contains_any"]),
                          st.lists(st.sampled_from(["alpha", "beta", "ga"]), min_size=1, max_size=2).map(tuple))
    num = st.builds(Condition, st.just("num"), st.sampled_from(["gt", "gte", "lt", "lte", "eq", "ne"]),
                    st.integers(-5, 5))
    between = st.builds(Condition, st.just("num"), st.just("between"),
                        st.tuples(st.integers(-5, 0), st.integers(0, 5)))
    flag = st.builds(Condition, st.just("flag"), st.sampled_from(["is_true", "is_false", "is_empty"]))
    mail = st.builds(Condition, st.just("cat"), st.sampled_from(["is_free_mail", "not_free_mail"]))
    day = st.builds(Condition, st.just("day"), st.sampled_from(["within_days", "older_than_days"]),
                    st.sampled_from([10, 60, 400]))
    leaf = st.one_of(text, text_list, num, between, flag, day, mail)
    return st.recursive(leaf, lambda inner: st.one_of(
        st.builds(Compound, st.sampled_from(["all", "any"]), st.lists(inner, min_size=1, max_size=3).map(tuple)),
        st.builds(lambda p: Compound("not", (p,)), inner)), max_leaves=4)


rules = st.builds(Rule, st.text("abcdef", min_size=1, max_size=5), conditions(),
                  st.sampled_from([-10, 5, 7.5, 20]), st.sampled_from(["fit", "engagement"]),
                  st.sampled_from(["score", "score", "score", "require", "disqualify"]),
                  st.booleans(), st.one_of(st.none(), st.just(Decay("day", 30))))
models = st.builds(Model, st.just("m"), st.sampled_from([0, 10, 25]),
                   st.just((Group("fit", cap=15), Group("engagement"))), st.lists(rules, max_size=6).map(tuple))


def _norm(v):
    return None if v is None else str(v).strip().casefold()


def _days(text):
    return None if text is None else (pd.Timestamp(AS_OF) - pd.Timestamp(text)).days


def _reference_email(x: str) -> str | None:
    """'free', 'business' or None (not an address), by plain string tests."""
    if x.count("@") != 1 or any(c in EMAIL_SPACES for c in x):
        return None
    local, domain = x.split("@")
    labels = domain.split(".")
    if not local or len(labels) < 2 or not all(labels) or len(labels[-1]) < 2 \
            or not all("a" <= c <= "z" for c in labels[-1]):
        return None
    return "free" if domain in FREE_MAIL_DOMAINS else "business"


def reference_match(cond, row) -> bool:
    if isinstance(cond, Compound):
        parts = [reference_match(c, row) for c in cond.items]
        return all(parts) if cond.mode == "all" else any(parts) if cond.mode == "any" else not parts[0]
    value = row[cond.column]
    if cond.op == "is_empty":
        return value is None
    if cond.op == "not_empty":
        return value is not None
    if value is None:
        return False
    v, x = cond.value, value
    if cond.column == "cat":
        x = _norm(x)
        return {"eq": lambda: x == _norm(v), "ne": lambda: x != _norm(v),
                "contains": lambda: _norm(v) in x, "not_contains": lambda: _norm(v) not in x,
                "starts_with": lambda: x.startswith(_norm(v)), "ends_with": lambda: x.endswith(_norm(v)),
                "in": lambda: x in {_norm(i) for i in v}, "not_in": lambda: x not in {_norm(i) for i in v},
                "contains_any": lambda: any(_norm(i) in x for i in v),
                "is_free_mail": lambda: _reference_email(x) == "free",
                "not_free_mail": lambda: _reference_email(x) == "business"}[cond.op]()
    if cond.column == "num":
        return {"gt": lambda: x > v, "gte": lambda: x >= v, "lt": lambda: x < v, "lte": lambda: x <= v, "eq": lambda: x == v,
            "ne": lambda: x != v, "between": lambda: v[0] <= x <= v[1]}[cond.op]()
    if cond.column == "flag":
        return (x == "yes") if cond.op == "is_true" else (x == "no")
    age = _days(x)
    return 0 <= age <= v if cond.op == "within_days" else age > v


def reference_score(frame, model):
    totals, mqls = [], []
    for _, series in frame.iterrows():
        row = {k: (None if pd.isna(v) else v) for k, v in series.items()}
        groups, blocked = {"fit": 0.0, "engagement": 0.0}, False
        for rule in model.rules:
            if not rule.enabled:
                continue
            hit = reference_match(rule.when, row)
            if rule.kind == "require":
                blocked |= not hit
            elif rule.kind == "disqualify":
                blocked |= hit
            elif hit:
                points = rule.points
                if rule.decay is not None and row["day"] is not None:
                    points *= 0.5 ** (max(_days(row["day"]), 0) / rule.decay.half_life_days)
                groups[rule.group] += points
        total = min(groups["fit"], 15) + groups["engagement"]
        totals.append(total)
        mqls.append(total >= model.threshold - 1e-9 and not blocked)
    return totals, mqls


@settings(max_examples=120, deadline=None)
@given(frame=frames(), model=models)
def test_vectorised_engine_equals_row_by_row(frame, model):
    table = table_of(frame.to_dict("list"))
    table.types.update({"cat": "text", "num": "number", "flag": "boolean", "day": "date"})
    for column, ctype in table.types.items():
        table = table.retype(column, ctype)
    result = Scorer(table, as_of=AS_OF).score(model)
    totals, mqls = reference_score(frame, model)
    assert result.total == pytest.approx(totals)
    assert result.mql.tolist() == mqls


@settings(max_examples=40, deadline=None)
@given(frame=frames(), steps=st.lists(models, min_size=2, max_size=5))
def test_incremental_rescoring_equals_a_fresh_score(frame, steps):
    table = table_of(frame.to_dict("list"))
    for column, ctype in {"cat": "text", "num": "number", "flag": "boolean", "day": "date"}.items():
        table = table.retype(column, ctype)
    scorer = Scorer(table, as_of=AS_OF)
    for model in steps:
        scorer.score(model)
        for i in range(len(model.rules)):            # one-rule edits, as the window makes them
            model = model.with_rule(i, replace(model.rules[i], points=model.rules[i].points + 1))
            warm, fresh = scorer.score(model), Scorer(table, as_of=AS_OF).score(model)
            assert warm.total == pytest.approx(fresh.total)
            assert warm.mql.tolist() == fresh.mql.tolist()


def test_decay_on_a_datetime_column_and_future_dates_do_not_grow():
    table = table_of({"demo": ["yes"] * 4,
                      "at": ["2026-10-31 12:00", "2026-10-02 00:00", "2027-01-01 08:00", None]})
    table = table.retype("at", "datetime")
    rule = Rule("Demo", Condition("demo", "is_true"), 40, group="engagement", decay=Decay("at", 30))
    result = Scorer(table, as_of=AS_OF).score(Model(rules=(rule,)))
    assert result.total == pytest.approx([40 * 0.5 ** (0.5 / 30), 20, 40, 40])
    assert result.decay[0] is not None and result.decay[0].max() == 1.0


def test_caps_cut_positive_subtotals_only_and_negative_points_subtract():
    model = Model(threshold=0, groups=(Group("fit", cap=10), Group("engagement", cap=0)), rules=(
        Rule("Big", Condition("size", "gt", 100), 25),
        Rule("Tiny", Condition("size", "lt", 50), -15),
        Rule("Bad demo", Condition("demo", "is_false"), -5, group="engagement")))
    result = Scorer(LEADS, as_of=AS_OF).score(model)
    assert result.groups_raw["fit"].tolist() == [-15, 25, 0, 25, 0]
    assert result.fit.tolist() == [-15, 10, 0, 10, 0]
    assert result.engagement.tolist() == [0, -5, 0, 0, 0]
    assert result.mql.tolist() == [False, True, True, True, True]


def test_threshold_tolerance_and_the_contribution_matrix():
    table = table_of({"a": [1, 1, 0], "b": [1, 0, 1]})
    model = Model(threshold=0.3, rules=(Rule("a", Condition("a", "eq", 1), 0.1),
                                        Rule("b", Condition("b", "eq", 1), 0.2),
                                        Rule("gate", Condition("a", "eq", 0), kind="disqualify")))
    result = Scorer(table).score(model)
    assert result.mql.tolist() == [True, False, False]          # 0.1 + 0.2 counts as 0.3
    matrix = result.contributions
    assert matrix.shape == (3, 3) and matrix.flags.c_contiguous
    assert matrix.sum(axis=0) == pytest.approx(result.total)
    assert matrix[2].tolist() == [0, 0, 0]
    assert result.gate_failed(2).tolist() == [False, False, True]


def test_progress_per_rule_and_cancel_between_rules():
    model = Model(rules=tuple(Rule(f"r{i}", Condition("size", "gt", i), 1) for i in range(4)))
    seen = []
    Scorer(LEADS).score(model, on_progress=seen.append)
    assert seen == [0.25, 0.5, 0.75, 1.0]
    asked = []

    def cancel_at_third():
        asked.append(1)
        return len(asked) == 3

    scorer = Scorer(LEADS)
    with pytest.raises(Cancelled):
        scorer.score(model, is_cancelled=cancel_at_third)
    assert len(asked) == 3
    assert scorer.score(model).total.tolist() == [4, 4, 0, 4, 4]   # usable after a cancel


# A column of mostly unique texts (emails) is evaluated row by row instead of through hashed
# distinct values; both routes must agree with a plain Python evaluation.
_UNIQUE_ROWS = 30_000


def _unique_texts() -> list:
    rng = np.random.default_rng(3)
    out = []
    for i in range(_UNIQUE_ROWS):
        kind = rng.integers(0, 10)
        if kind == 0:
            out.append(None)
        elif kind == 1:
            out.append(f"  Straße{i}@Example.DE ")
        else:
            out.append(f"{'Lead' if kind % 2 else 'lead'}{i}@{'gmail.com' if kind < 5 else 'acme.io'}")
    return out


@pytest.mark.parametrize("cond, expected", [
    (Condition("email", "eq", "lead2@gmail.com"), lambda v: v == "lead2@gmail.com"),
    (Condition("email", "ne", "lead2@gmail.com"), lambda v: v is not None and v != "lead2@gmail.com"),
    (Condition("email", "in", ("LEAD2@gmail.com", "strasse9@example.de")),
     lambda v: v in ("lead2@gmail.com", "strasse9@example.de")),
    (Condition("email", "contains", "GMAIL"), lambda v: v is not None and "gmail" in v),
    (Condition("email", "ends_with", ".de"), lambda v: v is not None and v.endswith(".de")),
    (Condition("email", "starts_with", "strasse"), lambda v: v is not None and v.startswith("strasse")),
    (Condition("email", "matches", r"^lead\d+@acme"), lambda v: v is not None and v.startswith("lead")
     and "@acme" in v),
    (Condition("email", "matches", r"^lead(?=\d+@acme)"), lambda v: v is not None and v.startswith("lead")
     and "@acme" in v),                                   # a lookahead: Python's re, not RE2
    (Condition("email", "is_empty"), lambda v: v is None),
])
def test_mostly_unique_text_column_agrees_with_plain_python(cond, expected):
    texts = _unique_texts()
    table = table_of({"email": texts})
    got = Scorer(table, as_of=AS_OF).score(Model(rules=(Rule("r", cond, 1),))).matches[0]
    normalised = [None if t is None else t.strip().casefold() for t in texts]
    assert got.tolist() == [bool(expected(v)) for v in normalised]

"""Incremental re-scoring equals a fresh score after any sequence of edits, and results stay
immutable snapshots."""

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.evaluate import engine
from scoring.evaluate.engine import Scorer
from scoring.model.definition import Condition, Decay, Group, Model, Rule
from tests.scoring.helpers import table_of
from tests.scoring.test_engine import AS_OF, conditions, frames, models, rules

TYPES = {"cat": "text", "num": "number", "flag": "boolean", "day": "date"}


def typed(frame):
    table = table_of(frame.to_dict("list"))
    for column, ctype in TYPES.items():
        table = table.retype(column, ctype)
    return table


def edit(model: Model, data) -> Model:
    """One edit as the window makes them: one rule changed, added, removed, or a model setting."""
    what = data.draw(st.sampled_from(["when", "points", "enabled", "kind", "decay", "threshold",
                                      "cap", "add", "remove", "move"]))
    if what == "threshold":
        return model.with_threshold(data.draw(st.sampled_from([0, 5, 10, 25, 40])))
    if what == "cap":
        cap = data.draw(st.sampled_from([None, 0, 10, 15, 30]))
        return replace(model, groups=(Group("fit", cap), model.group("engagement")))
    if what == "add" or not model.rules:
        return model.with_rules((*model.rules, data.draw(rules)))
    i = data.draw(st.integers(0, len(model.rules) - 1))
    rule = model.rules[i]
    if what == "remove":
        return model.with_rules(model.rules[:i] + model.rules[i + 1:])
    if what == "move":
        return model.with_rules((rule, *model.rules[:i], *model.rules[i + 1:]))
    if what == "when":
        rule = replace(rule, when=data.draw(conditions()))
    elif what == "points":
        rule = replace(rule, points=data.draw(st.sampled_from([-10, -2.5, 0, 3, 5, 7.5, 20])))
    elif what == "enabled":
        rule = replace(rule, enabled=not rule.enabled)
    elif what == "kind":
        rule = replace(rule, kind=data.draw(st.sampled_from(["score", "require", "disqualify"])))
    else:
        rule = replace(rule, decay=None if rule.decay else Decay("day", 30))
    return model.with_rule(i, rule)


def same(warm, fresh):
    assert warm.total == pytest.approx(fresh.total, abs=1e-9)
    assert set(warm.groups) == set(fresh.groups)
    for group in fresh.groups:
        assert warm.groups[group] == pytest.approx(fresh.groups[group], abs=1e-9)
        assert warm.groups_raw[group] == pytest.approx(fresh.groups_raw[group], abs=1e-9)
    assert warm.mql.tolist() == fresh.mql.tolist()
    assert warm.blocked.tolist() == fresh.blocked.tolist()
    assert warm.rule_counts.tolist() == fresh.rule_counts.tolist()
    assert [m.tolist() for m in warm.matches] == [m.tolist() for m in fresh.matches]


@pytest.mark.parametrize("sparse_share", [engine._SPARSE_SHARE, 1.0])
@settings(max_examples=50, deadline=None)
@given(frame=frames(), start=models, data=st.data())
def test_random_edit_sequences_equal_fresh_scores_and_never_change_old_results(
        sparse_share, frame, start, data):
    saved, engine._SPARSE_SHARE = engine._SPARSE_SHARE, sparse_share   # 1.0: always sparse
    try:
        check_edit_sequence(frame, start, data)
    finally:
        engine._SPARSE_SHARE = saved


def check_edit_sequence(frame, start, data):
    table = typed(frame)
    scorer = Scorer(table, as_of=AS_OF)
    model, history = start, []
    for _ in range(data.draw(st.integers(1, 12))):
        result = scorer.score(model)
        same(result, Scorer(table, as_of=AS_OF).score(model))
        history.append((result, result.total.copy(), result.mql.copy(),
                        {g: v.copy() for g, v in result.groups.items()}))
        model = edit(model, data)
    for result, total, mql, groups in history:        # earlier snapshots are untouched
        assert result.total.tolist() == total.tolist()
        assert result.mql.tolist() == mql.tolist()
        assert all(result.groups[g].tolist() == v.tolist() for g, v in groups.items())


def test_result_arrays_are_read_only():
    table = table_of({"n": [1, 5, 9]})
    result = Scorer(table).score(Model(rules=(Rule("big", Condition("n", "gt", 4), 10),
                                              Rule("gate", Condition("n", "lt", 9), kind="require"))))
    for array in (result.total, result.mql, result.blocked, result.fit, result.matches[0],
                  result.rule_counts,
                  result.groups_raw["fit"], result.contributions):
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 1


def test_a_condition_edit_on_many_leads_touches_only_changed_rows():
    n = 4000
    rng = np.random.default_rng(3)
    table = table_of({"n": rng.integers(0, 1000, n), "m": rng.integers(0, 10, n)})
    base = Model(threshold=12, groups=(Group("fit", cap=15), Group("engagement")), rules=(
        Rule("a", Condition("n", "between", (100, 500)), 10),
        Rule("b", Condition("m", "gte", 5), 8),
        Rule("c", Condition("m", "eq", 3), 4, group="engagement")))
    scorer = Scorer(table)
    first = scorer.score(base)
    before = first.total.copy()
    for high in (501, 505, 499, 450, 900):          # small, then large changes of one rule
        model = base.with_rule(0, replace(base.rules[0], when=Condition("n", "between", (100, high))))
        same(scorer.score(model), Scorer(table).score(model))
    assert first.total.tolist() == before.tolist()


def test_changing_as_of_clears_date_caches():
    table = table_of({"seen": ["2026-10-30", "2026-01-01"]})
    table = table.retype("seen", "date")
    model = Model(rules=(Rule("recent", Condition("seen", "within_days", 30), 10,
                              decay=Decay("seen", 10)),))
    from datetime import date
    scorer = Scorer(table, as_of=date(2026, 11, 1))
    early = scorer.score(model)
    scorer.as_of = date(2026, 1, 20)
    late = scorer.score(model)
    assert early.matches[0].tolist() == [True, False] and late.matches[0].tolist() == [False, True]
    assert late.total.tolist() == pytest.approx([0, 10 * 0.5 ** (19 / 10)])
    assert late.as_of == date(2026, 1, 20)


def test_dragging_a_half_life_keeps_a_bounded_cache_and_right_scores():
    table = table_of({"seen": ["2026-10-22", "2026-08-01"], "demo": ["yes", "yes"]})
    table = table.retype("seen", "date")
    from datetime import date
    scorer = Scorer(table, as_of=date(2026, 11, 1))
    for half in range(1, 40):
        model = Model(rules=(Rule("demo", Condition("demo", "is_true"), 8, decay=Decay("seen", half)),))
        assert scorer.score(model).total == pytest.approx([8 * 0.5 ** (10 / half),
                                                           8 * 0.5 ** (92 / half)])
    assert len(scorer._decay) <= engine._CONTRIB_CACHE          # noqa: SLF001


def test_preparing_columns_in_parallel_gives_the_same_scores():
    import resources
    from scoring.model.model_file import load_model
    from scoring.reading import load_leads
    table = load_leads(resources.SAMPLE_LEADS)
    model = load_model(resources.STARTER_MODEL)
    ahead = Scorer(table, as_of=AS_OF)
    ahead.prepare(model, threads=2)
    assert len(ahead._prepared) >= 5
    plain = Scorer(table, as_of=AS_OF).score(model)
    np.testing.assert_array_equal(ahead.score(model).total, plain.total)

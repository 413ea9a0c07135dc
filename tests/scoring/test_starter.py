"""A starting model from the outcome column: the columns it picks, the leaks it refuses, a small
readable model, and honest figures on leads it was not fitted on."""

import numpy as np
import pandas as pd
import pytest

from bench.bench_starter import logistic_auc
from scoring.errors import Cancelled, LeadbenchError
from scoring.evaluate.engine import Scorer
from scoring.insight.outcome import outcome_to_bool
from scoring.insight.starter import suggest_starting_model
from scoring.insight.starter_levels import level_condition, level_partitions, prepare_column
from scoring.model.definition import Compound, Condition
from scoring.model.model_file import model_from_dict, model_to_dict, validate_model
from scoring.reading import LeadTable, load_leads
from tests.conftest import SAMPLE


@pytest.fixture(scope="module")
def sample():
    return load_leads(SAMPLE)


@pytest.fixture(scope="module")
def sample_starter(sample):
    return suggest_starting_model(sample, "converted")


def _conditions(pred):
    if isinstance(pred, Compound):
        for item in pred.items:
            yield from _conditions(item)
    else:
        yield pred


def test_the_sample_gets_a_small_readable_model(sample, sample_starter):
    s = sample_starter
    m = s.model
    assert 3 <= len(m.rules) <= 15
    assert all(float(r.points).is_integer() and r.points != 0 for r in m.rules)
    assert {r.group for r in m.rules} == {"fit", "engagement"}
    assert any(r.when.op == "in" for r in m.rules if isinstance(r.when, Condition))   # merged value lists
    used = {c.column for r in m.rules for c in _conditions(r.when)}
    assert used == set(s.columns) and "demo_requested" in used
    assert validate_model(m, sample) == []
    assert model_from_dict(model_to_dict(m)) == m                   # a plain model file
    assert m.tagged("outcome") == "converted"
    # fitted on 70%, figures on the other 30%
    assert s.fit_leads == 3500 and s.held_out.leads == 1500
    assert 0.8 < s.held_out.auc <= s.fit_auc + 0.02
    assert 0 < s.held_out.mqls < 1500 and 0 < s.held_out.precision < 1 and 0 < s.held_out.recall <= 1
    result = Scorer(sample).score(m)
    assert s.mqls == result.n_mql


def test_the_sample_leaves_out_the_stage_names_and_dates_with_reasons(sample_starter):
    reasons = {c.column: c for c in sample_starter.left_out}
    assert reasons["lifecycle_stage"].leaky and "restates" in reasons["lifecycle_stage"].reason
    assert [c.column for c in sample_starter.leaky] == ["lifecycle_stage"]
    for column in ("first_name", "email", "company"):
        assert "who the lead is" in reasons[column].reason and not reasons[column].leaky
    assert "a date" in reasons["created_date"].reason
    text = "\n".join(sample_starter.lines())
    assert "Left out because they restate the outcome:\n  lifecycle_stage: " in text
    assert "Fitted on 3,500 of 5,000 leads; the figures below are on the other 1,500" in text


def test_the_same_seed_gives_the_same_model_and_another_split_another(sample, sample_starter):
    again = suggest_starting_model(sample, "converted")
    assert again.model == sample_starter.model
    other = suggest_starting_model(sample, "converted", seed=3)
    assert not np.array_equal(other.fit_rows, sample_starter.fit_rows)


def test_the_rule_limit_and_chosen_columns(sample):
    small = suggest_starting_model(sample, "converted", max_rules=3)
    assert 1 <= len(small.model.rules) <= 3
    chosen = suggest_starting_model(sample, "converted", columns=["job_title", "lifecycle_stage"])
    assert set(chosen.columns) <= {"job_title", "lifecycle_stage"}
    assert [c.column for c in chosen.warnings] == ["lifecycle_stage"]     # used as asked, noted
    assert "Note: lifecycle_stage: used as asked, but it looks leaky" in "\n".join(chosen.lines())


def _synthetic(n=2000, seed=5):
    rng = np.random.default_rng(seed)
    won = rng.random(n) < 0.3
    channel = np.where(won, rng.choice(["Referral", "Partner", "Web", "Ads"], n, p=[.4, .3, .2, .1]),
                       rng.choice(["Referral", "Partner", "Web", "Ads"], n, p=[.1, .1, .4, .4]))
    visits = np.where(won, rng.poisson(6, n), rng.poisson(4, n))
    frame = pd.DataFrame({
        "Lead ID": [f"L{i:05d}" for i in range(n)],
        "reference": [f"r-{rng.integers(10**9)}-{i}" for i in range(n)],
        "Channel": channel, "Visits": visits,
        "Notes": [f"called on day {i}, said {'yes' if w else 'maybe'}" for i, w in enumerate(won)],
        "Close Date": np.where(won, rng.choice(["2026-10-01", "2026-09-12", "2026-08-30"], n), None),
        "Deal Stage": np.where(won, "Negotiation", "Prospecting"),
        "Score copy": np.where(won, rng.integers(90, 100, n), rng.integers(0, 10, n)),
        "Reason": np.where(won, "Lost to nobody", "Lost to a rival"),
        "Won": np.where(won, "Yes", "No")})
    return LeadTable.from_frame(frame), won


def test_leaky_ids_and_free_text_are_left_out_by_name_value_and_how_well_they_predict():
    table, _won = _synthetic()
    s = suggest_starting_model(table, "Won")
    reasons = {c.column: c for c in s.left_out}
    assert "known only after the sale ('close')" in reasons["Close Date"].reason or \
        "close date" in reasons["Close Date"].reason
    assert reasons["Close Date"].leaky and reasons["Deal Stage"].leaky
    assert "stage" in reasons["Deal Stage"].reason
    assert "predicts the outcome almost perfectly on its own (ROC AUC 1.00)" in reasons["Score copy"].reason
    assert "values restate the outcome ('Lost to a rival', 'Lost to nobody')" in reasons["Reason"].reason
    assert "who the lead is" in reasons["Lead ID"].reason
    assert "its own value" in reasons["reference"].reason
    assert "free text" in reasons["Notes"].reason or "its own value" in reasons["Notes"].reason
    assert set(s.columns) == {"Channel", "Visits"}
    channel_rules = [r for r in s.model.rules if "Channel" in r.name]
    assert len(channel_rules) <= 3 and s.held_out.auc > 0.75


def test_refusals_are_one_sentence():
    table, _won = _synthetic(n=60)
    with pytest.raises(LeadbenchError, match="at least 20 won and 20 lost leads in 'Won'; it has"):
        suggest_starting_model(table, "Won")
    big, _ = _synthetic()
    with pytest.raises(LeadbenchError, match="no column 'Nope'"):
        suggest_starting_model(big, "Nope")
    with pytest.raises(LeadbenchError, match="which values of 'Channel' mean won"):
        suggest_starting_model(big, "Channel")
    with pytest.raises(LeadbenchError, match="No column is worth scoring"):
        suggest_starting_model(big, "Won", columns=["Notes"])
    with pytest.raises(Cancelled):
        suggest_starting_model(big, "Won", is_cancelled=lambda: True)


def test_a_heavy_number_gets_a_range_of_its_own_and_levels_are_exact():
    values = pd.Series([999.0] * 90 + [1, 2, 3, 4, 5, 6, 7, 8, 9, None], name="pdays")
    col = prepare_column(values, name="pdays", bins=10)
    assert col.kind == "bins" and col.labels[-2:] == ("999", "(empty)")
    table = LeadTable.from_frame(pd.DataFrame({"pdays": values}))
    scorer = Scorer(table)
    for level in ([col.n_codes - 2], [0, 1], [0, col.missing_code], list(range(col.n_codes - 1))):
        cond = level_condition(col, level)
        from scoring.model.definition import Model, Rule
        mask = scorer.score(Model(rules=(Rule("x", cond, 1),))).matches[0]
        assert np.array_equal(mask, np.isin(col.codes, level)), (level, cond)


def test_partitions_merge_similar_values_first():
    col = prepare_column(pd.Series(list("aabbccdd")), name="c")
    beta = np.array([1.0, 1.1, -2.0, 3.0])
    parts = level_partitions(col, beta, np.ones(4), 4)
    assert [p.levels for p in parts][:3] == [((2, 0, 1, 3),), ((2,), (0, 1, 3)), ((2,), (0, 1), (3,))]
    assert parts[-1].loss == 0 and parts[0].loss > parts[1].loss > parts[2].loss


def test_x_education_within_two_points_of_a_logistic_regression(shared_data):
    table = load_leads(shared_data / "x_education_leads" / "Leads.csv", missing_values=("Select",))
    s = suggest_starting_model(table, "Converted")
    assert "Tags" in [c.column for c in s.leaky] and "Tags" not in s.columns
    assert "Prospect ID" not in s.columns and "Lead Number" not in s.columns
    won, known = outcome_to_bool(table.frame["Converted"], s.won_values)
    reference = logistic_auc(table, s.columns, won, known, s.fit_rows)
    assert s.held_out.auc >= reference - 0.02, (s.held_out.auc, reference)
    assert len(s.model.rules) <= 15


def test_one_column_auc_equals_the_auc_of_its_conversion_rates():
    from scoring.insight.analytics import prepare_category
    from scoring.insight.backtest import roc_auc
    from scoring.insight.starter_columns import column_auc
    rng = np.random.default_rng(1)
    series = pd.Series(rng.choice(list("abcde"), 5000))
    won = rng.random(5000) < np.where(series == "a", 0.6, 0.2)
    known = rng.random(5000) < 0.9
    col = prepare_category(series)
    leads = np.bincount(col.codes[known], minlength=col.n_codes)
    wins = np.bincount(col.codes[known], weights=won[known], minlength=col.n_codes)
    rate = (wins + 0.5) / (leads + 1)
    assert column_auc(col, won, known) == pytest.approx(roc_auc(rate[col.codes], won, known))

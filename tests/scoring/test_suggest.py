"""Suggested rules: the logistic fit against scikit-learn, conditions, scaling, support, cancel."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from scoring.errors import Cancelled, LeadbenchError
from scoring.evaluate.engine import Scorer
from scoring.insight.analytics import prepare_attribute, prepare_bins, prepare_category
from scoring.insight.suggest import condition_for, fit_logistic, suggest_rules
from scoring.model.definition import Compound, Condition, Model
from tests.scoring.helpers import table_of


def _synthetic(n: int = 4000, seed: int = 5):
    rng = np.random.default_rng(seed)
    source = rng.choice(["Referral", "Paid", "Organic", "Event"], n, p=[0.2, 0.4, 0.3, 0.1])
    demo = rng.random(n) < 0.3
    views = rng.poisson(5, n).astype(float)
    logit = -1.5 + 1.2 * (source == "Referral") - 0.8 * (source == "Paid") + 1.5 * demo + 0.1 * views
    won = rng.random(n) < 1 / (1 + np.exp(-logit))
    frame = pd.DataFrame({"source": source, "demo": pd.array(demo, dtype="boolean"),
                          "views": views})
    return frame, won


def test_logistic_fit_equals_sklearn():
    frame, won = _synthetic()
    prepared = [prepare_attribute(frame[c]) for c in frame.columns]
    codes = [p.codes for p in prepared]
    sizes = [p.n_codes for p in prepared]
    intercept, betas = fit_logistic(codes, sizes, won, l2=2.0)
    onehot = np.concatenate([np.eye(s)[c] for c, s in zip(codes, sizes)], axis=1)
    ref = LogisticRegression(C=0.5, tol=1e-10, max_iter=10_000).fit(onehot, won)
    assert intercept == pytest.approx(ref.intercept_[0], abs=1e-4)
    assert np.concatenate(betas) == pytest.approx(ref.coef_[0], abs=1e-4)


def test_suggestions_find_the_planted_signal_and_scale_to_max_points():
    frame, won = _synthetic()
    report = suggest_rules([frame["source"], frame["demo"], frame["views"]], won, max_points=30)
    by_value = {(s.column, s.value): s for s in report.suggestions}
    points = [abs(s.rule.points) for s in report.suggestions]
    assert max(points) == 30 and points == sorted(points, reverse=True)
    assert by_value[("source", "Referral")].rule.points > 0
    assert by_value[("source", "Paid")].rule.points < 0
    assert by_value[("demo", "Yes")].rule.when == Condition("demo", "is_true")
    assert by_value[("demo", "Yes")].rule.points > 0 and by_value[("demo", "No")].rule.points < 0
    referral = by_value[("source", "Referral")]
    assert referral.rule.when == Condition("source", "eq", "Referral")
    mask = frame["source"].to_numpy() == "Referral"
    assert referral.leads == mask.sum() and referral.conversion_rate == pytest.approx(won[mask].mean())
    assert referral.lift == pytest.approx(won[mask].mean() / won.mean())
    assert report.skipped == () and report.base_rate == pytest.approx(won.mean())


def test_log_odds_ranks_like_sklearn_on_one_column():
    frame, won = _synthetic()
    report = suggest_rules([frame["source"]], won, method="log_odds")
    ours = [s.value for s in sorted(report.suggestions, key=lambda s: -s.weight)]
    onehot = pd.get_dummies(frame["source"])
    ref = LogisticRegression(C=100.0, max_iter=5000).fit(onehot.to_numpy(float), won)
    theirs = list(onehot.columns[np.argsort(-ref.coef_[0])])
    assert ours == [v for v in theirs if v in ours]


def test_rare_values_are_skipped_and_said_so():
    frame, won = _synthetic(n=600)
    source = frame["source"].copy()
    source[:4] = "Trade show"
    report = suggest_rules([source], won, min_count=30)
    assert all(s.value != "Trade show" for s in report.suggestions)
    assert report.skipped == ("source = Trade show: only 4 leads, too few to trust (a rule needs 30)",)


def test_conditions_for_bins_categories_and_empty():
    views = prepare_bins(pd.Series([1, 2, 3, 4, 5, 6, 7, 8, None], dtype="Int64", name="views"))
    assert condition_for(views, 0) == Condition("views", "lte", 2)
    assert condition_for(views, 1) == Condition("views", "between", (3, 4))
    assert condition_for(views, 3) == Condition("views", "gte", 7)
    assert condition_for(views, 4) == Condition("views", "is_empty")
    money = prepare_bins(pd.Series([0.5, 1.2, 3.3, 4.1, 5.0, 6.0, 7.0, 8.5], name="spend"))
    lo, hi = money.edges[1], money.edges[2]
    assert condition_for(money, 1) == Compound("all", (Condition("spend", "gte", lo),
                                                       Condition("spend", "lt", hi)))
    assert condition_for(money, 0) == Condition("spend", "lt", lo)
    merged = prepare_category(pd.Series(["Google", "google", "Bing"], name="src"), merge_variants=True)
    assert condition_for(merged, 0) == Condition("src", "in", ("Google", "google"))


def test_suggested_rules_score_like_their_conditions():
    """The proposed conditions select exactly the leads of their value (checked with the engine)."""
    frame, won = _synthetic(n=800)
    report = suggest_rules([frame["source"], frame["views"]], won, min_count=20)
    table = table_of({"source": frame["source"].tolist(), "views": frame["views"].tolist()})
    result = Scorer(table).score(Model(rules=report.rules(), threshold=1000))
    for suggestion, mask in zip(report.suggestions, result.matches):
        assert mask.sum() == suggestion.leads, suggestion.rule.name


def test_progress_cancel_and_bad_input():
    frame, won = _synthetic(n=500)
    seen = []
    suggest_rules([frame["source"], frame["views"]], won, on_progress=seen.append)
    assert seen[-1] == 1.0 and seen == sorted(seen)
    with pytest.raises(Cancelled):
        suggest_rules([frame["source"]], won, is_cancelled=lambda: True)
    with pytest.raises(LeadbenchError, match="both won and lost"):
        suggest_rules([frame["source"]], np.zeros(len(won), bool))
    with pytest.raises(LeadbenchError, match="at least one column"):
        suggest_rules([], won)


def test_x_education_suggestions(shared_data):
    leads = pd.read_csv(shared_data / "x_education_leads" / "Leads.csv")
    won = leads["Converted"].to_numpy(bool)
    source = prepare_category(leads["Lead Source"], merge_variants=True, missing_label="(empty)")
    report = suggest_rules([source, leads["Lead Origin"], leads["Total Time Spent on Website"]], won)
    best = {s.value: s for s in report.suggestions}
    assert best["Lead Add Form"].rule.points > 0 and best["Lead Add Form"].conversion_rate > 0.9
    assert any("too few to trust" in note or "fewer than" in note for note in report.skipped)
    time_bins = [s for s in report.suggestions if s.column == "Total Time Spent on Website"]
    top = max(time_bins, key=lambda s: s.rule.points)
    assert top.rule.when.op == "gte"                                      # more time, more points


def test_suggested_rules_on_question_headers_get_short_names():
    occupation = pd.Series(["Working Professional"] * 60 + ["Student"] * 60 + ["Unemployed"] * 60,
                           name="What is your current occupation")
    won = np.array([True] * 45 + [False] * 15 + [False] * 55 + [True] * 5 + [False] * 50 + [True] * 10)
    report = suggest_rules([occupation], won)
    names = {s.rule.name for s in report.suggestions}
    assert "Occupation: Working Professional" in names
    assert all(len(n) <= 40 and not n.startswith("What is") for n in names)

"""Back-test numbers: hand-computed cases, scikit-learn cross-checks and the public lead lists."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import roc_auc_score

from scoring.insight.analytics import prepare_category
from scoring.insight.backtest import (backtest_summary, conversion_by_decile, format_backtest,
                                      pick_threshold, roc_auc, threshold_metrics, threshold_table)
from scoring.errors import LeadbenchError
from scoring.insight.outcome import outcome_to_bool


def b(*values) -> np.ndarray:
    return np.array(values, bool)


TOTAL = np.array([90.0, 80.0, 70.0, 60.0, 50.0, 40.0, 30.0, 20.0, 10.0, 0.0])
WON = b(1, 1, 0, 1, 0, 0, 1, 0, 0, 0)


def test_metrics_at_threshold_hand_computed():
    m = threshold_metrics(TOTAL >= 50, WON)
    assert (m.mqls, m.won_mqls, m.won, m.settled) == (5, 3, 4, 10)
    assert m.precision == 0.6 and m.recall == 0.75 and m.base_rate == 0.4
    assert m.lift == pytest.approx(1.5)
    none = threshold_metrics(np.zeros(3, bool), b(0, 0, 0))
    assert math.isnan(none.precision) and math.isnan(none.recall) and none.base_rate == 0


def test_auc_hand_computed_with_ties():
    # positives 3, 2; negatives 2, 1 -> pairs: (3>2),(3>1),(2=2 half),(2>1) = 3.5 of 4
    assert roc_auc(np.array([3.0, 2.0, 2.0, 1.0]), b(1, 1, 0, 0)) == 0.875
    assert roc_auc(TOTAL, WON) == pytest.approx(roc_auc_score(WON, TOTAL))
    assert math.isnan(roc_auc(np.ones(3), b(1, 1, 1)))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.booleans(), st.booleans()), min_size=2, max_size=60))
def test_auc_equals_sklearn(rows):
    total = np.array([r[0] for r in rows], float) / 2
    won, known = np.array([r[1] for r in rows]), np.array([r[2] for r in rows])
    y = won[known]
    if len(set(y)) < 2:
        assert math.isnan(roc_auc(total, won, known))
    else:
        assert roc_auc(total, won, known) == pytest.approx(roc_auc_score(y, total[known]), abs=1e-12)


def test_deciles_split_evenly_and_share_ties():
    d = conversion_by_decile(TOTAL, WON, buckets=5)
    assert d["leads"].tolist() == [2] * 5
    assert d["won"].tolist() == [2, 1, 0, 1, 0]
    assert d["conversion_rate"].tolist() == [1.0, 0.5, 0.0, 0.5, 0.0]
    assert d["lift"][0] == pytest.approx(2.5)
    assert d["max_score"][0] == 90 and d["min_score"][0] == 80 and d["min_score"][4] == 0
    tied = conversion_by_decile(np.array([1.0, 1.0, 1.0, 1.0]), b(1, 0, 0, 0), buckets=2)
    # a tie is shared in proportion, but counts are whole leads: the half goes to the better decile
    assert tied["won"].tolist() == [1, 0] and tied["won"].dtype == np.int64


def test_threshold_table_hand_computed_with_gates_and_unknowns():
    blocked = b(0, 0, 0, 0, 0, 0, 0, 0, 0, 1)
    known = b(1, 1, 1, 1, 1, 1, 1, 1, 0, 1)
    t = threshold_table(TOTAL, WON, known, blocked, months=2.0).set_index("threshold")
    assert list(t.index) == [10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0]    # 0 is blocked
    row = t.loc[50.0]
    assert row["mqls"] == 5 and row["mqls_per_month"] == 2.5 and row["precision"] == 0.6
    assert row["recall"] == 0.75 and row["share"] == pytest.approx(5 / 10)   # of all leads
    assert t.loc[10.0, "mqls"] == 9 and t.loc[10.0, "precision"] == 0.5     # the 10 is unsettled
    assert t.loc[10.0, "lift"] == pytest.approx(0.5 / (4 / 9))


def test_threshold_table_uses_a_grid_for_continuous_scores():
    rng = np.random.default_rng(3)
    total = rng.random(5000) * 100
    won = rng.random(5000) < total / 100
    t = threshold_table(total, won, max_rows=50, include=33.3)
    assert len(t) <= 52 and 33.3 in t["threshold"].tolist()
    row = t[t["threshold"] == 40].iloc[0]
    assert row["mqls"] == (total >= 40).sum()
    assert row["precision"] == pytest.approx(won[total >= 40].mean())


def test_pick_threshold_by_volume_and_by_precision():
    t = threshold_table(TOTAL, WON, months=1.0)
    by_volume = pick_threshold(t, target_per_month=4)
    assert by_volume.threshold == 60 and by_volume.mqls == 4 and by_volume.met
    by_precision = pick_threshold(t, target_precision=0.75)
    assert by_precision.threshold == 60 and by_precision.precision == 0.75
    unreachable = pick_threshold(t, target_precision=1.5)
    assert not unreachable.met and "No threshold" in unreachable.message
    with pytest.raises(LeadbenchError, match="exactly one target"):
        pick_threshold(t)
    with pytest.raises(LeadbenchError, match="created-date"):
        pick_threshold(threshold_table(TOTAL, WON), target_per_month=3)


def test_summary_text_and_json():
    source = prepare_category(pd.Series(list("aabbbccdde")))
    s = backtest_summary(TOTAL, TOTAL >= 50, WON, threshold=50, source=source, months=1.0,
                         target_precision=0.75)
    assert s.metrics.precision == 0.6 and s.auc == pytest.approx(roc_auc_score(WON, TOTAL))
    text = format_backtest(s)
    for expected in ("base rate 40.0%", "Threshold 50: 5 MQLs", "precision): 60.0%",
                     "recall): 75.0%", "1.50x", "Conversion by source", "Threshold 60 gives"):
        assert expected in text
    data = json.loads(json.dumps(s.to_dict(), allow_nan=False))
    assert data["precision"] == 0.6 and data["by_source"][0]["source"] == "b"
    assert data["pick"]["threshold"] == 60.0 and len(data["deciles"]) == 10
    with pytest.raises(LeadbenchError, match="different numbers"):
        backtest_summary(TOTAL, TOTAL >= 50, WON[:3], threshold=50)


def test_bank_marketing_backtest_matches_direct_computation(shared_data):
    bank = pd.read_csv(shared_data / "uci_bank_marketing" / "bank-additional-full.csv", sep=";")
    won, known = outcome_to_bool(bank["y"], {"yes"})
    total = (bank["duration"] / 60).round().to_numpy(float) + 20 * (bank["poutcome"] == "success")
    mql = total >= 10
    s = backtest_summary(total, mql, won, known=known, threshold=10,
                         source=prepare_category(bank["contact"]))
    assert s.metrics.base_rate == pytest.approx((bank["y"] == "yes").mean())
    assert s.metrics.precision == pytest.approx(won[mql].mean())
    assert s.metrics.recall == pytest.approx(mql[won].mean())
    assert s.auc == pytest.approx(roc_auc_score(won, total), abs=1e-12)
    assert s.deciles["leads"].sum() == len(bank)
    assert s.deciles["won"].sum() == pytest.approx(won.sum())
    assert s.deciles["conversion_rate"].iloc[0] > s.deciles["conversion_rate"].iloc[-1]
    assert s.by_source["leads"].sum() == len(bank)

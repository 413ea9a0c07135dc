"""Chart numbers on tiny hand-computed cases: prepared columns, histogram, grid, time, funnel."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scoring.insight.analytics import (NO_SOURCE, prepare_attribute, prepare_bins, prepare_category,
                                       prepare_dates, safe_ratio)
from scoring.insight.backtest import backtest_summary, format_backtest
from scoring.insight.conversion import conversion_by_source, cost_per_source
from scoring.insight.distribution import (default_band_edges, fit_engagement_grid, histogram_bins,
                                          score_histogram)
from scoring.errors import LeadbenchError
from scoring.insight.funnel import funnel, stage_ranks
from scoring.insight.timeline import auto_granularity, mqls_over_time


def b(*values) -> np.ndarray:
    return np.array(values, bool)


# -- prepared columns ------------------------------------------------------------------------

def test_category_codes_and_missing_label():
    p = prepare_category(pd.Series(["b", "a", None, "b"], dtype="str"), name="src")
    assert [p.labels[c] for c in p.codes] == ["b", "a", NO_SOURCE, "b"]
    assert p.missing_code == 2 and p.variants[2] == ()
    assert p.counts().tolist() == [2, 1, 1]


def test_merge_variants_keeps_most_frequent_spelling():
    s = pd.Series(["google", "Google ", "Google", "Google", "Organic  Search", "organic search",
                   "Direct"])
    p = prepare_category(s, merge_variants=True)
    assert p.labels == ("Google", "Organic  Search", "Direct")
    assert p.counts().tolist() == [4, 2, 1]
    assert set(p.variants[0]) == {"google", "Google ", "Google"}
    assert prepare_category(s).n_codes == 6       # unmerged: every spelling apart


def test_category_dtype_and_boolean_labels():
    cat = prepare_category(pd.Series(["x", "y", None], dtype="category"))
    assert cat.labels == ("x", "y", NO_SOURCE) and cat.codes.tolist() == [0, 1, 2]
    flag = prepare_attribute(pd.Series([True, False, None], dtype="boolean"), name="demo")
    assert flag.kind == "boolean" and flag.labels == ("Yes", "No", "(empty)")
    assert flag.variants[0] == (True,)


def test_number_bins_at_quantiles():
    s = pd.Series([1, 2, 3, 4, 5, 6, 7, 8, None], dtype="Int64", name="views")
    p = prepare_bins(s, bins=4)
    assert p.kind == "bins" and p.edges == (1.0, 2.75, 4.5, 6.25, 8.0)
    assert p.codes.tolist() == [0, 0, 1, 1, 2, 2, 3, 3, 4]
    assert p.labels[-1] == "(empty)" and p.variants[1] == (2.75, 4.5)
    few = prepare_bins(pd.Series([0.0, 1.0, 1.0, 0.0]), bins=4)
    assert few.kind == "category" and few.labels == ("0", "1")


def test_safe_ratio_is_nan_for_nothing():
    out = safe_ratio([1, 0, 2], [2, 0, 0])
    assert out[0] == 0.5 and np.isnan(out[1:]).all()


# -- histogram ---------------------------------------------------------------------------------

def test_threshold_is_a_bin_edge_and_integer_scores_get_whole_bins():
    edges = histogram_bins(np.array([0.0, 3.0, 7.0]), 5.0)
    assert 5.0 in edges and np.allclose(np.diff(edges), 1.0)
    assert edges[0] <= 0 and edges[-1] > 7
    wide = histogram_bins(np.array([0.0, 300.0]), 47.0)
    assert 47.0 in wide and np.diff(wide)[0] == 10.0


def test_histogram_counts_by_bin_with_tolerance_and_outcome():
    total = np.array([0.0, 10.0, 50.0 - 1e-10, 50.0, 59.0, 75.0])
    mql = b(0, 0, 1, 1, 0, 1)                      # 59 is blocked: not an MQL
    won = b(0, 1, 0, 1, 1, 1)
    known = b(1, 1, 1, 1, 0, 1)
    h = score_histogram(total, mql, 50.0, step=25.0, won=won, known=known)
    assert h["left"].tolist() == [0.0, 25.0, 50.0, 75.0]
    assert h["leads"].tolist() == [2, 0, 3, 1]     # 50-1e-10 counts at the threshold, as in the engine
    assert h["mqls"].tolist() == [0, 0, 2, 1]
    assert h["non_mqls"].tolist() == [2, 0, 1, 0]
    assert h["won"].tolist() == [1, 0, 1, 1] and h["lost"].tolist() == [1, 0, 1, 0]
    assert h.attrs["step"] == 25.0


def test_histogram_of_equal_scores_and_bad_step():
    h = score_histogram(np.zeros(4), np.zeros(4, bool), 0.0)
    assert h["leads"].sum() == 4
    with pytest.raises(LeadbenchError, match="bin width"):
        score_histogram(np.zeros(2), np.zeros(2, bool), 0.0, step=0)


# -- fit x engagement grid ---------------------------------------------------------------------

def test_grid_bands_from_caps():
    fit = np.array([40.0, 30.0, 20.0, 10.0, 0.0, 35.0])
    eng = np.array([0.0, 10.0, 20.0, 30.0, 40.0, 35.0])
    g = fit_engagement_grid(fit, eng, b(1, 0, 0, 0, 0, 1), fit_cap=40, engagement_cap=40)
    assert g.fit_edges == (10.0, 20.0, 30.0)
    expected = np.zeros((4, 4), int)
    expected[0, 3] = 1      # fit 40 (A), engagement 0 (4)
    expected[0, 2] = 1      # fit 30 (A: at the edge), engagement 10 (3)
    expected[1, 1] = 1      # fit 20 (B), engagement 20 (2)
    expected[2, 0] = 1      # fit 10 (C), engagement 30 (1)
    expected[3, 0] = 1      # fit 0 (D), engagement 40 (1)
    expected[0, 0] = 1      # fit 35 (A), engagement 35 (1)
    assert (g.leads == expected).all()
    assert g.mqls[0, 3] == 1 and g.mqls[0, 0] == 1 and g.mqls.sum() == 2
    frame = g.to_frame()
    assert frame.loc[0, ["fit_band", "engagement_band", "leads"]].tolist() == ["A", "1", 1]


def test_grid_default_edges_from_quartiles_and_bad_edges():
    assert default_band_edges(np.arange(5.0)) == (1.0, 2.0, 3.0)
    with pytest.raises(LeadbenchError, match="up to three rising"):
        fit_engagement_grid(np.zeros(2), np.zeros(2), np.zeros(2, bool), fit_edges=(3, 2, 1))


# -- over time ---------------------------------------------------------------------------------

def test_months_include_empty_buckets_and_undated():
    dates = prepare_dates(pd.Series(pd.to_datetime(
        ["2024-01-31", "2024-01-02", "2024-04-01", None, "2024-04-30 18:00"], format="ISO8601")))
    t = mqls_over_time(dates, b(1, 0, 1, 1, 0), "month")
    assert t["period_start"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01"]
    assert t["leads"].tolist() == [2, 0, 0, 2] and t["mqls"].tolist() == [1, 0, 0, 1]
    assert t.attrs["undated"] == 1
    assert np.isnan(t["mql_rate"][1]) and t["mql_rate"][0] == 0.5


def test_weeks_start_on_monday_and_quarters():
    dates = prepare_dates(pd.Series(pd.to_datetime(["2024-01-07", "2024-01-08", "2024-05-20"])))
    weeks = mqls_over_time(dates, b(0, 1, 1), "week")
    assert weeks["period_start"][0] == pd.Timestamp("2024-01-01")          # a Monday
    assert weeks["leads"][:2].tolist() == [1, 1]
    quarters = mqls_over_time(dates, b(0, 1, 1), "quarter")
    assert quarters["period_start"].tolist() == [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-04-01")]
    assert quarters["leads"].tolist() == [2, 1]


def test_auto_granularity_aims_for_few_dozen_buckets():
    def span(days):
        return prepare_dates(pd.Series(pd.to_datetime(["2023-01-01"]) .append(
            pd.to_datetime(["2023-01-01"]) + pd.Timedelta(days=days))))
    assert auto_granularity(span(20)) == "day"
    assert auto_granularity(span(200)) == "week"
    assert auto_granularity(span(545)) == "month"
    assert auto_granularity(span(3000)) == "quarter"
    t = mqls_over_time(span(545), b(0, 0))
    assert t.attrs["granularity"] == "month" and 10 <= len(t) <= 60
    with pytest.raises(LeadbenchError, match="time period"):
        mqls_over_time(span(5), b(0, 0), "fortnight")


def test_no_dates_gives_empty_table():
    t = mqls_over_time(prepare_dates(pd.Series([pd.NaT, pd.NaT])), b(1, 0))
    assert len(t) == 0 and t.attrs["undated"] == 2


# -- funnel ------------------------------------------------------------------------------------

def test_funnel_counts_later_stages_at_every_earlier_one():
    stage = prepare_category(pd.Series(["Lead", "SQL", "customer", "Opportunity", None, "SQL "]))
    t = funnel(stage, b(0, 1, 1, 1, 0, 0), ["SQL", "Opportunity", "Customer"])
    assert t["step"].tolist() == ["Leads", "MQLs", "SQL", "Opportunity", "Customer"]
    assert t["leads"].tolist() == [6, 3, 4, 2, 1]
    assert t["mqls"].tolist() == [3, 3, 3, 2, 1]
    assert np.isnan(t["step_rate"][0])
    assert t["step_rate"][1:].tolist() == pytest.approx([0.5, 4 / 3, 0.5, 0.5])
    assert t["overall_rate"].tolist() == pytest.approx([1, 0.5, 4 / 6, 2 / 6, 1 / 6])


def test_funnel_rejects_repeated_stage():
    stage = prepare_category(pd.Series(["SQL"]))
    assert stage_ranks(stage, ["MQL", "SQL"]).tolist() == [1]
    with pytest.raises(LeadbenchError, match="only once"):
        funnel(stage, b(1), ["SQL", "sql"])


# -- weird inputs ------------------------------------------------------------------------------

def test_no_leads_at_all():
    none, no = np.array([], float), np.array([], bool)
    empty = prepare_category(pd.Series([], dtype="str"))
    assert score_histogram(none, no, 50.0, won=no)["leads"].sum() == 0
    assert conversion_by_source(empty, no, won=no).empty
    assert cost_per_source(empty, no, {"Ads": 10.0})["leads"].tolist() == [0]
    assert fit_engagement_grid(none, none, no).leads.sum() == 0
    assert funnel(empty, no, ["SQL"])["leads"].tolist() == [0, 0, 0]
    assert mqls_over_time(prepare_dates(pd.Series([], dtype="datetime64[ns]")), no).empty
    assert "Leads: 0" in format_backtest(backtest_summary(none, no, no, threshold=50.0))


def test_scores_that_are_not_numbers_are_left_out_of_the_histogram():
    h = score_histogram(np.array([np.nan, 1.0, 2.0]), b(0, 0, 0), 10.0)
    assert h["leads"].sum() == 2


def test_automatic_edges_on_a_list_where_most_leads_score_zero_are_valid_and_useful():
    scores = np.zeros(9240)
    scores[:900] = np.repeat([5.0, 10.0, 15.0, 25.0, 40.0, 60.0], 150)
    edges = default_band_edges(scores)
    assert len(edges) == 3 and edges[0] < edges[1] < edges[2] and edges[0] > 0
    grid = fit_engagement_grid(scores, scores, np.zeros(len(scores), bool))
    assert grid.leads.shape == (4, 4)
    by_fit = grid.leads.sum(axis=1)
    assert by_fit[-1] >= 8340 and (by_fit > 0).all()      # the zeros are band D, every band holds leads


@pytest.mark.parametrize(("scores", "edges", "labels"), [
    ([0, 0, 0, 0], (), ("A",)),                  # one value: one band
    ([0, 0, 0, 12], (12.0,), ("A", "B")),        # two values: two bands
    ([0, 0, 8, 12, 12], (8.0, 12.0), ("A", "B", "C")),
    ([7, 7, 7], (), ("A",)),
])
def test_few_distinct_scores_make_fewer_bands(scores, edges, labels):
    values = np.asarray(scores, float)
    assert default_band_edges(values) == edges
    grid = fit_engagement_grid(values, values, np.zeros(len(values), bool))
    assert grid.fit_labels == labels and grid.leads.shape == (len(labels), len(labels))
    assert grid.leads.sum() == len(values) and (grid.leads.sum(axis=1) > 0).all()
    assert list(grid.to_frame()["fit_band"].unique()) == list(labels)

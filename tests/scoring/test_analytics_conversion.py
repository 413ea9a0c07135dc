"""Conversion by source, cost per source, attribute insight and outcome mapping."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scoring.insight.analytics import prepare_attribute, prepare_category
from scoring.insight.conversion import attribute_insight, conversion_by_source, cost_per_source, wilson_interval
from scoring.insight.outcome import guess_lost_values, guess_won_values, normal_value, outcome_to_bool


def b(*values) -> np.ndarray:
    return np.array(values, bool)


SOURCES = pd.Series(["google", "Google ", "Direct", None, "google", "Direct", "Direct"])
MQL = b(1, 0, 1, 0, 1, 0, 0)
WON = b(1, 0, 0, 1, 0, 1, 0)


def test_conversion_by_source_hand_computed():
    t = conversion_by_source(prepare_category(SOURCES, merge_variants=True), MQL, won=WON)
    assert t["source"].tolist() == ["Direct", "google", "(no source)"]       # by volume
    assert t["leads"].tolist() == [3, 3, 1] and t["mqls"].tolist() == [1, 2, 0]
    assert t["mql_rate"].tolist() == pytest.approx([1 / 3, 2 / 3, 0])
    assert t["won"].tolist() == [1, 1, 1]
    assert t["mql_won_rate"][:2].tolist() == pytest.approx([0.0, 0.5])
    assert np.isnan(t["mql_won_rate"][2])
    assert t["non_mql_won_rate"].tolist() == pytest.approx([0.5, 0.0, 1.0])


def test_conversion_without_merge_and_with_unknown_outcomes():
    known = b(1, 1, 1, 1, 0, 1, 1)
    t = conversion_by_source(prepare_category(SOURCES), MQL, won=WON, known=known)
    assert len(t) == 4                                                         # google, Google , ...
    google = t.set_index("source").loc["google"]
    assert google["leads"] == 2 and google["won_rate"] == 1.0                 # one unsettled lead
    assert google["mql_won_rate"] == 1.0
    plain = conversion_by_source(prepare_category(SOURCES), MQL)
    assert "won" not in plain.columns


def test_cost_per_source_matches_keys_loosely():
    source = prepare_category(SOURCES, merge_variants=True)
    amount = np.array([100.0, np.nan, 50.0, 10.0, 20.0, 30.0, np.nan])
    t = cost_per_source(source, MQL, {"GOOGLE": 60.0, "Direct": 30.0, "Bing": 5.0},
                        won=WON, amount=amount)
    g, d, bing = t.to_dict(orient="records")
    assert g["source"] == "google" and g["cost_per_lead"] == 20.0 and g["cost_per_mql"] == 30.0
    assert g["cost_per_won"] == 60.0 and g["revenue"] == 100.0 and g["revenue_per_mql"] == 50.0
    assert d["revenue"] == 30.0 and d["cost_per_mql"] == 30.0 and d["return_on_spend"] == 1.0
    assert bing["leads"] == 0 and np.isnan(bing["cost_per_lead"])


def test_wilson_interval_known_values():
    low, high = wilson_interval(np.array([5, 0, 0]), np.array([10, 10, 0]))
    assert low[0] == pytest.approx(0.2366, abs=1e-4) and high[0] == pytest.approx(0.7634, abs=1e-4)
    assert low[1] == 0.0 and high[1] == pytest.approx(0.2775, abs=1e-4)
    assert np.isnan(low[2])


def test_attribute_insight_lift_sorting_and_small_sample_flag():
    n = 40
    plan = pd.Series(["pro"] * 20 + ["free"] * 17 + ["team"] * 3, name="plan")
    won = np.zeros(n, bool)
    won[:10] = True          # pro: 10/20
    won[20:22] = True        # free: 2/17
    won[37] = True           # team: 1/3
    t = attribute_insight([prepare_attribute(plan)], won, min_count=10)
    assert t.attrs["base_rate"] == pytest.approx(13 / 40)
    assert t["value"].tolist() == ["pro", "free", "team"]                    # trusted first, by lift
    assert t["lift"][0] == pytest.approx(0.5 / (13 / 40))
    assert t["enough"].tolist() == [True, True, False]
    assert t["note"][2] == "only 3 leads: too few to trust"
    assert (t["ci_low"] <= t["conversion_rate"]).all() and (t["conversion_rate"] <= t["ci_high"]).all()
    trusted = attribute_insight([prepare_attribute(plan)], won, min_count=10, include_small=False)
    assert trusted["value"].tolist() == ["pro", "free"]


@pytest.mark.parametrize("values, won", [
    ([1, 0, 1], {1}),
    (["Yes", "no", "YES "], {"Yes", "YES "}),
    ([True, False], {True}),
    (["TRUE", "FALSE"], {"TRUE"}),
    (["Won", "Lost", "Open"], {"Won"}),
    (["Closed - Converted", "Closed - Not Converted"], {"Closed - Converted"}),
    (["Customer", "Lead", "SQL"], {"Customer"}),
    (["apple", "pear"], set()),
])
def test_guess_won_values(values, won):
    assert guess_won_values(pd.Series(values)) == won


def test_outcome_to_bool_missing_dates_and_open_deals():
    won, known = outcome_to_bool(pd.Series([1, 0, None, 1], dtype="Int64"), {1})
    assert won.tolist() == [True, False, False, True] and known.tolist() == [True, True, False, True]
    won, known = outcome_to_bool(pd.Series(["yes", "No", "Yes "], dtype="category"), {"Yes"})
    assert won.tolist() == [True, False, True]
    closed = pd.Series(pd.to_datetime(["2024-01-02", None]))
    assert guess_won_values(closed) == set()
    won, known = outcome_to_bool(closed, set())
    assert won.tolist() == [True, False] and known.all()
    stage = pd.Series(["Won", "Lost", "Engaging", None])
    assert guess_lost_values(stage) == {"Lost"}
    won, known = outcome_to_bool(stage, {"won"}, lost_values={"lost"})
    assert won.tolist() == [True, False, False, False]
    assert known.tolist() == [True, True, False, False]
    assert normal_value(1.0) == normal_value("1") == "1"


def test_x_education_source_table_matches_pandas(shared_data):
    leads = pd.read_csv(shared_data / "x_education_leads" / "Leads.csv")
    won, known = outcome_to_bool(leads["Converted"], guess_won_values(leads["Converted"]))
    assert guess_won_values(leads["Converted"]) == {1} and known.all()
    mql = (leads["TotalVisits"].fillna(0) >= 4).to_numpy()
    merged = conversion_by_source(prepare_category(leads["Lead Source"], merge_variants=True), mql, won=won)
    raw = conversion_by_source(prepare_category(leads["Lead Source"]), mql, won=won)
    assert merged["leads"].sum() == raw["leads"].sum() == len(leads)
    assert merged["won"].sum() == leads["Converted"].sum()
    assert len(merged) < len(raw)
    assert (raw["source"].str.casefold() == "google").sum() == 2            # google and Google
    assert (merged["source"].str.casefold() == "google").sum() == 1
    lower = leads["Lead Source"].str.strip().str.casefold()
    google = merged[merged["source"].str.casefold() == "google"].iloc[0]
    assert google["leads"] == (lower == "google").sum()
    assert google["mql_won_rate"] == pytest.approx(leads["Converted"][(lower == "google") & mql].mean())
    missing = merged.set_index("source").loc["(no source)"]
    assert missing["leads"] == leads["Lead Source"].isna().sum()


def test_bank_channel_table_matches_pandas(shared_data):
    bank = pd.read_csv(shared_data / "uci_bank_marketing" / "bank-additional-full.csv", sep=";")
    assert guess_won_values(bank["y"]) == {"yes"}
    won, _known = outcome_to_bool(bank["y"], {"yes"})
    mql = (bank["duration"] > 300).to_numpy()
    t = conversion_by_source(prepare_category(bank["contact"]), mql, won=won).set_index("source")
    expected = bank.groupby("contact")["y"].apply(lambda s: (s == "yes").mean())
    assert t["won_rate"].to_dict() == pytest.approx(expected.to_dict())
    assert t["mqls"].sum() == mql.sum()


def test_maven_pipeline_open_deals_and_revenue(shared_data):
    deals = pd.read_csv(shared_data / "maven_crm_sales_opportunities" / "sales_pipeline.csv",
                        parse_dates=["engage_date", "close_date"])
    stage = deals["deal_stage"]
    assert guess_won_values(stage) == {"Won"} and guess_lost_values(stage) == {"Lost"}
    won, known = outcome_to_bool(stage, {"Won"}, lost_values={"Lost"})
    assert known.sum() == stage.isin(["Won", "Lost"]).sum() and won.sum() == (stage == "Won").sum()
    product = prepare_category(deals["product"], merge_variants=True)
    mql = np.ones(len(deals), bool)
    products = pd.read_csv(shared_data / "maven_crm_sales_opportunities" / "products.csv")
    spend = dict.fromkeys(products["product"], 1000.0)      # "GTX Pro" here, "GTXPro" in deals
    cost = cost_per_source(product, mql, spend, won=won, known=known,
                           amount=deals["close_value"].to_numpy(float)).set_index("source")
    assert cost.loc["GTXPro", "leads"] == (deals["product"] == "GTXPro").sum()
    basic = deals[deals["product"] == "GTX Basic"]
    assert cost.loc["GTX Basic", "revenue"] == pytest.approx(
        basic.loc[basic["deal_stage"] == "Won", "close_value"].sum())
    assert cost.loc["GTX Basic", "cost_per_won"] == pytest.approx(
        1000.0 / (basic["deal_stage"] == "Won").sum())
    closed_won, closed_known = outcome_to_bool(deals["close_date"], set())
    assert closed_won.sum() == deals["close_date"].notna().sum() and closed_known.all()

"""Joining other files to a lead list: lookups, aggregates, the match preview and bad keys."""

from __future__ import annotations

import hashlib
from datetime import date

import numpy as np
import pandas as pd
import pytest

from scoring.combine import CombineError, Combiner, SourceMissing, combine
from scoring.model.definition import Condition
from scoring.model.recipe import Aggregate, MatchKey, Source
from scoring.reading import load_leads
from tests.scoring.combine_files import AS_OF, write_crm

MAVEN = "maven_crm_sales_opportunities"


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_maven_deals_get_their_account_and_team_and_keep_their_order(shared_data):
    folder = shared_data / MAVEN
    before = {p: _digest(p) for p in (folder / "accounts.csv", folder / "sales_teams.csv")}
    leads = load_leads(folder / "sales_pipeline.csv")
    out = combine(leads, [
        Source("accounts", str(folder / "accounts.csv"), MatchKey("id", ("account",), ("account",)),
               columns=("sector", "revenue", "employees")),
        Source("teams", str(folder / "sales_teams.csv"), MatchKey("id", ("sales_agent",), ("sales_agent",)),
               columns=("manager", "regional_office"))])
    assert out.previews["accounts"].text() == ("7,375 of 8,800 leads matched; every row of accounts.csv "
                                               "matches a lead")
    assert out.previews["teams"].text() == ("8,800 of 8,800 leads matched; 5 rows of sales_teams.csv "
                                            "match no lead")
    frame = out.table.frame
    assert len(frame) == 8800
    assert frame["opportunity_id"].tolist() == leads.frame["opportunity_id"].tolist()
    first = frame.iloc[0]                       # 1C1I7A6R, Moses Frase at Cancity
    assert (first["sector"], first["revenue"], first["employees"]) == ("retail", 718.62, 2448)
    assert (first["manager"], first["regional_office"]) == ("Dustin Brinkmann", "Central")
    blank = frame["account"].isna()             # open deals without an account match nothing
    assert frame.loc[blank, "sector"].isna().all() and int(blank.sum()) == 1425
    assert str(out.table.types["revenue"]) == "number" and str(out.table.types["sector"]) == "category"
    assert before == {p: _digest(p) for p in before}            # never written


def test_maven_accounts_get_deal_aggregates_equal_to_pandas(shared_data):
    folder = shared_data / MAVEN
    accounts = load_leads(folder / "accounts.csv")
    won = Condition("deal_stage", "eq", "won")          # compared ignoring case, as in rules
    source = Source("deals", str(folder / "sales_pipeline.csv"), MatchKey("id", ("account",), ("account",)),
                    aggregates=(Aggregate("Won deals", "count", where=won),
                                Aggregate("Won value", "sum", "close_value", where=won),
                                Aggregate("Mean value", "mean", "close_value"),
                                Aggregate("Biggest deal", "max", "close_value"),
                                Aggregate("Last close", "latest", "close_date"),
                                Aggregate("First engaged", "earliest", "engage_date"),
                                Aggregate("Products", "distinct", "product"),
                                Aggregate("Wins, last 30 days", "count", where=won, within_days=30,
                                          date_column="close_date")))
    out = combine(accounts, [source], as_of=date(2017, 12, 31)).table.frame
    deals = pd.read_csv(folder / "sales_pipeline.csv", parse_dates=["close_date", "engage_date"])
    wins = deals[deals["deal_stage"] == "Won"]
    recent = wins[wins["close_date"] >= pd.Timestamp("2017-12-01")]
    expected = pd.DataFrame({
        "Won deals": wins.groupby("account").size(), "Won value": wins.groupby("account")["close_value"].sum(),
        "Mean value": deals.groupby("account")["close_value"].mean(),
        "Biggest deal": deals.groupby("account")["close_value"].max(),
        "Last close": deals.groupby("account")["close_date"].max(),
        "First engaged": deals.groupby("account")["engage_date"].min(),
        "Products": deals.groupby("account")["product"].nunique(),
        "Wins, last 30 days": recent.groupby("account").size()}).reindex(out["account"])
    expected["Wins, last 30 days"] = expected["Wins, last 30 days"].fillna(0)
    for column in expected:
        got, want = out[column].to_numpy(), expected[column].to_numpy()
        if column in ("Last close", "First engaged"):
            assert (got == want).all(), column
        else:
            np.testing.assert_allclose(got.astype(float), want.astype(float), err_msg=column)
    assert out.loc[out["account"] == "Hottechi", "Won deals"].item() == 111


def test_generated_lookup_first_latest_and_aggregate(tmp_path):
    files = write_crm(tmp_path)
    leads = load_leads(files["leads"])
    key = MatchKey("id", ("lead_id",), ("lead_id",))
    first = combine(leads, [Source("deals", str(files["deals"]), key, columns=("stage", "amount"))])
    n_deal = int(files["frames"]["deals"]["lead_id"].str.startswith("L").sum()) - 10
    assert first.previews["deals"].text() == (f"{n_deal:,} of 400 leads matched; 5 rows of deals.csv match "
                                              "no lead; 10 leads match more than one row")
    deals = files["frames"]["deals"]
    twice = deals["lead_id"].iloc[0]
    row = leads.frame.index[leads.frame["lead_id"] == twice][0]
    assert first.table.frame.loc[row, "amount"] == deals["amount"].iloc[0]          # the first row
    latest = combine(leads, [Source("deals", str(files["deals"]), key, columns=("stage", "amount"),
                                    many="latest", order_by="close_date")])
    assert latest.table.frame.loc[row, "amount"] == 1                               # dated 2026-06-29
    summed = combine(leads, [Source("deals", str(files["deals"]), key, columns=("amount", "stage"),
                                    many="aggregate")]).table.frame
    assert summed.loc[row, "amount"] == deals["amount"].iloc[0] + 1
    assert summed.loc[row, "stage"] in ("Won", f"{deals['stage'].iloc[0]}, Won", f"Won, {deals['stage'].iloc[0]}")
    no_deal = ~first.matched["deals"]
    assert first.table.frame.loc[no_deal, "stage"].isna().all()
    assert first.table.frame["lead_id"].tolist() == leads.frame["lead_id"].tolist()


def test_generated_activity_by_email_ignores_case_and_spaces(tmp_path):
    files = write_crm(tmp_path)
    leads = load_leads(files["leads"])
    source = Source("events", str(files["events"]), MatchKey("email", ("email",), ("contact",)),
                    aggregates=(Aggregate("Email clicks, last 30 days", "count", where=Condition("event", "eq", "click"),
                                          within_days=30, date_column="when"),
                                Aggregate("Pages", "sum", "pages"),
                                Aggregate("Last seen", "latest", "when")))
    combiner = Combiner(leads)
    combiner.load([source])
    out = combiner.apply([source], as_of=date.fromisoformat(AS_OF)).table.frame
    events = files["frames"]["events"].assign(key=lambda f: f["contact"].str.strip().str.lower(),
                                              when=lambda f: pd.to_datetime(f["when"]))
    clicks = events[(events["event"] == "click") & (events["when"] >= pd.Timestamp(AS_OF) - pd.Timedelta(days=30))]
    want = clicks.groupby("key").size().reindex(leads.frame["email"]).fillna(0).astype(int).to_numpy()
    assert out["Email clicks, last 30 days"].astype(int).tolist() == want.tolist()
    assert out["Pages"].astype(int).tolist() == \
        events.groupby("key")["pages"].sum().reindex(leads.frame["email"]).fillna(0).astype(int).tolist()
    # a wider window: only that aggregate changes, and counts grow
    wider = Source(source.name, source.path, source.match, aggregates=(
        Aggregate("Email clicks, last 30 days", "count", where=Condition("event", "eq", "click"),
                  within_days=60, date_column="when"),) + source.aggregates[1:])
    again = combiner.apply([wider], as_of=date.fromisoformat(AS_OF)).table.frame
    assert (again["Email clicks, last 30 days"] >= out["Email clicks, last 30 days"]).all()
    assert again["Email clicks, last 30 days"].sum() > out["Email clicks, last 30 days"].sum()


def test_name_and_company_match_as_the_duplicate_finder_normalises(tmp_path):
    (tmp_path / "leads.csv").write_text("first,last,company\nSean,O'Brien,\"Acme, Inc.\"\nAnn,Lee,Globex\n"
                                        "Bo,Day,\n")
    (tmp_path / "crm.csv").write_text("person,org,tier\nsean obrien,ACME INC,gold\nAnn  Lee,Initech,silver\n")
    out = combine(load_leads(tmp_path / "leads.csv"), [Source(
        "crm", str(tmp_path / "crm.csv"), MatchKey("name", ("first", "last", "company"), ("person", "org")),
        columns=("tier",))])
    assert out.table.frame["tier"].tolist()[0] == "gold"
    assert out.table.frame["tier"].isna().tolist() == [False, True, True]
    assert out.previews["crm"].text() == "1 of 3 leads matched; 1 row of crm.csv match no lead"


def test_clashing_names_get_the_source_name_in_front(tmp_path):
    (tmp_path / "leads.csv").write_text("id,stage\n1,MQL\n2,SQL\n")
    (tmp_path / "deals.csv").write_text("id,stage,amount\n1,Won,100\n2,Lost,50\n")
    out = combine(load_leads(tmp_path / "leads.csv"), [Source(
        "deals", str(tmp_path / "deals.csv"), MatchKey("id", ("id",), ("id",)), columns=("stage", "amount"))])
    assert list(out.table.frame.columns) == ["id", "stage", "deals.stage", "amount"]
    assert out.table.frame["deals.stage"].tolist() == ["Won", "Lost"]
    assert out.table.raw.column("deals.stage").to_pylist() == ["Won", "Lost"]
    assert out.origin == {"deals.stage": "deals", "amount": "deals"}


@pytest.mark.parametrize("leads_csv, file_csv, key, extra, message", [
    ("id,x\n1,a\n", "ref,y\n1,b\n", ("id", "id"), {}, "deals.csv has no key column 'id' (its columns: 'ref', 'y')"),
    ("id,x\n1,a\n", "id,y\n9,b\n", ("id", "id"), {},
     "no lead matches a row of deals.csv: leads.csv's column 'id' and deals.csv's column 'id' share no value "
     "(leads have e.g. '1', deals.csv has e.g. '9'); choose other key columns"),
    ("id,x\n1,a\n1,b\n", "id,y\n1,b\n1,c\n", ("id", "id"), {},
     "leads.csv's column 'id' holds the same id on several leads ('1' on 2 leads) and deals.csv has 2 rows "
     "with it"),
    ("id,x\n1,a\n", "id,when\n1,soon\n1,later\n", ("id", "id"),
     {"aggregates": (Aggregate("Recent", "count", within_days=30, date_column="when"),)},
     "deals.csv's column 'when' does not hold dates Leadbench can read (e.g. 'soon', 'later')"),
    ("id,x\n1,a\n", "id,y\n1,b\n", ("id", "id"), {"columns": ("z",)}, "deals.csv has no column 'z'"),
    ("id,x\n1,a\n", "id,y\n1,b\n", ("id", "id"), {"aggregates": (Aggregate("Total", "sum", "y"),)},
     "deals.csv's column 'y' does not hold numbers (e.g. 'b'), so 'Total' cannot take its sum"),
])
def test_bad_keys_and_columns_are_one_sentence_naming_file_and_column(tmp_path, leads_csv, file_csv, key,
                                                                      extra, message):
    (tmp_path / "leads.csv").write_text(leads_csv)
    (tmp_path / "deals.csv").write_text(file_csv)
    source = Source("deals", str(tmp_path / "deals.csv"), MatchKey("id", (key[0],), (key[1],)), **extra)
    with pytest.raises(CombineError) as caught:
        combine(load_leads(tmp_path / "leads.csv"), [source])
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_missing_source_file_is_reported_by_name_and_can_be_pointed_elsewhere(tmp_path):
    files = write_crm(tmp_path, n=50)
    source = Source("deals", str(tmp_path / "gone" / "deals.csv"), MatchKey("id", ("lead_id",), ("lead_id",)),
                    columns=("stage",))
    leads = load_leads(files["leads"])
    with pytest.raises(SourceMissing) as caught:
        combine(leads, [source])
    assert caught.value.source == "deals"
    assert str(caught.value).startswith("the model's source 'deals' reads deals.csv, which is not there")
    out = combine(leads, [source], paths={"deals": str(files["deals"])})
    assert out.table.frame["stage"].notna().any()
    with pytest.raises(CombineError, match="the model has no source named 'deal'"):
        combine(leads, [source], paths={"deal": str(files["deals"])})


def test_moving_a_window_rescores_like_a_fresh_scorer(tmp_path):
    from scoring.evaluate.engine import Scorer
    from scoring.model.definition import Model, Rule

    files = write_crm(tmp_path)
    leads = load_leads(files["leads"])
    day = date.fromisoformat(AS_OF)
    key = MatchKey("email", ("email",), ("contact",))

    def source(days):
        return Source("events", str(files["events"]), key, aggregates=(
            Aggregate("Clicks", "count", where=Condition("event", "eq", "click"), within_days=days,
                      date_column="when"),))
    model = Model(threshold=20, rules=(Rule("Clicked", Condition("Clicks", "gte", 2), 20),
                                       Rule("Ads", Condition("source", "eq", "Ads"), 5)))
    combiner = Combiner(leads)
    combiner.load([source(30)])
    scorer = Scorer(combiner.apply([source(30)], as_of=day).table, as_of=day)
    before = scorer.score(model)
    moved = combiner.apply([source(60)], as_of=day).table
    again = scorer.rescore_with(moved, ("Clicks",)).score(model)
    fresh = Scorer(moved, as_of=day).score(model)
    assert (again.total == fresh.total).all() and again.n_mql == fresh.n_mql > before.n_mql

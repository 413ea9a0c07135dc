"""``--join``/``--on``/``--source`` on score, backtest, report and compare, and ``leadbench accounts``."""

from __future__ import annotations

import json

import openpyxl
import pandas as pd
import pytest

from app.cli.main import main
from scoring.model.definition import Model
from scoring.model.model_file import model_from_dict, save_model
from scoring.model.recipe import Aggregate, MatchKey, Source
from scoring.model.definition import Condition
from tests.scoring.combine_files import AS_OF, write_crm

MAVEN = "maven_crm_sales_opportunities"
RULES = {"format": "leadbench-model", "version": 1, "name": "Joined", "threshold": 20, "rules": [
    {"name": "Ads", "group": "fit", "points": 25, "when": {"column": "source", "op": "eq", "value": "Ads"}}]}


@pytest.fixture
def crm(tmp_path):
    files = write_crm(tmp_path)
    (tmp_path / "m.json").write_text(json.dumps(RULES))
    return files


def _run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_backtest_against_a_joined_deals_file_leaves_open_deals_out(crm, tmp_path, capsys):
    code, out, err = _run(capsys, "backtest", crm["leads"], "--model", tmp_path / "m.json", "--join", crm["deals"],
                          "--on", "lead_id", "--outcome", "stage", "--json")
    assert code == 0
    assert "leadbench: note: 250 of 400 leads matched; 5 rows of deals.csv match no lead; 10 leads match " \
           "more than one row" in err
    data = json.loads(out)
    deals = crm["frames"]["deals"].drop_duplicates("lead_id")              # the first row per lead
    stage = crm["frames"]["leads"][["lead_id"]].merge(deals, how="left", on="lead_id")["stage"]
    assert data["still_open"] == int(stage.isin(["Engaging", "Prospecting"]).sum())
    assert data["won"] == int((stage == "Won").sum())
    assert data["settled"] == 400 - data["still_open"]            # no deal: lost, not open


def test_maven_backtest_with_accounts_joined(shared_data, tmp_path, capsys):
    model = {"format": "leadbench-model", "version": 1, "name": "Sector", "threshold": 10, "rules": [
        {"name": "Software", "group": "fit", "points": 10, "when": {"column": "sector", "op": "eq", "value": "software"}},
        {"name": "Big", "group": "fit", "points": 5, "when": {"column": "employees", "op": "gt", "value": 5000}}]}
    (tmp_path / "m.json").write_text(json.dumps(model))
    folder = shared_data / MAVEN
    code, out, err = _run(capsys, "backtest", folder / "sales_pipeline.csv", "--model", tmp_path / "m.json",
                          "--join", folder / "accounts.csv", "--on", "account", "--outcome", "deal_stage", "--json")
    assert code == 0, err
    assert "7,375 of 8,800 leads matched" in err
    data = json.loads(out)
    assert (data["leads"], data["settled"], data["won"], data["still_open"]) == (8800, 6711, 4238, 2089)
    pipeline = pd.read_csv(folder / "sales_pipeline.csv").merge(pd.read_csv(folder / "accounts.csv"),
                                                               how="left", on="account")
    assert data["mqls"] == int((pipeline["sector"] == "software").sum())
    code, out, _ = _run(capsys, "backtest", folder / "sales_pipeline.csv", "--model", tmp_path / "m.json",
                        "--join", folder / "accounts.csv", "--on", "account", "--outcome", "deal_stage")
    assert "Still open (left out of every rate): 2,089 leads" in out


def test_score_joins_by_email_with_left_equals_right(crm, tmp_path, capsys):
    emails = crm["frames"]["leads"]["email"]
    (tmp_path / "tiers.csv").write_text(f"contact,tier\n {emails[1].upper()} ,gold\nnobody@x.com,silver\n"
                                        f"{emails[0].upper()},bronze\n")
    code, _, err = _run(capsys, "score", crm["leads"], "--model", tmp_path / "m.json", "--join", tmp_path / "tiers.csv",
                        "--on", "email=contact", "--output", tmp_path / "out.csv")
    assert code == 0, err
    out = pd.read_csv(tmp_path / "out.csv")
    assert list(out.columns[:6]) == ["lead_id", "email", "name", "company", "source", "tier"]
    by_email = dict(zip(out["email"], out["tier"]))
    assert (by_email[emails[0]], by_email[emails[1]]) == ("bronze", "gold")
    assert out["tier"].notna().sum() == 2
    assert len(out) == 400 and "2 of 400 leads matched; 1 row of tiers.csv match no lead" in err


@pytest.mark.parametrize("argv, message", [
    (["--join", "{deals}", "--on", "nope"], "leads.csv has no key column 'nope' (its columns: 'lead_id', 'email'"),
    (["--join", "{deals}", "--on", "email=lead_id"],
     "no lead matches a row of deals.csv: leads.csv's column 'email' and deals.csv's column 'lead_id' share no value"),
    (["--join", "{deals}"], "each --join needs its --on KEY (1 --join, 0 --on)"),
    (["--source", "deals={deals}"], "the model has no sources to point at another file"),
    (["--join", "{events}", "--on", "company"], "leads.csv's column 'company' holds the same id on several leads"),
])
def test_bad_joins_exit_2_with_one_line_and_write_nothing(crm, tmp_path, capsys, argv, message):
    argv = [a.format(deals=crm["deals"], events=tmp_path / "companies.csv") for a in argv]
    (tmp_path / "companies.csv").write_text("company,x\nGlobex,1\nGlobex,2\n")
    code, out, err = _run(capsys, "score", crm["leads"], "--model", tmp_path / "m.json", *argv,
                          "--output", tmp_path / "out.csv")
    assert code == 2
    lines = [line for line in err.splitlines() if not line.startswith("leadbench: note:")]
    assert len(lines) == 1 and message in lines[0], err
    assert not (tmp_path / "out.csv").exists()


def test_a_models_sources_join_and_source_points_them_elsewhere(crm, tmp_path, capsys):
    model = model_from_dict(RULES)
    model = Model(**{**model.__dict__, "sources": (
        Source("events", str(tmp_path / "old" / "events.csv"), MatchKey("email", ("email",), ("contact",)),
               aggregates=(Aggregate("Clicks 30d", "count", where=Condition("event", "eq", "click"),
                                     within_days=30, date_column="when"),)),)})
    save_model(model, tmp_path / "joined.json")
    code, _, err = _run(capsys, "score", crm["leads"], "--model", tmp_path / "joined.json",
                        "--output", tmp_path / "out.csv", "--as-of", AS_OF)
    assert code == 2 and "the model's source 'events' reads events.csv, which is not there" in err
    code, _, err = _run(capsys, "score", crm["leads"], "--model", tmp_path / "joined.json", "--as-of", AS_OF,
                        "--source", f"events={crm['events']}", "--output", tmp_path / "out.csv")
    assert code == 0, err
    out = pd.read_csv(tmp_path / "out.csv")
    events = crm["frames"]["events"].assign(key=lambda f: f["contact"].str.strip().str.lower(),
                                            when=lambda f: pd.to_datetime(f["when"]))
    recent = events[(events["event"] == "click") & (events["when"] >= pd.Timestamp(AS_OF) - pd.Timedelta(days=30))]
    want = recent.groupby("key").size().reindex(out["email"]).fillna(0).astype(int)
    assert out["Clicks 30d"].tolist() == want.tolist()


def test_accounts_command_writes_the_roll_up(crm, tmp_path, capsys):
    code, out, err = _run(capsys, "accounts", crm["leads"], "--model", tmp_path / "m.json", "--by", "domain",
                          "--threshold", "400", "--output", tmp_path / "accounts.csv")
    assert code == 0, err
    leads = crm["frames"]["leads"]
    leads = leads[~leads["email"].str.endswith("@gmail.com")].assign(
        domain=lambda f: f["email"].str.split("@").str[1], score=lambda f: (f["source"] == "Ads") * 25)
    want = leads.groupby("domain")["score"].sum().sort_values(ascending=False)
    got = pd.read_csv(tmp_path / "accounts.csv")
    assert got["account"].tolist()[:1] == [want.index[0]]
    assert dict(zip(got["account"], got["account_score"])) == {k: float(v) for k, v in want.items()}
    assert got["mqa"].tolist() == [v >= 400 for v in got["account_score"]]
    assert out.splitlines()[0].startswith(f"{len(want)} accounts, {int((want >= 400).sum())} Marketing Qualified")
    code, out, err = _run(capsys, "accounts", crm["leads"], "--model", tmp_path / "m.json", "--score", "top3",
                          "--output", tmp_path / "accounts.xlsx")
    assert code == 0, err
    book = openpyxl.load_workbook(tmp_path / "accounts.xlsx")
    assert book.sheetnames == ["Accounts", "Summary"]
    assert [c.value for c in book["Accounts"][1]] == ["account", "leads", "mqls", "account_score", "mqa", "best_lead"]
    assert book["Summary"]["B3"].value == "Average of the top 3 lead scores"


def test_report_and_compare_take_joins(crm, tmp_path, capsys):
    code, out, err = _run(capsys, "report", crm["leads"], "--model", tmp_path / "m.json", "--join", crm["deals"],
                          "--on", "lead_id", "--outcome", "stage", "--output", tmp_path / "r.html")
    assert code == 0, err
    assert "deals.csv" in err and (tmp_path / "r.html").exists()
    won = dict(RULES, rules=[{"name": "Won", "group": "fit", "points": 25,
                              "when": {"column": "stage", "op": "eq", "value": "won"}}])
    (tmp_path / "won.json").write_text(json.dumps(won))
    code, out, err = _run(capsys, "compare", crm["leads"], "--model", tmp_path / "won.json", "--against",
                          tmp_path / "m.json", "--join", crm["deals"], "--on", "lead_id", "--json")
    assert code == 0, err
    deals = crm["frames"]["deals"].drop_duplicates("lead_id")
    data = json.loads(out)
    assert data["mqls_after"] == int((deals["stage"] == "Won").sum()) - 5          # 5 rows of no lead
    assert data["mqls_before"] == int((crm["frames"]["leads"]["source"] == "Ads").sum())


def test_sql_covers_the_recipe_and_the_accounts(crm, tmp_path, capsys):
    import duckdb

    model = model_from_dict(dict(RULES, rules=[{"name": "Won", "group": "fit", "points": 25,
                                                "when": {"column": "stage", "op": "eq", "value": "won"}}]))
    model = Model(**{**model.__dict__, "sources": (
        Source("deals", str(crm["deals"]), MatchKey("id", ("lead_id",), ("lead_id",)), columns=("stage",),
               many="latest", order_by="close_date"),)})
    save_model(model, tmp_path / "joined.json")
    code, out, err = _run(capsys, "sql", "--model", tmp_path / "joined.json", "--table", "leads",
                          "--source-table", "deals=crm.deals", "--types-from", crm["leads"])
    assert code == 0, err
    assert "LEFT JOIN (SELECT NULLIF(TRIM(f.\"lead_id\"" in out and "FROM crm.deals AS f" in out
    con = duckdb.connect()
    con.execute("CREATE SCHEMA crm")
    con.execute(f"CREATE TABLE leads AS SELECT * FROM read_csv('{crm['leads']}', all_varchar=true)")
    con.execute(f"CREATE TABLE crm.deals AS SELECT lead_id, stage, CAST(close_date AS DATE) AS close_date "
                f"FROM read_csv('{crm['deals']}', all_varchar=true)")
    n_mql = con.execute(f"SELECT COUNT(*) FROM ({out}) AS q WHERE mql").fetchone()[0]
    code, text, _ = _run(capsys, "score", crm["leads"], "--model", tmp_path / "joined.json",
                         "--output", tmp_path / "o.csv")
    assert f"MQLs:    {n_mql:,} " in text
    code, out, err = _run(capsys, "sql", "--model", tmp_path / "joined.json", "--accounts", "--types-from",
                          crm["leads"], "--dialect", "sqlite")
    assert code == 0 and out.startswith("-- Accounts by company (company): sum of lead scores")
    code, _, err = _run(capsys, "sql", "--model", tmp_path / "joined.json", "--source-table", "deal=x")
    assert code == 2 and "the model has no source named 'deal' (its sources: deals)" in err


def test_join_a_workbook_takes_its_biggest_sheet(crm, tmp_path, capsys):
    import openpyxl as xl

    book = xl.Workbook()
    book.active.title = "Read me"
    book.active.append(["Deals exported from the CRM"])
    sheet = book.create_sheet("Deals")
    sheet.append(["lead_id", "stage"])
    for lead_id, stage in crm["frames"]["deals"][["lead_id", "stage"]].head(40).itertuples(index=False):
        sheet.append([lead_id, stage])
    book.save(tmp_path / "deals.xlsx")
    code, _, err = _run(capsys, "score", crm["leads"], "--model", tmp_path / "m.json", "--join",
                        tmp_path / "deals.xlsx", "--on", "lead_id", "--output", tmp_path / "out.csv")
    assert code == 0, err
    out = pd.read_csv(tmp_path / "out.csv")
    assert out["stage"].notna().sum() == 40 and "40 of 400 leads matched" in err

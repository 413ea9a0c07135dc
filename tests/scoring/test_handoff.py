"""Handing off MQLs: identity, only the new ones, owners, the file and the ledger together."""

import csv
from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import pytest

from scoring.errors import LeadbenchError
from scoring.evaluate.engine import Scorer
from scoring.handoff.handoff import hand_off, plan_handoff
from scoring.handoff.identity import lead_ids
from scoring.handoff.ledger import Ledger, LedgerError
from scoring.handoff.owners import assign_owners
from scoring.model.definition import ColumnSettings, Condition, Model, OwnerRules, Rule
from scoring.model.model_file import load_model, model_from_dict, model_to_dict
from tests.scoring.handoff_lists import MODEL, WEEK_1, WEEK_2, scored, weekly_lists
from tests.scoring.helpers import table_of


def rows_of(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("header", ["Id", "Lead ID", "Record ID", "Prospect ID", "Contact ID", "crm_id",
                                    "HubSpotId"])
def test_id_columns_are_guessed_from_their_headers(header):
    table = table_of({header: ["a-1", "a-2"], "Email": ["ann@x.com", "bo@x.com"], "Lead Source": ["Ads", "Web"]})
    assert (lead_ids(table).column, lead_ids(table).kind) == (header, "id")


def test_paid_and_valid_are_not_ids():
    table = table_of({"Paid": ["x", "y"], "valid": ["1", "2"], "Email": ["ann@x.com", "bo@x.com"]})
    assert (lead_ids(table).column, lead_ids(table).kind) == ("Email", "email")


def test_identity_prefers_the_tagged_id_then_an_id_header_then_the_email():
    table = table_of({"Lead Number": [7, 8], "Prospect ID": ["p-1 ", "P-2"], "Email": [" Ann@X.com", "bo@y.com"]})
    assert lead_ids(table).values.tolist() == ["p-1", "P-2"]                 # trimmed, case kept
    tagged = Model(columns=(("Lead Number", ColumnSettings(tag="id")),))
    assert lead_ids(table, tagged).values.tolist() == ["7", "8"]
    emails = table_of({"Email": [" Ann@X.com", None]})
    ids = lead_ids(emails)
    assert ids.kind == "email" and ids.values.iloc[0] == "ann@x.com" and ids.values.isna().iloc[1]


def test_a_list_with_no_id_and_no_email_is_refused_with_how_to_tag_one():
    with pytest.raises(LeadbenchError, match="Tag the column that holds each lead's id as 'Lead id'.*--id COLUMN"):
        lead_ids(table_of({"Company": ["Acme"], "Score": [1]}))


def test_two_weekly_hand_offs_of_a_growing_list_hand_over_only_new_mqls(tmp_path):
    week1, week2 = weekly_lists(tmp_path)
    ledger = tmp_path / "b2b.ledger.sqlite"
    table, result = scored(week1, WEEK_1)
    first = hand_off(table, result, ledger, tmp_path / "week1.csv")
    assert first.plan.summary() == "509 MQLs: 506 new; 3 repeat a better-scoring lead's id and are left out"
    sent1 = {r["email"].strip().lower() for r in rows_of(tmp_path / "week1.csv")}
    assert len(sent1) == first.n_handed == 506

    table, result = scored(week2, WEEK_2)
    with Ledger(ledger) as open_ledger:
        plan = plan_handoff(table, result, open_ledger)
    assert plan.summary().startswith(f"{result.n_mql} MQLs: {plan.n_new} new, {plan.n_already} already "
                                     "with sales since 26 Oct")
    second = hand_off(table, result, ledger, tmp_path / "week2.csv")
    sent2 = {r["email"].strip().lower() for r in rows_of(tmp_path / "week2.csv")}
    assert len(sent2) == second.n_handed == plan.n_new > 0 and not sent1 & sent2
    everyone = hand_off(table, result, ledger, tmp_path / "all.csv", new_only=False)
    assert everyone.n_handed == len(plan.mql_rows) == plan.n_new + plan.n_already
    with Ledger(ledger) as open_ledger:
        handoffs = open_ledger.handoffs()
    assert handoffs["n_handed"].tolist() == [506, plan.n_new, len(plan.mql_rows)]
    assert handoffs["as_of"].dt.date.tolist() == [WEEK_1, WEEK_2, WEEK_2]
    assert handoffs["source_name"].tolist() == ["leads_week1.csv", "leads_week2.csv", "leads_week2.csv"]


def test_a_crash_between_the_file_and_the_ledger_leaves_neither(tmp_path, monkeypatch):
    week1, _ = weekly_lists(tmp_path)
    ledger = tmp_path / "b2b.ledger.sqlite"
    out = tmp_path / "week1.xlsx"
    table, result = scored(week1, WEEK_1)

    def crash(*_args, **_kwargs):
        raise LedgerError("The ledger is busy: simulated.")

    monkeypatch.setattr(Ledger, "insert_handoff", crash)
    with pytest.raises(LedgerError, match="simulated"):
        hand_off(table, result, ledger, out)
    assert not out.exists() and not list(tmp_path.glob("*.part"))
    monkeypatch.undo()
    with Ledger(ledger) as open_ledger:
        assert open_ledger.handoffs().empty and open_ledger.handed().empty
    assert hand_off(table, result, ledger, out).n_handed == 506 and out.exists()


def test_a_file_that_cannot_be_put_in_place_takes_its_hand_off_out_of_the_ledger(tmp_path, monkeypatch):
    week1, _ = weekly_lists(tmp_path)
    ledger = tmp_path / "b2b.ledger.sqlite"
    table, result = scored(week1, WEEK_1)
    import scoring.atomic

    def failing_replace(_src, _dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(scoring.atomic.os, "replace", failing_replace)
    with pytest.raises(LeadbenchError, match="No space left on device"):
        hand_off(table, result, ledger, tmp_path / "week1.csv")
    monkeypatch.undo()
    with Ledger(ledger) as open_ledger:
        assert open_ledger.handoffs().empty
    assert not (tmp_path / "week1.csv").exists()


def test_owners_keep_existing_ones_then_territories_then_round_robin_under_a_cap():
    frame = pd.DataFrame({"country": ["US", "DE", "US", "FR", "US", "FR", "FR"],
                          "owner": [None, None, "Zoe", None, None, None, None]})
    rules = OwnerRules(reps=("Ann", "Bo"), territory_column="country", territories=(("us", "Ann"),), cap=2)
    got = assign_owners(frame, np.arange(7), rules, existing="owner")
    # US -> Ann (territory); DE -> Ann (round robin); Zoe kept; FR -> Bo; US: Ann is at her cap of 2,
    # so the lead waits; FR -> Bo; FR: every rep is at the cap
    assert got.owners.tolist() == ["Ann", "Ann", "Zoe", "Bo", None, "Bo", None]
    assert got.held.tolist() == [False, False, False, False, True, False, True]
    assert (got.kept, got.by_territory, got.by_round_robin) == (1, 1, 3)
    assert got.summary(2) == ("Owners: 1 kept, 1 by territory, 3 round robin; 2 held back for the next "
                              "hand-off (every rep they could go to has 2 new leads)")


def test_owners_go_into_the_file_and_the_ledger_and_capped_leads_wait(tmp_path):
    week1, _ = weekly_lists(tmp_path)
    model = replace(load_model(MODEL), owners=OwnerRules(reps=("Ann", "Bo", "Cy"), cap=100))
    table, result = scored(week1, WEEK_1, model)
    ledger = tmp_path / "l.sqlite"
    done = hand_off(table, result, ledger, tmp_path / "out.csv")
    rows = rows_of(tmp_path / "out.csv")
    assert done.n_handed == 300 and done.assignment.n_held == 206
    assert {r["owner"] for r in rows} == {"Ann", "Bo", "Cy"}
    assert pd.Series([r["owner"] for r in rows]).value_counts().tolist() == [100, 100, 100]
    with Ledger(ledger) as open_ledger:
        assert set(open_ledger.handed()["owner"]) == {"Ann", "Bo", "Cy"}
    again = hand_off(table, result, ledger, tmp_path / "out2.csv")
    assert again.plan.n_new == 206 and again.n_handed == 206


def test_owner_rules_are_saved_in_the_model_and_old_files_still_load():
    data = model_to_dict(Model(rules=(Rule("R", Condition("a", "not_empty"), 10),),
                               owners=OwnerRules(("Ann", "Bo"), "country", (("US", "Ann"),), 25)))
    assert data["owners"] == {"reps": ["Ann", "Bo"], "territory": {"column": "country", "values": {"US": "Ann"}},
                              "cap": 25}
    assert model_from_dict(data).owners.cap == 25
    old = model_to_dict(Model())
    assert "owners" not in old and model_from_dict(old).owners == OwnerRules()
    with pytest.raises(LeadbenchError, match="owners.cap must be a whole number"):
        model_from_dict({**old, "owners": {"reps": ["Ann"], "cap": 0}})


def test_a_real_list_is_handed_off_by_its_prospect_id(shared_data, tmp_path):
    from scoring.reading import load_leads
    table = load_leads(shared_data / "x_education_leads" / "Leads.csv", missing_values=("Select",))
    model = Model(threshold=10, rules=(Rule("Busy", Condition("TotalVisits", "gte", 5), 10),))
    result = Scorer(table, as_of=date(2026, 11, 2)).score(model)
    done = hand_off(table, result, tmp_path / "x.sqlite", tmp_path / "x.csv")
    assert done.plan.ids.column == "Prospect ID" and done.n_handed == result.n_mql
    with Ledger(tmp_path / "x.sqlite") as ledger:
        assert ledger.handoffs()["id_column"].tolist() == ["Prospect ID"]


def test_two_hand_offs_at_once_never_send_the_same_leads(tmp_path, monkeypatch):
    week1, _ = weekly_lists(tmp_path)
    ledger = tmp_path / "b2b.ledger.sqlite"
    table, result = scored(week1, WEEK_1)
    import scoring.handoff.handoff as module
    real_export = module.export_leads

    def export_while_another_window_hands_off(*args, **kwargs):
        monkeypatch.setattr(module, "export_leads", real_export)
        hand_off(table, result, ledger, tmp_path / "other.csv")      # its own connection, commits first
        return real_export(*args, **kwargs)

    monkeypatch.setattr(module, "export_leads", export_while_another_window_hands_off)
    with pytest.raises(LedgerError, match="Another hand-off was recorded .* Hand off again"):
        hand_off(table, result, ledger, tmp_path / "mine.csv")
    assert (tmp_path / "other.csv").exists() and not (tmp_path / "mine.csv").exists()
    with Ledger(ledger) as open_ledger:
        assert open_ledger.handoffs()["n_handed"].tolist() == [506]
    assert hand_off(table, result, ledger, tmp_path / "mine.csv").n_handed == 0


def test_a_guessed_id_shared_by_many_leads_gives_way_to_the_email():
    table = table_of({"crm_id": ["A", "A", "A", "B"], "Email": ["a@x.com", "b@x.com", "c@x.com", "d@x.com"]})
    assert lead_ids(table).kind == "email"

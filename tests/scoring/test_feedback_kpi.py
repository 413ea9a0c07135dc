"""Sales feedback read back into the ledger, and the KPIs, quality and changes it gives."""

import csv

import pandas as pd
import pytest

from scoring.errors import LeadbenchError
from scoring.handoff.feedback import guess_feedback_columns, guess_status, import_feedback, read_feedback
from scoring.handoff.handoff import hand_off
from scoring.handoff.kpi import BENCHMARKS, period_kpis, tracking
from scoring.handoff.ledger import Ledger
from tests.scoring.handoff_lists import WEEK_1, WEEK_2, scored, weekly_lists


@pytest.mark.parametrize(("word", "status"), [
    ("Accepted", "accepted"), ("Working", "accepted"), ("In progress", "accepted"), ("SQL", "converted"),
    ("Qualified", "converted"), ("Sales Qualified", "converted"), ("Opportunity", "converted"),
    ("Rejected", "rejected"), ("Unqualified", "rejected"), ("Disqualified", "rejected"),
    ("Bad fit", "rejected"), ("not interested", "rejected"), ("Closed Won", "won"), ("Customer", "won"),
    ("Pending", ""), ("", "")])
def test_status_words_are_placed(word, status):
    assert guess_status(word) == status


def test_feedback_columns_are_guessed():
    assert guess_feedback_columns(["Email", "Lead Status", "Rejection reason", "Notes"]) == {
        "id": "Email", "status": "Lead Status", "reason": "Rejection reason"}


@pytest.fixture
def two_hand_offs(tmp_path):
    week1, week2 = weekly_lists(tmp_path)
    ledger = tmp_path / "b2b.ledger.sqlite"
    table, result = scored(week1, WEEK_1)
    hand_off(table, result, ledger, tmp_path / "week1.csv")
    table, result = scored(week2, WEEK_2)
    hand_off(table, result, ledger, tmp_path / "week2.csv")
    with open(tmp_path / "week1.csv", newline="", encoding="utf-8") as handle:
        sent = [r for r in csv.DictReader(handle)]
    return ledger, sent


def returned_list(sent, n=100):
    """Sales' answer for the first ``n`` leads of week 1: 40 Working, 20 SQL, 10 Closed Won,
    30 Rejected (20 from Webinar 'no budget'...), in sales' own spelling of the emails."""
    statuses = ["Working"] * 40 + ["SQL"] * 20 + ["Closed Won"] * 10 + ["Bad fit"] * 30
    reasons = [""] * 70 + ["No budget"] * 20 + ["student"] * 10
    return pd.DataFrame({"E-mail": [r["email"].upper() + " " for r in sent[:n]], "Status": statuses,
                         "Why": reasons})


def test_feedback_is_matched_by_id_and_strangers_are_reported_not_invented(two_hand_offs, tmp_path):
    ledger, sent = two_hand_offs
    frame = returned_list(sent)
    frame.loc[len(frame)] = ["someone@else.com", "Working", ""]
    frame.loc[len(frame)] = [sent[100]["email"], "Pending", ""]
    done = import_feedback(frame, ledger, id_column="E-mail", status_column="Status", reason_column="Why",
                           file=str(tmp_path / "back.csv"))
    assert done.recorded == 100
    assert done.counts == {"accepted": 40, "rejected": 30, "converted": 20, "won": 10}
    assert done.unknown_ids == ("someone@else.com",)
    assert done.summary() == ("Recorded 100 leads: 40 accepted, 30 rejected, 20 converted, 10 won; 1 id was "
                              "never handed off and is left out (someone@else.com); statuses with no outcome "
                              "are left out: 'Pending' (1).")
    with Ledger(ledger) as open_ledger:
        feedback = open_ledger.feedback()
    assert len(feedback) == 100 and "someone@else.com" not in set(feedback["lead_id"])


def test_an_edited_mapping_wins_over_the_guess(two_hand_offs):
    ledger, sent = two_hand_offs
    with Ledger(ledger) as open_ledger:
        found = read_feedback(returned_list(sent), open_ledger, id_column="E-mail", status_column="Status",
                              mapping={"Working": "rejected", "Closed Won": ""})
    assert found.counts == {"accepted": 0, "rejected": 70, "converted": 20, "won": 0}
    assert found.unmapped == {"Closed Won": 10}


def test_a_file_with_nothing_handed_off_is_refused(two_hand_offs):
    ledger, _sent = two_hand_offs
    with pytest.raises(LeadbenchError, match="Nothing to import.*1 id was never handed off"):
        import_feedback(pd.DataFrame({"id": ["x@y.com"], "s": ["Accepted"]}), ledger, id_column="id",
                        status_column="s")


def test_kpis_per_week_against_a_target_beside_third_party_benchmarks(two_hand_offs):
    ledger, sent = two_hand_offs
    import_feedback(returned_list(sent), ledger, id_column="E-mail", status_column="Status", reason_column="Why")
    with Ledger(ledger) as open_ledger:
        found = tracking(open_ledger, by="week", target=400)
    week1, week2 = found.periods
    assert (week1.period, week1.handed, week1.status, week1.gap) == ("2026-W44", 506, "above", 106)
    assert week2.period == "2026-W45" and week2.status == "below" and week2.gap == week2.handed - 400
    assert week1.lead_to_mql == pytest.approx(509 / 3000)
    # 70 accepted (40 working + 20 SQL + 10 won) against 30 rejected
    assert week1.acceptance_rate == pytest.approx(0.70)
    assert week1.mql_to_sql == pytest.approx(30 / 506) and week1.mql_to_won == pytest.approx(10 / 506)
    assert week2.acceptance_rate is None
    assert BENCHMARKS["lead_to_mql"].low == 0.13 and BENCHMARKS["acceptance_rate"].low == 0.80
    data = found.as_dict()
    assert data["periods"][0]["acceptance_rate"] == pytest.approx(0.70)
    assert "third-party" in data["benchmarks"]["source"]
    monthly = tracking(Ledger(ledger), by="month").periods
    assert [p.period for p in monthly] == ["2026-10", "2026-11"]


def test_quality_by_source_and_rule_says_what_sales_rejects_and_why(two_hand_offs):
    ledger, sent = two_hand_offs
    import_feedback(returned_list(sent), ledger, id_column="E-mail", status_column="Status", reason_column="Why")
    with Ledger(ledger) as open_ledger:
        found = tracking(open_ledger)
    worst = found.by_source[0]
    assert worst.rejection_rate == max(q.rejection_rate or 0 for q in found.by_source)
    assert worst.sentence.startswith(f"leads from {worst.name} are rejected {worst.rejection_rate:.0%} of the time")
    assert any("mostly 'No budget'" in q.sentence or "mostly 'student'" in q.sentence for q in found.by_source)
    assert {q.name for q in found.by_rule} >= {"Senior title", "Asked for a demo"}
    assert sum(q.answered for q in found.by_source) == 100


def test_changes_between_the_last_two_hand_offs_say_why(two_hand_offs):
    ledger, _sent = two_hand_offs
    with Ledger(ledger) as open_ledger:
        changes = tracking(open_ledger).changes
        week2 = open_ledger.handoffs().iloc[-1]
    assert len(changes.entered) + len(changes.stayed) == week2["n_mql"] - 3      # 3 repeated ids
    assert not changes.model_changed and len(changes.left) > 0
    assert changes.left["why"].str.contains("points fade with time|no longer matches").all()
    assert changes.entered["why"].str.startswith("scores ").any()


def test_no_target_means_no_status():
    handoffs = pd.DataFrame({"id": [1], "as_of": pd.to_datetime(["2026-11-02"]), "n_leads": [10], "n_mql": [2],
                             "n_handed": [2]})
    handed = pd.DataFrame({"lead_id": ["a", "b"], "as_of": pd.to_datetime(["2026-11-02"] * 2), "rules": "",
                           "source": None})
    (week,) = period_kpis(handoffs, handed, pd.DataFrame(columns=["lead_id", "status", "reason"]))
    assert week.status is None and week.gap is None and week.lead_to_mql == 0.2

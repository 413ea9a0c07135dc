"""``leadbench handoff``, ``feedback`` and ``kpi`` end to end, including a crash mid hand-off."""

import csv
import json
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from app.cli.main import main
from tests.app.test_cli import run_cli
from tests.conftest import ROOT
from tests.scoring.handoff_lists import MODEL, weekly_lists


@pytest.fixture
def weeks(tmp_path):
    week1, week2 = weekly_lists(tmp_path)
    model = tmp_path / "b2b.json"
    shutil.copy(MODEL, model)
    return tmp_path, model, week1, week2


def emails(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return {row["email"] for row in csv.DictReader(handle)}


def test_two_weekly_hand_offs_feedback_and_kpis_on_the_command_line(weeks, capsys):
    folder, model, week1, week2 = weeks
    assert main(["handoff", str(week1), "--model", str(model), "--output", str(folder / "w1.csv"),
                 "--as-of", "2026-10-26"]) == 0
    out = capsys.readouterr().out
    assert "509 MQLs: 506 new; 3 repeat" in out and "Handed off 506 new MQLs" in out
    ledger = folder / "b2b.ledger.sqlite"            # beside the model by default
    assert ledger.exists() and f"recorded in {ledger}" in out

    assert main(["handoff", str(week2), "--model", str(model), "--output", str(folder / "w2.csv"),
                 "--as-of", "2026-11-02"]) == 0
    out = capsys.readouterr().out
    assert "already with sales since 26 Oct" in out
    assert not emails(folder / "w1.csv") & emails(folder / "w2.csv")

    sent = sorted(emails(folder / "w1.csv"))[:50]
    returned = pd.DataFrame({"Email": sent + ["stranger@nowhere.org"],
                             "Lead Status": ["Working"] * 30 + ["Unqualified"] * 15 + ["SQL"] * 5 + ["Accepted"],
                             "Reason": [""] * 30 + ["no budget"] * 15 + [""] * 6})
    returned.to_csv(folder / "back.csv", index=False)
    assert main(["feedback", str(folder / "back.csv"), "--ledger", str(ledger), "--id", "Email",
                 "--status", "Lead Status", "--reason", "Reason"]) == 0
    assert capsys.readouterr().out.strip() == (
        "Recorded 50 leads: 30 accepted, 15 rejected, 5 converted, 0 won; 1 id was never handed off and is "
        "left out (stranger@nowhere.org).")

    assert main(["kpi", "--ledger", str(ledger), "--target", "400"]) == 0
    text = capsys.readouterr().out
    assert "2026-W44         506     400   above +106" in text
    assert "Third-party benchmarks:" in text and "about 13% on average, 20% in the top quartile" in text
    assert "rejected" in text and "mostly 'no budget'" in text

    assert main(["kpi", "--ledger", str(ledger), "--json", "--by", "month", "--target", "500"]) == 0
    data = json.loads(capsys.readouterr().out)
    october = data["periods"][0]
    assert october["period"] == "2026-10" and october["handed"] == 506 and october["status"] == "above"
    assert october["acceptance_rate"] == pytest.approx(35 / 50)        # 30 working + 5 SQL of 50
    assert 0 <= october["lead_to_mql"] <= 1 and october["mql_to_sql"] == pytest.approx(5 / 506)
    assert data["benchmarks"]["acceptance_rate"]["low"] == 0.8


CRASH = """
import os, sys
from scoring.handoff.ledger import Ledger
def crash(*args, **kwargs):
    os._exit(9)                     # the process dies after the file is written, before the ledger commits
Ledger.insert_handoff = crash
from app.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_process_killed_between_the_file_and_the_ledger_changes_neither(weeks):
    folder, model, week1, _ = weeks
    out = folder / "w1.xlsx"
    args = ["handoff", str(week1), "--model", str(model), "--output", str(out), "--as-of", "2026-10-26"]
    crashed = subprocess.run([sys.executable, "-c", CRASH, *args], cwd=ROOT, capture_output=True, text=True)
    assert crashed.returncode == 9
    assert not out.exists()
    # the next run sees no hand-off: every MQL is still new
    done = subprocess.run([sys.executable, "-m", "app.cli.main", *args], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "509 MQLs: 506 new;" in done.stdout and out.exists()


def test_two_processes_on_one_ledger_never_hand_off_a_lead_twice(weeks):
    folder, model, _, week2 = weeks
    runs = [subprocess.Popen([sys.executable, "-m", "app.cli.main", "handoff", str(week2), "--model", str(model),
                              "--output", str(folder / f"out{k}.csv"), "--as-of", "2026-11-02"], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for k in range(2)]
    results = [(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in runs]
    for p in runs:
        p.stdout.close()
        p.stderr.close()
    codes = sorted(code for code, _out, _err in results)
    assert codes in ([0, 0], [0, 2]), results
    written = [emails(folder / f"out{k}.csv") for k in range(2) if (folder / f"out{k}.csv").exists()]
    if len(written) == 2:
        assert not written[0] & written[1]
    else:
        assert any("Another hand-off was recorded" in err for _c, _o, err in results)


@pytest.mark.parametrize(("args", "message"), [
    (["kpi", "--ledger", "/no/such.sqlite"], "does not exist: hand off leads first"),
    (["kpi", "--ledger", "x.sqlite", "--target", "many"], "'many' is not a whole number"),
    (["feedback", "f.csv", "--ledger", "l.sqlite", "--id", "id"], "--status"),
    (["feedback", "f.csv", "--ledger", "l.sqlite", "--id", "id", "--status", "s", "--map", "oops"],
     "--map needs STATUS=OUTCOME"),
    (["handoff", "leads.csv", "--model", "m.json", "--output", "out.txt"], "choose a name ending in .csv or .xlsx"),
])
def test_bad_input_exits_2_with_one_line(args, message, capsys):
    assert run_cli(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_a_list_with_nothing_to_tell_leads_apart_is_refused(tmp_path, capsys):
    (tmp_path / "l.csv").write_text("company,employees\nAcme,50\n")
    model = tmp_path / "m.json"
    model.write_text('{"format": "leadbench-model", "version": 1, "threshold": 0, "rules": []}')
    assert main(["handoff", str(tmp_path / "l.csv"), "--model", str(model), "--output",
                 str(tmp_path / "o.csv")]) == 2
    err = capsys.readouterr().err
    assert "Tag the column that holds each lead's id as 'Lead id'" in err
    assert not (tmp_path / "o.csv").exists()


def test_a_report_with_an_unreadable_ledger_notes_it_and_is_still_written(weeks, capsys):
    folder, model, week1, _ = weeks
    broken = folder / "broken.sqlite"
    broken.write_bytes(b"garbage" * 500)
    out = folder / "r.html"
    assert main(["report", str(week1), "--model", str(model), "--output", str(out), "--ledger", str(broken)]) == 0
    assert "Note: The hand-off section is left out: The ledger broken.sqlite is damaged" in capsys.readouterr().out
    assert "is damaged" in out.read_text() and broken.read_bytes() == b"garbage" * 500


def test_the_report_finds_the_ledger_beside_the_model(weeks, capsys):
    folder, model, week1, _ = weeks
    assert main(["handoff", str(week1), "--model", str(model), "--output", str(folder / "w1.csv"),
                 "--as-of", "2026-10-26"]) == 0
    out = folder / "r.html"
    assert main(["report", str(week1), "--model", str(model), "--output", str(out)]) == 0
    assert "8. Hand-offs to sales" in out.read_text() and "506 leads handed to sales" in out.read_text()

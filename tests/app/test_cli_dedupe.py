"""``leadbench score --dedupe``: duplicates left out of the export, counted on stdout."""

import csv
import json

import pytest

from app.cli.main import main
from scoring.handoff.duplicates import find_duplicates
from scoring.reading import load_leads
from tests.conftest import ROOT, SAMPLE

MODEL = ROOT / "resources" / "models" / "b2b_saas.json"


def run_cli(args) -> int:
    try:
        return main(args)
    except SystemExit as exc:
        return int(exc.code)


def rows_of(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def score(tmp_path, *extra) -> tuple[list[dict], str]:
    out = tmp_path / "all.csv"
    assert main(["score", str(SAMPLE), "--model", str(MODEL), "--output", str(out), "--which",
                 "all", "--as-of", "2026-11-01", *extra]) == 0
    return rows_of(out), str(out)


def test_dedupe_by_email_leaves_out_the_duplicates_and_says_how_many(tmp_path, capsys):
    rows, _ = score(tmp_path, "--dedupe", "email")
    text = capsys.readouterr().out
    found = find_duplicates(load_leads(SAMPLE).frame, email="email")
    assert found.n_left_out > 100
    assert len(rows) == 5000 - found.n_left_out
    assert f"Duplicates: {found.n_left_out:,} left out ({found.n_groups:,} groups by email " \
           "address; kept the first)" in text
    emails = [r["email"].strip().lower() for r in rows if "@" in r["email"]
              and "." in r["email"].split("@")[-1]]
    assert len(emails) == len(set(emails))                   # no valid address twice


def test_without_dedupe_every_lead_is_written_and_nothing_is_said(tmp_path, capsys):
    rows, _ = score(tmp_path)
    assert len(rows) == 5000 and "Duplicates" not in capsys.readouterr().out


def test_email_and_name_with_plus_addressing_and_the_most_recent(tmp_path, capsys):
    rows, _ = score(tmp_path, "--dedupe", "email+name", "--keep", "recent", "--plus-addressing")
    text = capsys.readouterr().out
    found = find_duplicates(load_leads(SAMPLE).frame, email="email", by="email+name",
                            plus_addressing=True, keep="recent", date_column="last_activity")
    assert len(rows) == 5000 - found.n_left_out
    assert "kept the most recent by last_activity" in text
    assert "email address or name and company" in text
    assert found.n_left_out > find_duplicates(load_leads(SAMPLE).frame, email="email").n_left_out


def test_most_complete_keeps_the_fuller_row(tmp_path, capsys):
    leads = tmp_path / "leads.csv"
    leads.write_text("name,email,company,phone,created\n"
                     "Ann,ann@acme.io,,,2026-01-01\n"
                     "Ann,ANN@acme.io ,Acme,555,2026-01-02\n"
                     "Bob,bob@gmail.com,Beta,1,2026-02-01\n", encoding="utf-8")
    model = tmp_path / "m.json"
    model.write_text(json.dumps({"format": "leadbench-model", "version": 1, "name": "m",
                                 "threshold": 0, "rules": []}), encoding="utf-8")
    out = tmp_path / "out.csv"
    assert main(["score", str(leads), "--model", str(model), "--output", str(out), "--which",
                 "all", "--dedupe", "email", "--keep", "complete"]) == 0
    assert [r["phone"] for r in rows_of(out)] == ["555", "1"]
    assert main(["score", str(leads), "--model", str(model), "--output", str(out), "--which",
                 "all", "--dedupe", "email", "--keep", "recent"]) == 0
    assert [r["created"] for r in rows_of(out)] == ["2026-01-02", "2026-02-01"]
    assert "Duplicates: 1 left out (1 groups" in capsys.readouterr().out


@pytest.mark.parametrize(("extra", "message"), [
    (["--keep", "recent"], "--keep and --plus-addressing go with --dedupe"),
    (["--plus-addressing"], "go with --dedupe"),
    (["--dedupe", "phone"], "invalid choice: 'phone'"),
    (["--dedupe", "email", "--keep", "newest"], "invalid choice: 'newest'"),
])
def test_bad_dedupe_options_exit_2_with_one_line(tmp_path, capsys, extra, message):
    args = ["score", str(SAMPLE), "--model", str(MODEL), "--output", str(tmp_path / "o.csv"),
            *extra]
    assert run_cli(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_a_list_without_email_or_dates_is_refused_clearly(tmp_path, capsys):
    leads = tmp_path / "leads.csv"
    leads.write_text("company,size\nAcme,10\nAcme,12\n", encoding="utf-8")
    model = tmp_path / "m.json"
    model.write_text(json.dumps({"format": "leadbench-model", "version": 1, "name": "m",
                                 "threshold": 0, "rules": []}), encoding="utf-8")
    base = ["score", str(leads), "--model", str(model), "--output", str(tmp_path / "o.csv")]
    assert run_cli([*base, "--dedupe", "email"]) == 2
    assert "needs an email column" in capsys.readouterr().err
    leads.write_text("email,size\na@x.com,10\na@x.com,12\n", encoding="utf-8")
    assert run_cli([*base, "--dedupe", "email", "--keep", "recent"]) == 2
    assert "--keep recent needs a date column" in capsys.readouterr().err

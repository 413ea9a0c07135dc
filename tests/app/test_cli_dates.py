"""The command line reads time-zone exports and applies a model's date format to a column."""

import csv
import json
from pathlib import Path

from app.cli.main import main

EXPORTS = Path(__file__).resolve().parents[1] / "scoring" / "data" / "exports"


def test_profile_reads_a_data_loader_export_with_offsets(capsys):
    assert main(["profile", str(EXPORTS / "salesforce_dataloader.csv"), "--json"]) == 0
    captured = capsys.readouterr()
    created = next(c for c in json.loads(captured.out)["columns"] if c["name"] == "CREATEDDATE")
    assert created["type"] == "datetime" and created["note"] == "times converted to UTC from +0000"
    assert "Traceback" not in captured.err


def test_score_reads_a_column_with_the_models_date_format(tmp_path, capsys):
    leads = tmp_path / "leads.csv"
    leads.write_text("name,signed\nAnn,01/04/2026\nBob,03/02/2026\n", encoding="utf-8")
    rule = {"name": "Signed in spring", "group": "fit", "points": 60,
            "when": {"column": "signed", "op": "after", "value": "2026-03-15"}}
    model = {"format": "leadbench-model", "version": 1, "name": "spring", "threshold": 50, "rules": [rule],
             "columns": {"signed": {"type": "date", "format": "DD/MM/YYYY"}}}
    path = tmp_path / "m.json"
    path.write_text(json.dumps(model), encoding="utf-8")
    out = tmp_path / "out.csv"
    assert main(["score", str(leads), "--model", str(path), "--output", str(out), "--which", "all"]) == 0
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = {r["name"]: r for r in csv.DictReader(handle)}
    # day first: Ann signed on 1 April (an MQL), Bob on 3 February; month first would swap them
    assert rows["Ann"]["mql"].lower() in ("true", "yes", "1") and rows["Bob"]["mql"].lower() in ("false", "no", "0")
    capsys.readouterr()

"""The command line reads numbers as the model's column settings say, and writes CSV for Excel
in German."""

import json
from pathlib import Path

import pytest

from app.cli.main import main

DATA = Path(__file__).parents[1] / "scoring" / "data" / "numbers"


def model_file(tmp_path, columns=None) -> Path:
    model = {"format": "leadbench-model", "version": 1, "threshold": 10,
             "rules": [{"name": "Big", "group": "fit", "points": 20,
                        "when": {"column": "price", "op": "gte", "value": 1000}}]}
    if columns:
        model["columns"] = columns
    path = tmp_path / "model.json"
    path.write_text(json.dumps(model), encoding="utf-8")
    return path


def test_score_applies_the_models_number_marks(tmp_path, capsys):
    leads = tmp_path / "leads.tsv"
    leads.write_text("name\tprice\nA\t1.200\nB\t2.500\nC\t3.750\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert main(["score", str(leads), "--model", str(model_file(tmp_path)), "--output", str(out)]) == 0
    captured = capsys.readouterr()
    assert "MQLs:    0" in captured.out
    assert "read “1.200” as 1.2" in captured.err          # the guess is said, not silent
    marked = model_file(tmp_path, {"price": {"decimal_mark": ",", "thousands_mark": "."}})
    assert main(["score", str(leads), "--model", str(marked), "--output", str(out)]) == 0
    captured = capsys.readouterr()
    assert "MQLs:    3 (100.0%)" in captured.out and "1.200" not in captured.err


def test_score_writes_csv_for_excel_in_german(tmp_path, capsys):
    model = tmp_path / "m.json"
    model.write_text(json.dumps({"format": "leadbench-model", "version": 1, "threshold": 10, "rules": [
        {"name": "Mid-size", "group": "fit", "points": 12.5,
         "when": {"column": "Mitarbeiter", "op": "gte", "value": 50}}]}), encoding="utf-8")
    out = tmp_path / "out.csv"
    assert main(["score", str(DATA / "european.csv"), "--model", str(model), "--output", str(out),
                 "--excel-german", "--sort-by", "Name", "--ascending"]) == 0
    assert "MQLs:    3 (60.0%)" in capsys.readouterr().out
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith('"Name";"Firma";"Umsatz"')
    assert lines[1].startswith('"Anna Schmidt";"Müller GmbH";"1234,56";"1200";"12,5%";"1500";"12,5"')


def test_decimal_commas_between_commas_are_refused_before_loading(tmp_path, capsys):
    code = main(["score", str(DATA / "european.csv"), "--model", str(model_file(tmp_path)),
                 "--output", str(tmp_path / "o.csv"), "--decimal", "comma"])
    err = capsys.readouterr().err
    assert code == 2 and "choose semicolons or tabs" in err and len(err.strip().splitlines()) == 1


def test_the_duckdb_engine_never_reads_european_numbers_otherwise(tmp_path, capsys):
    pytest.importorskip("duckdb")
    model = model_file(tmp_path)
    model.write_text(json.dumps({"format": "leadbench-model", "version": 1, "threshold": 10, "rules": [
        {"name": "Big", "group": "fit", "points": 20, "when": {"column": "Umsatz", "op": "gte", "value": 1000}}]}),
        encoding="utf-8")
    code = main(["score", str(DATA / "european.csv"), "--model", str(model), "--output",
                 str(tmp_path / "o.csv"), "--engine", "duckdb"])
    err = capsys.readouterr().err
    assert code == 2 and "column 'Umsatz' differently" in err
    code = main(["score", str(DATA / "european.csv"), "--model", str(model), "--output",
                 str(tmp_path / "o.csv"), "--engine", "duckdb", "--excel-german"])
    assert code == 2 and "leave out --excel-german" in capsys.readouterr().err

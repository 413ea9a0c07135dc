"""CSV exports are written a batch at a time: the file is the same whatever the batch size.

Cells that a spreadsheet would run as formulas get an apostrophe whether their column keeps few
distinct texts (held as codes) or many, values of a column's type never do ("+5" in a number
column), and the order asked for (best first, the list's order, a column) holds across batches.
"""

import csv

import numpy as np
import pytest

import scoring.handoff.export_csv as export_csv
from scoring.column_types import ColumnType
from scoring.evaluate.engine import Scorer
from scoring.handoff.export import ExportOptions, export_leads
from scoring.handoff.export_csv import CsvOptions
from scoring.handoff.formula_safe import neutralise_arrow, risky_cells
from scoring.model.definition import Condition, Model, Rule
from scoring.reading import load_leads

import pyarrow as pa

MODEL = Model(threshold=10, rules=(
    Rule("Demo", Condition("demo", "is_true"), 20, group="engagement"),
    Rule("Big", Condition("employees", "gt", 100), 15),
    Rule("Sales", Condition("stage", "eq", "=Sales"), 5),
    Rule("No spam", Condition("name", "contains", "spam"), kind="disqualify"),
))


def _write_list(path, n=400):
    rng = np.random.default_rng(3)
    stages = ["Lead", "=Sales", "@ops", "-", "Won"]           # few distinct texts, some risky
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "name", "stage", "employees", "demo", "note"])
        for i in range(n):
            employees = "unknown" if i % 150 == 75 else ["+5", "250", "-12", "4,000", ""][i % 5]
            name = f"Lead {i}" if i % 37 else f"spam {i}"
            note = f"=cmd|{i}" if i % 11 == 0 else (f"-{i}" if i % 13 == 0 else f"note {i}")  # many texts
            out.writerow([f"L{i:05d}", name, stages[rng.integers(0, 5)], employees,
                          "Yes" if i % 3 else "No", note])
    return path


@pytest.fixture
def scored(tmp_path):
    table = load_leads(_write_list(tmp_path / "leads.csv"))
    return table, Scorer(table).score(MODEL)


def _lines(path):
    return path.read_text(encoding="utf-8-sig").splitlines()


@pytest.mark.parametrize("options", [
    ExportOptions(which="all"),
    ExportOptions(which="mql", sort_by="employees", ascending=True),
    ExportOptions(which="not_mql", columns=("note", "stage", "id")),
    ExportOptions(which="all", csv=CsvOptions(delimiter=";", decimal=",", bom=True)),
])
def test_small_batches_write_the_same_file_as_one_batch(scored, tmp_path, monkeypatch, options):
    table, result = scored
    whole, = export_leads(table, result, tmp_path / "whole.csv", options)
    monkeypatch.setattr(export_csv, "BATCH_ROWS", 7)
    batched, = export_leads(table, result, tmp_path / "batched.csv", options)
    assert _lines(batched) == _lines(whole)
    assert len(_lines(batched)) > 20


def test_risky_cells_get_an_apostrophe_and_values_of_the_type_do_not(scored, tmp_path, monkeypatch):
    table, result = scored
    monkeypatch.setattr(export_csv, "BATCH_ROWS", 5)
    out, = export_leads(table, result, tmp_path / "all.csv", which="all")
    with open(out, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_id = {r["id"]: r for r in rows}
    assert len(rows) == table.n_rows
    assert by_id["L00011"]["note"] == "'=cmd|11"                   # a column of many texts
    assert by_id["L00013"]["note"] == "-13"                        # a negative number is no formula
    stages = {r["stage"] for r in rows}
    assert stages <= {"Lead", "'=Sales", "'@ops", "-", "Won"} and "'=Sales" in stages
    # a number column: "+5" and "-12" are numbers, kept as written; "unknown" is text
    assert table.types["employees"] in (ColumnType.INTEGER, ColumnType.NUMBER)
    assert {r["employees"] for r in rows} == {"+5", "250", "-12", "unknown", "4,000", ""}


def test_best_first_across_batches_with_ties_in_file_order(scored, tmp_path, monkeypatch):
    table, result = scored
    monkeypatch.setattr(export_csv, "BATCH_ROWS", 3)
    out, = export_leads(table, result, tmp_path / "all.csv", which="all")
    with open(out, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    scores = [float(r["score"]) for r in rows]
    assert scores == sorted(scores, reverse=True)
    positions = [int(r["id"][1:]) for r in rows]
    for a, b, sa, sb in zip(positions, positions[1:], scores, scores[1:]):
        if sa == sb:
            assert a < b
    assert rows[0]["reasons"] == "Demo +20; Big +15; Sales +5" or float(rows[0]["score"]) == 40


def test_cancel_between_batches_leaves_no_file(scored, tmp_path, monkeypatch):
    from scoring.errors import Cancelled
    table, result = scored
    monkeypatch.setattr(export_csv, "BATCH_ROWS", 10)
    calls = []

    def cancel_on_third():
        calls.append(1)
        return len(calls) >= 3

    with pytest.raises(Cancelled):
        export_leads(table, result, tmp_path / "all.csv", which="all", is_cancelled=cancel_on_third)
    assert not (tmp_path / "all.csv").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["leads.csv"]


def test_risky_cells_are_found_in_codes_slices_and_plain_texts():
    plain = pa.array(["ok", "=1+1", None, "-5", "@x", "+", "\tTab"])
    assert risky_cells(plain).tolist() == [False, True, False, False, True, False, True]
    coded = pa.array(["=a", "b", None, "=a"]).dictionary_encode()
    assert risky_cells(coded).tolist() == [True, False, False, True]
    assert risky_cells(plain.slice(2, 3)).tolist() == [False, False, True]
    assert risky_cells(pa.array(["plain", "text"])) is None
    assert neutralise_arrow(plain.slice(1, 2)).to_pylist() == ["'=1+1", None]


def test_reasons_made_batch_by_batch_are_those_of_the_whole_list(scored, tmp_path, monkeypatch):
    table, result = scored
    whole, = export_leads(table, result, tmp_path / "whole.csv", which="all")
    monkeypatch.setattr(export_csv, "BATCH_ROWS", 7)
    batched, = export_leads(table, result, tmp_path / "batched.csv", which="all")
    assert _lines(batched) == _lines(whole)
    assert any("Demo +20" in line for line in _lines(batched))


def test_batches_of_other_types_are_written_as_the_first_batch_types_them(tmp_path, monkeypatch):
    from scoring.handoff.export_csv import write_batches
    monkeypatch.setattr(export_csv, "BATCH_ROWS", 2)
    parts = {0: pa.table({"n": pa.array([1, 2]), "t": pa.array(["a", "b"])}),
             2: pa.table({"n": pa.array([None, None], pa.null()), "t": pa.array(["c", None])}),
             4: pa.table({"n": pa.array([5.0]), "t": pa.array(["d"]).dictionary_encode()})}
    target = tmp_path / "out.csv"
    write_batches(lambda lo, hi: parts[lo], 5, target, CsvOptions(delimiter=";", line_end="\r\n", bom=True))
    assert target.read_bytes() == b'\xef\xbb\xbf"n";"t"\r\n1;"a"\r\n2;"b"\r\n;"c"\r\n;\r\n5;"d"\r\n'


def test_a_list_without_leads_gets_its_header_line(tmp_path):
    from scoring.handoff.export_csv import write_batches
    target = tmp_path / "none.csv"
    write_batches(lambda lo, hi: pa.table({"email": pa.array([], pa.string())}), 0, target)
    assert target.read_text() == '"email"\n'


def test_scores_are_written_as_numbers_with_the_decimal_mark_asked_for(scored, tmp_path):
    table, result = scored
    point, = export_leads(table, result, tmp_path / "point.csv", which="all")
    comma, = export_leads(table, result, tmp_path / "comma.csv", which="all",
                          csv=CsvOptions(delimiter=";", decimal=","))
    with open(point, encoding="utf-8", newline="") as a, open(comma, encoding="utf-8", newline="") as b:
        rows_point, rows_comma = list(csv.DictReader(a)), list(csv.DictReader(b, delimiter=";"))
    assert [float(r["score"]) for r in rows_point] == sorted(np.round(result.total, 2).tolist(), reverse=True)
    assert [r["score"].replace(",", ".") for r in rows_comma] == [r["score"] for r in rows_point]
    assert {r["score"] for r in rows_point} >= {"40", "0"} and "40.0" not in {r["score"] for r in rows_point}


def test_columns_of_every_number_of_distinct_texts_are_written_as_read(tmp_path, monkeypatch):
    # few distinct texts are held as codes of one, two or four bytes: each cell comes back as read
    n = 70_000
    with open(tmp_path / "wide.csv", "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["id", "few", "some", "many", "views"])
        for i in range(n):
            out.writerow([f"L{i}", f"f{i % 100}", f"s{i % 300}", f"m{i % 40_000}", i % 7])
    table = load_leads(tmp_path / "wide.csv")
    model = Model(threshold=3, rules=(Rule("Views", Condition("views", "gt", 2), 5),))
    result = Scorer(table).score(model)
    monkeypatch.setattr(export_csv, "BATCH_ROWS", 9_999)
    written, = export_leads(table, result, tmp_path / "out.csv", which="all")
    with open(written, encoding="utf-8", newline="") as handle:
        rows = {r["id"]: r for r in csv.DictReader(handle)}
    assert len(rows) == n
    for i in (0, 127, 128, 299, 300, 32_767, 32_768, 39_999, n - 1):
        row = rows[f"L{i}"]
        assert (row["few"], row["some"], row["many"]) == (f"f{i % 100}", f"s{i % 300}", f"m{i % 40_000}")
        assert row["score"] == ("5" if i % 7 > 2 else "0")


def test_a_batch_longer_than_its_buffer_is_written_whole(tmp_path, monkeypatch):
    from scoring.handoff.export_csv import write_batches
    monkeypatch.setattr(export_csv, "_FIRST_TEXT_BYTES", 64)          # every batch outgrows it
    monkeypatch.setattr(export_csv, "BATCH_ROWS", 3)
    notes = [f"note {i} " + "x" * (i * 7) for i in range(20)]
    table = pa.table({"id": pa.array(range(20)), "note": pa.array(notes)})
    target = tmp_path / "long.csv"
    write_batches(lambda lo, hi: table.slice(lo, hi - lo), 20, target)
    with open(target, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["note"] for r in rows] == notes and rows[19]["id"] == "19"

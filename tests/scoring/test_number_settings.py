"""Number marks in the model file, applied to a table, and numbers in exports: XLSX numbers as
numbers, and the "CSV for Excel in German" option (semicolons and decimal commas)."""

import json
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from scoring.errors import ExportError, ModelError
from scoring.evaluate.column_settings import apply_column_settings
from scoring.evaluate.engine import Scorer
from scoring.handoff.export import ExportOptions, export_leads
from scoring.handoff.export_csv import EXCEL_GERMAN, CsvOptions
from scoring.model.definition import ColumnSettings, Condition, Model, Rule
from scoring.model.model_file import load_model, model_from_dict, model_to_dict, save_model
from scoring.reading import load_leads

DATA = Path(__file__).parent / "data"
EUROPEAN = DATA / "numbers" / "european.csv"


def test_marks_round_trip_through_the_model_file(tmp_path):
    model = Model().with_column_settings("Umsatz", ColumnSettings(type="number", decimal_mark=",",
                                                                  thousands_mark=" "))
    save_model(model, tmp_path / "m.json")
    saved = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert saved["columns"] == {"Umsatz": {"type": "number", "decimal_mark": ",", "thousands_mark": " "}}
    assert load_model(tmp_path / "m.json") == model
    none = Model().with_column_settings("x", ColumnSettings(decimal_mark=".", thousands_mark=""))
    assert model_to_dict(none)["columns"] == {"x": {"decimal_mark": ".", "thousands_mark": ""}}


def test_model_files_without_marks_still_load():
    for name in ("model_v1.json", "model_v1_all_features.json"):
        model = load_model(DATA / name)
        assert all(s.decimal_mark is None and s.thousands_mark is None for _c, s in model.columns)


@pytest.mark.parametrize(("spec", "message"), [
    ({"decimal_mark": ";"}, 'decimal mark of column \'x\' must be "." or ","'),
    ({"thousands_mark": "_"}, "thousands mark of column 'x' must be one of"),
    ({"decimal_mark": ",", "thousands_mark": ","}, "cannot use ',' both for decimals and between thousands"),
])
def test_bad_marks_are_refused_by_name(spec, message):
    with pytest.raises(ModelError, match=message.replace("(", r"\(").replace(")", r"\)")):
        model_from_dict({"format": "leadbench-model", "version": 1, "columns": {"x": spec}})


def test_applied_marks_change_what_a_rule_counts(tmp_path):
    path = tmp_path / "leads.csv"
    path.write_text("name\tprice\nA\t1.200\nB\t2.500\nC\t0.500\n", encoding="utf-8")
    table = load_leads(path)
    rule = Rule("Big", Condition("price", "gte", 1000), points=10)
    model = Model(rules=(rule,), threshold=5)
    assert Scorer(table).score(model).n_mql == 0          # 0.500 shows a decimal point: 1.2, 2.5
    marked = model.with_column_settings("price", ColumnSettings(decimal_mark=",", thousands_mark="."))
    applied = apply_column_settings(table, marked)
    assert applied.frame["price"].tolist()[:2] == [1200, 2500]
    assert Scorer(applied).score(marked).n_mql == 2


def test_a_type_override_keeps_the_marks(tmp_path):
    table = load_leads(EUROPEAN)
    model = Model().with_column_settings("Mitarbeiter", ColumnSettings(type="number"))
    applied = apply_column_settings(table, model)
    assert applied.types["Mitarbeiter"] == "number" and applied.frame["Mitarbeiter"].iloc[0] == 1200.0


def scored(path=EUROPEAN):
    table = load_leads(path)
    model = Model(rules=(Rule("Mid-size", Condition("Mitarbeiter", "gte", 50), points=12.5),), threshold=10)
    return table, Scorer(table).score(model)


def test_csv_for_excel_in_german_writes_decimal_commas(tmp_path):
    table, result = scored()
    out = tmp_path / "out.csv"
    export_leads(table, result, out, ExportOptions(which="all", sort_by="Name", ascending=True,
                                                   csv=EXCEL_GERMAN))
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    header = [h.strip('"') for h in lines[0].split(";")]
    first = dict(zip(header, [c.strip('"') for c in lines[1].split(";")]))
    assert first["Name"] == "Anna Schmidt" and first["Umsatz"] == "1234,56"
    assert first["Mitarbeiter"] == "1200" and first["Rabatt"] == "12,5%" and first["Budget"] == "1500"
    assert first["score"] == "12,5" and first["fit_score"] == "12,5"
    # and Leadbench reads its own German CSV back to the same numbers
    again = load_leads(out)
    assert again.frame["Umsatz"].tolist() == pytest.approx(table.frame["Umsatz"].tolist())
    assert again.frame["Rabatt"].tolist()[:3] == pytest.approx([0.125, 0.05, 0.0075])


def test_the_default_csv_keeps_each_cell_as_the_list_had_it(tmp_path):
    table, result = scored()
    out = tmp_path / "out.csv"
    export_leads(table, result, out, which="all", sort_by="Name", ascending=True)
    text = out.read_text(encoding="utf-8")
    assert '"1.234,56"' in text and '"12,5 %"' in text


def test_decimal_commas_need_another_separator():
    with pytest.raises(ExportError, match="choose semicolons or tabs"):
        CsvOptions(delimiter=",", decimal=",")


def test_xlsx_writes_european_numbers_as_numbers_with_their_currency_and_percent(tmp_path):
    table, result = scored()
    out = tmp_path / "out.xlsx"
    export_leads(table, result, out, which="all", sort_by="Name", ascending=True, summary=False)
    sheet = openpyxl.load_workbook(out).active
    header = [c.value for c in sheet[1]]
    row = {h: c for h, c in zip(header, sheet[2])}
    assert row["Umsatz"].value == pytest.approx(1234.56) and row["Mitarbeiter"].value == 1200
    assert row["Rabatt"].value == pytest.approx(0.125) and row["Rabatt"].number_format == "0.00%"
    assert row["Budget"].value == 1500 and "€" in row["Budget"].number_format
    assert np.isclose(sheet.cell(4, header.index("Umsatz") + 1).value, -3400.10)

"""Numbers read right: European, French, Swiss and accounting exports, values such as "1.200"
decided from the column and the file (and said so), currencies, percentages, user-set marks."""

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import xlsxwriter

from scoring.column_types import ColumnType as T
from scoring.evaluate.engine import Scorer
from scoring.model.definition import Condition, Model, Rule
from scoring.reading import LeadTable, load_leads
from scoring.reading.numbers import NumberFormat, decide, number_marks, parse_numbers

DATA = Path(__file__).parent / "data" / "numbers"


def values(table, column):
    return [None if pd.isna(v) else v for v in table.frame[column].tolist()]


def write(tmp_path, text, name="leads.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- the four export styles ---------------------------------------------------------------------
def test_a_german_excel_export_loads_with_the_right_numbers():
    table = load_leads(DATA / "european.csv")
    assert values(table, "Umsatz") == pytest.approx([1234.56, 250000.0, -3400.10, 99.9, 1_000_000.0])
    assert table.types["Mitarbeiter"] == T.INTEGER
    assert values(table, "Mitarbeiter") == [1200, 45, 250000, 12, 3400]
    assert values(table, "Rabatt")[:3] == pytest.approx([0.125, 0.05, 0.0075])
    assert values(table, "Budget")[:3] == pytest.approx([1500.0, 20000.0, -750.5])
    assert table.number_formats["Budget"] == NumberFormat(",", ".", "€")
    assert table.number_formats["Rabatt"].percent
    # "1.200" alone could be 1.2: the note says why it is 1200
    assert "read “1.200” as 1200" in table.notes["Mitarbeiter"]
    assert "decimal commas" in table.notes["Mitarbeiter"]
    assert any("Mitarbeiter" in w and "1200" in w for w in table.warnings)


def test_a_french_export_with_no_break_spaces_loads_with_the_right_numbers():
    table = load_leads(DATA / "french.csv")
    assert values(table, "chiffre d'affaires") == pytest.approx([1234.56, 250000.0, -3400.10, 99.9])
    assert values(table, "effectif") == [1200, 45, 250000, 12]
    assert values(table, "remise")[:3] == pytest.approx([0.125, 0.05, 0.0075])
    assert table.number_formats["chiffre d'affaires"] == NumberFormat(",", " ", "€")
    assert "effectif" not in table.notes        # a space can only separate thousands


def test_a_swiss_export_with_apostrophes_loads_with_the_right_numbers():
    table = load_leads(DATA / "swiss.csv")
    assert values(table, "Umsatz") == pytest.approx([1234.5, 250000.0, -3400.10, 99.9])
    assert values(table, "Mitarbeiter") == [1200, 45, 250000, 12]
    assert values(table, "Marge")[:3] == pytest.approx([0.125, 0.05, 0.0075])
    assert table.number_formats["Umsatz"] == NumberFormat(".", "'", "CHF")


def test_an_accounting_export_reads_parentheses_and_trailing_minus_as_negatives():
    table = load_leads(DATA / "accounting.csv")
    assert values(table, "balance") == pytest.approx([-1234.56, -1234.56, -12.0, 2500.0])
    assert values(table, "revenue") == pytest.approx([1_234_567.0, 250_000.0, -3400.10, 99.9])
    assert values(table, "employees") == [1200, 45, 250000, 12]
    assert table.number_formats["revenue"].currency == "$"
    assert "employees" not in table.notes       # "1,200" in a comma-separated file: as usual


@pytest.mark.parametrize(("name", "column"), [("european.csv", "Mitarbeiter"), ("french.csv", "effectif"),
                                              ("swiss.csv", "Mitarbeiter"), ("accounting.csv", "employees")])
def test_a_rule_counts_the_leads_a_person_reads(name, column):
    """ "Employees is at least 50": 1,200 and 250,000 count, 45 and 12 do not."""
    table = load_leads(DATA / name)
    model = Model(rules=(Rule("Mid-size", Condition(column, "gte", 50), points=20),), threshold=10)
    result = Scorer(table).score(model)
    read_by_a_person = {"european.csv": [1200, 45, 250000, 12, 3400]}.get(name, [1200, 45, 250000, 12])
    assert result.n_mql == sum(v >= 50 for v in read_by_a_person)
    assert result.mql.tolist() == [v >= 50 for v in read_by_a_person]


# -- ambiguity: decided, and said -----------------------------------------------------------------
def test_the_issue_example_semicolons_and_decimal_commas_make_1_200_twelve_hundred(tmp_path):
    path = write(tmp_path, "name;revenue;employees\nA;1.234,56;1.200\nB;99,50;250.000\nC;5,00;45\n")
    table = load_leads(path)
    assert table.types["revenue"] == T.NUMBER
    assert values(table, "revenue") == pytest.approx([1234.56, 99.5, 5.0])
    assert values(table, "employees") == [1200, 250000, 45]
    assert table.notes["employees"].startswith("read “1.200” as 1200: this file writes decimal commas")


def test_decimal_commas_in_a_later_column_decide_an_earlier_one(tmp_path):
    path = write(tmp_path, "employees\trevenue\n1.200\t1.234,56\n250.000\t99,50\n")
    table = load_leads(path)
    assert values(table, "employees") == [1200, 250000]
    assert "“1.234,56” in revenue" in table.notes["employees"]


def test_with_no_evidence_1_200_is_read_as_a_decimal_and_the_note_says_so(tmp_path):
    table = load_leads(write(tmp_path, "name\tprice\nA\t1.200\nB\t2.500\n"))
    assert values(table, "price") == pytest.approx([1.2, 2.5])
    note = table.notes["price"]
    assert note.startswith("read “1.200” as 1.2") and "Number format" in note


def test_unmarked_small_numbers_beside_marked_big_ones_show_a_thousands_mark(tmp_path):
    table = load_leads(write(tmp_path, "name\temployees\nA\t1.200\nB\t45\nC\t250.000\nD\t999\n"))
    assert values(table, "employees") == [1200, 45, 250000, 999]
    assert "numbers below 1,000 have none" in table.notes["employees"]


def test_the_column_decides_when_it_can(tmp_path):
    # a second dot, or a leading zero, settles it without any note
    table = load_leads(write(tmp_path, "a\tb\n1.200\t0.500\n1.234.567\t1.200\n"))
    assert values(table, "a") == [1200, 1234567]
    assert values(table, "b") == pytest.approx([0.5, 1.2])
    assert table.notes == {}


def test_a_column_mixing_currencies_is_text_with_a_note(tmp_path):
    table = load_leads(write(tmp_path, 'name,budget\nA,"$1,200.50"\nB,€35\nC,£7\n'))
    assert table.types["budget"] in (T.TEXT, T.CATEGORY)
    assert values(table, "budget") == ["$1,200.50", "€35", "£7"]
    assert "more than one currency ($, £, €)" in table.notes["budget"]


def test_a_few_odd_texts_in_a_european_number_column_become_missing(tmp_path):
    rows = [f"L{i};{i % 90 + 1}.{i % 1000:03d},50" for i in range(150)] + ["X;unbekannt"]
    table = load_leads(write(tmp_path, "lead;umsatz\n" + "\n".join(rows) + "\n"))
    assert table.types["umsatz"] == T.NUMBER
    assert values(table, "umsatz")[1] == pytest.approx(2001.5)
    assert values(table, "umsatz")[-1] is None
    assert "1 value that is not numbers" in table.notes["umsatz"]


# -- retyping and the user's marks ----------------------------------------------------------------
def test_retype_keeps_the_columns_format(tmp_path):
    table = load_leads(DATA / "european.csv")
    assert values(table.retype("Mitarbeiter", T.NUMBER), "Mitarbeiter")[0] == 1200.0
    assert values(table.retype("Umsatz", T.TEXT), "Umsatz")[0] == "1.234,56"
    assert "Umsatz" not in table.retype("Umsatz", T.TEXT).number_formats


def test_marks_set_by_the_user_override_the_guess_and_clear_its_note(tmp_path):
    table = load_leads(write(tmp_path, "name\tprice\nA\t1.200\nB\t2.500\nC\tfree\n"))
    fixed = table.with_number_marks("price", ",", ".")
    assert values(fixed, "price") == [1200, 2500, None]
    assert fixed.types["price"] == T.INTEGER
    assert "read “1.200”" not in fixed.notes["price"]
    assert "1 value that is not whole numbers" in fixed.notes["price"]
    assert values(table, "price") == ["1.200", "2.500", "free"]       # the original is unchanged
    back = fixed.with_number_marks("price", ".", ",")
    assert values(back, "price")[:2] == pytest.approx([1.2, 2.5]) and back.types["price"] == T.NUMBER


def test_a_text_column_can_be_read_as_numbers_with_marks(tmp_path):
    table = load_leads(write(tmp_path, "name;code\nA;1.5 and more\nB;2\n"))
    assert table.types["code"] in (T.TEXT, T.CATEGORY)
    read = table.with_number_marks("code", ".", ",")
    assert read.types["code"] == T.INTEGER and values(read, "code") == [None, 2]


def test_an_in_memory_frame_of_floats_still_types_as_numbers():
    table = LeadTable.from_frame(pd.DataFrame({"x": [1.5, 2.25, np.nan], "n": [1200.0, 3.0, 4.0]}))
    assert table.types["x"] == T.NUMBER and table.types["n"] == T.INTEGER
    assert table.notes == {}


# -- the parts ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("texts", "fmt", "expected"), [
    (["1.234,56", "−5", "12,5 %", "(1.000)", "7-"], NumberFormat(",", "."), [1234.56, -5, 0.125, -1000, -7]),
    (["1\u202f234,5", "1\u00a0000", "2 000,25 €"], NumberFormat(",", " "), [1234.5, 1000, 2000.25]),
    (["CHF 1'234.50", "1’000", "US$ 5"], NumberFormat(".", "'"), [1234.5, 1000, 5]),
    (["EUR 3,50", "3,50 EUR", "kr 4,00"], NumberFormat(",", "."), [3.5, 3.5, 4.0]),
    (["1.2.3", "12,34,567", "abc", "1,5"], NumberFormat(".", ","), [None, None, None, None]),
])
def test_parse_numbers(texts, fmt, expected):
    out, bad = parse_numbers(pa.array(texts), fmt)
    assert [None if np.isnan(v) else v for v in out] == [None if e is None else pytest.approx(e) for e in expected]
    assert bad == sum(e is None for e in expected)


@pytest.mark.parametrize("texts", [["Ann", "Bob"], ["2024-01-05", "2024-02-01"], ["+49 30 1234567"],
                                   ["12.05.2024"], ["1.5", "2,5"]])
def test_texts_that_are_not_numbers_in_one_format_are_not_numbers(texts):
    assert number_marks(pa.array(texts)) is None


def test_a_reading_says_its_format_in_words():
    fmt = decide(number_marks(pa.array(["1.234,56 €", "5 €"]))).format
    assert fmt.describe() == "decimal comma, thousands “.” · in €"


def test_numbers_a_workbook_stores_as_numbers_are_never_reread(tmp_path):
    path = tmp_path / "leads.xlsx"
    with xlsxwriter.Workbook(str(path)) as book:
        sheet = book.add_worksheet("Leads")
        rows = [("name", "price", "umsatz", "mitarbeiter"), ("A", 1.125, "1,5", "1.200"),
                ("B", 2.375, "2.000,25", "250.000"), ("C", 3.5, "7", "45")]
        for r, row in enumerate(rows):
            sheet.write_row(r, 0, row)
    table = load_leads(path)
    assert values(table, "price") == pytest.approx([1.125, 2.375, 3.5])      # cells stored as numbers
    assert values(table, "umsatz") == pytest.approx([1.5, 2000.25, 7.0])     # texts, decimal commas
    assert values(table, "mitarbeiter") == [1200, 250000, 45]
    assert "price" not in table.notes and "“1,5” in umsatz" in table.notes["mitarbeiter"]


def test_an_in_memory_frame_of_three_decimal_floats_says_nothing_about_marks():
    table = LeadTable.from_frame(pd.DataFrame({"x": [1.125, 2.375], "s": ["1,5", "2,25"]}))
    assert table.frame["x"].tolist() == [1.125, 2.375] and "x" not in table.notes


def test_phone_numbers_grouped_by_spaces_stay_text(tmp_path):
    table = load_leads(write(tmp_path, "name;phone\nA;612 345 678\nB;699 111 222\nC;655 000 111\n"))
    assert table.types["phone"] in (T.TEXT, T.CATEGORY)
    assert values(table, "phone")[0] == "612 345 678"

"""Column typing: each type, date orders per column, missing markers, retype, in-memory frames."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scoring.column_types import ColumnType as T
from scoring.reading import LeadTable, load_leads


def write(tmp_path, name, data) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8"))
    return path


def load_column(tmp_path, header, values, **kwargs):
    """Load a two-column file (a row number, then ``values`` quoted) and return ``header``'s column."""
    lines = [f"row,{header}"] + [f'{i},"{v}"' for i, v in enumerate(values)]
    table = load_leads(write(tmp_path, "c.csv", "\n".join(lines) + "\n"), **kwargs)
    return table, table.frame[header]


def shares_data(a: pd.Series, b: pd.Series) -> bool:
    def buffer(s):
        array = s.array
        return array.codes if hasattr(array, "codes") else getattr(array, "_data", s.to_numpy())
    return np.shares_memory(buffer(a), buffer(b))


EXPECTED_DTYPES = {T.INTEGER: "Int64", T.NUMBER: "float64", T.BOOLEAN: "boolean",
                   T.DATE: "datetime64[ns]", T.DATETIME: "datetime64[ns]", T.CATEGORY: "category",
                   T.TEXT: "str", T.EMAIL: "str"}


@pytest.mark.parametrize(("header", "values", "ctype", "expected"), [
    ("employees", ["12", "300", "", "4"], T.INTEGER, [12, 300, None, 4]),
    ("revenue", ["1,200", "35", "-7"], T.INTEGER, [1200, 35, -7]),
    ("score", ["1.5", "2", "-0.25"], T.NUMBER, [1.5, 2.0, -0.25]),
    ("budget", ["$1,200.50", "$35", "7"], T.NUMBER, [1200.5, 35.0, 7.0]),
    ("share", ["50%", "12.5%"], T.NUMBER, [0.5, 0.125]),
    ("demo", ["yes", "No", "YES", "n/a"], T.BOOLEAN, [True, False, True, None]),
    ("flag", ["true", "FALSE"], T.BOOLEAN, [True, False]),
    ("opt in", ["Y", "n", "y"], T.BOOLEAN, [True, False, True]),
    ("converted", ["0", "1", "1", "0"], T.BOOLEAN, [False, True, True, False]),
    ("opt-in", ["Checked", "Unchecked", ""], T.BOOLEAN, [True, False, None]),
    ("newsletter", ["Oui", "Non", "oui"], T.BOOLEAN, [True, False, True]),
    ("demo angefragt", ["WAHR", "FALSCH"], T.BOOLEAN, [True, False]),
    ("kunde", ["Ja", "Nein", "nein"], T.BOOLEAN, [True, False, False]),
    ("cliente", ["Sí", "No", "SÍ"], T.BOOLEAN, [True, False, True]),
    ("contattato", ["Sì", "No"], T.BOOLEAN, [True, False]),
    ("cliente_pt", ["Sim", "Não"], T.BOOLEAN, [True, False]),
    ("excel pt", ["VERDADEIRO", "FALSO"], T.BOOLEAN, [True, False]),
    ("excel fr", ["VRAI", "FAUX", "VRAI"], T.BOOLEAN, [True, False, True]),
    ("klant", ["Ja", "Nee"], T.BOOLEAN, [True, False]),
    ("country code", ["NO", "DE", "FR", "NO"], T.CATEGORY, ["NO", "DE", "FR", "NO"]),
    ("visits", ["1", "1", "1"], T.INTEGER, [1, 1, 1]),      # only ones: a count, not a flag
    ("zip", ["02134", "10001", "94105"], T.CATEGORY, ["02134", "10001", "94105"]),   # zeros kept
    ("account", ["007", "120", "5"], T.CATEGORY, ["007", "120", "5"]),
    ("score", ["0", "10", "0.5"], T.NUMBER, [0.0, 10.0, 0.5]),
    ("email", ["ann@acme.com", "bob@beta.io", "cid@x.org"], T.EMAIL,
     ["ann@acme.com", "bob@beta.io", "cid@x.org"]),
    ("stage", ["Lead", "MQL", "Lead", "SQL"], T.CATEGORY, ["Lead", "MQL", "Lead", "SQL"]),
    ("when", ["2026-01-05", "2026-02-10"], T.DATE, [pd.Timestamp("2026-01-05"), pd.Timestamp("2026-02-10")]),
    ("at", ["2026-01-05 10:30", "2026-02-10 08:00"], T.DATETIME,
     [pd.Timestamp("2026-01-05 10:30"), pd.Timestamp("2026-02-10 08:00")]),
])
def test_each_type_and_its_dtype(tmp_path, header, values, ctype, expected):
    table, column = load_column(tmp_path, header, values)
    assert table.types[header] == ctype
    assert str(column.dtype) == EXPECTED_DTYPES[ctype]
    got = [None if pd.isna(v) else v for v in column.tolist()]
    assert got == expected


def test_many_distinct_words_are_text_not_category(tmp_path):
    values = [f"Note number {i} about the lead" for i in range(200)]
    table, column = load_column(tmp_path, "notes", values)
    assert table.types["notes"] == T.TEXT and str(column.dtype) == "str"


def test_cells_are_trimmed_and_raw_keeps_the_original_text(tmp_path):
    table, column = load_column(tmp_path, "stage", [" Lead ", "MQL", "Lead"])
    assert column.tolist() == ["Lead", "MQL", "Lead"]
    assert table.raw.column("stage").to_pylist() == [" Lead ", "MQL", "Lead"]
    assert str(table.raw.schema.field("stage").type) == "string"


@pytest.mark.parametrize(("values", "months", "days"), [
    (["01/05/2026", "02/13/2026"], [1, 2], [5, 13]),     # 13 can only be a day: US month-first
    (["05/01/2026", "13/02/2026"], [1, 2], [5, 13]),     # 13 can only be a day: day-first
    (["05.01.2026", "13.02.2026"], [1, 2], [5, 13]),
    (["2026-01-05", "2026-02-13"], [1, 2], [5, 13]),
    (["2026/01/05", "2026/02/13"], [1, 2], [5, 13]),
    (["Jan 5, 2026", "Feb 13, 2026"], [1, 2], [5, 13]),
    (["5 Jan 2026", "13 Feb 2026"], [1, 2], [5, 13]),
])
def test_date_order_is_decided_per_column(tmp_path, values, months, days):
    table, column = load_column(tmp_path, "when", values)
    assert table.types["when"] == T.DATE
    assert column.dt.month.tolist() == months and column.dt.day.tolist() == days


def test_two_date_columns_in_one_file_keep_their_own_order(tmp_path):
    text = "us,eu\n02/13/2026,13/02/2026\n03/01/2026,01/03/2026\n"
    table = load_leads(write(tmp_path, "d.csv", text))
    assert table.frame["us"].dt.month.tolist() == [2, 3]
    assert table.frame["eu"].dt.month.tolist() == [2, 3]


def test_ambiguous_dates_read_month_first(tmp_path):
    table, column = load_column(tmp_path, "when", ["01/02/2026", "03/04/2026"])
    assert table.types["when"] == T.DATE and column.dt.month.tolist() == [1, 3]


def test_missing_markers_including_extra_ones(tmp_path):
    text = "source,size\nWeb,NA\nSelect,n/a\nselect ,10\nnull,None\nAds,5\nWeb,#N/A\n"
    plain = load_leads(write(tmp_path, "leads.csv", text))
    assert plain.frame["size"].isna().tolist() == [True, True, False, True, False, True]
    assert plain.types["size"] == T.INTEGER
    marked = load_leads(tmp_path / "leads.csv", missing_values=("Select",))
    assert marked.frame["source"].isna().tolist() == [False, True, True, True, False, False]
    assert marked.missing_values == ("Select",)


def test_with_missing_values_retypes_only_the_columns_holding_the_marker(tmp_path):
    text = "how heard,size,stage\nPending,3,Lead\n12,4,MQL\n7,5,Lead\n"
    table = load_leads(write(tmp_path, "leads.csv", text))
    assert table.types["how heard"] == T.CATEGORY
    marked = table.with_missing_values(("pending",))
    assert marked.types["how heard"] == T.INTEGER
    assert marked.frame["how heard"].tolist()[1:] == [12, 7] and pd.isna(marked.frame["how heard"][0])
    assert shares_data(marked.frame["size"], table.frame["size"])        # shared, not copied
    assert table.types["how heard"] == T.CATEGORY                         # the original is unchanged
    back = marked.with_missing_values(())
    assert back.types["how heard"] == T.CATEGORY and back.frame["how heard"][0] == "Pending"


def test_retype_converts_from_the_original_text(tmp_path):
    table = load_leads(write(tmp_path, "leads.csv", "employees,stage\n12,Lead\n300,MQL\n"))
    as_text = table.retype("employees", T.TEXT)
    assert as_text.frame["employees"].tolist() == ["12", "300"]
    assert as_text.retype("employees", T.NUMBER).frame["employees"].tolist() == [12.0, 300.0]
    assert table.types["employees"] == T.INTEGER
    assert shares_data(as_text.frame["stage"], table.frame["stage"])
    as_number = table.retype("stage", T.NUMBER)
    assert as_number.frame["stage"].isna().all() and "not numbers" in as_number.notes["stage"]


@pytest.mark.parametrize("ctype", list(T))
def test_retype_gives_each_types_dtype(tmp_path, ctype):
    table = load_leads(write(tmp_path, "leads.csv", "id,v\n1,1\n2,0\n3,\n"))
    out = table.retype("v", ctype)
    assert str(out.frame["v"].dtype) == EXPECTED_DTYPES[out.types["v"]]
    assert out.n_rows == 3


def test_from_frame_types_an_in_memory_frame():
    frame = pd.DataFrame({
        "name": ["Ann", "Bob", None],
        "size": [1.0, 2.0, np.nan],
        "score": [1.5, 2.0, 3.25],
        "created": pd.to_datetime(["2026-01-01", "2026-02-01", None]),
        "won": [True, False, True],
        "email": ["a@b.co", "c@d.co", "e@f.co"],
    })
    table = LeadTable.from_frame(frame)
    assert table.types == {"name": T.CATEGORY, "size": T.INTEGER, "score": T.NUMBER,
                           "created": T.DATE, "won": T.BOOLEAN, "email": T.EMAIL}
    assert table.raw.column("size").to_pylist() == ["1", "2", None]
    assert table.frame["created"].dt.month.tolist()[:2] == [1, 2]
    assert table.frame["won"].tolist() == [True, False, True]


def test_big_column_of_unique_values_with_bad_cells_beyond_the_sample():
    n = 60_000
    values = np.char.add("lead", np.arange(n).astype(str)).astype(object)
    numbers = np.arange(n).astype(str).astype(object)
    numbers[-2000:] = "see notes"                # beyond the typing sample: the column is text
    table = LeadTable.from_frame(pd.DataFrame({"id": values, "visits": numbers}))
    assert table.types["id"] == T.TEXT
    assert table.types["visits"] == T.TEXT


def test_placeholders_in_a_big_column_of_numbers_are_missing():
    n = 60_000
    numbers = (np.arange(n) * 7).astype(str).astype(object)
    numbers[::10] = "-"                          # a report's dash in every tenth cell
    numbers[-2000:] = " n.a. "                   # and, past the typing sample, another placeholder
    table = LeadTable.from_frame(pd.DataFrame({"revenue": numbers}))
    assert table.types["revenue"] == T.INTEGER
    column = table.frame["revenue"]
    assert column.isna().sum() == 6000 - 200 + 2000 and column.iloc[1] == 7
    assert table.notes["revenue"].startswith("“-”")


def test_a_few_odd_texts_in_a_number_column_become_missing_with_a_note(tmp_path):
    values = [str(i % 40) for i in range(300)] + ["unknown", "tbd"]
    table, column = load_column(tmp_path, "visits", values)
    assert table.types["visits"] == T.INTEGER
    assert column.isna().sum() == 2 and column.iloc[5] == 5
    assert table.notes["visits"] == "“unknown”, “tbd” read as missing (2 cells)"
    assert any("visits" in w and "read as missing" in w for w in table.warnings)


def test_a_big_column_of_codes_with_leading_zeros_stays_words(tmp_path):
    values = [f"{i % 900:05d}" for i in range(300)] + ["n/a", "unknown"]
    table, column = load_column(tmp_path, "postal code", values)
    assert table.types["postal code"] in (T.CATEGORY, T.TEXT)       # not numbers
    assert column.iloc[7] == "00007"


def test_numbers_excel_cut_to_six_digits_are_named_in_a_note(tmp_path):
    """A CSV opened and saved in Excel holds phone numbers and ids as "4.47712E+11": the
    other digits are gone, which the user must hear before scoring or handing the list on."""
    table, column = load_column(tmp_path, "phone", ["4.47712E+11", "4.47713E+11", "1.55501E+10", ""])
    assert table.types["phone"] == T.NUMBER and column.iloc[0] == 447_712_000_000
    assert table.notes["phone"].startswith("numbers such as “4.47712E+11” were cut to six digits by Excel")
    assert any("phone" in w and "Excel" in w for w in table.warnings)
    science, _column = load_column(tmp_path, "mass", ["1.5e+06", "2.25E-03", "3e+07"])
    assert "mass" not in science.notes                    # written by a program: exact as it is


def test_many_odd_texts_keep_a_column_textual(tmp_path):
    values = [str(i % 40) for i in range(100)] + ["ask Bob"] * 5
    table, _column = load_column(tmp_path, "visits", values)
    assert table.types["visits"] == T.CATEGORY


@pytest.mark.parametrize("blank", ["-", "—", "--", "(blank)", "n.a.", "Unknown", "(not set)", "TBD"])
def test_cells_saying_no_value_leave_a_column_of_numbers_or_dates_typed(tmp_path, blank):
    """A report writes "-" or "—" where a cell is empty, a pivot table "(blank)": however many
    there are, the column is numbers (or dates), those cells missing, and the note names them."""
    values = [str(i % 40) for i in range(60)] + [blank] * 40
    table, column = load_column(tmp_path, "visits", values)
    assert table.types["visits"] == T.INTEGER
    assert column.isna().sum() == 40 and column.iloc[7] == 7
    assert table.notes["visits"] == f"“{blank}” read as missing (40 cells)"
    dates, when = load_column(tmp_path, "created", ["2026-01-05", blank, "2026-02-01"])
    assert dates.types["created"] == T.DATE and when.isna().tolist() == [False, True, False]


def test_placeholders_do_not_make_a_column_of_words_numbers(tmp_path):
    table, _column = load_column(tmp_path, "stage", ["Lead", "-", "MQL", "(none)", "SQL"])
    assert table.types["stage"] == T.CATEGORY
    yes_no, _ = load_column(tmp_path, "demo", ["Yes", "No", "-", "Yes"])
    assert yes_no.types["demo"] == T.CATEGORY         # a "-" may mean "no": left for the user


def test_values_the_sample_missed_keep_their_own_text_and_value(tmp_path):
    # 60,000 leads whose page views are 0-9, but the last rows hold counts the first and middle
    # rows never show: each cell still reads as its own number, and its text is kept as written
    views = [str(i % 10) for i in range(60_000)]
    views[-5:] = ["250", "", "1234", "250", "77"]
    rows = "\n".join(f"lead{i},{v}" for i, v in enumerate(views))
    path = tmp_path / "leads.csv"
    path.write_text("name,page_views\n" + rows + "\n")
    table = load_leads(path)
    assert table.types["page_views"] == T.INTEGER
    assert table.frame["page_views"].iloc[-5:].tolist() == [250, pd.NA, 1234, 250, 77]
    assert table.frame["page_views"].iloc[:3].tolist() == [0, 1, 2]
    assert table.raw.column("page_views").to_pylist()[-5:] == ["250", "", "1234", "250", "77"]


def test_a_text_column_of_repeated_names_is_trimmed_with_its_markers_missing(tmp_path):
    companies = [f" Company {i % 1000} " if i % 7 else f"Company {i % 1000}" for i in range(9_000)]
    companies[5:8] = ["N/A", "", "  none "]
    table, column = load_column(tmp_path, "company", companies)
    assert table.types["company"] == T.TEXT and str(column.dtype) == "str"
    assert column.iloc[:5].tolist() == ["Company 0", "Company 1", "Company 2", "Company 3", "Company 4"]
    assert column.iloc[5:8].isna().all() and column.iloc[8] == "Company 8"
    assert table.raw.column("company").to_pylist()[1] == " Company 1 "

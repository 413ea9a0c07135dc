"""The hostile-input cases, shared by the engine, command-line and window tests.

A case makes one file and says how it must end: ``message`` (words the one message must hold),
or a load whose table ``check`` inspects. ``slow`` cases are large generated files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from tests.hostile import generators as g

__all__ = ["Case", "TEXT_CASES", "SHEET_CASES", "FILE_CASES", "MODEL_CASES", "ModelCase",
           "params", "LEADS_CSV", "make_leads"]


@dataclass(frozen=True)
class Case:
    id: str
    make: Callable[[Path], Path]
    message: str | None = None           # the refusal must contain this; None: the file loads
    check: Callable | None = None        # check(table) for a load
    slow: bool = False


def params(cases) -> list:
    return [pytest.param(c, id=c.id, marks=[pytest.mark.slow] if c.slow else []) for c in cases]


# -- checks of loaded tables ------------------------------------------------------------------
def _mixed(table) -> None:
    assert table.n_rows == 5 and list(table.frame.columns) == ["name", "city", "note"]
    assert table.frame["name"].astype(str).tolist() == ["José", "Zoë", "Renée", "François", "Ana"]
    assert table.frame["note"].astype(str).tolist()[2:4] == ["price 5€", "“quoted”"]
    assert any("Windows-1252" in w for w in table.warnings)


def _big_cell(table) -> None:
    assert table.n_rows == 2 and len(str(table.frame["notes"][0])) == g.LONG_LINE_BYTES


def _wide(table) -> None:
    assert table.frame.shape == (5, 10_000)
    assert table.frame.columns[-1] == "field_9999" and int(table.frame["field_9999"][4]) == 49_999


def _odd_headers(table) -> None:
    assert list(table.frame.columns) == ["email", "Column 2", "Email", "email (2)", "Column 5", "name"]
    assert table.frame["email (2)"].astype(str).tolist() == ["b@x.co", "d@x.co"]


def _ragged(table) -> None:
    assert table.n_rows == 5 and list(table.frame.columns) == ["name", "email", "score", "Column 4"]
    assert table.frame["Column 4"].tolist()[2] == "extra" and table.frame["score"].isna().sum() == 2
    assert any("leads 2, 3, 4" in w for w in table.warnings)


def _cut(rows: int, last: str) -> Callable:
    def check(table) -> None:
        assert table.n_rows == rows and str(table.frame["name"].iloc[-1]) == last
        assert any("seems cut off" in w for w in table.warnings)
    return check


def _wrapped(table) -> None:
    assert list(table.frame.columns) == ["name", "email", "company", "score"]
    assert table.frame["company"].astype(str).tolist() == ['Acme, "the" Co', "Initech", "Globex"]
    assert table.frame["score"].tolist() == [10, 20, 30] and table.types["score"] == "integer"
    assert any("one quoted field" in w for w in table.warnings)


def _three_leads(table) -> None:
    assert table.n_rows == 3 and list(table.frame.columns) == ["name", "email", "score"]
    assert table.frame["score"].tolist() == [10, 20, 30]


def _formulas(table) -> None:
    assert table.frame["total"].tolist() == [7, 11, 15]            # the cached results
    assert table.frame["label"].astype(str).tolist() == ["ANN", "BOB", "CID"]


def _merged(table) -> None:
    assert list(table.frame.columns) == ["Contact", "Column 2", "email", "score"]
    assert table.frame["Column 2"].astype(str).tolist() == ["Lee", "Ray", "Moe"]
    assert any("above the header" in w for w in table.warnings)


def _dates_1904(table) -> None:
    assert table.types["created"] == "date"
    assert [d.date() for d in table.frame["created"]] == g.DATES_1904


def _dictionary(table) -> None:
    assert table.n_rows > 30 and table.frame.shape[1] >= 2


def _late_cp1252(table) -> None:
    assert table.n_rows == 20_001 and table.frame["city"].astype(str).iloc[-1] == "Genève"
    assert table.frame["city"].astype(str).iloc[0] == "Zürich"
    assert any("read as Windows-1252" in w for w in table.warnings)


def _header_only(table) -> None:
    assert table.n_rows == 0 and list(table.frame.columns) == ["name", "email", "score"]
    assert any("no leads" in w for w in table.warnings)


def _wrapped_semicolons(table) -> None:
    assert list(table.frame.columns) == ["name", "email", "score"] and table.n_rows == 2


TEXT_CASES = [
    Case("empty", g.make_empty, "the file is empty"),
    Case("png_named_csv", g.make_png, "it looks like an image"),
    Case("xlsx_named_csv", g.make_zip_as_csv, "an Excel workbook with a .csv name"),
    Case("single_50mb_line", g.make_long_line, "its first 16 MB hold no line break"),
    Case("single_50mb_line_of_fields", g.make_long_line_of_fields, "its first 16 MB hold no line break"),
    Case("50mb_cell", g.make_big_cell, check=_big_cell, slow=True),
    Case("utf8_and_cp1252_mixed", g.make_mixed_encoding, check=_mixed),
    Case("10000_columns", g.make_wide, check=_wide, slow=True),
    Case("16385_columns", lambda d: g.make_wide(d, "wider.csv", columns=16_385, rows=1),
         "Leadbench reads at most 16,384"),
    Case("duplicate_and_blank_headers", g.make_odd_headers, check=_odd_headers),
    Case("ragged_rows", g.make_ragged, check=_ragged),
    Case("cut_off_mid_row", g.make_cut_off, check=_cut(200, "Lead 199")),
    Case("cut_off_inside_quotes", g.make_cut_off_in_quotes, check=_cut(50, "Lead 49")),
    Case("each_row_one_quoted_field", g.make_wrapped_rows, check=_wrapped),
    Case("each_row_one_quoted_field_semicolons", g.make_wrapped_semicolons, check=_wrapped_semicolons),
    Case("cp1252_row_after_20000_utf8_rows", g.make_late_cp1252, check=_late_cp1252),
    Case("header_only", g.make_header_only, check=_header_only),
]

SHEET_CASES = [
    Case("password_protected_xlsx", g.make_encrypted_xlsx, "password-protected"),
    Case("password_protected_named_xls", lambda d: g.make_encrypted_xlsx(d, "locked.xls"),
         "password-protected"),
    Case("truncated_zip", g.make_truncated_xlsx, "damaged or not really a spreadsheet"),
    Case("declared_A1_XFD1048576", g.make_huge_dimension_xlsx, check=_three_leads),
    Case("stray_cell_at_XFD1048576", g.make_far_cell_xlsx, "reaches cell XFD1048576"),
    Case("formulas_cached_values", g.make_formulas_xlsx, check=_formulas),
    Case("merged_header_cells", g.make_merged_header_xlsx, check=_merged),
    Case("date1904_by_writer", g.make_1904_xlsx, check=_dates_1904),
    Case("date1904_flag_patched", g.make_1904_flag_patched_xlsx, check=_dates_1904),
    Case("only_empty_sheets", g.make_empty_sheets_xlsx, "the workbook has no data"),
    Case("empty_sheets_then_leads", lambda d: g.make_empty_sheets_xlsx(d, "later.xlsx", with_data=True),
         check=_three_leads),
    Case("sheet_of_only_a_title", g.make_title_only_xlsx, "holds only “Leads export, March 2026”"),
]

FILE_CASES = TEXT_CASES + SHEET_CASES


# -- model files ------------------------------------------------------------------------------
LEADS_CSV = ("company,employees,country,created,note\n"
             "Acme,120,US,2026-10-01,aaaa\n"
             "Initech,15,DE,2026-09-12,call back\n"
             "Globex,800,US,2026-11-20,\n")


def make_leads(folder: Path, name: str = "leads.csv") -> Path:
    path = folder / name
    path.write_text(LEADS_CSV, encoding="utf-8")
    return path


@dataclass(frozen=True)
class ModelCase:
    """A model file and the one message it must end in. ``when_opened``: the file itself is
    refused; otherwise it opens and the rule cannot run on the list (validation)."""

    id: str
    content: object
    message: str
    when_opened: bool = True


def _rule(when, **fields) -> dict:
    return {"name": "Big company", "group": "fit", "points": 10, "when": when, **fields}


def _gt(value) -> dict:
    return {"column": "employees", "op": "gt", "value": value}


def _nested_not(depth: int) -> dict:
    when: dict = {"column": "country", "op": "eq", "value": "US"}
    for _ in range(depth):
        when = {"not": when}
    return when


MODEL_CASES = [
    ModelCase("invalid_json", '{"format": "leadbench-model", "version": 1, "rules": [',
              "is not valid JSON (line 1, column 55"),
    ModelCase("empty_file", "", "is not valid JSON (line 1, column 1"),
    ModelCase("binary_file", b"\x89PNG\r\n\x1a\n\x00\x00\xff", "it is not text"),
    ModelCase("json_array", "[1, 2]", "this is not a Leadbench model (expected a JSON object)"),
    ModelCase("nested_too_deep", "[" * 100_000 + "]" * 100_000, "nest thousands of levels deep"),
    ModelCase("newer_version", g.model_dict([], version=99), "made by a newer Leadbench (model version 99"),
    ModelCase("version_as_text", g.model_dict([], version="1"), "unknown model version \"1\""),
    ModelCase("unknown_operator", g.model_dict([_rule({"column": "employees", "op": "bigger", "value": 5})]),
              "Rule \"Big company\", field 'op': unknown operator 'bigger'"),
    ModelCase("points_as_text", g.model_dict([_rule(_gt(5), points="15")]),
              "field 'points': points must be a number, not \"15\" (write the number without quotes)"),
    ModelCase("threshold_as_list", g.model_dict([], threshold=[50]),
              "Field 'threshold': threshold must be a number, not [50]"),
    ModelCase("list_where_a_number_belongs", g.model_dict([_rule(_gt([1, 2]))]),
              "'is more than' (gt) needs a single number, not [1, 2]"),
    ModelCase("object_where_a_list_belongs",
              g.model_dict([_rule({"column": "country", "op": "in", "value": {"US": 1}})]),
              "'is one of' (in) needs a list of values, not {\"US\": 1}"),
    ModelCase("columns_as_list", g.model_dict([], columns=["employees"]),
              "Field 'columns': columns must be an object"),
    ModelCase("negative_days",
              g.model_dict([_rule({"column": "created", "op": "within_days", "value": -3})]),
              "needs a number of days (0 or more), not -3"),
    ModelCase("conditions_nested_40_deep",
              g.model_dict([_rule(_nested_not(40))]), "nested more than 32 levels deep"),
    ModelCase("unknown_column", g.model_dict([_rule({"column": "headcount", "op": "gt", "value": 5})]),
              "column 'headcount' is not in this lead list", when_opened=False),
    ModelCase("text_where_a_number_belongs", g.model_dict([_rule(_gt("many"))]),
              "'is more than' on 'employees' (an integer column) needs a number, like 100, not \"many\"",
              when_opened=False),
    ModelCase("operator_for_another_type",
              g.model_dict([_rule({"column": "country", "op": "gt", "value": 5})]),
              "'is more than' does not apply to 'country', a category column", when_opened=False),
    ModelCase("look_ahead_pattern",
              g.model_dict([_rule({"column": "note", "op": "matches", "value": "^a(?=a)"})]),
              "uses a look-around such as (?=...)", when_opened=False),
    ModelCase("catastrophic_back_reference",
              g.model_dict([_rule({"column": "note", "op": "matches", "value": "(a+)+\\1$"})]),
              "the pattern '(a+)+\\1$' uses a look-around such as (?=...) or (?<!...), or a "
              "back-reference", when_opened=False),
]


def _nested_not(depth: int) -> dict:
    when: dict = {"column": "country", "op": "eq", "value": "US"}
    for _ in range(depth):
        when = {"not": when}
    return when

"""Loading delimited text files: encodings, delimiters, line ends, quoting, headers, uneven rows."""

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from scoring.errors import Cancelled
from scoring.column_types import ColumnType as T
from scoring.reading import load_leads

CSV = ("name,email,employees,signup,demo,score\n"
       "Ann,ann@acme.com,12,2026-01-05,yes,1.5\nBob,bob@beta.io,300,2026-02-10,no,2\n")
COLUMNS = ["name", "email", "employees", "signup", "demo", "score"]


def write(tmp_path, name, data) -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "cp1252", "latin-1"])
def test_encodings_are_detected(tmp_path, encoding):
    text = CSV.replace("Ann", "Zoë Müller")
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data            # UTF-16 with a big-endian byte-order mark
    table = load_leads(write(tmp_path, "leads.csv", data))
    assert list(table.frame.columns) == COLUMNS
    assert table.frame["name"].tolist() == ["Zoë Müller", "Bob"]
    assert table.types["employees"] == T.INTEGER


def test_a_non_utf8_file_says_how_it_was_read(tmp_path):
    table = load_leads(write(tmp_path, "leads.csv", CSV.replace("Ann", "Renée").encode("cp1252")))
    assert any("Windows-1252" in w for w in table.warnings)


def test_mixed_utf8_and_cp1252_bytes(tmp_path):
    data = "name,city\nZoë,Köln\n".encode("utf-8") + "Renée,Montréal\n".encode("cp1252") * 20000
    table = load_leads(write(tmp_path, "leads.csv", data))
    assert table.frame["name"].iloc[0] == "Zoë" and table.frame["name"].iloc[-1] == "Renée"
    assert table.frame["city"].iloc[-1] == "Montréal"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".txt"])
def test_delimiters_and_line_ends(tmp_path, delimiter, newline, suffix):
    text = CSV.replace(",", delimiter).replace("\n", newline)
    table = load_leads(write(tmp_path, f"leads{suffix}", text))
    assert list(table.frame.columns) == COLUMNS
    assert table.frame["score"].tolist() == [1.5, 2.0]
    assert table.frame["email"].tolist() == ["ann@acme.com", "bob@beta.io"]


def test_semicolon_file_with_decimal_commas_in_quotes(tmp_path):
    text = 'name;amount;city\n"Ann";"1,5";"Lyon, FR"\n"Bob";"2";"Paris"\n'
    table = load_leads(write(tmp_path, "leads.csv", text))
    assert list(table.frame.columns) == ["name", "amount", "city"]
    assert table.frame["city"].tolist() == ["Lyon, FR", "Paris"]


def test_quoted_fields_with_commas_newlines_and_quotes(tmp_path):
    text = ('name,notes\n"Smith, Ann","line one\nline two"\nBob,"said ""hi"""\n'
            'Cid,"crlf\r\ninside"\n')
    table = load_leads(write(tmp_path, "leads.csv", text))
    assert table.frame["name"].tolist() == ["Smith, Ann", "Bob", "Cid"]
    assert table.frame["notes"].tolist() == ["line one\nline two", 'said "hi"', "crlf\r\ninside"]


def test_quoted_newline_found_only_after_the_sniffed_sample(tmp_path):
    rows = "".join(f"Lead {i},plain\n" for i in range(40_000))
    text = "name,notes\n" + rows + 'Last,"two\nlines"\n'
    table = load_leads(write(tmp_path, "leads.csv", text))
    assert table.n_rows == 40_001
    assert table.frame["notes"].iloc[-1] == "two\nlines"
    assert not table.warnings


def test_trailing_delimiters_add_no_empty_column(tmp_path):
    text = "name,size,\nAnn,3,\nBob,4,\n"
    table = load_leads(write(tmp_path, "leads.csv", text))
    assert list(table.frame.columns) == ["name", "size"]
    assert table.frame["size"].tolist() == [3, 4]


def test_title_and_blank_rows_above_the_header_are_skipped(tmp_path):
    text = "Lead export, March 2026\nExported by: Ann\n\nname,email,size\nAnn,a@b.co,3\nBob,b@c.co,4\n"
    table = load_leads(write(tmp_path, "leads.csv", text))
    assert list(table.frame.columns) == ["name", "email", "size"]
    assert table.n_rows == 2
    assert any("above the header" in w for w in table.warnings)


@pytest.mark.parametrize("hint", ["sep=;", "SEP=;", '"sep=;"'])
def test_excels_separator_line_names_the_separator(tmp_path, hint):
    """Some exports start with "sep=;", the line Excel reads as the separator to use."""
    text = f"\ufeff{hint}\r\nname;revenue;notes\r\nAnn;1,5;a, b\r\nBob;2;c, d\r\n"
    table = load_leads(write(tmp_path, "leads.csv", text.encode("utf-8")))
    assert list(table.frame.columns) == ["name", "revenue", "notes"]
    assert table.frame["revenue"].tolist() == [1.5, 2.0]           # a decimal comma beside ";"
    assert table.frame["notes"].tolist() == ["a, b", "c, d"]
    assert not any("above the header" in w for w in table.warnings)


def test_the_separator_line_wins_over_sniffing_and_title_rows_are_still_skipped(tmp_path):
    text = "sep=,\nLeads export; March\n\nname,notes\nAnn,a;b;c\nBob,d;e;f\n"
    table = load_leads(write(tmp_path, "leads.csv", text.encode("utf-8")))
    assert list(table.frame.columns) == ["name", "notes"]
    assert table.frame["notes"].tolist() == ["a;b;c", "d;e;f"]
    assert "Skipped 2 lines above the header row." in table.warnings


def test_cells_written_as_excel_text_formulas_are_read_as_their_text(tmp_path):
    """Exports write ="02134" so that Excel keeps a code's leading zeros: the cell is the text."""
    text = ('id,zip,phone,amount,notes\n'
            '1,"=""02134""","=""+1 555 0100""",="1200","=""He said """"hi"""""""\n'
            '2,="10001",="+1 555 0101",="950",plain ="x" inside\n')
    table = load_leads(write(tmp_path, "leads.csv", text))
    assert table.raw.column("zip").to_pylist() == ["02134", "10001"]
    assert table.types["zip"] == T.CATEGORY                     # a code: its zeros kept
    assert table.frame["phone"].tolist() == ["+1 555 0100", "+1 555 0101"]
    assert table.types["amount"] == T.INTEGER and table.frame["amount"].tolist() == [1200, 950]
    assert table.frame["notes"].tolist() == ['He said "hi"', 'plain ="x" inside']
    note = next(w for w in table.warnings if "=\"…\"" in w)
    assert "“zip”" in note and "“amount”" in note and "“id”" not in note


def test_blank_and_duplicate_headers_get_readable_names(tmp_path):
    table = load_leads(write(tmp_path, "leads.csv", "email,,email,Email, email \na@b.co,1,c@d.co,x,y\n"))
    assert list(table.frame.columns) == ["email", "Column 2", "email (2)", "Email", "email (3)"]
    assert table.raw.column_names == list(table.frame.columns)


def test_cut_off_file_loads_complete_rows_with_a_warning(tmp_path):
    table = load_leads(write(tmp_path, "leads.csv", CSV + "Cid,cid@x.com,4"))
    assert table.n_rows == 2
    assert any("cut off" in w for w in table.warnings)


def test_file_cut_off_inside_a_quoted_field(tmp_path):
    table = load_leads(write(tmp_path, "leads.csv", CSV + 'Cid,cid@x.com,4,2026-01-01,"y'))
    assert table.frame["name"].tolist() == ["Ann", "Bob"]
    assert any("cut off" in w for w in table.warnings)


def test_ragged_rows_load_with_a_warning(tmp_path):
    text = "a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n"
    table = load_leads(write(tmp_path, "leads.csv", text))
    assert list(table.frame.columns) == ["a", "b", "c", "Column 4"]
    assert table.frame["a"].tolist() == [1, 4, 6, 10]
    assert table.frame["c"].isna().tolist() == [False, True, False, False]
    assert table.frame["Column 4"].isna().tolist() == [True, True, False, True]
    warning = next(w for w in table.warnings if "different number of fields" in w)
    assert "2 rows" in warning and "2, 3" in warning and "Column 4" in warning


def test_short_rows_without_extra_fields_keep_the_header_width(tmp_path):
    text = "a,b,c\n1,2,3\n4,5\n6,7,8,\n"
    table = load_leads(write(tmp_path, "leads.csv", text))
    assert list(table.frame.columns) == ["a", "b", "c"]
    assert table.frame["b"].tolist() == [2, 5, 7]


def test_ragged_rows_and_a_cut_off_end(tmp_path):
    text = "a,b,c\n1,2,3\n4,5\n6,7,8\n9,1"
    table = load_leads(write(tmp_path, "leads.csv", text))
    assert table.frame["a"].tolist() == [1, 4, 6]
    assert any("cut off" in w for w in table.warnings)
    assert any("different number of fields" in w for w in table.warnings)


def test_progress_rises_to_one_and_cancel_stops(tmp_path):
    path = write(tmp_path, "leads.csv", CSV.split("\n", 1)[0] + "\n" + CSV.split("\n", 1)[1] * 20_000)
    seen = []
    table = load_leads(path, on_progress=seen.append)
    assert table.n_rows == 40_000
    assert seen[-1] == pytest.approx(1.0) and seen == sorted(seen) and len(seen) >= 2
    with pytest.raises(Cancelled):
        load_leads(path, is_cancelled=lambda: True)
    calls = []
    with pytest.raises(Cancelled):      # cancelled after reading starts, during typing
        load_leads(path, is_cancelled=lambda: calls.append(1) or len(calls) > 3)


def test_source_file_is_never_written(tmp_path):
    path = write(tmp_path, "leads.csv", CSV)
    path.chmod(0o444)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    load_leads(path).retype("employees", T.TEXT).with_missing_values(("Ann",))
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_big_file_with_few_valued_columns(tmp_path):
    n = 60_000
    rng = np.random.default_rng(3)
    stage = np.array(["Lead", "MQL", "SQL", "Select"], object)[rng.integers(0, 4, n)]
    stage[-3:] = "Won"              # a value the typing sample (start and middle) does not see
    flag = np.array(["Yes", "No"], object)[rng.integers(0, 2, n)]
    # the first rows repeat one value, the rest are all different: a wrong guess from the head
    code = np.where(np.arange(n) < 5_000, "X", np.char.add("C", np.arange(n).astype(str)).astype(object))
    note = np.char.add("note about lead number ", np.arange(n).astype(str)).astype(object)
    frame = pd.DataFrame({"stage": stage, "flag": flag, "code": code, "note": note})
    path = tmp_path / "big.csv"
    frame.to_csv(path, index=False)
    assert path.stat().st_size > 1 << 20
    table = load_leads(path)
    assert table.raw.schema.field("stage").type == pa.string()
    assert table.raw.column("stage").to_pylist() == stage.tolist()
    assert table.types["stage"] == T.CATEGORY and table.types["flag"] == T.BOOLEAN
    assert table.frame["stage"].tolist() == stage.tolist()
    assert table.frame["flag"].tolist() == (flag == "Yes").tolist()
    assert table.types["code"] == T.TEXT and table.frame["code"].tolist() == code.tolist()
    marked = table.with_missing_values(("Select",))
    assert marked.frame["stage"].isna().sum() == (stage == "Select").sum()
    as_text = table.retype("stage", T.TEXT)
    assert as_text.frame["stage"].tolist() == stage.tolist()


def test_a_plain_ascii_file_with_one_bad_byte_far_down_is_read_as_windows_1252(tmp_path):
    # the bytes are checked as UTF-8 after parsing; one cp1252 "é" 100,000 rows down still
    # makes the whole file read as Windows-1252 rather than fail
    rows = "".join(f"lead{i},Boston\n" for i in range(100_000))
    data = ("name,city\n" + rows).encode() + "Renée,Montréal\n".encode("cp1252")
    table = load_leads(write(tmp_path, "leads.csv", data))
    assert table.frame["name"].iloc[-1] == "Renée" and table.frame["city"].iloc[-1] == "Montréal"
    assert table.n_rows == 100_001
    assert any("Windows-1252" in w for w in table.warnings)


SALESFORCE_FOOTER = ('\n\n"Grand Totals (3 records)"\n"Confidential Information - Do Not Distribute"\n'
                     '"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\n')


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_a_report_footer_below_the_leads_is_left_out_and_said(tmp_path, delimiter):
    leads = CSV.replace(",", delimiter) + f"Cy{delimiter}cy@gamma.org{delimiter}7{delimiter}2026-03-01{delimiter}no{delimiter}3\n"
    table = load_leads(write(tmp_path, "report.csv", leads + SALESFORCE_FOOTER))
    assert table.frame["name"].tolist() == ["Ann", "Bob", "Cy"]
    assert table.types["employees"] == T.INTEGER
    note = next(w for w in table.warnings if "footer" in w)
    assert note.startswith("Left out the 3 lines below the leads")
    assert "“Grand Totals (3 records)”" in note
    assert not any("different number of fields" in w for w in table.warnings)


def test_one_field_rows_right_under_the_leads_are_kept_as_uneven_rows(tmp_path):
    # no blank line between: they may be leads with one field filled, so they stay (and are said)
    table = load_leads(write(tmp_path, "leads.csv", CSV + "Cy\nDee\n"))
    assert table.frame["name"].tolist() == ["Ann", "Bob", "Cy", "Dee"]
    assert any("different number of fields" in w for w in table.warnings)


def test_a_lead_with_only_its_name_below_a_blank_line_stays_a_lead(tmp_path):
    table = load_leads(write(tmp_path, "leads.csv", CSV + "\nZoe\n"))
    assert table.frame["name"].tolist() == ["Ann", "Bob", "Zoe"]
    assert not any("footer" in w for w in table.warnings)


def test_header_rows_repeated_where_lists_were_joined_are_left_out(tmp_path):
    header = CSV.splitlines()[0]
    joined = CSV + header + "\n" + "Cy,cy@gamma.org,7,2026-03-01,no,3\n" + header.upper() + "\n"
    table = load_leads(write(tmp_path, "joined.csv", joined))
    assert table.frame["name"].tolist() == ["Ann", "Bob", "Cy"]
    assert table.types["employees"] == T.INTEGER and table.types["signup"] == T.DATE
    assert "Left out 2 rows repeating the header (lists joined one under another)." in table.warnings


def test_files_joined_with_their_byte_order_marks_read_as_one_list(tmp_path):
    """``cat jan.csv feb.csv`` of two "CSV UTF-8" files: the second mark begins its header row."""
    part = "\ufeffname,employees,created\r\n{}\r\n"
    joined = part.format("Ann,12,2026-01-05") + part.format("Bob,300,2026-02-01\r\n\ufeffCy,7,2026-03-01")
    table = load_leads(write(tmp_path, "joined.csv", joined.encode("utf-8")))
    assert table.frame["name"].tolist() == ["Ann", "Bob", "Cy"]
    assert table.types["employees"] == T.INTEGER and table.types["created"] == T.DATE
    assert "Left out 1 row repeating the header (lists joined one under another)." in table.warnings


def test_a_lead_whose_first_cell_is_the_header_word_stays(tmp_path):
    table = load_leads(write(tmp_path, "leads.csv", CSV + "name,nm@x.io,5,2026-03-02,yes,1\n"))
    assert table.frame["name"].tolist() == ["Ann", "Bob", "name"]
    assert not any("repeating the header" in w for w in table.warnings)


@pytest.mark.parametrize("word", ["Total", "Grand Total", "TOTALS:", "Summe"])
def test_a_totals_row_at_the_end_is_left_out(tmp_path, word):
    text = "name,employees,revenue\nAnn,12,\"1,200.50\"\nBob,3,800\n" + f"{word},15,\"2,000.50\"\n"
    table = load_leads(write(tmp_path, "leads.csv", text))
    assert table.frame["name"].tolist() == ["Ann", "Bob"]
    assert table.frame["revenue"].tolist() == [1200.5, 800.0]
    assert f"Left out the totals row at the end (“{word}”)." in table.warnings


def test_a_lead_called_total_with_an_email_stays(tmp_path):
    text = "name,email,employees\nAnn,ann@a.io,12\nTotal,total@t.io,15\n"
    table = load_leads(write(tmp_path, "leads.csv", text))
    assert table.frame["name"].tolist() == ["Ann", "Total"]


def test_a_list_without_a_header_keeps_a_lead_that_comes_twice(tmp_path):
    # the first row is a lead (no header); the same lead further down is no repeated header
    text = "Ann,Acme,Boston\nBob,Beta,Denver\nAnn,Acme,Boston\nCy,Gamma,Austin\n"
    table = load_leads(write(tmp_path, "leads.csv", text))
    assert table.n_rows == 3
    assert not any("repeating the header" in w for w in table.warnings)

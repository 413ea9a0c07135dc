"""Dates and times: every form the issue lists, offsets to UTC, the order and century decided per
column, spreadsheets, a format the user names, and the preview the format dialog shows."""

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from scoring.column_types import ColumnType as T
from scoring.reading import load_leads
from scoring.reading.dates import (COMMON_FORMATS, SERIAL, UNIX_MS, UNIX_SECONDS, DateFormatError, decide_reading,
                                   pattern_to_strptime, preview_dates)


def column_file(tmp_path, values, header="when", name="c.csv") -> Path:
    lines = [f"id,{header}"] + [f'{i},"{v}"' for i, v in enumerate(values)]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read(tmp_path, values, **kwargs):
    table = load_leads(column_file(tmp_path, values), **kwargs)
    column = table.frame["when"]
    return table, [None if pd.isna(v) else str(v) for v in column.tolist()]


@pytest.mark.parametrize(("values", "ctype", "expected"), [
    # ISO, T or space, seconds and fractions optional
    (["2023-01-05", "2023-02-13"], T.DATE, ["2023-01-05 00:00:00", "2023-02-13 00:00:00"]),
    (["2023-01-05T10:00", "2023-02-13T08:30:05"], T.DATETIME, ["2023-01-05 10:00:00", "2023-02-13 08:30:05"]),
    (["2023-01-05 10:00:00.250", "2023-02-13 08:30"], T.DATETIME,
     ["2023-01-05 10:00:00.250000", "2023-02-13 08:30:00"]),
    # US month first, four- and two-digit years, 12-hour times
    (["02/23/2026", "12/01/2025"], T.DATE, ["2026-02-23 00:00:00", "2025-12-01 00:00:00"]),
    (["2/3/26 8:55 AM", "02/23/26 08:55 PM", "12/31/25 12:05 AM"], T.DATETIME,
     ["2026-02-03 08:55:00", "2026-02-23 20:55:00", "2025-12-31 00:05:00"]),
    (["1/5/2023 10:00:30 a.m.", "1/15/2023 1:00:00 p.m."], T.DATETIME,
     ["2023-01-05 10:00:30", "2023-01-15 13:00:00"]),
    # day first
    (["23/02/2026", "01/12/2025"], T.DATE, ["2026-02-23 00:00:00", "2025-12-01 00:00:00"]),
    (["26-02-2018 19:58", "01-03-2018 08:00"], T.DATETIME, ["2018-02-26 19:58:00", "2018-03-01 08:00:00"]),
    (["05.01.2023", "13.02.2023"], T.DATE, ["2023-01-05 00:00:00", "2023-02-13 00:00:00"]),
    (["5.1.2023 14:30", "13.2.2023 08:00"], T.DATETIME, ["2023-01-05 14:30:00", "2023-02-13 08:00:00"]),
    # year first with dots or slashes
    (["2018.05.02", "2018.12.31"], T.DATE, ["2018-05-02 00:00:00", "2018-12-31 00:00:00"]),
    (["2018/05/02 10:00", "2018/12/31 23:59"], T.DATETIME, ["2018-05-02 10:00:00", "2018-12-31 23:59:00"]),
    # month names
    (["Jan 5, 2023", "Feb 13, 2023", "Sept 3, 2023"], T.DATE,
     ["2023-01-05 00:00:00", "2023-02-13 00:00:00", "2023-09-03 00:00:00"]),
    (["January 5, 2023", "February 13 2023"], T.DATE, ["2023-01-05 00:00:00", "2023-02-13 00:00:00"]),
    (["5 January 2023", "13 Feb 2023"], T.DATE, ["2023-01-05 00:00:00", "2023-02-13 00:00:00"]),
    (["05-Jan-23", "17-Feb-99"], T.DATE, ["2023-01-05 00:00:00", "1999-02-17 00:00:00"]),
    (["Thu, 05 Jan 2023 10:00:00 +0000", "Mon, 13 Feb 2023 08:00:00 +0100"], T.DATETIME,
     ["2023-01-05 10:00:00", "2023-02-13 07:00:00"]),
])
def test_every_form_reads_per_column(tmp_path, values, ctype, expected):
    table, got = read(tmp_path, values)
    assert table.types["when"] == ctype
    assert got == expected
    assert "not dates" not in table.notes.get("when", "")


def test_time_zone_timestamps_load_in_utc_with_a_note(tmp_path):
    """The values that stopped the load with a TypeError (issue 12)."""
    values = ["2024-01-22T20:36:47.000+0000", "2022-04-25T13:23:31Z", "2023-01-05 10:00:00-05:00",
              "2023-07-05 10:00:00+02:00"]
    table, got = read(tmp_path, values)
    assert table.types["when"] == T.DATETIME
    assert str(table.frame["when"].dtype) == "datetime64[ns]"       # one column, no time zone
    assert got == ["2024-01-22 20:36:47", "2022-04-25 13:23:31", "2023-01-05 15:00:00", "2023-07-05 08:00:00"]
    note = table.notes["when"]
    assert note.startswith("times converted to UTC from ") and "+0000" in note and "-05:00" in note
    assert any("times converted to UTC" in w for w in table.warnings)


def test_a_single_offset_is_named(tmp_path):
    table, _ = read(tmp_path, ["2024-01-22T20:36:47.000+0000", "2024-01-23T08:00:00.000+0000"])
    assert table.notes["when"] == "times converted to UTC from +0000"


def test_day_first_is_decided_by_a_value_past_twelve_even_far_down(tmp_path):
    values = [f"0{m}/0{d}/2024" for m in range(1, 10) for d in range(1, 10)] + ["25/12/2024"]
    table, got = read(tmp_path, values)
    assert table.types["when"] == T.DATE and got[0] == "2024-01-01 00:00:00" and got[1] == "2024-02-01 00:00:00"
    assert got[-1] == "2024-12-25 00:00:00"


def test_ambiguous_slashes_read_month_first_and_say_it_was_a_guess(tmp_path):
    table, got = read(tmp_path, ["01/02/2026", "03/04/2026"])
    assert got == ["2026-01-02 00:00:00", "2026-03-04 00:00:00"]
    assert table.formats["when"] == "MM/DD/YYYY (month first: no value says otherwise)"


def test_ambiguous_dots_read_day_first(tmp_path):
    _table, got = read(tmp_path, ["01.02.2026", "03.04.2026"])
    assert got == ["2026-02-01 00:00:00", "2026-04-03 00:00:00"]


@pytest.mark.parametrize(("values", "years"), [
    (["01/05/65", "06/30/70"], [1965, 1970]),        # a century ago: no value needs the 2000s
    (["12/31/98", "01/02/03"], [1998, 2003]),        # across the turn of the century
    (["02/23/26", "11/01/25"], [2026, 2025]),
    (["65/01/02", "70/12/31"], [1965, 1970]),        # the year first: a first part above 31
])
def test_two_digit_years_are_placed_from_the_columns_values(tmp_path, values, years):
    table, _got = read(tmp_path, values)
    assert table.frame["when"].dt.year.tolist() == years


def test_a_column_mixing_forms_reads_each(tmp_path):
    """Spreadsheet cells: real dates come out ISO, dates typed as text keep their own form."""
    table, got = read(tmp_path, ["2023-01-05", "2023-01-05 10:00", "01/13/2023", "02/14/2023 9:30 PM"])
    assert table.types["when"] == T.DATETIME
    assert got == ["2023-01-05 00:00:00", "2023-01-05 10:00:00", "2023-01-13 00:00:00", "2023-02-14 21:30:00"]


def test_dates_outside_the_supported_range_are_missing_not_a_crash(tmp_path):
    table, got = read(tmp_path, ["0001-01-01", "9999-12-31", "2024-05-01"])
    assert got == [None, None, "2024-05-01 00:00:00"]
    assert table.notes["when"] == "2 values that are not dates treated as missing"


def test_a_long_column_with_offsets_is_read_whole(tmp_path):
    """More distinct values than the typing sample: read without one Python call per row."""
    stamps = pd.date_range("2024-01-01", periods=60_000, freq="37min")
    texts = stamps.strftime("%Y-%m-%dT%H:%M:%S.000+0000").tolist()
    texts[55_555] = "2024-02-01T10:00:00-05:00"
    table = load_leads(column_file(tmp_path, texts))
    column = table.frame["when"]
    assert table.types["when"] == T.DATETIME and column.notna().all()
    assert column[0] == pd.Timestamp("2024-01-01") and column[55_555] == pd.Timestamp("2024-02-01 15:00")


# -- spreadsheets -------------------------------------------------------------------------------
def test_xlsx_text_dates_real_dates_and_serials(tmp_path):
    import xlsxwriter

    path = tmp_path / "leads.xlsx"
    with xlsxwriter.Workbook(str(path)) as book:
        sheet = book.add_worksheet("Leads")
        date_cell = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        sheet.write_row(0, 0, ["name", "typed date", "mixed", "Created Date"])
        for r, (typed, serial) in enumerate([("23/02/2026", 44931), ("05/01/2026", 45000),
                                             ("28/12/2025", 45292)], start=1):
            sheet.write_string(r, 0, f"Lead {r}")
            sheet.write_string(r, 1, typed)                          # a date stored as text
            if r == 1:
                sheet.write_string(r, 2, "01/13/2026 10:00 AM")
            else:
                sheet.write_datetime(r, 2, pd.Timestamp(f"2026-0{r}-0{r} 1{r}:30").to_pydatetime(), date_cell)
            sheet.write_number(r, 3, serial)                         # an Excel serial day
    table = load_leads(path)
    assert table.types["typed date"] == T.DATE
    assert table.frame["typed date"].tolist() == [pd.Timestamp("2026-02-23"), pd.Timestamp("2026-01-05"),
                                                  pd.Timestamp("2025-12-28")]
    assert table.types["mixed"] == T.DATETIME
    assert table.frame["mixed"].tolist() == [pd.Timestamp("2026-01-13 10:00"), pd.Timestamp("2026-02-02 12:30"),
                                             pd.Timestamp("2026-03-03 13:30")]
    assert table.types["Created Date"] == T.DATE
    assert table.frame["Created Date"].tolist() == [pd.Timestamp("2023-01-05"), pd.Timestamp("2023-03-15"),
                                                    pd.Timestamp("2024-01-01")]


# -- a format the user names ----------------------------------------------------------------------
def test_retype_with_a_date_order_reads_ambiguous_dates_day_first(tmp_path):
    table = load_leads(column_file(tmp_path, ["01/02/2026 10:00", "03/04/2026 11:30", "TBD"]))
    assert table.types["when"] == T.DATETIME                 # month first unless told otherwise
    assert table.notes["when"] == "“TBD” read as missing (1 cell)"
    as_dates = table.retype("when", T.DATETIME, "DD/MM/YYYY")
    assert as_dates.frame["when"].tolist()[:2] == [pd.Timestamp("2026-02-01 10:00"), pd.Timestamp("2026-04-03 11:30")]
    assert as_dates.notes["when"] == "1 value that is not dates treated as missing"
    assert as_dates.formats["when"] == "DD/MM/YYYY HH:mm"
    automatic = table.retype("when", T.DATETIME)
    assert automatic.frame["when"][0] == pd.Timestamp("2026-01-02 10:00")


@pytest.mark.parametrize(("pattern", "values", "expected"), [
    ("DD.MM.YYYY HH:mm", ["05.01.2023 14:30"], "2023-01-05 14:30"),
    ("YYYYMMDD", ["20230105"], "2023-01-05"),
    ("D/M/YY h:mm A", ["5/1/23 2:30 PM"], "2023-01-05 14:30"),
    ("%d|%m|%Y", ["05|01|2023"], "2023-01-05"),
    ("MMM D YYYY", ["Jan 5 2023"], "2023-01-05"),
    ("YYYY-MM-DD'T'HH:mm:ssZ", ["2023-01-05T10:00:00-05:00"], "2023-01-05 15:00"),
])
def test_a_typed_pattern_is_used_exactly(tmp_path, pattern, values, expected):
    table = load_leads(column_file(tmp_path, values))
    assert table.retype("when", T.DATETIME, pattern).frame["when"][0] == pd.Timestamp(expected)


@pytest.mark.parametrize(("pattern", "says"), [
    ("HH:mm", "no year"), ("YYYY-MM", "no day"), ("", "empty"), ("%Y-%m-%d %Q", "%Q"),
])
def test_a_pattern_that_cannot_be_used_says_why(pattern, says):
    with pytest.raises(DateFormatError, match=says):
        pattern_to_strptime(pattern)


def test_a_bad_pattern_in_a_model_reads_the_column_automatically_with_a_note(tmp_path):
    table = load_leads(column_file(tmp_path, ["2023-01-05", "2023-02-13"]))
    applied = table.apply_settings([("when", "date", "QQ/ZZ")])
    assert applied.frame["when"][0] == pd.Timestamp("2023-01-05")
    assert applied.notes["when"] == ("the pattern “QQ/ZZ” has no year (YYYY or YY): write it like "
                                     "DD/MM/YYYY, so it was read automatically")


def test_excel_serials_can_be_chosen_for_a_text_file(tmp_path):
    table = load_leads(column_file(tmp_path, ["44931", "45000.5", "n/a"]))
    serial = table.retype("when", T.DATETIME, SERIAL)
    assert serial.frame["when"].tolist()[:2] == [pd.Timestamp("2023-01-05"), pd.Timestamp("2023-03-15 12:00")]
    assert serial.formats["when"] == "Excel serial day number"


def test_every_common_form_is_a_usable_pattern():
    for pattern, label in COMMON_FORMATS:
        assert label
        if pattern not in (SERIAL, UNIX_SECONDS, UNIX_MS):         # (numbers, not patterns)
            assert pattern_to_strptime(pattern)


# -- the preview ----------------------------------------------------------------------------------
def test_preview_shows_the_first_values_and_what_does_not_read():
    cells = pa.array(["26-02-2018 19:58", "01-03-2018 08:00", "TBD", None, "soon", "05-03-2018 10:15"])
    missing = np.array([False, False, False, True, False, False])
    auto = preview_dates(cells, missing, None)
    assert auto.filled == 5 and auto.bad == 2 and set(auto.bad_examples) == {"TBD", "soon"}
    assert auto.rows[0] == ("26-02-2018 19:58", pd.Timestamp("2018-02-26 19:58"))
    assert auto.rows[2] == ("TBD", None) and auto.has_time and auto.pattern == "DD-MM-YYYY HH:mm"
    us = preview_dates(cells, missing, "MM-DD-YYYY HH:mm")
    assert us.bad == 3 and us.rows[1][1] == pd.Timestamp("2018-01-03 08:00")


def test_preview_of_offsets_gives_the_note():
    cells = pa.array(["2024-01-22T20:36:47.000+0000", "2024-01-23T20:36:47.000+0000"])
    preview = preview_dates(cells, np.zeros(2, bool), None)
    assert preview.note == "times converted to UTC from +0000" and preview.bad == 0


@pytest.mark.parametrize("values", [
    ["12.5", "13.75"], ["555-123-4567"], ["1.2.3"], ["hello", "2023-01-01"], ["Foo 5, 2023"],
    ["13/13/2023"], ["2023-02-30"], ["10.0.0.1"], ["v1.2.2023", "x"],
])
def test_what_is_not_a_date_is_not_typed_as_one(tmp_path, values):
    assert decide_reading(pa.array(values)) is None
    table, _got = read(tmp_path, values)
    assert not table.types["when"].is_temporal


def test_an_undecided_column_follows_the_files_other_date_columns(tmp_path):
    path = tmp_path / "zoho.csv"
    path.write_text("name,Created Time,Modified Time\nAnn,25/01/2026 10:00,01/02/2026 09:00\n"
                    "Bob,03/02/2026 11:00,04/02/2026 12:30\n", encoding="utf-8")
    table = load_leads(path)
    assert table.frame["Modified Time"].tolist() == [pd.Timestamp("2026-02-01 09:00"), pd.Timestamp("2026-02-04 12:30")]
    assert table.formats["Modified Time"] == "DD/MM/YYYY HH:mm (like “Created Time”)"
    assert table.formats["Created Time"] == "DD/MM/YYYY HH:mm"


def test_a_few_placeholder_texts_do_not_stop_a_date_column(tmp_path):
    """A 'Close Date' with 'TBD' in 3 of 300 leads is a date column; the three are missing."""
    values = [f"{1 + i % 12:02d}/{1 + i % 28:02d}/2025" for i in range(297)] + ["TBD", "ASAP", "TBD"]
    table, got = read(tmp_path, values)
    assert table.types["when"] == T.DATE and got[-3:] == [None, None, None]
    assert table.notes["when"] == "3 values that are not dates treated as missing"
    mostly_text = [f"2025-01-{1 + i % 28:02d}" for i in range(95)] + [f"later {i}" for i in range(6)]
    table, _got = read(tmp_path, mostly_text)
    assert not table.types["when"].is_temporal               # six distinct odd texts: not a date column


@pytest.mark.parametrize(("values", "expected"), [
    (["5 janv. 2026", "1er février 2026", "30 décembre 2025", "lundi 4 mai 2026"],       # French
     ["2026-01-05", "2026-02-01", "2025-12-30", "2026-05-04"]),
    (["3. März 2026", "15. Oktober 2025", "Montag, 5. Januar 2026", "1. Dez. 2025"],      # German
     ["2026-03-03", "2025-10-15", "2026-01-05", "2025-12-01"]),
    (["12 de mayo de 2026", "3 de enero de 2026", "28 de diciembre de 2025"],             # Spanish
     ["2026-05-12", "2026-01-03", "2025-12-28"]),
    (["5 gennaio 2026", "12 ago 2025", "3 dic 2025"],                                     # Italian
     ["2026-01-05", "2025-08-12", "2025-12-03"]),
    (["12 de maio de 2026", "1 de outubro de 2025", "3 de setembro de 2025"],             # Portuguese
     ["2026-05-12", "2025-10-01", "2025-09-03"]),
    (["5 mei 2026", "12 mrt. 2026", "1 okt. 2025"],                                       # Dutch
     ["2026-05-05", "2026-03-12", "2025-10-01"]),
])
def test_month_names_of_european_exports(tmp_path, values, expected):
    table, column = read(tmp_path, values)
    assert table.types["when"] == T.DATE
    assert [v[:10] for v in column] == expected
    assert table.formats["when"] == "DD MMM YYYY (month names not in English)"
    assert table.raw.column("when").to_pylist() == values        # the cells keep their own words


def test_month_names_with_times_and_an_empty_cell(tmp_path):
    table, column = read(tmp_path, ["3. März 2026 14:30", "", "15. Oktober 2025 09:05"])
    assert table.types["when"] == T.DATETIME
    assert column == ["2026-03-03 14:30:00", None, "2025-10-15 09:05:00"]


def test_words_that_only_look_like_month_names_stay_text(tmp_path):
    table, _ = read(tmp_path, ["Mai Tai 2 for 1", "set 3 of 4", "out 5 days"])
    assert table.types["when"] in (T.TEXT, T.CATEGORY)


def test_time_zone_abbreviations_become_utc_and_the_note_names_them(tmp_path):
    values = ["Jan 5, 2026 10:30 AM EST", "Jul 6, 2026 10:30 AM EDT", "Mar 2, 2026 09:00 PM PST"]
    table, column = read(tmp_path, values)
    assert table.types["when"] == T.DATETIME
    assert column == ["2026-01-05 15:30:00", "2026-07-06 14:30:00", "2026-03-03 05:00:00"]
    assert "converted to UTC from" in table.notes["when"] and "EST" in table.notes["when"]


def test_a_zone_the_sample_did_not_show_is_read_through_its_daylight_saving_partner(tmp_path):
    # every distinct value but one says CET; the one CEST value still reads
    values = [f"{d:02d}.01.2026 10:00 CET" for d in range(1, 29)] + ["15.07.2026 10:00 CEST"]
    table, column = read(tmp_path, values)
    assert column[-1] == "2026-07-15 08:00:00" and column[0] == "2026-01-01 09:00:00"


def test_a_named_pattern_with_an_offset_reads_zone_abbreviations(tmp_path):
    values = ["05/01/2026 14:30 CET", "06/07/2026 09:00 CEST"]
    table, _ = read(tmp_path, values)
    typed = table.retype("when", T.DATETIME, "DD/MM/YYYY HH:mm Z")
    assert [str(v) for v in typed.frame["when"]] == ["2026-01-05 13:30:00", "2026-07-06 07:00:00"]


def test_an_evening_time_early_in_the_month_with_an_offset_is_a_date(tmp_path):
    # 9 PM at -08:00 on the 2nd is the 3rd in UTC; the day as written (2) is what is checked
    table, column = read(tmp_path, ["Jan 2, 2026 09:00 PM -0800", "Jan 12, 2026 10:00 AM -0800"])
    assert table.types["when"] == T.DATETIME
    assert column == ["2026-01-03 05:00:00", "2026-01-12 18:00:00"]


def test_unix_times_under_a_date_header_are_dates_in_utc(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("id,created_at,updated_ms,phone\n1,1704450600,1704450600000,5551234567\n"
                    "2,1735689600,1735689600123,5559876543\n3,,1700000000000,5550000000\n")
    table = load_leads(path)
    assert table.types["created_at"] == T.DATETIME and table.types["updated_ms"] == T.DATETIME
    assert [str(v) for v in table.frame["created_at"]] == ["2024-01-05 10:30:00", "2025-01-01 00:00:00", "NaT"]
    assert str(table.frame["updated_ms"][1]) == "2025-01-01 00:00:00.123000"
    assert table.formats["created_at"] == "Unix time (seconds since 1970)"
    assert table.formats["updated_ms"] == "Unix time (milliseconds since 1970)"
    assert table.types["phone"] == T.INTEGER            # ten digits, but no date in its name


def test_whole_numbers_of_another_range_under_a_date_header_stay_numbers(tmp_path):
    table, _ = read(tmp_path, ["20240105", "20240201"])          # yyyymmdd as a number: not Unix time
    assert table.types["when"] != T.DATETIME or table.formats["when"] != "Unix time (seconds since 1970)"


def test_a_column_can_be_read_as_unix_time_by_choice(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("id,stamp\n1,1704450600\n2,1735689600\n")
    table = load_leads(path)
    typed = table.retype("stamp", T.DATETIME, UNIX_SECONDS)
    assert [str(v) for v in typed.frame["stamp"]] == ["2024-01-05 10:30:00", "2025-01-01 00:00:00"]
    preview = preview_dates(table.raw.column("stamp"), np.zeros(2, bool), UNIX_SECONDS)
    assert preview.bad == 0 and preview.pattern == "Unix time (seconds since 1970)"

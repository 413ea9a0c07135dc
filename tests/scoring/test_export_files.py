"""Real exports read right: one small file per CRM, ad platform and form tool, written the way
that tool writes it (headers, date forms, booleans, encoding, line ends), under data/exports/.

Each loads with the right column types, the first leads' dates and times as the tool meant them
(offsets converted to UTC, with the column's note saying so) and the right guessed tags.
"""

from pathlib import Path

import pandas as pd
import pytest

from scoring.column_types import ColumnType as T
from scoring.reading import load_leads
from scoring.reading.tagging import guess_tags

EXPORTS = Path(__file__).parent / "data" / "exports"

#: file -> (column types, {column: (first lead's value, second lead's value)}, notes, tags)
CASES = {
    "hubspot_contacts.csv": (
        {"Create Date": T.DATETIME, "Last Activity Date": T.DATETIME, "Email": T.EMAIL,
         "Lifecycle Stage": T.CATEGORY, "Record ID": T.INTEGER},
        {"Create Date": ("2025-01-03 09:00", "2025-01-26 16:13")}, {},
        {"email": "Email", "created": "Create Date", "stage": "Lifecycle Stage", "source": "Original Source"}),
    "salesforce_report.csv": (       # 02/23/26 08:55 PM and M/D/YYYY, every cell quoted, CRLF
        {"Created Date": T.DATETIME, "Last Activity": T.DATE, "Converted": T.BOOLEAN, "Email": T.EMAIL},
        {"Created Date": ("2025-01-03 09:00", "2025-01-26 16:13"), "Last Activity": (None, "2025-02-01")}, {},
        {"outcome": "Converted", "email": "Email", "source": "Lead Source", "created": "Created Date",
         "stage": "Lead Status"}),
    "salesforce_dataloader.csv": (   # API names, ISO with .000+0000, true/false
        {"CREATEDDATE": T.DATETIME, "LASTACTIVITYDATE": T.DATE, "ISCONVERTED": T.BOOLEAN,
         "LEAD_SCORE__C": T.INTEGER},
        {"CREATEDDATE": ("2025-01-03 09:00", "2025-01-26 16:13:17")},
        {"CREATEDDATE": "times converted to UTC from +0000"},
        {"email": "EMAIL", "source": "LEADSOURCE", "outcome": "ISCONVERTED", "created": "CREATEDDATE",
         "stage": "STATUS"}),
    "pipedrive_deals.csv": (
        {"Deal - Deal created": T.DATETIME, "Deal - Expected close date": T.DATE, "Deal - Value": T.INTEGER},
        {"Deal - Deal created": ("2025-01-03 09:00", "2025-01-26 16:13:17"),
         "Deal - Expected close date": ("2025-02-12", "2025-03-07")}, {},
        {"email": "Person - Email", "stage": "Deal - Stage", "source": "Deal - Source channel",
         "amount": "Deal - Value", "created": "Deal - Deal created"}),
    "zoho_leads.csv": (              # a day-first organisation: 03/01/2025 is 3 January
        {"Created Time": T.DATETIME, "Modified Time": T.DATETIME, "Email Opt Out": T.BOOLEAN},
        {"Created Time": ("2025-01-03 09:00", "2025-01-26 16:13"),
         "Modified Time": ("2025-01-05 12:00", "2025-01-28 19:13")}, {},
        {"email": "Email", "source": "Lead Source", "created": "Created Time", "stage": "Lead Status"}),
    "mailchimp_audience.csv": (
        {"OPTIN_TIME": T.DATETIME, "CONFIRM_TIME": T.DATETIME, "LAST_CHANGED": T.DATETIME,
         "MEMBER_RATING": T.INTEGER, "Email Address": T.EMAIL},
        {"OPTIN_TIME": ("2025-01-03 09:00", "2025-01-26 16:13:17")}, {},
        {"email": "Email Address", "created": "OPTIN_TIME"}),
    "activecampaign_contacts.csv": (  # the account's zone: -06:00 in winter, -05:00 in summer
        {"Date Created": T.DATETIME, "Date Updated": T.DATETIME, "Email": T.EMAIL},
        {"Date Created": ("2025-01-03 15:00", "2025-01-26 22:13:17")},
        {"Date Created": "times converted to UTC from -05:00 and -06:00"},
        {"email": "Email", "created": "Date Created"}),
    "facebook_leads.csv": (          # UTF-16, tab-separated, l:/ag:/p: prefixes
        {"created_time": T.DATETIME, "is_organic": T.BOOLEAN, "email": T.EMAIL},
        {"created_time": ("2025-01-03 17:00", "2025-01-27 00:13:17")},
        {"created_time": "times converted to UTC from -07:00 and -08:00"},
        {"email": "email", "created": "created_time"}),
    "linkedin_leads.csv": (          # UTF-8 with a byte-order mark, CRLF, "... UTC"
        {"Submitted At": T.DATETIME, "Email Address": T.EMAIL},
        {"Submitted At": ("2025-01-03 09:00", "2025-01-26 16:13:17")},
        {"Submitted At": "times are in UTC"},
        {"email": "Email Address", "created": "Submitted At"}),
    "google_ads_leads.csv": (
        {"Lead submit time": T.DATETIME, "Is test": T.BOOLEAN, "User email": T.EMAIL},
        {"Lead submit time": ("2025-01-03 09:00", "2025-01-26 16:13:17")},
        {"Lead submit time": "times converted to UTC from Z"},
        {"email": "User email", "created": "Lead submit time"}),
    "typeform_responses.csv": (
        {"Submit Date (UTC)": T.DATETIME, "Start Date (UTC)": T.DATETIME, "Can we call you?": T.BOOLEAN,
         "What's your work email?": T.EMAIL},
        {"Submit Date (UTC)": ("2025-01-03 09:02", "2025-01-26 16:15:18")}, {},
        {"email": "What's your work email?", "created": "Submit Date (UTC)"}),
    "marketo_list.csv": (            # Jan 3, 2025 9:00 AM
        {"Created At": T.DATETIME, "Updated At": T.DATETIME, "Unsubscribed": T.BOOLEAN, "Lead Score": T.INTEGER},
        {"Created At": ("2025-01-03 09:00", "2025-01-26 16:13")}, {},
        {"source": "Lead Source", "email": "Email Address", "created": "Created At", "stage": "Lead Status"}),
}


def test_every_export_file_has_a_case():
    assert sorted(p.name for p in EXPORTS.iterdir()) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_export_loads_with_types_dates_notes_and_tags(name):
    types, dates, notes, tags = CASES[name]
    table = load_leads(EXPORTS / name)
    assert table.n_rows == 14
    assert {c: table.types[c] for c in types} == types
    for column, expected in dates.items():
        got = table.frame[column].head(len(expected)).tolist()
        assert [None if pd.isna(v) else v for v in got] == [
            None if e is None else pd.Timestamp(e) for e in expected], column
    for column, ctype in table.types.items():       # no date column lost a value
        if ctype.is_temporal:
            assert "not dates" not in table.notes.get(column, ""), (column, table.notes[column])
    assert {c: n for c, n in table.notes.items() if c in notes} == notes
    assert guess_tags(list(table.frame.columns), table.types) == tags


def test_export_files_keep_the_tools_bytes():
    """The fixtures are written as the tools write them, so the tests above read real bytes."""
    assert (EXPORTS / "facebook_leads.csv").read_bytes()[:2] == b"\xff\xfe"
    assert (EXPORTS / "linkedin_leads.csv").read_bytes()[:3] == b"\xef\xbb\xbf"
    report = (EXPORTS / "salesforce_report.csv").read_bytes()
    assert b"\r\n" in report and report.startswith(b'"First Name","Last Name"')
    assert b"08:55 PM" in report or b" PM\"" in report


def test_a_salesforce_report_reads_day_and_month_from_its_values():
    """02/23/26 08:55 PM: the second part is above 12, so the column is month first, and 26 is 2026."""
    table = load_leads(EXPORTS / "salesforce_report.csv")
    assert table.formats["Created Date"] == "MM/DD/YY hh:mm AM"
    created = table.frame["Created Date"]
    assert created.min() == pd.Timestamp("2025-01-03 09:00") and created.dt.year.max() == 2025

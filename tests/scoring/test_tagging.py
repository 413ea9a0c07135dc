"""Guessing column tags from the headers of real and typical CRM exports."""

from __future__ import annotations

import pandas as pd
import pytest

from scoring.column_types import ColumnType as T
from scoring.reading import load_leads
from scoring.reading.tagging import HEADER_HINTS, guess_tags, normalise_header


def _headers(path, **kwargs) -> list[str]:
    return list(pd.read_csv(path, nrows=0, **kwargs).columns)


@pytest.mark.parametrize(("header", "key"), [
    ("Lead Source", "leadsource"), ("LeadSource", "leadsource"), ("lead_source", "leadsource"),
    ("E-mail", "email"), ("  Create Date ", "createdate"), ("Deal - Value", "value"),
    ("Person - Email", "email"), ("Lead_Source__c", "leadsource"), ("Lead - ", "lead"),
    ("Lead Origin", "leadorigin"), ("UTM source", "utmsource"),
])
def test_normalise_header(header, key):
    assert normalise_header(header) == key


def test_hint_lists_hold_normalised_names_once():
    seen = [hint for hints in HEADER_HINTS.values() for hint in hints]
    assert all(normalise_header(h) == h for h in seen)
    assert len(seen) == len(set(seen)), "a header must mean one tag"


def test_x_education_leads(shared_data):
    headers = _headers(shared_data / "x_education_leads" / "Leads.csv")
    assert len(headers) == 37
    # "Lead Origin" (API / Landing Page Submission) is the form, not the channel; no dates, no emails
    assert guess_tags(headers) == {"source": "Lead Source", "outcome": "Converted"}


def test_uci_bank_marketing_with_loaded_types(shared_data):
    table = load_leads(shared_data / "uci_bank_marketing" / "bank-additional-full.csv")
    tags = guess_tags(list(table.frame.columns), table.types)
    # poutcome is the previous campaign's outcome: a whole-name match only picks "y"
    assert tags == {"source": "contact", "outcome": "y"}


def test_maven_sales_pipeline_with_loaded_types(shared_data):
    table = load_leads(shared_data / "maven_crm_sales_opportunities" / "sales_pipeline.csv")
    assert table.types["engage_date"].is_temporal and table.types["close_value"].is_numeric
    assert guess_tags(list(table.frame.columns), table.types) == {
        "stage": "deal_stage", "created": "engage_date", "amount": "close_value"}


def test_maven_accounts_revenue_is_a_deal_amount_only_by_name(shared_data):
    headers = _headers(shared_data / "maven_crm_sales_opportunities" / "accounts.csv")
    assert guess_tags(headers) == {"amount": "revenue"}


@pytest.mark.parametrize(("headers", "expected"), [
    pytest.param(["First Name", "Last Name", "Email", "Original Source", "Lifecycle Stage", "Lead Status",
                  "Create Date", "Became a Customer Date", "Annual Revenue"],
                 {"email": "Email", "source": "Original Source", "stage": "Lifecycle Stage",
                  "created": "Create Date"}, id="hubspot-contacts"),
    pytest.param(["Deal Name", "Deal Stage", "Amount", "Create Date", "Close Date", "Pipeline"],
                 {"stage": "Deal Stage", "amount": "Amount", "created": "Create Date"}, id="hubspot-deals"),
    pytest.param(["email", "hs_analytics_source", "lifecyclestage", "hs_lead_status", "createdate"],
                 {"email": "email", "source": "hs_analytics_source", "stage": "lifecyclestage",
                  "created": "createdate"}, id="hubspot-internal-names"),
    pytest.param(["Id", "LeadSource", "Status", "IsConverted", "CreatedDate", "Email", "Industry"],
                 {"source": "LeadSource", "stage": "Status", "outcome": "IsConverted",
                  "created": "CreatedDate", "email": "Email"}, id="salesforce-api-names"),
    pytest.param(["Lead Owner", "Lead Source", "Lead Status", "Created Date", "Email", "Converted",
                  "Lead_Source__c"],
                 {"source": "Lead Source", "stage": "Lead Status", "created": "Created Date",
                  "email": "Email", "outcome": "Converted"}, id="salesforce-report"),
    pytest.param(["Deal - Title", "Deal - Value", "Deal - Currency", "Deal - Stage", "Deal - Status",
                  "Deal - Deal created", "Person - Email", "Deal - Source channel"],
                 {"amount": "Deal - Value", "stage": "Deal - Stage", "created": "Deal - Deal created",
                  "email": "Person - Email", "source": "Deal - Source channel"}, id="pipedrive"),
    pytest.param(["id", "firstname", "lastname", "email", "points", "stage", "date_added", "utm_source"],
                 {"email": "email", "stage": "stage", "created": "date_added", "source": "utm_source"},
                 id="mautic"),
    pytest.param(["Email Address", "Person Source", "Lead Source", "Created At", "Lead Status"],
                 {"email": "Email Address", "source": "Lead Source", "created": "Created At",
                  "stage": "Lead Status"}, id="marketo"),
    pytest.param(["Lead Owner", "Email", "Lead Source", "Lead Status", "Created Time", "Annual Revenue"],
                 {"email": "Email", "source": "Lead Source", "stage": "Lead Status",
                  "created": "Created Time"}, id="zoho"),
    pytest.param(["E-mail", "Channel", "Won", "Date Created", "Revenue"],
                 {"email": "E-mail", "source": "Channel", "outcome": "Won", "created": "Date Created",
                  "amount": "Revenue"}, id="generic"),
])
def test_invented_crm_exports(headers, expected):
    assert guess_tags(headers) == expected


def test_one_column_per_tag_and_the_most_telling_header_wins():
    assert guess_tags(["Status", "Lead Status", "Lifecycle Stage"]) == {"stage": "Lifecycle Stage"}
    assert guess_tags(["source", "Source"]) == {"source": "source"}          # first in file on a tie
    tags = guess_tags(["Source", "Channel", "utm_source"])
    assert tags == {"source": "Source"}


def test_types_veto_impossible_guesses():
    types = {"Created": T.TEXT, "Amount": T.CATEGORY, "Email": T.INTEGER, "Source": T.INTEGER,
             "y": T.NUMBER, "Stage": T.DATE}
    assert guess_tags(list(types), types) == {}
    assert guess_tags(["Created", "Email"], {"Created": T.DATETIME, "Email": T.EMAIL}) == {
        "created": "Created", "email": "Email"}
    # a column missing from the types is judged by its name alone
    assert guess_tags(["Created", "Lead Source"], {"Lead Source": T.CATEGORY}) == {
        "created": "Created", "source": "Lead Source"}


def test_a_vetoed_column_leaves_the_tag_to_the_next_candidate():
    types = {"Create Date": T.TEXT, "Date Created": T.DATE}
    assert guess_tags(list(types), types) == {"created": "Date Created"}


@pytest.mark.parametrize("header", ["poutcome", "Years", "Email opt out", "Do Not Email", "Source ID notes",
                                    "Lead Origin", "Annual Revenue", "Last Activity", "y2", "Target"])
def test_near_misses_are_not_tagged(header):
    assert guess_tags([header]) == {}


def test_no_columns():
    assert guess_tags([]) == {}
    assert guess_tags([], {}) == {}

import pandas as pd
import pytest

from scoring.column_types import ColumnType as T
from scoring.model.definition import Compound, Condition, Decay, Rule
from scoring.model.describe import describe_predicate, describe_rule
from scoring.reading.tagging import guess_tags


@pytest.mark.parametrize(("headers", "expected"), [
    (["Email", "Lead Source", "Lifecycle Stage", "Create Date", "Amount"],           # HubSpot
     {"email": "Email", "source": "Lead Source", "stage": "Lifecycle Stage", "created": "Create Date",
      "amount": "Amount"}),
    (["LeadSource", "IsConverted", "CreatedDate", "Status"],                         # Salesforce
     {"source": "LeadSource", "outcome": "IsConverted", "created": "CreatedDate", "stage": "Status"}),
    (["Original Source", "Date Created", "E-mail"],                                  # Mautic-style
     {"source": "Original Source", "created": "Date Created", "email": "E-mail"}),
])
def test_guess_tags_from_export_headers(headers, expected):
    assert guess_tags(headers) == expected


def test_guess_tags_respects_types_and_real_lists(shared_data):
    assert guess_tags(["Created"], {"Created": T.TEXT}) == {}
    leads = pd.read_csv(shared_data / "x_education_leads" / "Leads.csv", nrows=1)
    assert guess_tags(list(leads.columns)) == {"source": "Lead Source", "outcome": "Converted"}
    bank = pd.read_csv(shared_data / "uci_bank_marketing" / "bank-additional-full.csv", sep=";", nrows=1)
    assert guess_tags(list(bank.columns)) == {"source": "contact", "outcome": "y"}


def test_describe_in_plain_english():
    cond = Compound("all", (Condition("title", "contains_any", ("vp", "director")),
                            Condition("seen", "within_days", 30)))
    assert describe_predicate(cond) == "title contains any of vp, director and seen is within the last 30 days"
    rule = Rule("Demo", Condition("demo", "is_true"), 30, group="engagement", decay=Decay("seen", 14))
    assert describe_rule(rule) == "Demo: +30 engagement when demo is yes, halving every 14 days since seen"
    gate = Rule("US only", Condition("country", "in", ("US",)), kind="require")
    assert describe_rule(gate) == "US only: an MQL must have country is one of US"

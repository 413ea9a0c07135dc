"""Every hand-off names the lead: the id column is found (tagged or guessed) and comes first."""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd
import pytest

from scoring.evaluate.engine import Scorer
from scoring.handoff.compare import changed_leads_frame, compare_results
from scoring.handoff.export import ExportOptions, default_columns, export_leads, lead_id_column
from scoring.model.definition import ColumnSettings, Condition, Model, Rule
from scoring.reading import LeadTable, load_leads
from scoring.reading.tagging import guess_id_column
from scoring.report.audit import build_report
from scoring.value_text import value_text


@pytest.fixture(scope="module")
def x_education():
    from tests.conftest import SHARED_DATA
    path = SHARED_DATA / "x_education_leads" / "Leads.csv"
    if not path.exists():
        pytest.skip("../shared/data is not beside this checkout")
    return load_leads(path)


def test_x_education_hands_off_its_prospect_id_first(x_education):
    assert lead_id_column(x_education) == "Prospect ID"
    columns = default_columns(x_education)
    assert columns[0] == "Prospect ID"
    assert columns[1:] == ["Do Not Email", "Country", "City"]


def test_maven_pipeline_names_its_opportunities(shared_data):
    table = load_leads(shared_data / "maven_crm_sales_opportunities" / "sales_pipeline.csv")
    assert default_columns(table)[0] == "opportunity_id"


def test_lists_without_an_id_keep_their_contact_columns(shared_data):
    bank = load_leads(shared_data / "uci_bank_marketing" / "bank-additional-full.csv")
    assert lead_id_column(bank) is None
    assert default_columns(bank) == ["job"]        # as before: nothing is put in front


@pytest.mark.parametrize(("frame", "expected"), [
    ({"Name": ["a", "b", "c"], "Lead ID": ["L1", "L2", "L3"]}, "Lead ID"),
    ({"name": ["a", "b", "c"], "sfdc_id": ["x1", "x2", "x3"], "Id": [1, 2, 3]}, "Id"),
    ({"name": ["a", "b", "c"], "External ID": ["x1", "x2", "x3"]}, "External ID"),
    ({"name": ["a", "b", "c"], "Lead ID": ["L1", "L1", "L3"]}, None),               # repeated
    ({"name": ["a", "b", "c", "d", "e"], "Lead ID": ["L1", None, None, "L4", "L5"]}, None),  # gaps
    ({"Phone Number": ["1", "2", "3"], "Paid": ["1", "2", "3"]}, None),            # not ids
    ({"Created": ["2026-01-01", "2026-01-02", "2026-01-03"], "id": ["a", "b", "c"]}, "id"),
])
def test_an_id_is_named_like_one_filled_and_unique(frame, expected):
    table = LeadTable.from_frame(pd.DataFrame(frame))
    assert guess_id_column(table.frame, table.types) == expected


def test_a_tagged_id_wins_over_the_guess():
    table = LeadTable.from_frame(pd.DataFrame({"Lead ID": ["L1", "L2"], "Email": ["a@x.com", "b@x.com"],
                                               "CRM key": ["k1", "k2"]}))
    model = Model().with_column_settings("CRM key", ColumnSettings(tag="id"))
    assert lead_id_column(table, model) == "CRM key"
    assert default_columns(table, model) == ["CRM key", "Email"]
    assert default_columns(table) == ["Lead ID", "Email"]


def _scored(table, points_column):
    model = Model(threshold=1, rules=(Rule(name="Visited", points=5,
                                           when=Condition(points_column, "gt", 0)),))
    return model, Scorer(table).score(model)


def test_the_reports_top_mqls_and_the_changed_leads_start_with_the_id(x_education):
    model, result = _scored(x_education, "TotalVisits")
    report = build_report(x_education, result)
    assert report.top[0].fields[0][0] == "Prospect ID"
    looser = Model(threshold=0)
    comparison = compare_results(x_education, result, Scorer(x_education).score(looser))
    frame = changed_leads_frame(x_education, comparison)
    assert list(frame.columns)[0] == "Prospect ID"


def test_xlsx_keeps_numbers_numbers_and_yes_no_words(tmp_path, x_education):
    _model, result = _scored(x_education, "TotalVisits")
    path = tmp_path / "leads.xlsx"
    export_leads(x_education, result, path, ExportOptions(
        which="all", columns=("Prospect ID", "Converted", "Do Not Email", "Lead Number")))
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book.worksheets[0].iter_rows(min_row=1, max_row=4, values_only=True))
    book.close()
    assert rows[0][:4] == ("Prospect ID", "Converted", "Do Not Email", "Lead Number")
    converted = [r[1] for r in rows[1:]]
    assert set(converted) <= {0, 1} and all(isinstance(v, int) for v in converted)
    assert [r[2] for r in rows[1:]] == ["No", "No", "No"]
    assert all(isinstance(r[3], int) and r[3] > 600_000 for r in rows[1:])


@pytest.mark.parametrize(("value", "text"), [
    (True, "Yes"), (np.bool_(False), "No"), (1.0, "1"), (2.5, "2.5"), (0.1 + 0.2, "0.3"),
    (np.int64(7), "7"), (pd.Timestamp("2026-10-06"), "2026-10-06"),
    (pd.Timestamp("2026-10-06 09:30"), "2026-10-06 09:30:00"), (None, ""), (float("nan"), ""),
    (pd.NA, ""), (pd.NaT, ""), ("Select", "Select"),
])
def test_a_value_reads_the_same_everywhere(value, text):
    assert value_text(value) == text

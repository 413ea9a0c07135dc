"""The bundled sample: deterministic, realistic, and with signal for the starter model to find."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from scoring.evaluate.engine import Scorer
from scoring.model.model_file import load_model, validate_model
from scoring.reading import load_leads
from scoring.sample import SAMPLE_TODAY, generate_sample, main
from tests.conftest import ROOT, SAMPLE

COLUMNS = ["first_name", "last_name", "email", "company", "job_title", "industry", "employees",
           "country", "lead_source", "created_date", "last_activity", "page_views", "email_clicks",
           "webinar_attended", "whitepaper_download", "demo_requested", "lifecycle_stage", "converted"]


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return generate_sample()


def test_the_committed_file_is_exactly_what_the_generator_writes(tmp_path):
    out = tmp_path / "sample.csv"
    assert main([str(out)]) == 0
    assert out.read_bytes() == SAMPLE.read_bytes()


def test_same_seed_same_leads_other_seed_other_leads(sample):
    small = generate_sample(300, seed=5)
    pd.testing.assert_frame_equal(small, generate_sample(300, seed=5))
    assert not small.equals(generate_sample(300, seed=6))
    assert len(generate_sample(1)) == 1 and list(small.columns) == COLUMNS
    with pytest.raises(ValueError, match="at least one lead"):
        generate_sample(0)


def test_columns_values_and_blanks_look_like_a_crm_export(sample):
    assert list(sample.columns) == COLUMNS and len(sample) == 5000
    email = sample["email"]
    assert 0.005 < email.isna().mean() < 0.05
    free = email.str.contains(r"@(?:gmail|yahoo|outlook|hotmail)\.com$", na=False)
    invalid = email.notna() & ~email.str.contains("@", na=False, regex=False)
    assert 0.1 < free.mean() < 0.3 and 0 < invalid.sum() < 100
    assert (email.notna() & ~free & ~invalid).mean() > 0.7          # mostly work addresses
    employees = sample["employees"]
    assert 0.03 < employees.isna().mean() < 0.15
    assert employees.mean() > 3 * employees.median()                 # a few very large companies
    titles = set(sample["job_title"].dropna())
    assert {"Chief Executive Officer", "VP Marketing", "Marketing Manager", "Analyst", "Student",
            "Intern", "Consultant"} <= titles
    assert {"US", "CA", "GB", "DE", "FR", "AU", "IN", "BR"} <= set(sample["country"])
    assert {"Organic Search", "Paid Search", "LinkedIn", "Webinar", "Referral", "Trade Show",
            "Email Campaign", "Direct", "Partner", "google ads"} <= set(sample["lead_source"])
    for column in ("webinar_attended", "whitepaper_download", "demo_requested"):
        assert set(sample[column]) == {"Yes", "No"}
    assert set(sample["lifecycle_stage"]) == {"Subscriber", "Lead", "MQL", "SQL", "Opportunity", "Customer"}


def test_dates_span_eighteen_months_and_activity_follows_creation(sample):
    created = pd.to_datetime(sample["created_date"])
    activity = pd.to_datetime(sample["last_activity"])
    today = pd.Timestamp(SAMPLE_TODAY)
    assert created.max() <= today and created.min() >= today - pd.Timedelta(days=550)
    assert (today - created.min()).days > 450
    assert (activity.dropna() >= created[activity.notna()]).all() and (activity.dropna() <= today).all()
    assert 0.05 < activity.isna().mean() < 0.15


def test_conversion_base_rate_and_its_drivers(sample):
    converted = sample["converted"].to_numpy()
    assert set(np.unique(converted)) == {0, 1} and 0.10 <= converted.mean() <= 0.15
    demo = sample["demo_requested"].eq("Yes").to_numpy()
    assert converted[demo].mean() > 2 * converted[~demo].mean()
    junior = sample["job_title"].isin(["Student", "Intern"]).to_numpy()
    assert converted[junior].mean() < converted.mean()
    assert (sample.loc[sample["converted"] == 1, "lifecycle_stage"] == "Customer").all()


def test_starter_model_qualifies_ten_to_twenty_percent_with_signal():
    table = load_leads(SAMPLE)
    model = load_model(ROOT / "resources" / "models" / "b2b_saas.json")
    assert validate_model(model, table) == []
    result = Scorer(table, as_of=SAMPLE_TODAY).score(model)
    assert 0.10 <= result.n_mql / table.n_rows <= 0.20
    assert 0 < result.blocked.sum() < 0.2 * table.n_rows
    converted = table.frame["converted"].to_numpy(bool)
    assert roc_auc_score(converted, result.total) > 0.75
    assert converted[result.mql].mean() > 3 * converted[~result.mql].mean()


AGENCY_LEADS = {
    "email": ["ana@studio.io", "bo@shop.com", "cv@mail.com"],
    "job_title": ["Founder", "Intern", "Designer"],
    "budget": [25000, 1500, 5000],
    "service": ["Branding", "Other", "Website"],
    "timeline": ["ASAP", "Next year", "ASAP"],
    "request": ["Please send a proposal", "Just browsing", "call me"],
    "lead_source": ["Referral", "Google", "Google"],
    "pages_viewed": [5, 1, 4],
    "message": ["We need a rebrand by spring", None, "Attached my CV for the designer vacancy"],
    "status": ["New", "New", "New"],
    "created_at": ["2026-10-01", "2026-10-02", "2026-10-03"],
    "won": ["Yes", "No", "No"],
}
SHOP_LEADS = {
    "email": ["kim@mail.com", "test@example.com", "lee@mail.com"],
    "country": ["US", "US", "BR"],
    "newsletter": ["Yes", "Yes", "No"],
    "orders": [2, 5, 0],
    "cart_value": [120.5, 300.0, 0.0],
    "last_visit": ["2026-10-30", "2026-10-31", "2026-05-01"],
    "product_views": [8, 12, 1],
    "email_opens": [3, 4, 0],
    "source": ["Organic", "Organic", "Facebook Ads"],
    "unsubscribed": ["No", "No", "No"],
    "customer_type": ["Consumer", "Consumer", "Consumer"],
    "purchased": ["Yes", "No", "No"],
    "signup_date": ["2025-01-01", "2025-02-01", "2025-03-01"],
}


@pytest.mark.parametrize(("name", "columns", "blocked"), [("agency", AGENCY_LEADS, [False, True, True]),
                                                           ("ecommerce", SHOP_LEADS, [False, True, False])])
def test_templates_run_on_a_list_with_their_columns(name, columns, blocked):
    """A hot lead qualifies, a cold one does not, and a gate blocks the third."""
    from scoring.reading import LeadTable

    table = LeadTable.from_frame(pd.DataFrame(columns))
    model = load_model(ROOT / "resources" / "models" / f"{name}.json")
    assert validate_model(model, table) == []
    assert {model.tagged("outcome"), model.tagged("created"), model.tagged("email")} <= set(columns)
    result = Scorer(table, as_of=SAMPLE_TODAY).score(model)
    assert result.mql.tolist() == [True, False, False]
    assert result.blocked.tolist() == blocked

"""Guessing the funnel's stages after MQL from common CRM stage names."""

from scoring.insight.stages import guess_stage_order


def test_hubspot_lifecycle_stages_give_sql_opportunity_customer():
    values = ["Subscriber", "Lead", "Customer", "MQL", "SQL", "Opportunity", "Other"]
    assert guess_stage_order(values) == ("SQL", "Opportunity", "Customer")


def test_spellings_match_ignoring_case_and_spaces_and_keep_the_column_text():
    values = ["closed won", "Sales Qualified Lead", " SAL ", "Proposal", "Closed Lost"]
    assert guess_stage_order(values) == (" SAL ", "Sales Qualified Lead", "Proposal", "closed won")


def test_nothing_recognised_gives_no_stages():
    assert guess_stage_order(["New", "Working", "Nurture"]) == ()
    assert guess_stage_order([]) == ()

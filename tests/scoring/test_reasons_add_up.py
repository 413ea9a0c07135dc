"""On the bundled sample, every exported lead's reasons add up to its exported score, caps included."""

import csv
from decimal import Decimal

import numpy as np
import pytest

import resources
from scoring.evaluate.engine import Scorer
from scoring.handoff.export import export_leads
from scoring.model.model_file import load_model
from scoring.reading import load_leads
from scoring.report.audit import build_report
from scoring.sample import SAMPLE_TODAY
from tests.scoring.test_explain import listed_cents


@pytest.fixture(scope="module")
def sample():
    model = load_model(resources.STARTER_MODEL)
    table = load_leads(resources.SAMPLE_LEADS, missing_values=tuple(model.missing_values))
    return table, Scorer(table, as_of=SAMPLE_TODAY).score(model)


def test_exported_reasons_add_up_to_the_exported_score(sample, tmp_path):
    table, result = sample
    path = export_leads(table, result, tmp_path / "all.csv", which="all")[0]
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == table.n_rows
    capped = [r for r in rows if "capped at" in r["reasons"]]
    assert len(capped) > 100                        # the starter's caps cut hundreds of leads
    assert capped[0]["reasons"].split("; ")[-1].startswith(("Fit capped at", "Engagement capped at"))
    for row in rows:
        assert listed_cents(row["reasons"]) == int(Decimal(row["score"]) * 100), row["reasons"]


def test_report_top_leads_reasons_add_up(sample):
    table, result = sample
    report = build_report(table, result)
    for lead in report.top:
        assert listed_cents(lead.reasons) == int(np.rint(lead.score * 100)), lead.reasons

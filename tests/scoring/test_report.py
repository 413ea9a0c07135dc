"""The audit report: every section, numbers that match the engine, escaping, self-containment."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from scoring.errors import Cancelled, LeadbenchError
from scoring.evaluate.engine import Scorer
from scoring.insight.analytics import prepare_category
from scoring.insight.conversion import conversion_by_source
from scoring.model.definition import Condition, Model, Rule
from scoring.model.model_file import load_model
from scoring.reading import LeadTable, load_leads
from scoring.report.audit import build_report
from scoring.report.html import render_html
from scoring.report.quality import duplicate_findings, email_quality, placeholder_values
from scoring.sample import SAMPLE_TODAY
from tests.conftest import ROOT, SAMPLE

MODEL = ROOT / "resources" / "models" / "b2b_saas.json"
SECTIONS = ("data-quality", "model", "distribution", "sources", "timeline", "backtest", "top-mqls")


@pytest.fixture(scope="module")
def sample():
    model = load_model(MODEL)
    table = load_leads(SAMPLE, missing_values=tuple(model.missing_values))
    result = Scorer(table, as_of=SAMPLE_TODAY).score(model)
    return table, result


@pytest.fixture(scope="module")
def sample_report(sample):
    table, result = sample
    return build_report(table, result)


class _Collector(HTMLParser):
    """Tags, attribute values and visible text of a document."""

    def __init__(self) -> None:
        super().__init__()
        self.tags, self.attrs, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(tag, k, v) for k, v in attrs]

    def handle_data(self, data):
        self.text.append(data)


def _parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


def _section(html: str, name: str) -> str:
    start = html.index(f'id="{name}"')
    end = html.find("<section", start)
    return html[start:end if end > 0 else len(html)]


def test_sample_report_has_every_section_and_the_engines_numbers(sample, sample_report):
    table, result = sample
    r = sample_report
    assert (r.n_leads, r.n_mql, r.threshold) == (5000, result.n_mql, 65.0)
    assert r.n_blocked == int(result.blocked.sum())
    assert [c.name for c in r.columns] == list(table.frame.columns)
    assert r.email is not None and r.email.column == "email"
    assert r.backtest is not None and r.outcome_column == "converted"
    assert r.timeline is not None and r.timeline["leads"].sum() + r.timeline.attrs["undated"] == 5000
    assert int(r.histogram["mqls"].sum()) == result.n_mql
    assert len(r.top) == 25 and r.top[0].score == pytest.approx(result.total[result.mql].max())
    assert all(result.mql[lead.row] for lead in r.top)

    html = render_html(r)
    for section in SECTIONS:
        assert f'id="{section}"' in html
    assert f"<b>65 points</b>" in html
    assert f"{result.n_mql:,}" in _section(html, "distribution")
    # per-source counts as the engine computes them
    expected = conversion_by_source(prepare_category(table.frame["lead_source"], merge_variants=True),
                                    result.mql)
    sources = _section(html, "sources")
    for row in expected.itertuples(index=False):
        assert re.search(rf"<td>{re.escape(row.source)}</td><td class=\"num\">{row.leads:,}</td>"
                         rf"<td class=\"num\">{row.mqls:,}</td>", sources), row.source
    # every rule in words
    model_part = _section(html, "model")
    for rule in result.model.rules:
        assert rule.name in model_part
    assert "Job title contains any of chief, cto, vp, director, head of" in model_part


def test_report_is_self_contained(sample_report):
    html = render_html(sample_report)
    assert "http://" not in html and "https://" not in html and 'src="http' not in html
    parsed = _parse(html)
    assert "script" not in parsed.tags and "link" not in parsed.tags and "iframe" not in parsed.tags
    assert not [a for a in parsed.attrs if a[1] in ("src", "href")]        # nothing to fetch
    assert parsed.tags.count("svg") == 3                                    # the charts are inline
    assert "@media print" in html and "page-break-inside: avoid" in html


def test_hostile_cells_come_out_as_text():
    evil = '<script>alert("x")</script>'
    table = LeadTable.from_frame(pd.DataFrame({
        "name": [evil, "Ann", "Bob", "Cy"],
        "email": ['"><img src=x onerror=alert(1)>@x.com', "ann@gmail.com", "bob@acme.com",
                  "BOB@acme.com "],
        "lead_source": [evil, "Web", "Web", "Select"],
        "visits": [10, 3, 12, 1],
    }), source="leads.csv")
    model = Model(name="<b>model</b>", threshold=5, rules=(
        Rule(name="<i>Busy</i>", when=Condition("visits", "gte", 5), points=10),))
    result = Scorer(table).score(model)
    html = render_html(build_report(table, result, title="Audit <img src=y>"))
    parsed = _parse(html)
    assert "script" not in parsed.tags and "img" not in parsed.tags and "i" not in parsed.tags
    assert evil not in html and "&lt;script&gt;" in html
    assert "<b>model</b>" not in html and "&lt;b&gt;model&lt;/b&gt;" in html
    assert not [a for a in parsed.attrs if a[1].startswith("on")]
    text = "".join(parsed.text)
    assert evil in text                                  # shown to the reader as written


def test_backtest_section_on_a_real_list(shared_data):
    leads = shared_data / "x_education_leads" / "Leads.csv"
    model = Model(name="X Education", threshold=30, missing_values=("Select",), rules=(
        Rule(name="Long visit", when=Condition("Total Time Spent on Website", "gte", 600), points=30),
        Rule(name="Form", when=Condition("Lead Origin", "eq", "Lead Add Form"), points=30)))
    table = load_leads(leads, missing_values=("Select",))
    result = Scorer(table).score(model)
    report = build_report(table, result, outcome="Converted")
    b = report.backtest
    converted = table.frame["Converted"].to_numpy(bool)
    assert b.metrics.won == int(converted.sum()) and b.metrics.mqls == result.n_mql
    assert b.metrics.won_mqls == int((converted & result.mql).sum())
    assert 0.5 < b.auc <= 1
    html = render_html(report)
    part = _section(html, "backtest")
    assert "Outcome column “Converted”" in part and f"{b.metrics.precision:.1%}" in part
    # "Select" is reported as a placeholder the model treats as empty
    select = [p for p in report.placeholders if p.value == "Select"]
    assert select and all(p.treated_as_missing for p in select)
    assert report.email is None and "No email column" in report.notes["email"]
    assert report.timeline is None and 'id="timeline"' in html


def test_named_outcome_must_exist_and_be_readable(sample):
    table, result = sample
    with pytest.raises(LeadbenchError, match="no column 'nope'"):
        build_report(table, result, outcome="nope")
    with pytest.raises(LeadbenchError, match="--won"):
        build_report(table, result, outcome="company")
    report = build_report(table, result, outcome="lifecycle_stage", won_values=["Customer"])
    assert report.won_values == ("Customer",) and report.backtest is not None


def test_without_tags_the_optional_sections_explain_themselves():
    table = LeadTable.from_frame(pd.DataFrame({"visits": [1, 5, 9, 20]}))
    model = Model(threshold=10, rules=(Rule(name="Busy", when=Condition("visits", "gte", 5), points=10),))
    report = build_report(table, Scorer(table).score(model))
    assert report.by_source is None and report.timeline is None and report.backtest is None
    html = render_html(report)
    for key in ("source", "timeline", "backtest"):
        assert report.notes[key] in html
    assert html.count("<svg") == 1


def test_progress_and_cancel(sample):
    table, result = sample
    seen = []
    build_report(table, result, on_progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 1.0
    with pytest.raises(Cancelled):
        build_report(table, result, is_cancelled=lambda: True)


def test_email_and_duplicate_findings():
    emails = pd.Series(["a@gmail.com", "b@Yahoo.co.uk", "c@acme.com", "not an email", "x@y", None,
                        " A@gmail.com"], dtype="str")
    found = email_quality(emails, "email")
    assert (found.filled, found.invalid, found.free_mail) == (6, 2, 3)
    assert set(found.invalid_examples) == {"not an email", "x@y"}
    assert found.free_domains[0] == ("gmail.com", 2)
    dups = duplicate_findings(pd.DataFrame({"email": emails}), "email")
    assert (dups.groups, dups.extra_rows) == (1, 1) and dups.largest == (("a@gmail.com", 2),)


def test_placeholders_found_in_the_original_cells():
    table = LeadTable.from_frame(pd.DataFrame({
        "source": ["Select", "select ", "Web", "--", "n/a"] * 3,
        "city": ["Pune", "-- Select --", "Unknown", "Delhi", "Delhi"] * 3}))
    found = {(p.column, p.value): (p.count, p.treated_as_missing)
             for p in placeholder_values(table, ("Select",))}
    assert found[("source", "Select")] == (6, True)        # both spellings, the commoner shown
    assert found[("source", "--")] == (3, False)
    assert found[("source", "n/a")] == (3, True)           # a default missing marker
    assert found[("city", "-- Select --")] == (3, False)
    assert found[("city", "Unknown")] == (3, False)
    assert ("source", "Web") not in found and ("city", "Delhi") not in found


def test_placeholders_in_a_column_of_numbers_are_already_missing():
    table = LeadTable.from_frame(pd.DataFrame({"employees": ["120", "-", "45", "—", "300"] * 3}))
    found = {(p.column, p.value): (p.count, p.treated_as_missing) for p in placeholder_values(table)}
    assert found == {("employees", "-"): (3, True), ("employees", "—"): (3, True)}


def test_top_leads_follow_the_scores(sample, sample_report):
    _table, result = sample
    scores = [lead.score for lead in sample_report.top]
    assert scores == sorted(scores, reverse=True)
    best = np.sort(result.total[result.mql])[::-1][:25]
    assert np.allclose(scores, best)
    assert all(lead.reasons for lead in sample_report.top)


@pytest.mark.parametrize("columns", [
    {"email": [], "lead_source": [], "created": []},                  # header only
    {"email": [None], "lead_source": [None], "created": [None]},      # one empty row
    {"email": ["a@b.com"], "lead_source": ["Web"], "created": ["2026-01-01"]},
], ids=["header-only", "all-empty", "one-row"])
def test_weird_lists_still_make_a_report(columns):
    table = LeadTable.from_frame(pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in columns.items()}))
    model = Model(threshold=1, rules=(Rule(name="Has email", when=Condition("email", "not_empty"), points=1),))
    result = Scorer(table).score(model)
    html = render_html(build_report(table, result))
    assert all(f'id="{s}"' in html for s in SECTIONS)
    assert (result.n_mql == 0) == ("No lead qualifies" in html)

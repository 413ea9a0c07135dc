"""The audit report's shares state their denominator and agree with the header; counts are whole."""

from __future__ import annotations

import re

import pytest

from scoring.evaluate.engine import Scorer
from scoring.model.definition import Condition, Model, Rule
from scoring.reading import load_leads
from scoring.report.audit import build_report
from scoring.report.html import render_html


@pytest.fixture(scope="module")
def x_report():
    from tests.conftest import SHARED_DATA
    path = SHARED_DATA / "x_education_leads" / "Leads.csv"
    if not path.exists():
        pytest.skip("../shared/data is not beside this checkout")
    table = load_leads(path)
    model = Model(threshold=60, rules=(
        Rule(name="Long visits", group="engagement", points=40,
             when=Condition("Total Time Spent on Website", "gte", 800)),
        Rule(name="Working professional", group="fit", points=30,
             when=Condition("What is your current occupation", "eq", "Working Professional")),
        Rule(name="Many pages", group="engagement", points=20, when=Condition("TotalVisits", "gte", 5)),
        Rule(name="Do not email", kind="disqualify", when=Condition("Do Not Email", "is_true")),
    ))
    result = Scorer(table).score(model)
    report = build_report(table, result, outcome="Converted")
    return report, render_html(report)


def _rows(html: str, heading: str) -> list[list[str]]:
    part = html.split(f"<h3>{heading}</h3>", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", part, re.S)
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r, re.S)]
            for r in rows]


def test_other_thresholds_share_is_of_all_leads_and_matches_the_header(x_report):
    report, html = x_report
    assert report.n_blocked > 0                  # the case where the two denominators differ
    header, *rows = _rows(html, "Other thresholds")
    assert header[2] == f"Share of all {report.n_leads:,} leads"
    current = next(r for r in rows if r[0] == "60")
    assert current[1] == f"{report.n_mql:,}"
    assert current[2] == f"{report.n_mql / report.n_leads:.1%}"
    assert f"MQLs ({report.n_mql / report.n_leads:.1%} of all leads)" in html


def test_decile_counts_are_whole_and_add_up(x_report):
    report, html = x_report
    header, *rows = _rows(html, "Conversion by score decile")
    assert header[:4] == ["Decile (1 = best scores)", "Leads with an outcome", "Won",
                          "Conversion (won / leads)"]
    won = [r[2] for r in rows]
    assert all(re.fullmatch(r"\d{1,3}(,\d{3})*", w) for w in won), won
    assert sum(int(w.replace(",", "")) for w in won) == report.backtest.metrics.won

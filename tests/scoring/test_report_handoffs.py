"""The audit report's hand-off section, from the ledger."""

import pandas as pd

from scoring.handoff.feedback import import_feedback
from scoring.handoff.handoff import hand_off
from scoring.report.audit import build_report
from scoring.report.html import render_html
from tests.scoring.handoff_lists import WEEK_1, scored, weekly_lists


def test_the_report_gains_a_hand_off_section_when_a_ledger_exists(tmp_path):
    week1, _ = weekly_lists(tmp_path)
    table, result = scored(week1, WEEK_1)
    ledger = tmp_path / "b2b.ledger.sqlite"
    assert "Hand-offs to sales" not in render_html(build_report(table, result))
    hand_off(table, result, ledger, tmp_path / "w1.csv")
    sent = pd.read_csv(tmp_path / "w1.csv")
    import_feedback(pd.DataFrame({"id": sent["email"][:10], "s": ["Working"] * 6 + ["Rejected"] * 4,
                                  "why": [""] * 6 + ["<b>no budget</b>"] * 4}), ledger,
                    id_column="id", status_column="s", reason_column="why")
    page = render_html(build_report(table, result, ledger=ledger))
    section = page[page.index('<section id="handoffs">'):]
    assert "<h2>8. Hand-offs to sales</h2>" in section
    assert "1 hand-off recorded, the last as of 26 Oct 2026: 506 leads handed to sales" in section
    assert "sales answered for 10 (6 accepted, 4 rejected" in section
    assert "<td>2026-10</td>" in section and '<td class="num">60.0%</td>' in section
    assert "Third-party benchmarks" in section and "not measured from your data" in section
    assert "&lt;b&gt;no budget&lt;/b&gt;" in section and "<b>no budget" not in section


"""The audit report's hand-off section: what went to sales and what sales made of it, from the ledger.

:func:`read_handoffs` reads the ledger (a ledger that cannot be read becomes a note, so the rest of
the report is still written); :func:`handoff_html` renders section 8: hand-offs per month against
the rates sales reported, beside the third-party benchmarks (labelled as such), and the sources
and rules whose leads sales rejects most, with the reasons.
"""

from __future__ import annotations

import os
from html import escape
from pathlib import Path

from scoring.errors import LeadbenchError
from scoring.handoff.kpi import BENCHMARK_NOTE, BENCHMARKS, Tracking, rate_text, tracking
from scoring.handoff.ledger import Ledger

__all__ = ["read_handoffs", "handoff_html"]


def read_handoffs(ledger: str | os.PathLike | None, *, by: str = "month") -> tuple[Tracking | None, str]:
    """The ledger's KPIs (None with a note when there is no ledger or it cannot be read)."""
    if ledger is None:
        return None, ""
    path = Path(ledger)
    if not path.exists():
        return None, f"No hand-off ledger ({path.name}) yet, so hand-offs to sales are left out."
    try:
        with Ledger(path, create=False) as open_ledger:
            found = tracking(open_ledger, by=by)
    except LeadbenchError as exc:
        return None, f"The hand-off section is left out: {exc}"
    if not found.periods:
        return None, f"The ledger {path.name} holds no hand-off yet."
    return found, ""


def _e(value) -> str:
    return escape(str(value), quote=True)


def _rows_table(header: list[str], rows: list[list[str]], numeric: set[int]) -> str:
    """A table of escaped cells; ``numeric`` columns are right-aligned."""
    def cell(tag: str, i: int, text: str) -> str:
        return f'<{tag} class="num">{text}</{tag}>' if i in numeric else f"<{tag}>{text}</{tag}>"
    head = "".join(cell("th", i, h) for i, h in enumerate(header))
    body = "".join("<tr>" + "".join(cell("td", i, c) for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f'<table width="100%" cellspacing="0"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def handoff_html(found: Tracking | None, note: str, number: int = 8) -> str:
    """Section ``number`` of the report (escaped HTML); a note alone when there is nothing to show."""
    out = [f'<section id="handoffs"><h2>{number}. Hand-offs to sales</h2>']
    if found is None:
        out.append(f'<p class="note">{_e(note)}</p></section>')
        return "\n".join(out)
    total = found.total
    last = found.last_handoff
    out.append(f"<p>{total.handoffs:,} hand-off{'s' if total.handoffs != 1 else ''} recorded, the last as of "
               f"{last.day} {last:%b %Y}: {total.handed:,} leads handed to sales; sales answered for "
               f"{total.answered:,} ({total.accepted:,} accepted, {total.rejected:,} rejected, "
               f"{total.converted:,} converted, {total.won:,} won).</p>")
    rows = [[_e(p.period), f"{p.handed:,}", rate_text(p.lead_to_mql), rate_text(p.acceptance_rate),
             rate_text(p.mql_to_sql), rate_text(p.mql_to_won)] for p in [*found.periods, total]]
    rows[-1][0] = "All"
    out.append(_rows_table(["Month" if found.by == "month" else "Week", "Handed off", "Lead → MQL",
                            "Acceptance", "MQL → SQL", "MQL → won"], rows, {1, 2, 3, 4, 5}))
    out.append("<p class=\"note\">Third-party benchmarks: " + "; ".join(
        f"{_e(b.name)} {_e(b.text)}" for b in BENCHMARKS.values()) + f". {_e(BENCHMARK_NOTE)}</p>")
    for title, lines in (("Sources sales rejects most", found.by_source), ("Rules whose leads sales rejects most",
                                                                             found.by_rule)):
        answered = [q for q in lines if q.answered][:10]
        if answered:
            out.append(f"<h3>{title}</h3>")
            out.append(_rows_table(["", "Answered", "Rejected", "Most common reason"],
                                   [[_e(q.name), f"{q.answered:,}", rate_text(q.rejection_rate), _e(q.top_reason)]
                                    for q in answered], {1, 2}))
    if not any(q.answered for q in found.by_source):
        out.append('<p class="note">No sales feedback is recorded yet.</p>')
    out.append("</section>")
    return "\n".join(out)

"""Scoring speed at 1M leads x 20 rules: full score, one-rule edits, reason texts.

Run with ``python -m bench`` (all benchmarks) or ``python -m bench.bench_score``. The previous
result is kept alive between scores, as the window does, so fresh arrays cost what they cost there.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import replace
from datetime import date

from bench.common import ROWS, Target, big_csv
from scoring.evaluate.engine import Scorer
from scoring.evaluate.explain import reasons_text
from scoring.model.definition import Compound, Condition, Decay, Group, Model, Rule
from scoring.reading import load_leads

__all__ = ["main", "MODEL", "RULES", "TARGETS"]

TARGET_FULL_MS = 30
TARGET_EDIT_MS = 5
TARGETS = (Target("full_score_ms", TARGET_FULL_MS, "ms", "full re-score, 20 rules"),
           Target("one_rule_condition_edit_ms", TARGET_EDIT_MS, "ms", "one-rule edit (condition)"),
           Target("one_rule_points_edit_ms", TARGET_EDIT_MS, "ms", "one-rule edit (points)"))

RULES = (
    Rule("Senior", Condition("job_title", "contains_any", ("chief", "vp", "director")), 15),
    Rule("Manager", Condition("job_title", "contains", "manager"), 8),
    Rule("Industry", Condition("industry", "in", ("Software", "Healthcare", "Energy")), 10),
    Rule("Mid-size", Condition("employees", "between", (50, 5000)), 12),
    Rule("Enterprise", Condition("employees", "gt", 5000), 8),
    Rule("Country", Condition("country", "in", ("US", "CA", "GB", "DE")), 6),
    Rule("Partner", Condition("lead_source", "eq", "Partner"), 5),
    Rule("Referral", Condition("lead_source", "eq", "Referral"), 7),
    Rule("Paid", Condition("lead_source", "eq", "Paid Search"), -3),
    Rule("Demo", Condition("demo_requested", "is_true"), 30, group="engagement",
         decay=Decay("last_activity", 90)),
    Rule("Webinar", Condition("webinar_attended", "is_true"), 12, group="engagement"),
    Rule("Download", Condition("whitepaper_download", "is_true"), 8, group="engagement"),
    Rule("Views", Condition("page_views", "gte", 10), 10, group="engagement"),
    Rule("Clicks", Condition("email_clicks", "gte", 3), 5, group="engagement"),
    Rule("Recent", Condition("last_activity", "within_days", 30), 10, group="engagement"),
    Rule("New", Condition("created_date", "within_days", 90), 4, group="engagement"),
    Rule("Engaged+fit", Compound("all", (Condition("page_views", "gte", 5),
                                         Condition("industry", "eq", "Software"))), 6),
    Rule("Stage", Condition("lifecycle_stage", "in", ("MQL", "SQL")), 5, group="engagement"),
    Rule("Has email", Condition("email", "not_empty"), kind="require"),
    Rule("Student", Condition("job_title", "contains_any", ("student", "intern")), kind="disqualify"),
)
MODEL = Model("bench", 50, (Group("fit", 60), Group("engagement")), RULES)


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def main(rows: int = ROWS) -> dict:
    """Print the scoring figures next to their targets and return them (milliseconds)."""
    table = load_leads(big_csv(rows))
    scorer = Scorer(table, as_of=date(2026, 11, 1))
    held = []                                   # the window holds the result on screen

    def score(model):
        held[:] = [scorer.score(model)]

    first_ms = _timed(lambda: score(MODEL))

    def cold():
        scorer.clear_cache()                   # prepared columns stay; masks, sums, decay go
        score(MODEL)

    full = [_timed(cold) for _ in range(7)]
    unchanged = [_timed(lambda: score(MODEL)) for _ in range(7)]
    condition_edits = [MODEL.with_rule(3, replace(RULES[3], when=Condition(
        "employees", "between", (50, n)))) for n in range(6000, 6012)]
    points_edits = [MODEL.with_rule(10, replace(RULES[10], points=p)) for p in range(13, 25)]
    score(MODEL)
    condition_ms = [_timed(lambda m=m: score(m)) for m in condition_edits]
    score(MODEL)
    points_ms = [_timed(lambda m=m: score(m)) for m in points_edits]
    result = held[0]
    reasons_ms = _timed(lambda: reasons_text(result))
    out = {
        "rows": table.n_rows, "rules": len(RULES), "first_score_ms": first_ms,
        "full_score_ms": statistics.median(full), "full_score_best_ms": min(full),
        "unchanged_rescore_ms": statistics.median(unchanged),
        "one_rule_condition_edit_ms": statistics.median(condition_ms),
        "one_rule_points_edit_ms": statistics.median(points_ms),
        "reasons_text_ms": reasons_ms,
    }
    print(f"{table.n_rows:,} leads x {len(RULES)} rules (medians; best full score "
          f"{min(full):.1f} ms)")
    print(f"  first score, preparing columns  {first_ms:7.1f} ms")
    print(f"  full score, masks not cached    {out['full_score_ms']:7.1f} ms   "
          f"(target <= {TARGET_FULL_MS})")
    print(f"  unchanged model re-scored       {out['unchanged_rescore_ms']:7.1f} ms")
    print(f"  one-rule edit (condition)       {out['one_rule_condition_edit_ms']:7.1f} ms   "
          f"(target <= {TARGET_EDIT_MS})")
    print(f"  one-rule edit (points)          {out['one_rule_points_edit_ms']:7.1f} ms   "
          f"(target <= {TARGET_EDIT_MS})")
    print(f"  reason texts for every lead     {reasons_ms:7.1f} ms")
    return out


if __name__ == "__main__":
    main()

"""Model comparison speed at 1M leads, once both scores exist.

Two comparisons: a threshold change (tens of thousands of leads leave MQL status) and a wider
edit (threshold, points, a new gate: several hundred thousand changed leads). Each comparison
prepares the source column itself (as ``leadbench compare`` does) and, separately, with the
source prepared once (as the window has it).

Target: a comparison well under a second (<= 500 ms, source preparation included).
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date

from bench.bench_score import MODEL
from bench.common import Target, best_of, big_csv
from scoring.evaluate.engine import Scorer
from scoring.handoff.compare import compare_results
from scoring.insight.analytics import prepare_category
from scoring.model.definition import Condition, Rule
from scoring.reading import load_leads

__all__ = ["main", "TARGETS", "TARGET_MS"]

TARGET_MS = 500
TARGETS = tuple(Target(f"{k}_compare_prepared_ms", TARGET_MS, "ms", f"compare after a {k} change") for k in ("threshold", "edit"))


def main() -> dict:
    table = load_leads(big_csv())
    scorer = Scorer(table, as_of=date(2026, 11, 1))
    old = scorer.score(MODEL)
    raised = scorer.score(MODEL.with_threshold(60))
    edited_model = MODEL.with_threshold(45).with_rules(
        (replace(MODEL.rules[0], points=25), *MODEL.rules[1:],
         Rule("No partners", Condition("lead_source", "eq", "Partner"), kind="disqualify")))
    edited = scorer.score(edited_model)

    start = time.perf_counter()
    source = prepare_category(table.frame["lead_source"], merge_variants=True)
    prepare_ms = (time.perf_counter() - start) * 1000
    out = {"rows": table.n_rows, "prepare_source_ms": prepare_ms}
    for label, new in (("threshold", raised), ("edit", edited)):
        comparison = compare_results(table, old, new, source=source)
        full = best_of(lambda n=new: compare_results(table, old, n)) * 1000
        prepared = best_of(lambda n=new: compare_results(table, old, n, source=source)) * 1000
        out[f"{label}_compare_prepared_ms"] = prepared
        out[label] = {"changed": comparison.n_changed, "entered": comparison.entered,
                      "left": comparison.left, "compare_ms": full, "compare_prepared_ms": prepared}
        print(f"1M leads, {label}: {comparison.n_changed:,} changed ({comparison.entered:,} enter, "
              f"{comparison.left:,} leave); compare {full:.0f} ms with source preparation, "
              f"{prepared:.0f} ms with the source prepared (target <= {TARGET_MS})")
    return out


if __name__ == "__main__":
    main()

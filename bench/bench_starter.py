"""The suggested starting model against a logistic regression on the same columns.

For each public lead list with an outcome (X Education's ``Converted``, the UCI bank marketing
``y``), ``suggest_starting_model`` fits its small rule model on 70% of the leads and reports the
ROC AUC on the other 30%. A scikit-learn logistic regression is fitted on the same leads and the
same columns (categories one-hot with empty cells as a value of their own, numbers standardised
with the fitted leads' median filling empty cells plus an "is empty" flag) and measured on the same
held-out leads.

Goal: the rule model's held-out AUC within 0.02 of the logistic regression's. scikit-learn is a
test extra: this benchmark needs it, the program does not. Also timed: the starting model from
the generated list of ``ROWS`` leads (a million; 200,000 with ``--quick``).
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd

from bench.common import ROWS, Target, big_csv
from scoring.column_types import ColumnType
from scoring.insight.backtest import roc_auc
from scoring.insight.outcome import outcome_to_bool
from scoring.insight.starter import suggest_starting_model
from scoring.reading import load_leads

__all__ = ["main", "GOAL", "LISTS", "TARGETS", "logistic_auc"]

GOAL = 0.02
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"     # beside the checkout
#: (name, file, outcome column, placeholders that mean empty)
LISTS = (
    ("X Education", DATA / "x_education_leads" / "Leads.csv", "Converted", ("Select",)),
    ("UCI bank marketing", DATA / "uci_bank_marketing" / "bank-additional-full.csv", "y", ()),
)
#: the logistic regression's held-out AUC minus the rule model's, per list
TARGETS = tuple(Target(f"{name.lower().replace(' ', '_')}_auc_gap", GOAL, "AUC",
                       f"{name}: AUC below a logistic regression") for name, *_rest in LISTS) + (
    Target("generated_starter_s", 10.0, "s", f"starting model from {ROWS:,} generated leads"),)


def _design(table, columns, fit_rows: np.ndarray) -> np.ndarray:
    parts = []
    for column in columns:
        series = table.frame[column]
        ctype = ColumnType(table.types[column])
        if ctype.is_numeric and ctype != ColumnType.BOOLEAN:
            values = pd.to_numeric(series, errors="coerce").to_numpy(np.float64, na_value=np.nan)
            empty = ~np.isfinite(values)
            fitted = values[fit_rows & ~empty]
            values = np.where(empty, np.median(fitted), values)
            spread = fitted.std() or 1.0
            parts.append(((values - fitted.mean()) / spread)[:, None])
            if empty.any():
                parts.append(empty[:, None].astype(float))
        else:
            text = series.astype(object).where(series.notna(), "(empty)").astype(str)
            seen = pd.unique(text[fit_rows])
            parts.append((text.to_numpy()[:, None] == np.asarray(seen)[None, :]).astype(float))
    return np.hstack(parts)


def logistic_auc(table, columns, won, known, fit_rows) -> float:
    """Held-out ROC AUC of scikit-learn's logistic regression on ``columns``, fitted on
    ``fit_rows`` (settled leads) and measured on the other settled leads."""
    from sklearn.linear_model import LogisticRegression   # a test extra, for this benchmark only

    x = _design(table, columns, fit_rows)
    train, test = fit_rows & known, ~fit_rows & known
    model = LogisticRegression(C=1.0, max_iter=2000).fit(x[train], won[train])
    p = model.predict_proba(x[test])[:, 1]
    return roc_auc(p, won[test])


def main() -> dict:
    out = {}
    for name, path, outcome, missing in LISTS:
        if not path.exists():
            print(f"{name}: {path} not found, skipped")
            continue
        table = load_leads(path, missing_values=missing)
        start = time.perf_counter()
        starter = suggest_starting_model(table, outcome)
        seconds = time.perf_counter() - start
        won, known = outcome_to_bool(table.frame[outcome], starter.won_values)
        reference = logistic_auc(table, starter.columns, won, known, starter.fit_rows)
        every = [c for c in starter.columns] + [c.column for c in starter.left_out
                                                 if c.reason.startswith("adds too little")]
        wider = logistic_auc(table, every, won, known, starter.fit_rows)
        auc = starter.held_out.auc
        slug = name.lower().replace(" ", "_")
        out.update({f"{slug}_rules": len(starter.model.rules), f"{slug}_columns": len(starter.columns),
                    f"{slug}_held_out_auc": round(auc, 4), f"{slug}_logistic_auc": round(reference, 4),
                    f"{slug}_logistic_auc_all_screened_columns": round(wider, 4),
                    f"{slug}_auc_gap": round(reference - auc, 4), f"{slug}_seconds": round(seconds, 2)})
        print(f"{name}: {len(starter.model.rules)} rules on {len(starter.columns)} columns, held-out "
              f"AUC {auc:.3f}; logistic regression on the same columns {reference:.3f} "
              f"(gap {reference - auc:+.3f}, goal <= {GOAL}); on every screened column {wider:.3f}; "
              f"{seconds:.2f} s")
    table = load_leads(big_csv())
    start = time.perf_counter()
    starter = suggest_starting_model(table, "converted")
    out["generated_starter_s"] = round(time.perf_counter() - start, 2)
    print(f"{table.n_rows:,} generated leads: {len(starter.model.rules)} rules, held-out AUC "
          f"{starter.held_out.auc:.3f}, {out['generated_starter_s']:.1f} s")
    return out


if __name__ == "__main__":
    main()

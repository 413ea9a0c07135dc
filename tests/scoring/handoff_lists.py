"""Growing weekly lead lists for the hand-off tests: week 1 is the sample's first 3,000 leads,
week 2 all 5,000 (the first 3,000 again plus 2,000 new ones)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from scoring.evaluate.engine import Scorer
from scoring.model.model_file import load_model
from scoring.reading import load_leads
from tests.conftest import ROOT, SAMPLE

MODEL = ROOT / "resources" / "models" / "b2b_saas.json"
WEEK_1, WEEK_2 = date(2026, 10, 26), date(2026, 11, 2)


def weekly_lists(folder: Path) -> tuple[Path, Path]:
    """Write week 1 (3,000 leads) and week 2 (5,000 leads) into ``folder``."""
    full = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
    first, second = folder / "leads_week1.csv", folder / "leads_week2.csv"
    full.iloc[:3000].to_csv(first, index=False)
    full.to_csv(second, index=False)
    return first, second


def scored(path: Path, as_of: date, model=None):
    model = model or load_model(MODEL)
    table = load_leads(path)
    return table, Scorer(table, as_of=as_of).score(model)

"""One way to write a cell value as text, so a value reads the same everywhere.

The lead table, the explanation panel, the outcome list, the audit report and the CSV of a chart
all show a yes/no value as "Yes"/"No" (never "True"/"False" or "1.0"), a whole number without
".0", a date as ``2026-10-06`` (with the time only when it has one), and a missing value as "".
Part of the shared floor: imports nothing of Leadbench.
"""

from __future__ import annotations

import math
from datetime import date, datetime

import numpy as np
import pandas as pd

__all__ = ["value_text"]


def value_text(value) -> str:
    """``value`` (a cell of a typed lead list) as the window and the files show it."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "Yes" if value else "No"
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return ""
        if math.isfinite(value) and float(value).is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(float(value), ".15g")
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (pd.Timestamp, datetime)):
        stamp = pd.Timestamp(value)
        return stamp.strftime("%Y-%m-%d") if stamp == stamp.normalize() else stamp.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)

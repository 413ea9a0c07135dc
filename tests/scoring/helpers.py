"""Small builders shared by the engine tests."""

from __future__ import annotations

import pandas as pd

from scoring.reading import LeadTable


def table_of(columns: dict) -> LeadTable:
    """A LeadTable typed from plain Python values, as if read from a file."""
    return LeadTable.from_frame(pd.DataFrame(columns))

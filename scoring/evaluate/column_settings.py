"""A model's column settings applied to a lead table: number marks, then type overrides and
date formats (``LeadTable.apply_settings``).

The window (``app.document``) and every command (``app.cli``) derive the table a model scores
through :func:`apply_column_settings`, so a setting means the same everywhere.
"""

from __future__ import annotations

from scoring.model.definition import Model
from scoring.reading import LeadTable

__all__ = ["apply_column_settings"]


def apply_column_settings(table: LeadTable, model: Model) -> LeadTable:
    """``table`` with ``model``'s column settings applied (missing-value markers are the caller's).

    A column with a decimal or thousands mark set is read again as numbers with those marks; a
    type override or a date format then converts the column from its original texts
    (``LeadTable.apply_settings``). Columns the table lacks are
    skipped (``validate_model`` names them); unchanged columns are shared, not copied.
    """
    for column, settings in model.columns:
        if column in table.types and (settings.decimal_mark is not None or settings.thousands_mark is not None):
            table = table.with_number_marks(column, settings.decimal_mark, settings.thousands_mark)
    return table.apply_settings((c, s.type, s.format) for c, s in model.columns)

"""Column types and column tags: the vocabulary shared by the loader, the model and the window."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["ColumnType", "ColumnTag", "DEFAULT_MISSING_MARKERS"]


class ColumnType(StrEnum):
    """The type Leadbench gives a column; decides its pandas dtype and which operators apply.

    pandas dtypes in ``LeadTable.frame``:
    INTEGER -> "Int64", NUMBER -> "float64", BOOLEAN -> "boolean", DATE and DATETIME ->
    "datetime64[ns]" (NaT for missing), CATEGORY -> "category" (string categories),
    TEXT and EMAIL -> "str" (pandas' default string dtype, NaN for missing).
    """

    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"
    DATE = "date"
    DATETIME = "datetime"
    CATEGORY = "category"
    TEXT = "text"
    EMAIL = "email"

    @property
    def is_numeric(self) -> bool:
        return self in (ColumnType.INTEGER, ColumnType.NUMBER)

    @property
    def is_temporal(self) -> bool:
        return self in (ColumnType.DATE, ColumnType.DATETIME)

    @property
    def is_textual(self) -> bool:
        return self in (ColumnType.CATEGORY, ColumnType.TEXT, ColumnType.EMAIL)


class ColumnTag(StrEnum):
    """What a column means to the analysis; at most one column per tag."""

    SOURCE = "source"        # lead source / channel
    OUTCOME = "outcome"      # won / converted
    CREATED = "created"      # lead creation date
    EMAIL = "email"          # contact email
    STAGE = "stage"          # lifecycle stage / status
    AMOUNT = "amount"        # deal value
    ID = "id"                # the lead's identifier (Prospect ID, Lead Number, opportunity_id)


#: Cell values that mean "no value" in every file (compared case-insensitively, after stripping).
DEFAULT_MISSING_MARKERS: tuple[str, ...] = ("", "na", "n/a", "null", "none", "nan", "#n/a")

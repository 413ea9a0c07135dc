"""Which lead is which: the id the ledger and sales feedback know a lead by.

A lead's identity is, in order: the column named by the caller (``--id``), the column the model
tags ``id``, a column whose header says it is an id (``Lead ID``, ``Prospect ID``, ``Record ID``,
``crm_id``) and whose values are filled and never repeated (see
:func:`scoring.handoff.export.lead_id_column`), else the normalised email address (the tagged
email column, or one whose header or type says email). A list with none of these cannot be
handed off: :func:`lead_ids` refuses it with a sentence saying how to tag one.

Ids are the cell texts as the file holds them with outer spaces trimmed (case kept: CRM ids such
as Salesforce's are case-sensitive); emails are trimmed and case-folded (:mod:`scoring.emails`).
Empty cells and missing-value markers have no id.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from scoring.column_types import ColumnTag, ColumnType
from scoring.emails import normalise_emails
from scoring.errors import LeadbenchError
from scoring.handoff.export import lead_id_column
from scoring.reading.column_typing import missing_set
from scoring.reading.tagging import guess_tags

__all__ = ["LeadIds", "lead_ids", "identity_column", "normalise_ids", "ID", "EMAIL"]

ID = "id"
EMAIL = "email"


@dataclass(frozen=True)
class LeadIds:
    """The id of every lead of a list.

    Attributes
    ----------
    column : the column the ids come from
    kind : ``"id"`` (an id column) or ``"email"`` (normalised email addresses)
    values : one text per lead (a ``str`` Series, missing where the lead has none)
    """

    column: str
    kind: str
    values: pd.Series

    @property
    def missing(self) -> np.ndarray:
        return self.values.isna().to_numpy()

    @property
    def described(self) -> str:
        """How leads are told apart, in words: "the id column 'Prospect ID'"."""
        if self.kind == EMAIL:
            return f"the email address in '{self.column}'"
        return f"the id column '{self.column}'"


def _email_column(table, model) -> str | None:
    columns = list(table.frame.columns)
    tagged = model.tagged(ColumnTag.EMAIL) if model is not None else None
    if tagged in columns:
        return tagged
    guessed = guess_tags(columns, table.types).get(str(ColumnTag.EMAIL))
    if guessed is not None:
        return guessed
    return next((c for c in columns if table.types.get(c) == ColumnType.EMAIL), None)


def identity_column(table, model=None, column: str | None = None) -> tuple[str, str]:
    """The column that identifies leads and its kind (``"id"`` or ``"email"``).

    Raises
    ------
    LeadbenchError
        ``column`` is not in the list, or nothing identifies a lead.
    """
    columns = list(table.frame.columns)
    name = Path(table.source).name if getattr(table, "source", None) else "this lead list"
    if column is not None:
        if column not in columns:
            raise LeadbenchError(f"{name} has no column '{column}' to identify leads by; "
                                 "name one of its columns.")
        kind = EMAIL if table.types.get(column) == ColumnType.EMAIL or column == _email_column(table, model) \
            else ID
        return column, kind
    identifier = lead_id_column(table, model)     # tagged, else guessed from header and values
    if identifier is not None:
        return identifier, ID
    email = _email_column(table, model)
    if email is not None:
        return email, EMAIL
    raise LeadbenchError(f"Cannot tell the leads of {name} apart: it has no id column and no email "
                         "column. Tag the column that holds each lead's id as 'Lead id' in Columns "
                         "(on the command line: --id COLUMN), or add the leads' email addresses.")


def normalise_ids(values, kind: str = ID, markers=()) -> pd.Series:
    """Ids as the ledger keeps them: trimmed texts (emails also case-folded); empty cells and
    missing-value ``markers`` become missing."""
    if kind == EMAIL:
        return normalise_emails(values)
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        arrow = values
    else:
        series = pd.Series(values, dtype=object).reset_index(drop=True)
        series = series.map(_plain_text, na_action="ignore")
        arrow = pa.array(series.astype("str"), from_pandas=True)
    arrow = pc.utf8_trim_whitespace(arrow.cast(pa.string()))
    folded = pc.utf8_lower(arrow)
    empty = pc.fill_null(pc.is_in(folded, value_set=missing_set(tuple(markers))), True)
    cleaned = pc.if_else(empty, pa.nulls(len(arrow), pa.string()), arrow)
    if isinstance(cleaned, pa.ChunkedArray):
        cleaned = cleaned.combine_chunks()
    return pd.Series(cleaned.to_numpy(zero_copy_only=False), dtype="str")


def _plain_text(value) -> str:
    """A cell as text: whole numbers without ".0" (an id read as 1234.0 is "1234")."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def lead_ids(table, model=None, column: str | None = None) -> LeadIds:
    """The id of every lead of ``table`` (see the module docstring for where it comes from).

    Raises
    ------
    LeadbenchError
        When nothing identifies a lead (the message says how to tag a column).
    """
    column, kind = identity_column(table, model, column)
    raw = getattr(table, "raw", None)
    if kind == ID and raw is not None and str(column) in raw.column_names and raw.num_rows == table.n_rows:
        values = raw.column(str(column))
    else:
        values = table.frame[column]
    markers = tuple(getattr(table, "missing_values", ()))
    if kind == EMAIL and isinstance(values, (pa.Array, pa.ChunkedArray)):
        values = values.to_pandas()
    return LeadIds(str(column), kind, normalise_ids(values, kind, markers))

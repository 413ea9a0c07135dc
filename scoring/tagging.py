"""Guessing which columns mean source, outcome, created date, email, stage and amount, from the
headers that common CRM and marketing exports use (HubSpot, Salesforce, Marketo, Pipedrive,
Mautic, Zoho)."""

from __future__ import annotations

import re
from typing import Mapping, Sequence

from scoring.column_types import ColumnTag, ColumnType

__all__ = ["guess_tags", "HEADER_HINTS"]

#: Per tag, normalised header names in order of preference.
HEADER_HINTS: dict[str, list[str]] = {
    ColumnTag.SOURCE: ["leadsource", "originalsource", "source", "channel", "utmsource",
                       "sourcechannel", "acquisitionchannel", "lead_origin", "leadorigin",
                       "howdidyouhearaboutus", "contact"],
    ColumnTag.OUTCOME: ["converted", "isconverted", "won", "iswon", "outcome", "closedwon", "y",
                        "convertedtocustomer", "dealwon"],
    ColumnTag.CREATED: ["createdate", "createddate", "createdat", "datecreated", "created",
                        "createdon", "leadcreateddate", "firstseen", "engagedate", "signupdate"],
    ColumnTag.EMAIL: ["email", "emailaddress", "e-mail", "mail", "workemail", "contactemail"],
    ColumnTag.STAGE: ["lifecyclestage", "leadstatus", "status", "stage", "dealstage", "leadstage",
                      "pipelinestage"],
    ColumnTag.AMOUNT: ["amount", "dealamount", "closevalue", "revenue", "dealvalue", "value",
                       "opportunityamount"],
}
_ALLOWED = {
    ColumnTag.CREATED: lambda t: t is None or ColumnType(t).is_temporal,
    ColumnTag.EMAIL: lambda t: t is None or ColumnType(t) in (ColumnType.EMAIL, ColumnType.TEXT),
    ColumnTag.AMOUNT: lambda t: t is None or ColumnType(t).is_numeric,
    ColumnTag.OUTCOME: lambda t: t is None or ColumnType(t) in (ColumnType.BOOLEAN, ColumnType.CATEGORY,
                                                                ColumnType.INTEGER),
}


def _normalise(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.casefold())


def guess_tags(columns: Sequence[str], types: Mapping[str, ColumnType] | None = None) -> dict[str, str]:
    """Tag -> column for the tags whose header is recognised (one column per tag and tag per column)."""
    types = types or {}
    by_key: dict[str, str] = {}
    for column in columns:
        by_key.setdefault(_normalise(str(column)), column)
    taken: set[str] = set()
    out: dict[str, str] = {}
    for tag, hints in HEADER_HINTS.items():
        allowed = _ALLOWED.get(tag, lambda _t: True)
        for hint in hints:
            column = by_key.get(_normalise(hint))
            if column is not None and column not in taken and allowed(types.get(column)):
                out[str(tag)] = column
                taken.add(column)
                break
    return out

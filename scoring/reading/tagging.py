"""Guessing which columns mean source, outcome, created date, email, stage and amount.

Lead lists exported from CRMs and marketing tools (HubSpot, Salesforce, Marketo, Pipedrive,
Mautic, Zoho, ...) name these columns in a handful of ways: ``Lead Source``, ``LeadSource``,
``lead_source``, ``hs_analytics_source``, ``Deal - Value``, ``Lead_Source__c``. Headers are
normalised (case, spaces, underscores, punctuation, entity prefixes such as Pipedrive's
``Deal - ``, Salesforce's ``__c`` suffix) and compared with a priority list per tag. Only whole
names match, so ``poutcome`` is not an outcome and ``Annual Revenue`` is not a deal amount.
The column types, when given, veto impossible guesses: a created date must be a date, an
amount a number, an email a text column.
"""

from __future__ import annotations

import re
import weakref
from typing import Callable, Mapping, Sequence

import pandas as pd

from scoring.column_types import ColumnTag, ColumnType

__all__ = ["guess_tags", "guess_id_column", "normalise_header", "HEADER_HINTS", "ID_HINTS"]

#: Per tag, normalised header names, most telling first.
HEADER_HINTS: dict[ColumnTag, tuple[str, ...]] = {
    ColumnTag.OUTCOME: ("converted", "isconverted", "won", "iswon", "closedwon", "dealwon",
                        "outcome", "convertedtocustomer", "becamecustomer", "conversion", "y"),
    ColumnTag.EMAIL: ("email", "emailaddress", "workemail", "businessemail", "contactemail",
                      "personemail", "primaryemail", "emailwork", "useremail", "mail"),
    ColumnTag.CREATED: ("createdate", "createddate", "createdat", "datecreated", "createdon",
                        "createdtime", "leadcreateddate", "leadcreated", "dealcreated", "created",
                        "dateadded", "signupdate", "firstseen", "engagedate",
                        # form and ad-platform exports: when the lead was submitted or opted in
                        "submittedat", "datesubmitted", "submitdate", "submissiondate", "submittime",
                        "leadsubmittime", "optintime"),
    ColumnTag.AMOUNT: ("amount", "dealamount", "dealvalue", "closevalue", "opportunityamount",
                       "expectedrevenue", "revenue", "value"),
    ColumnTag.SOURCE: ("leadsource", "originalsource", "hsanalyticssource", "source", "sourcechannel",
                       "acquisitionchannel", "channel", "utmsource", "personsource", "leadchannel",
                       "marketingchannel", "contact"),
    ColumnTag.STAGE: ("lifecyclestage", "dealstage", "leadstage", "stage", "pipelinestage",
                      "leadstatus", "hsleadstatus", "status"),
}

#: Prefixes naming the record a field belongs to (Pipedrive "Deal - Value", HubSpot "Contact: ...").
_ENTITY_PREFIX = re.compile(r"^\s*(deal|person|lead|organi[sz]ation|contact|opportunity|account)"
                            r"\s*[-:.>]\s*", re.IGNORECASE)
#: Salesforce custom field suffix ("Lead_Source__c").
_CUSTOM_SUFFIX = re.compile(r"__c\s*$", re.IGNORECASE)
#: A time zone named after a date header (Typeform's "Submit Date (UTC)").
_ZONE_SUFFIX = re.compile(r"\s*\((utc|gmt)\)\s*$", re.IGNORECASE)


def _textual(t: ColumnType) -> bool:
    return t.is_textual


#: Which column types each tag accepts, when types are known.
_ALLOWED: dict[ColumnTag, Callable[[ColumnType], bool]] = {
    ColumnTag.CREATED: lambda t: t.is_temporal,
    ColumnTag.EMAIL: lambda t: t in (ColumnType.EMAIL, ColumnType.TEXT),
    ColumnTag.AMOUNT: lambda t: t.is_numeric,
    ColumnTag.OUTCOME: lambda t: t in (ColumnType.BOOLEAN, ColumnType.CATEGORY, ColumnType.INTEGER,
                                       ColumnType.TEXT),
    ColumnTag.SOURCE: _textual,
    ColumnTag.STAGE: _textual,
}


def normalise_header(header: str) -> str:
    """A header reduced to lower-case letters and digits: ``"Lead Source"`` -> ``"leadsource"``.

    Entity prefixes (``"Deal - "``, ``"Person - "``) and Salesforce's ``__c`` suffix are dropped
    first, so ``"Deal - Value"`` -> ``"value"`` and ``"Lead_Source__c"`` -> ``"leadsource"``.
    A header that is nothing but a prefix keeps its words (``"Lead - "`` -> ``"lead"``).
    """
    text = _ZONE_SUFFIX.sub("", _CUSTOM_SUFFIX.sub("", str(header)))
    stripped = _ENTITY_PREFIX.sub("", text, count=1)
    key = re.sub(r"[^0-9a-z]", "", stripped.casefold())
    return key or re.sub(r"[^0-9a-z]", "", text.casefold())


def guess_tags(columns: Sequence[str], types: Mapping[str, ColumnType] | None = None) -> dict[str, str]:
    """Guess which columns carry each :class:`~scoring.column_types.ColumnTag`.

    Parameters
    ----------
    columns
        The headers of the lead list, in file order.
    types
        Column types, when known. A guess whose type cannot carry the tag is dropped (a text
        ``Created`` column is not a created date). Columns missing from ``types`` are not vetoed.

    Returns
    -------
    dict[str, str]
        Tag value (``"source"``, ``"outcome"``, ...) -> column name, for the tags recognised.
        Each tag goes to at most one column and each column gets at most one tag: the most
        telling match across all tags is assigned first (``Lifecycle Stage`` beats ``Status``),
        and among equally telling headers the first in the file wins.
    """
    types = types or {}
    candidates: list[tuple[int, int, int, ColumnTag, str]] = []
    tag_order = {tag: i for i, tag in enumerate(HEADER_HINTS)}
    for position, column in enumerate(columns):
        key = normalise_header(column)
        known = types.get(column)
        for tag, hints in HEADER_HINTS.items():
            if key not in hints:
                continue
            if known is not None and not _ALLOWED[tag](ColumnType(known)):
                continue
            candidates.append((hints.index(key), tag_order[tag], position, tag, column))
    out: dict[str, str] = {}
    taken: set[str] = set()
    for _rank, _order, _position, tag, column in sorted(candidates, key=lambda c: c[:3]):
        if str(tag) in out or column in taken:
            continue
        out[str(tag)] = column
        taken.add(column)
    if str(ColumnTag.EMAIL) not in out:
        # a form question such as "What's your work email?": a column of addresses naming email
        for column in columns:
            if column not in taken and types.get(column) == ColumnType.EMAIL and "email" in \
                    normalise_header(column):
                out[str(ColumnTag.EMAIL)] = column
                break
    return out


#: Normalised headers of a lead's identifier, most telling first; any other header ending in the
#: word "id" ("sfdc_id", "External ID", "HubspotId") is a weaker candidate.
ID_HINTS: tuple[str, ...] = ("leadid", "prospectid", "leadnumber", "contactid", "personid", "opportunityid",
                             "dealid", "recordid", "customerid", "hsobjectid", "recordnumber", "leadno",
                             "id", "uuid", "guid")
_ID_SUFFIX = re.compile(r"(?:^|[\s_\-.:#])(?i:id)\s*$|[a-z](?:Id|ID)\s*$")
#: An identifier is filled in at least this share of rows (and unique where filled).
_ID_MIN_FILLED = 0.9
_ID_TYPES = (ColumnType.INTEGER, ColumnType.TEXT, ColumnType.CATEGORY)
#: id(frame) -> (its headers, the answer); an entry leaves with its frame.
_id_cache: dict[int, tuple[tuple[str, ...], str | None]] = {}


def guess_id_column(frame: pd.DataFrame, types: Mapping[str, ColumnType] | None = None) -> str | None:
    """The column that identifies each lead, from its header and its values; None when none does.

    A candidate's header names an identifier (``Prospect ID``, ``Lead Number``, ``opportunity_id``,
    ``Id``; :data:`ID_HINTS` first, then any header ending in the word "id"); its values are
    whole numbers or texts, filled in at least 90% of the rows and never repeated. Among
    candidates the most telling header wins, then the first in the file. The answer for a frame
    is remembered (the frame's values do not change once loaded).
    """
    key = tuple(map(str, frame.columns))
    cached = _id_cache.get(id(frame))
    if cached is not None and cached[0] == key:
        return cached[1]
    types = types or {}
    candidates = []
    for position, column in enumerate(frame.columns):
        name = normalise_header(column)
        if name in ID_HINTS:
            rank = ID_HINTS.index(name)
        elif _ID_SUFFIX.search(str(column)):
            rank = len(ID_HINTS)
        else:
            continue
        if column in types and ColumnType(types[column]) not in _ID_TYPES:
            continue
        candidates.append((rank, position, column))
    found = None
    for _rank, _position, column in sorted(candidates):
        if _identifies(frame[column]):
            found = column
            break
    if id(frame) not in _id_cache:
        weakref.finalize(frame, _id_cache.pop, id(frame), None)
    _id_cache[id(frame)] = (key, found)
    return found


def _identifies(values: pd.Series) -> bool:
    if values.empty:
        return True                    # a header-only list: the name decides
    filled = values.dropna()
    if len(filled) < _ID_MIN_FILLED * len(values):
        return False
    return bool(filled.is_unique)

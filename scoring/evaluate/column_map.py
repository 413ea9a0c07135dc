"""Models that move between lists: a model's columns mapped onto another list's columns.

A model made for one client's export names columns the next client's export calls something
else (``job_title`` is ``Title`` here, ``lead_source`` is ``Original Source``).
:func:`propose_mapping` ranks, for each model column the list lacks, the list's columns by

- **name likeness**: the same name once case, spaces, underscores and punctuation are ignored
  (and CRM prefixes such as "Deal - " or Salesforce's ``__c``); the same meaning in common CRM
  exports (:data:`SYNONYMS`: Title / Job Title / Position, Lead Source / Original Source /
  Channel / Origin, ...); else how alike the two names read;
- **type**: a column the model's conditions cannot run on (a "within N days" rule on a text
  column) is no candidate at all;
- **values**: how many of the rules' values ("VP", "Google", "US") occur in the column.

:func:`auto_mapping` takes each best candidate when it is clear, never maps two model columns to
one list column, and otherwise refuses with the candidates in a sentence.
:func:`apply_mapping` renames the columns in a model's rules, decay and column settings; the
mapping itself is kept with the list (the window's settings, ``--map`` on the command line), so
the model stays portable.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from scoring.column_types import ColumnType
from scoring.errors import LeadbenchError, ModelError
from scoring.model.definition import Compound, Model, Predicate
from scoring.model.model_file import check_condition, predicate_conditions
from scoring.reading.tagging import normalise_header

__all__ = ["Candidate", "ColumnProposal", "SYNONYMS", "model_columns", "tagged_columns", "missing_columns",
           "propose_mapping", "auto_mapping", "apply_mapping", "check_mapping", "CONFIDENT"]

#: Normalised header names that mean the same thing in common CRM and marketing exports.
SYNONYMS: tuple[frozenset[str], ...] = tuple(frozenset(group) for group in (
    {"title", "jobtitle", "position", "role", "jobrole", "designation", "jobposition", "jobfunction"},
    {"leadsource", "source", "originalsource", "channel", "origin", "leadorigin", "hsanalyticssource",
     "utmsource", "acquisitionchannel", "sourcechannel", "marketingchannel", "leadchannel",
     "sourceoflead", "howdidyouhearaboutus"},
    {"company", "companyname", "account", "accountname", "organization", "organisation",
     "organizationname", "organisationname", "employer", "business"},
    {"email", "emailaddress", "workemail", "businessemail", "mail", "contactemail", "primaryemail"},
    {"country", "countryregion", "countryname", "nation", "billingcountry", "mailingcountry"},
    {"industry", "sector", "vertical", "industrysector"},
    {"employees", "numberofemployees", "companysize", "employeecount", "headcount",
     "noofemployees", "numemployees", "size", "employeesize"},
    {"phone", "phonenumber", "mobile", "mobilephone", "telephone", "mobilenumber"},
    {"createddate", "createdate", "createdat", "datecreated", "created", "createdon", "leadcreated"},
    {"lastactivity", "lastactivitydate", "lastactivityat", "lastengagement", "lastengagementdate",
     "lasttouch", "lastseen", "lastcontacted"},
    {"pageviews", "pagesviewed", "numberofpageviews", "totalpageviews", "hsanalyticsnumpageviews",
     "views"},
    {"visits", "totalvisits", "numberofvisits", "sessions", "hsanalyticsnumvisits", "websitevisits"},
    {"demorequested", "requesteddemo", "demo", "askedforademo", "demorequest"},
    {"webinarattended", "attendedwebinar", "webinar"},
    {"converted", "isconverted", "won", "iswon", "outcome", "closedwon"},
    {"lifecyclestage", "stage", "leadstage", "dealstage", "leadstatus", "status"},
    {"firstname", "givenname", "forename"},
    {"lastname", "surname", "familyname"},
    {"city", "town", "mailingcity", "billingcity"},
    {"state", "region", "province", "stateprovince", "stateregion"},
    {"annualrevenue", "revenue", "companyrevenue"},
    {"emailclicks", "clicks", "emailclickcount"},
))

#: A best candidate at least this good (0..1), clearly ahead of the next, is mapped by ``auto``.
CONFIDENT = 0.6
_AHEAD = 0.15
_TEXT_OPS = {"eq", "ne", "in", "not_in", "contains", "not_contains", "contains_any",
             "starts_with", "ends_with"}


@dataclass(frozen=True)
class Candidate:
    """A list column proposed for a model column, how good a match it is (0..1) and why."""

    column: str
    score: float
    reasons: tuple[str, ...]

    def text(self) -> str:
        return f"{self.column} ({', '.join(self.reasons)})"


@dataclass(frozen=True)
class ColumnProposal:
    """A model column the list lacks, its ranked candidates (best first) and the proposal:
    ``proposed`` is None when no list column fits; ``confident`` says whether ``auto`` takes it."""

    model_column: str
    candidates: tuple[Candidate, ...]
    proposed: str | None
    confident: bool
    optional: bool = False        # only tagged (source, outcome...): no rule needs it


def _columns_of(pred: Predicate) -> list[str]:
    return [c.column for c in predicate_conditions(pred)]


def model_columns(model: Model) -> list[str]:
    """The columns a model's rules read (conditions and decay dates), in rule order."""
    out: dict[str, None] = {}
    for rule in model.rules:
        for column in _columns_of(rule.when):
            out.setdefault(column)
        if rule.decay is not None:
            out.setdefault(rule.decay.date_column)
    return list(out)


def tagged_columns(model: Model) -> list[str]:
    """The columns the model tags (source, outcome, created...) that no rule reads."""
    used = set(model_columns(model))
    return [c for c, s in model.columns if s.tag and c not in used]


def missing_columns(model: Model, table, *, tagged: bool = False) -> list[str]:
    """The model's rule columns (and with ``tagged`` its tagged columns) the list does not have."""
    present = set(map(str, table.frame.columns))
    wanted = model_columns(model) + (tagged_columns(model) if tagged else [])
    return [c for c in wanted if c not in present]


def _synonyms(key: str) -> frozenset[str]:
    return next((group for group in SYNONYMS if key in group), frozenset())


def _name_score(model_column: str, list_column: str) -> tuple[float, str]:
    a, b = normalise_header(model_column), normalise_header(list_column)
    if a == b:
        return 1.0, "same name"
    if b in _synonyms(a):
        return 0.85, "same meaning in CRM exports"
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    if a and b and (a in b or b in a) and min(len(a), len(b)) >= 4:
        ratio = max(ratio, 0.75)
    return 0.7 * ratio, f"name {ratio:.0%} alike"


def _fits(model: Model, model_column: str, list_column: str, types: Mapping) -> bool:
    """Whether every condition and decay on ``model_column`` can run on ``list_column``."""
    renamed = {list_column: types[list_column]}
    for rule in model.rules:
        for cond in predicate_conditions(rule.when):
            if cond.column == model_column:
                try:
                    check_condition(replace(cond, column=list_column), renamed, rule.name)
                except ModelError:
                    return False
        if rule.decay is not None and rule.decay.date_column == model_column:
            if not ColumnType(types[list_column]).is_temporal:
                return False
    return True


def _rule_values(model: Model, model_column: str) -> list[tuple[str, str]]:
    """(op, folded text) of the values the rules compare ``model_column`` with."""
    out = []
    for rule in model.rules:
        for cond in predicate_conditions(rule.when):
            if cond.column != model_column or cond.op not in _TEXT_OPS or cond.value is None:
                continue
            values = cond.value if isinstance(cond.value, (tuple, list)) else (cond.value,)
            out += [(cond.op, str(v).strip().casefold()) for v in values if str(v).strip()]
    return out


def _distinct_texts(series: pd.Series, limit: int = 5000) -> list[str]:
    values = series.dropna()
    if isinstance(values.dtype, pd.CategoricalDtype):
        distinct = list(values.cat.categories)
    else:
        distinct = pd.unique(values.head(200_000))
    return [str(v).strip().casefold() for v in list(distinct)[:limit]]


def _value_share(wanted: list[tuple[str, str]], texts: list[str]) -> float:
    if not wanted:
        return float("nan")
    exact = set(texts)
    hits = 0
    for op, value in wanted:
        if op in ("eq", "ne", "in", "not_in"):
            hits += value in exact
        elif op == "starts_with":
            hits += any(t.startswith(value) for t in texts)
        elif op == "ends_with":
            hits += any(t.endswith(value) for t in texts)
        else:
            hits += any(value in t for t in texts)
    return hits / len(wanted)


def _candidates(model: Model, model_column: str, table, free: list[str],
                texts: dict[str, list[str]]) -> list[Candidate]:
    """The list columns that can run ``model_column``'s rules, best first. ``texts`` caches each
    column's distinct values (looked at only for names somewhat alike, on a wide list)."""
    wanted = _rule_values(model, model_column)
    out = []
    for column in free:
        if not _fits(model, model_column, column, table.types):
            continue
        name, why = _name_score(model_column, column)
        reasons = [why]
        share = float("nan")
        if wanted and (name >= 0.3 or len(free) <= 300):
            if column not in texts:
                texts[column] = _distinct_texts(table.frame[column])
            share = _value_share(wanted, texts[column])
        if np.isnan(share):
            score = name
        else:
            hits = round(share * len(wanted))
            reasons.append(f"{hits} of {len(wanted)} rule values occur")
            score = 0.6 * name + 0.4 * share if name < 1.0 else max(name, 0.6 + 0.4 * share)
        out.append(Candidate(column, round(score, 4), tuple(reasons)))
    out.sort(key=lambda c: -c.score)
    return out


def propose_mapping(model: Model, table, *, keep: Mapping[str, str] | None = None) -> list[ColumnProposal]:
    """For each model column the list lacks, the list columns ranked as candidates.

    The proposals never give one list column to two model columns: the clearest matches are
    assigned first. ``keep``: choices already made (model column -> list column), kept as they are.
    """
    keep = dict(keep or {})
    missing = missing_columns(model, table, tagged=True)
    optional = set(tagged_columns(model))
    present = [str(c) for c in table.frame.columns]
    used_by_model = set(model_columns(model)) | optional
    free = [c for c in present if c not in used_by_model]
    texts: dict[str, list[str]] = {}
    ranked = {m: _candidates(model, m, table, free, texts) for m in missing}
    taken = {v for k, v in keep.items() if k in ranked}
    proposed: dict[str, str | None] = {m: keep[m] for m in missing if m in keep}
    order = {m: i for i, m in enumerate(missing)}      # ties: the model's first column first
    pairs = sorted(((c.score, m, c.column) for m in missing if m not in proposed for c in ranked[m]),
                   key=lambda p: (-p[0], order[p[1]]))
    for _score, m, column in pairs:
        if m in proposed or column in taken:
            continue
        proposed[m] = column
        taken.add(column)
    out = []
    for m in missing:
        choice = proposed.get(m)
        scores = [c.score for c in ranked[m]]
        best = next((c for c in ranked[m] if c.column == choice), None)
        rivals = [s for c, s in zip(ranked[m], scores) if c.column != choice]
        confident = (best is not None and best.score >= CONFIDENT
                     and (not rivals or best.score - max(rivals) >= _AHEAD or best.score >= 0.999))
        out.append(ColumnProposal(m, tuple(ranked[m]), choice, bool(confident or m in keep),
                                  m in optional))
    return out


def auto_mapping(model: Model, table) -> dict[str, str]:
    """The mapping ``--map auto`` uses: every missing model column to its clear best candidate.

    Raises
    ------
    LeadbenchError
        When a column cannot be mapped with confidence, naming the candidates.
    """
    out = {}
    for proposal in propose_mapping(model, table):
        if not proposal.confident and proposal.optional:
            continue                     # a tag no rule needs: left alone when unclear
        if not proposal.confident:
            shown = "; ".join(c.text() for c in proposal.candidates[:3]) or "none fits its rules"
            raise LeadbenchError(
                f"cannot map the model's column '{proposal.model_column}' with confidence; "
                f"candidates: {shown}. Name it with --map '{proposal.model_column}=COLUMN'.")
        out[proposal.model_column] = proposal.proposed
    return out


def check_mapping(model: Model, table, mapping: Mapping[str, str]) -> None:
    """Refuse a mapping naming columns the model or the list does not have, or one list column
    for two model columns."""
    used = set(model_columns(model)) | set(tagged_columns(model))
    present = set(map(str, table.frame.columns))
    seen: dict[str, str] = {}
    for source, target in mapping.items():
        if source not in used:
            raise LeadbenchError(f"the model has no rule or tag on a column '{source}' to map")
        if target not in present:
            raise LeadbenchError(f"the list has no column '{target}' to map '{source}' to")
        if target in seen:
            raise LeadbenchError(f"'{seen[target]}' and '{source}' cannot both be mapped to '{target}'")
        seen[target] = source


def _rename(pred: Predicate, mapping: Mapping[str, str]) -> Predicate:
    if isinstance(pred, Compound):
        return replace(pred, items=tuple(_rename(p, mapping) for p in pred.items))
    return replace(pred, column=mapping.get(pred.column, pred.column))


def apply_mapping(model: Model, mapping: Mapping[str, str]) -> Model:
    """``model`` with its columns renamed by ``mapping`` (model column -> list column) in rules,
    decay and column settings. An empty mapping returns ``model`` itself."""
    mapping = {k: v for k, v in mapping.items() if k != v}
    if not mapping:
        return model
    rules = []
    for rule in model.rules:
        decay = rule.decay
        if decay is not None and decay.date_column in mapping:
            decay = replace(decay, date_column=mapping[decay.date_column])
        rules.append(replace(rule, when=_rename(rule.when, mapping), decay=decay))
    columns = tuple((mapping.get(c, c), s) for c, s in model.columns)
    return replace(model, rules=tuple(rules), columns=columns)

"""Duplicate leads: the same email address, or the same person at the same company.

Two leads are duplicates when their normalised email addresses are equal (see
``scoring.emails``: case and outer spaces ignored, "+tag" dropped with ``plus_addressing``; only
valid addresses are matched, so two cells reading "n/a" are not one person) or, matching by
``"email+name"``, also when their normalised names and companies are equal (case, spaces and
punctuation ignored: "O'Brien, Ann" at "Acme, Inc." is "obrien ann" at "acme inc"). Chains join:
if A and B share an email and B and C share name and company, A, B and C are one group.

Each group keeps one lead, by policy:

- ``first``: the first in the list;
- ``complete``: the one with the most filled cells (ties: the first of them);
- ``recent``: the one with the latest date in ``date_column`` (ties and missing dates: the first).

Everything is vectorised (factorised keys, a few passes of group minima for the chains), so a
million leads take about a second.

Functions
---------
find_duplicates(frame, ...) -> Duplicates
guess_name_columns(columns) -> NameColumns
recent_column(columns, types, created) -> the date column "most recent" compares
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from scoring.column_types import ColumnType
from scoring.emails import PLUS_TAG as _PLUS, fold_texts, valid_folded
from scoring.errors import Cancelled, LeadbenchError
from scoring.names import normalise_name_texts
from scoring.reading.tagging import normalise_header

__all__ = ["Duplicates", "NameColumns", "find_duplicates", "guess_name_columns", "recent_column",
           "MATCH_BY", "KEEP_POLICIES"]

MATCH_BY = ("email", "email+name")
KEEP_POLICIES = ("first", "complete", "recent")

_FIRST = ("firstname", "first", "givenname", "fname", "forename", "vorname", "prenom")
_LAST = ("lastname", "last", "surname", "familyname", "lname", "nachname", "nom")
_FULL = ("fullname", "name", "contactname", "leadname", "personname", "contact", "person")
_COMPANY = ("company", "companyname", "account", "accountname", "organisation", "organization",
            "organisationname", "organizationname", "org", "employer", "business", "firm",
            "firma", "societe", "empresa")
_ACTIVITY = ("lastactivity", "lastactivitydate", "lastactivityat", "lastengaged",
             "lastengagementdate", "lastseen", "lastvisit", "lastcontacted", "lastmodified",
             "lastmodifieddate", "lastupdated", "updatedat", "modifiedat", "lasttouch")
_MAX_PASSES = 64


@dataclass(frozen=True)
class NameColumns:
    """The columns naming a lead and its company: ``first`` + ``last`` or ``full``, ``company``."""

    first: str | None = None
    last: str | None = None
    full: str | None = None
    company: str | None = None

    @property
    def usable(self) -> bool:
        return self.company is not None and (self.full is not None
                                             or self.first is not None or self.last is not None)


@dataclass(frozen=True)
class Duplicates:
    """Duplicate groups of one lead list.

    Attributes
    ----------
    group : int64 per lead, the group number (0, 1, … in order of each group's first lead); -1
        for a lead without duplicates
    n_groups : how many groups
    n_in_groups : leads that belong to a group
    keep : bool per lead: False for the duplicates the policy leaves out (every unique lead and
        one lead per group are True)
    groups : one row per group: ``key`` (the shared email, or "name · company"), ``size``,
        ``kept`` (the row kept), ``rows`` (the member rows, an int array, ascending)
    order, starts : the member rows of group g are ``order[starts[g]:starts[g + 1]]``
    by, policy : what was matched ("email" / "email+name") and the keep policy
    """

    group: np.ndarray
    n_groups: int
    n_in_groups: int
    keep: np.ndarray
    groups: pd.DataFrame
    order: np.ndarray
    starts: np.ndarray
    by: str = "email"
    policy: str = "first"

    @property
    def n_left_out(self) -> int:
        """Leads a de-duplicated export leaves out."""
        return self.n_in_groups - self.n_groups

    def rows_of(self, g: int) -> np.ndarray:
        """The rows of group ``g``, ascending."""
        return self.order[self.starts[g]:self.starts[g + 1]]


def guess_name_columns(columns: Sequence[str]) -> NameColumns:
    """The first/last/full name and company columns, by header ("First Name", "Account Name",
    "Organisation", "Person - Name"…); None for those not found."""
    keys: dict[str, str] = {}
    for column in columns:          # "Person - Name": "personname" first, then "name"
        keys.setdefault(re.sub(r"[^0-9a-z]", "", str(column).casefold()), str(column))
    for column in columns:
        keys.setdefault(normalise_header(str(column)), str(column))

    def pick(hints):
        return next((keys[h] for h in hints if h in keys), None)

    first, last, company = pick(_FIRST), pick(_LAST), pick(_COMPANY)
    full = None if first or last else pick(h for h in _FULL if keys.get(h) != company)
    return NameColumns(first, last, full, company)


def recent_column(columns: Sequence[str], types, created: str | None = None) -> str | None:
    """The date column "most recent" compares: a last-activity date ("Last Activity",
    "last_modified", "Updated at"…), else ``created`` (the tagged or guessed created date); only
    date and date-time columns count. None when there is neither."""
    def temporal(column) -> bool:
        ctype = types.get(column) if types is not None else None
        return ctype is not None and ColumnType(ctype).is_temporal
    by_key = {}
    for column in columns:
        by_key.setdefault(normalise_header(str(column)), column)
    for hint in _ACTIVITY:
        if hint in by_key and temporal(by_key[hint]):
            return by_key[hint]
    return created if created in columns and temporal(created) else None


def find_duplicates(frame: pd.DataFrame, *, email: str | None = None, by: str = "email",
                    names: NameColumns | None = None, plus_addressing: bool = False,
                    keep: str = "first", date_column: str | None = None,
                    on_progress: Callable[[float], None] | None = None,
                    is_cancelled: Callable[[], bool] | None = None) -> Duplicates:
    """Group the leads of ``frame`` that are the same person.

    Parameters
    ----------
    frame : the lead list (typed columns, as ``LeadTable.frame``)
    email : the email column (None: match by name and company only, when ``by`` allows)
    by : "email" or "email+name" (also the same name and company)
    names : the name and company columns (default: guessed from the headers)
    plus_addressing : treat "ann+news@x.com" as "ann@x.com"
    keep : "first", "complete" (most filled cells) or "recent" (latest ``date_column``)
    date_column : the date column for ``keep="recent"`` (a created or last-activity date)

    Raises
    ------
    LeadbenchError
        For an unknown ``by`` or ``keep``, a column not in the list, "recent" without a date
        column, or nothing to match by.
    Cancelled
        When ``is_cancelled()`` turns True between steps.
    """
    if by not in MATCH_BY:
        raise LeadbenchError(f"Duplicates can be matched by {' or '.join(MATCH_BY)}, not '{by}'.")
    if keep not in KEEP_POLICIES:
        raise LeadbenchError(f"The lead to keep can be {', '.join(KEEP_POLICIES)}, not '{keep}'.")
    step = _Steps(on_progress, is_cancelled)
    n = len(frame)
    for column in (email, date_column):
        if column is not None and column not in frame.columns:
            raise LeadbenchError(f"The lead list has no column '{column}'.")
    if keep == "recent" and date_column is None:
        raise LeadbenchError("Keeping the most recent lead needs a date column (a created or "
                             "last activity date); tag one, or keep the first or most complete.")
    if keep == "recent" and not pd.api.types.is_datetime64_any_dtype(frame[date_column]):
        raise LeadbenchError(f"'{date_column}' is not a date column, so it cannot say which lead "
                             "is the most recent; pick a date column, or keep the first.")
    keys: list[np.ndarray] = []
    email_codes = email_keys = None
    if email is not None:
        email_codes, email_keys = _email_codes(frame[email], plus_addressing)
        keys.append(email_codes)
    step(0.3)
    name_codes = describe = None
    if by == "email+name":
        names = names if names is not None else guess_name_columns(list(frame.columns))
        if names.usable:
            name_codes, describe = _name_codes(frame, names)
            keys.append(name_codes)
    if not keys:
        raise LeadbenchError("There is nothing to match duplicates by: tag an email column, or "
                             "name the name and company columns.")
    step(0.5)
    root = _components(n, keys, step)
    step(0.75)
    return _result(frame, root, keep, date_column, by, email_codes, email_keys, name_codes,
                   describe, step)


class _Steps:
    def __init__(self, on_progress, is_cancelled) -> None:
        self._progress, self._cancelled = on_progress, is_cancelled

    def __call__(self, fraction: float) -> None:
        if self._cancelled is not None and self._cancelled():
            raise Cancelled()
        if self._progress is not None:
            self._progress(fraction)


def _email_codes(series: pd.Series, plus_addressing: bool) -> tuple[np.ndarray, np.ndarray]:
    """Codes of the normalised valid addresses (-1 for missing or invalid) and the addresses."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes, texts = series.cat.codes.to_numpy(), series.cat.categories
    else:
        codes, texts = None, series                     # mostly unique: fold every row
    folded = fold_texts(texts)
    if plus_addressing:
        folded = pc.replace_substring_regex(folded, _PLUS, r"\1@")
    folded = pc.if_else(pa.array(valid_folded(folded)), folded, pa.nulls(len(folded), pa.string()))
    out, keys = _arrow_codes(folded)
    if codes is not None:
        out = np.append(out, -1)[codes]
    return out.astype(np.int64), np.asarray(keys, object)


def _arrow_codes(texts: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Codes of equal texts (-1 for null) and the distinct texts, hashed by Arrow."""
    encoded = pc.dictionary_encode(texts)
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    return codes, np.asarray(encoded.dictionary.to_pylist(), object)


def _text_codes(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Per row, a code of its normalised name text (-1: missing or blank), and the texts; the
    normalising runs once per distinct cell."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes, uniques = series.cat.codes.to_numpy(), series.cat.categories
    else:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
    words = normalise_name_texts(pd.Series(np.asarray(uniques, object), dtype=object))
    again, texts = _arrow_codes(words)
    return np.append(again, -1)[codes].astype(np.int64), np.asarray(texts, object)


def _pair(a: np.ndarray, b: np.ndarray, *, both: bool) -> np.ndarray:
    """One code per pair of codes: -1 when either is -1 (``both``), else only when both are."""
    width = int(max(b.max(initial=-1), -1)) + 2
    combined = (a + 1) * width + (b + 1)
    missing = (a < 0) | (b < 0) if both else (a < 0) & (b < 0)
    codes = np.full(len(a), -1, np.int64)
    codes[~missing] = pd.factorize(combined[~missing])[0]
    return codes


def _name_codes(frame: pd.DataFrame, names: NameColumns):
    """Codes of person + company (-1 when either is missing) and a function giving the key text
    ("ann lee · acme inc") of some rows."""
    for column in (names.first, names.last, names.full, names.company):
        if column is not None and column not in frame.columns:
            raise LeadbenchError(f"The lead list has no column '{column}'.")
    person_columns = [names.full] if names.full is not None else \
        [c for c in (names.first, names.last) if c is not None]
    parts = [_text_codes(frame[c]) for c in (*person_columns, names.company)]
    person = parts[0][0]
    for codes, _texts in parts[1:-1]:
        person = _pair(person, codes, both=False)
    key = _pair(person, parts[-1][0], both=True)

    def describe(rows: np.ndarray) -> np.ndarray:
        words = [" ".join(str(texts[c]) for codes, texts in parts[:-1]
                          if (c := codes[row]) >= 0) for row in rows]
        company_codes, company = parts[-1]
        return np.array([f"{w} · {company[company_codes[row]]}" for w, row in zip(words, rows)],
                        object)
    return key, describe


def _components(n: int, keys: list[np.ndarray], step) -> np.ndarray:
    """Per row, the smallest row it is linked to through equal keys (chains followed).

    Each key is sorted once (rows whose code is unique are dropped: they link nothing); a pass
    takes each code's smallest root with ``minimum.reduceat`` and hands it to every row of
    the code, until no root changes.
    """
    root = np.arange(n, dtype=np.int64)
    links = []
    for codes in keys:
        present = np.flatnonzero(codes >= 0)
        if not len(present):
            continue
        counts = np.bincount(codes[present])
        shared = present[counts[codes[present]] > 1]
        if not len(shared):
            continue
        rows = shared[np.argsort(codes[shared], kind="stable")]
        sorted_codes = codes[rows]
        starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
        links.append((rows, starts, np.diff(np.r_[starts, len(rows)])))
    for _ in range(_MAX_PASSES):
        changed = False
        for rows, starts, sizes in links:
            low = np.repeat(np.minimum.reduceat(root[rows], starts), sizes)
            if not changed and not np.array_equal(low, root[rows]):
                changed = True
            root[rows] = low
        root = root[root]                  # point at the root's root (shortens chains)
        if not changed:
            return root
        step(0.5)
    return root


def _result(frame, root, keep, date_column, by, email_codes, email_keys, name_codes, describe,
            step) -> Duplicates:
    n = len(root)
    sizes = np.bincount(root, minlength=n) if n else np.zeros(0, np.int64)
    in_group = sizes[root] > 1 if n else np.zeros(0, bool)
    roots = np.flatnonzero(sizes > 1)                 # ascending: groups in order of first row
    number = np.full(n, -1, np.int64)
    number[roots] = np.arange(len(roots))
    group = np.where(in_group, number[root], -1)
    members = np.flatnonzero(in_group)
    order = members[np.argsort(group[members], kind="stable")]
    counts = np.bincount(group[members], minlength=len(roots))
    starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    step(0.85)
    kept = _kept(frame, order, starts, group, keep, date_column)
    keep_mask = ~in_group
    keep_mask[kept] = True
    rows = [order[a:b] for a, b in zip(starts[:-1].tolist(), starts[1:].tolist())]
    firsts = order[starts[:-1]] if len(roots) else np.zeros(0, np.int64)
    table = pd.DataFrame({
        "key": _group_keys(firsts, email_codes, email_keys, name_codes, describe),
        "size": counts.astype(np.int64), "kept": kept.astype(np.int64),
        "rows": pd.Series(rows, dtype=object)})
    step(1.0)
    return Duplicates(group, len(roots), int(len(members)), keep_mask, table, order, starts, by,
                      keep)


def _kept(frame, order, starts, group, keep, date_column) -> np.ndarray:
    """The row kept in each group (``order`` lists members by group, rows ascending)."""
    if not len(order) or keep == "first":
        return order[starts[:-1]] if len(order) else np.zeros(0, np.int64)
    if keep == "complete":
        sub = frame.iloc[order]
        filled = np.array(sub.notna().to_numpy(), bool)
        for i, column in enumerate(sub.columns):           # blank texts are not filled in
            if pd.api.types.is_string_dtype(sub[column].dtype) or sub[column].dtype == object:
                filled[:, i] &= sub[column].astype("str").str.strip().ne("").fillna(False) \
                    .to_numpy(bool)
        score = filled.sum(axis=1).astype(np.float64)
    else:
        stamps = frame[date_column].iloc[order].to_numpy("datetime64[ns]")
        score = stamps.astype(np.int64).astype(np.float64)
        score[np.isnat(stamps)] = -np.inf
    # per group (members in row order): the first member with the group's highest score
    sizes = np.diff(starts)
    best = np.maximum.reduceat(score, starts[:-1])
    hits = np.flatnonzero(score == np.repeat(best, sizes))
    g = group[order[hits]]
    return order[hits[np.r_[True, g[1:] != g[:-1]]]]


def _group_keys(firsts, email_codes, email_keys, name_codes, describe) -> np.ndarray:
    """Per group, what its leads share: the email of its first lead when another lead has it
    (equal emails are always in one group), else the first lead's name and company."""
    out = np.full(len(firsts), "", object)
    by_name = np.ones(len(firsts), bool)
    if email_codes is not None and len(firsts):
        code = email_codes[firsts]
        counts = np.bincount(email_codes[email_codes >= 0], minlength=len(email_keys))
        shared = code >= 0
        shared[shared] = counts[code[shared]] > 1
        out[shared] = email_keys[code[shared]]
        by_name = ~shared
    if name_codes is not None and by_name.any():
        named = by_name & (name_codes[firsts] >= 0)
        if named.any():
            out[named] = describe(firsts[named])
    return out

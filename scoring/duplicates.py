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
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from scoring.emails import fold_texts, normalise_emails, valid_folded
from scoring.errors import Cancelled, LeadbenchError
from scoring.tagging import normalise_header

__all__ = ["Duplicates", "NameColumns", "find_duplicates", "guess_name_columns", "MATCH_BY",
           "KEEP_POLICIES"]

MATCH_BY = ("email", "email+name")
KEEP_POLICIES = ("first", "complete", "recent")

_FIRST = ("firstname", "first", "givenname", "fname", "forename", "vorname", "prenom")
_LAST = ("lastname", "last", "surname", "familyname", "lname", "nachname", "nom")
_FULL = ("fullname", "name", "contactname", "leadname", "personname", "contact", "person")
_COMPANY = ("company", "companyname", "account", "accountname", "organisation", "organization",
            "organisationname", "organizationname", "org", "employer", "business", "firm",
            "firma", "societe", "empresa")
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
    keys = {}
    for column in columns:
        keys.setdefault(normalise_header(str(column)), str(column))

    def pick(hints):
        return next((keys[h] for h in hints if h in keys), None)

    first, last, company = pick(_FIRST), pick(_LAST), pick(_COMPANY)
    full = None if first or last else pick(h for h in _FULL if keys.get(h) != company)
    return NameColumns(first, last, full, company)


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
    keys: list[np.ndarray] = []
    email_codes = email_keys = None
    if email is not None:
        email_codes, email_keys = _email_codes(frame[email], plus_addressing)
        keys.append(email_codes)
    step(0.3)
    name_codes = name_keys = None
    if by == "email+name":
        names = names if names is not None else guess_name_columns(list(frame.columns))
        if names.usable:
            name_codes, name_keys = _name_codes(frame, names)
            keys.append(name_codes)
    if not keys:
        raise LeadbenchError("There is nothing to match duplicates by: tag an email column, or "
                             "name the name and company columns.")
    step(0.5)
    root = _components(n, keys, step)
    step(0.75)
    return _result(frame, root, keep, date_column, by, email_codes, email_keys, name_codes,
                   name_keys, step)


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
    normal = normalise_emails(series, plus_addressing=plus_addressing)
    codes, uniques = pd.factorize(normal, use_na_sentinel=True)
    valid = valid_folded(pa.array(np.asarray(uniques, object), pa.string()))
    codes = np.where(codes >= 0, np.append(valid, False)[codes], False).astype(bool)
    out, keys = pd.factorize(normal.where(codes), use_na_sentinel=True)
    return out.astype(np.int64), np.asarray(keys, object)


def _name_text(series: pd.Series) -> pa.Array:
    """Case, punctuation and runs of spaces folded away; blank -> null."""
    folded = fold_texts(series.astype("str"))
    words = pc.utf8_trim_whitespace(pc.replace_substring_regex(
        pc.replace_substring_regex(folded, r"[\p{P}\p{S}]+", ""), r"\s+", " "))
    return pc.if_else(pc.equal(words, ""), pa.nulls(len(words), pa.string()), words)


def _name_codes(frame: pd.DataFrame, names: NameColumns) -> tuple[np.ndarray, np.ndarray]:
    for column in (names.first, names.last, names.full, names.company):
        if column is not None and column not in frame.columns:
            raise LeadbenchError(f"The lead list has no column '{column}'.")
    if names.full is not None:
        person = _name_text(frame[names.full])
    else:
        parts = [_name_text(frame[c]) for c in (names.first, names.last) if c is not None]
        person = parts[0] if len(parts) == 1 else pc.binary_join_element_wise(
            *parts, " ", null_handling="replace", null_replacement="")
        person = pc.utf8_trim_whitespace(person)
        person = pc.if_else(pc.equal(person, ""), pa.nulls(len(person), pa.string()), person)
    company = _name_text(frame[names.company])
    key = pc.binary_join_element_wise(person, company, " · ")     # null when either is missing
    codes, uniques = pd.factorize(pd.Series(pd.arrays.ArrowStringArray(key)), use_na_sentinel=True)
    return codes.astype(np.int64), np.asarray(uniques, object)


def _components(n: int, keys: list[np.ndarray], step) -> np.ndarray:
    """Per row, the smallest row it is linked to through equal keys (chains followed)."""
    root = np.arange(n, dtype=np.int64)
    for _ in range(_MAX_PASSES):
        before = root.copy()
        for codes in keys:
            present = codes >= 0
            if not present.any():
                continue
            low = np.full(int(codes.max()) + 1, n, np.int64)
            _group_min(low, codes[present], root[present])
            root[present] = low[codes[present]]
        root = root[root]                  # point at the root's root (shortens chains)
        if np.array_equal(root, before):
            return root
        step(0.5)
    return root


def _group_min(out: np.ndarray, codes: np.ndarray, values: np.ndarray) -> None:
    """``out[c] = min(out[c], values of code c)`` for every code (a sort, not ufunc.at)."""
    order = np.lexsort((values, codes))
    codes, values = codes[order], values[order]
    first = np.ones(len(codes), bool)
    first[1:] = codes[1:] != codes[:-1]
    out[codes[first]] = np.minimum(out[codes[first]], values[first])


def _result(frame, root, keep, date_column, by, email_codes, email_keys, name_codes, name_keys,
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
    rows = np.split(order, starts[1:-1]) if len(roots) else []
    firsts = order[starts[:-1]] if len(roots) else np.zeros(0, np.int64)
    table = pd.DataFrame({
        "key": _group_keys(firsts, email_codes, email_keys, name_codes, name_keys),
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
        filled = sub.notna().to_numpy()
        for i, column in enumerate(sub.columns):           # blank texts are not filled in
            if pd.api.types.is_string_dtype(sub[column].dtype) or sub[column].dtype == object:
                filled[:, i] &= sub[column].astype("str").str.strip().ne("").fillna(False) \
                    .to_numpy(bool)
        score = filled.sum(axis=1).astype(np.float64)
    else:
        stamps = pd.to_datetime(frame[date_column].iloc[order], errors="coerce")
        score = stamps.to_numpy("datetime64[ns]").astype(np.int64).astype(np.float64)
        score[np.isnat(stamps.to_numpy("datetime64[ns]"))] = -np.inf
    g = group[order]
    best = np.lexsort((order, -score, g))          # per group: highest score, then first row
    g_sorted = g[best]
    first = np.ones(len(best), bool)
    first[1:] = g_sorted[1:] != g_sorted[:-1]
    return order[best[first]]


def _group_keys(firsts, email_codes, email_keys, name_codes, name_keys) -> np.ndarray:
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
        code = name_codes[firsts]
        named = by_name & (code >= 0)
        out[named] = name_keys[code[named]]
    return out

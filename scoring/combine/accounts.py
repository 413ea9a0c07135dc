"""Accounts: leads rolled up into the companies they belong to.

Leads group by a company column (names normalised as the duplicate finder does, so "Acme, Inc."
and "ACME inc" are one account, shown in the spelling most of its leads use) or by their email
address's domain (free-mail domains such as gmail.com never form an account; invalid addresses
neither). The account score is the sum, the average, the maximum or the average of the top three
of its leads' scores; an account at or above the account threshold is a Marketing Qualified
Account (MQA). Vectorised: one code per lead, then ``np.bincount`` and one sort.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from scoring.column_types import ColumnType
from scoring.combine.errors import CombineError
from scoring.emails import email_domain, free_mail_mask
from scoring.model.recipe import AccountRollup
from scoring.names import normalise_name_texts

__all__ = ["AccountTable", "account_keys", "roll_up", "guess_account_column", "SCORE_LABELS"]

SCORE_LABELS = {"sum": "Sum of lead scores", "average": "Average lead score",
                "max": "Best lead score", "top3": "Average of the top 3 lead scores"}
_COMPANY = ("company", "companyname", "account", "accountname", "organisation", "organization",
            "organisationname", "organizationname", "employer", "business", "firm")
_EMAIL = ("email", "emailaddress", "mail", "workemail", "contactemail")


def _plain_header(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(name).casefold())


def guess_account_column(columns, types, by: str, email_tag: str | None = None) -> str | None:
    """The company column (``by="company"``) or email column (``by="domain"``) to group by."""
    if by == "domain":
        if email_tag in types:
            return email_tag
        for column in columns:
            if types.get(column) == ColumnType.EMAIL or _plain_header(column) in _EMAIL:
                return column
        return None
    for column in columns:
        if _plain_header(column) in _COMPANY:
            return column
    return None


def account_keys(values: pd.Series, by: str) -> tuple[np.ndarray, np.ndarray]:
    """Per lead, the code of its account (-1: none) and each account's name."""
    if by == "domain":
        domains = email_domain(values)
        domains = domains.where(~free_mail_mask(values))
        codes, names = pd.factorize(domains, use_na_sentinel=True)
        return codes.astype(np.int64), np.asarray(names, object)
    # in Arrow and numpy, never a Python object per lead: a roll-up of ten million leads runs on
    # a worker beside the window, and object arrays would hold the interpreter for seconds
    codes, _keys = _first_seen_codes(normalise_name_texts(values))
    # each account shown in the spelling most of its leads use (a tie: the spelling seen first)
    spelling, texts = _first_seen_codes(pc.utf8_trim_whitespace(_arrow_texts(values)))
    has = codes >= 0
    width = max(1, len(texts))
    pairs, first, counts = np.unique(codes[has] * width + spelling[has], return_index=True, return_counts=True)
    account = pairs // width
    order = np.lexsort((first, -counts, account))
    ranked = account[order]
    best = order[np.r_[True, ranked[1:] != ranked[:-1]]] if len(order) else order
    names = texts.take(pa.array(pairs[best] % width)).to_numpy(zero_copy_only=False)
    return codes, np.asarray(names, object)


def _arrow_texts(values: pd.Series) -> pa.Array:
    """``values`` as one Arrow string array (missing stays null)."""
    texts = pa.array(pd.Series(values, dtype="str").array)
    return texts.combine_chunks() if isinstance(texts, pa.ChunkedArray) else texts


def _first_seen_codes(texts) -> tuple[np.ndarray, pa.Array]:
    """Per text the code of its value in order of first appearance (-1: null), and the values."""
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    encoded = pc.dictionary_encode(texts)
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    return codes, encoded.dictionary


@dataclass
class AccountTable:
    """The accounts of a lead list under one roll-up.

    Attributes
    ----------
    frame : one row per account, best first: ``account``, ``leads``, ``mqls``, ``score``, ``mqa``
        (bool), ``best_lead`` (row of its best-scored lead)
    lead_account : per lead, the index of its account in ``frame`` (-1: no account)
    rollup : the settings used
    column : the column grouped by
    without : leads that belong to no account (no company, a free-mail or invalid address)
    """

    frame: pd.DataFrame
    lead_account: np.ndarray
    rollup: AccountRollup
    column: str
    without: int

    @property
    def n_mqa(self) -> int:
        return int(self.frame["mqa"].sum())

    def leads_of(self, account: int) -> np.ndarray:
        """The lead rows of account ``account`` (an index into ``frame``)."""
        return np.flatnonzero(self.lead_account == account)

    def summary(self) -> str:
        """"1,204 accounts, 37 Marketing Qualified Accounts (score ≥ 100); 310 leads without an account"."""
        n = len(self.frame)
        text = (f"{n:,} account{'s' if n != 1 else ''}, {self.n_mqa:,} Marketing Qualified "
                f"Account{'s' if self.n_mqa != 1 else ''} (score ≥ {self.rollup.threshold:g})")
        if self.without:
            text += f"; {self.without:,} lead{'s' if self.without != 1 else ''} without an account"
        return text


def roll_up(frame: pd.DataFrame, total: np.ndarray, mql: np.ndarray, rollup: AccountRollup, *,
            column: str | None = None, types=None) -> AccountTable:
    """Group the scored leads into accounts (see the module docstring).

    Raises ``CombineError`` when there is no column to group by.
    """
    types = types or {}
    column = column or rollup.column or guess_account_column(list(frame.columns), types, rollup.by)
    if column is None or column not in frame.columns:
        what = "an email column" if rollup.by == "domain" else "a company column"
        named = f" '{column}'" if column else ""
        raise CombineError(f"the lead list has no column{named} to group accounts by; choose {what}")
    codes, names = account_keys(frame[column], rollup.by)
    total = np.asarray(total, np.float64)
    mql = np.asarray(mql, bool)
    n = len(names)
    has = codes >= 0
    c, scores = codes[has], total[has]
    leads = np.bincount(c, minlength=n)
    mqls = np.bincount(c, weights=mql[has].astype(np.float64), minlength=n).astype(np.int64)
    order = np.lexsort((-scores, c))                  # by account, best lead first
    sorted_codes, sorted_scores = c[order], scores[order]
    starts = np.searchsorted(sorted_codes, np.arange(n))
    rank = np.arange(len(sorted_codes)) - starts[sorted_codes] if len(sorted_codes) else np.zeros(0, int)
    sums = np.bincount(c, weights=scores, minlength=n)
    if rollup.score == "sum":
        score = sums
    elif rollup.score == "average":
        score = sums / np.maximum(leads, 1)
    elif rollup.score == "max":
        score = sorted_scores[starts] if n else np.zeros(0)
    else:
        top = rank < 3
        score = np.bincount(sorted_codes[top], weights=sorted_scores[top], minlength=n) / np.minimum(
            np.maximum(leads, 1), 3)
    best_lead = np.flatnonzero(has)[order][starts] if n else np.zeros(0, int)
    score = np.round(score, 9)
    table = pd.DataFrame({"account": names, "leads": leads.astype(np.int64), "mqls": mqls,
                          "score": score, "mqa": score >= rollup.threshold - 1e-9, "best_lead": best_lead})
    ranking = np.lexsort((np.arange(n), -table["leads"].to_numpy(), -score))
    table = table.iloc[ranking].reset_index(drop=True)
    position = np.empty(n, np.int64)
    position[ranking] = np.arange(n)
    lead_account = np.where(has, np.append(position, -1)[codes], -1)
    return AccountTable(table, lead_account, rollup, column, int(np.count_nonzero(~has)))

"""Email addresses: normalising, valid shape, free-mail and business, domains (hand-computed)."""

import re

import numpy as np
import pandas as pd
import pytest

from scoring.emails import (EMAIL_PATTERN, FREE_MAIL_DOMAINS, business_email_mask, email_domain,
                            free_mail_mask, normalise_emails, valid_email_mask)
from scoring.reading import load_leads
from scoring.report.quality import email_quality
from tests.conftest import SAMPLE

CELLS = ["ann@gmail.com", " Bob@GMAIL.com ", "c+news@Yahoo.co.uk", "d@acme.io", None, "",
         "not an email", "x@y", "a@b..com", "@acme.io", "a b@acme.io", "a@@acme.io", "a@acme.c0",
         "ünï@Straße.de", "e@mail.gmail.com", "f@proton.me"]
VALID = [True, True, True, True, False, False, False, False, False, False, False, False, False,
         True, True, True]
FREE = [True, True, True, False, False, False, False, False, False, False, False, False, False,
        False, False, True]


def test_normalise_folds_case_and_spaces_and_keeps_missing_missing():
    out = normalise_emails(pd.Series(CELLS[:7]))
    assert out.tolist()[:4] == ["ann@gmail.com", "bob@gmail.com", "c+news@yahoo.co.uk", "d@acme.io"]
    assert out.isna().tolist() == [False, False, False, False, True, True, False]
    assert normalise_emails(["Straße@X.DE"]).tolist() == ["strasse@x.de"]     # case folding


def test_plus_addressing_drops_the_tag_only_when_asked():
    cells = ["ann+news@x.com", "ann+a+b@x.com", "+tag@x.com", "ann@x+y.com", "ann.lee+q@GMAIL.com"]
    assert normalise_emails(cells).tolist()[0] == "ann+news@x.com"
    assert normalise_emails(cells, plus_addressing=True).tolist() == [
        "ann@x.com", "ann@x.com", "+tag@x.com", "ann@x+y.com", "ann.lee@gmail.com"]  # dots stay


def test_valid_free_business_and_domain_hand_computed():
    assert valid_email_mask(CELLS).tolist() == VALID
    assert free_mail_mask(CELLS).tolist() == FREE
    assert business_email_mask(CELLS).tolist() == [v and not f for v, f in zip(VALID, FREE)]
    domains = email_domain(CELLS)
    assert domains.tolist()[:4] == ["gmail.com", "gmail.com", "yahoo.co.uk", "acme.io"]
    assert domains.isna().tolist() == [not v for v in VALID]


def test_categories_give_the_same_answers_once_per_distinct_value():
    series = pd.Series(CELLS * 50, dtype="category")
    series = series.cat.add_categories(["unused@gmail.com"])
    assert valid_email_mask(series).tolist() == VALID * 50
    assert free_mail_mask(series).tolist() == FREE * 50
    assert normalise_emails(series).tolist() == normalise_emails(pd.Series(CELLS * 50)).tolist()


def test_zero_rows_and_all_missing():
    for values in ([], pd.Series([], dtype="str"), pd.Series([None, None], dtype="str")):
        n = len(values)
        assert valid_email_mask(values).tolist() == [False] * n
        assert free_mail_mask(values).tolist() == [False] * n
        assert email_domain(values).isna().all() and len(email_domain(values)) == n
        assert normalise_emails(values).isna().all()


def test_free_mail_list_covers_the_big_providers_and_the_pattern_matches_the_docstring():
    for domain in ("gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "live.com", "aol.com",
                   "icloud.com", "proton.me", "protonmail.com", "gmx.de", "web.de", "yandex.ru"):
        assert domain in FREE_MAIL_DOMAINS
    assert all(d == d.lower().strip() and "@" not in d for d in FREE_MAIL_DOMAINS)
    assert all(valid_email_mask([f"a@{d}" for d in sorted(FREE_MAIL_DOMAINS)]))
    python = [re.match(EMAIL_PATTERN, c.strip().casefold()) is not None if c else False
              for c in CELLS]
    assert python == VALID                                   # the same in Python's re and RE2


def test_the_audit_report_counts_what_these_functions_count():
    table = load_leads(SAMPLE)
    emails = table.frame["email"]
    found = email_quality(emails, "email")
    filled = emails.notna() & emails.astype("str").str.strip().ne("")
    assert found.filled == int(filled.sum())
    assert found.invalid == int((filled & ~valid_email_mask(emails)).sum())
    assert found.free_mail == int(free_mail_mask(emails).sum()) > 0
    top = email_domain(emails)[free_mail_mask(emails)].value_counts()
    assert found.free_domains[0] == (top.index[0], int(top.iloc[0]))


def test_many_mostly_unique_addresses():
    rng = np.random.default_rng(1)
    cells = pd.Series([f"user{i}@{d}" for i, d in
                       enumerate(rng.choice(["gmail.com", "acme.io", "yahoo.fr"], 200_000))])
    mask = free_mail_mask(cells)
    assert mask.sum() == pytest.approx(200_000 * 2 / 3, rel=0.02)

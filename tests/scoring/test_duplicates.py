"""Duplicate leads: hand-computed groups, keep policies, edge cases and a real list."""

import numpy as np
import pandas as pd
import pytest

from scoring.errors import Cancelled, LeadbenchError
from scoring.handoff.duplicates import NameColumns, find_duplicates, guess_name_columns
from scoring.reading import load_leads
from scoring.report.quality import duplicate_findings

LEADS = pd.DataFrame({
    "First Name": ["Ann", "ann ", "Bob", "Bob", "Cy", None, "Dee", "Dee"],
    "Last Name": ["O'Brien", "OBRIEN", "Ray", "Ray", "Do", None, "Ng", "Ng"],
    "Company": ["Acme, Inc.", "acme  inc", "X", "Y", "Z", None, "Q", None],
    "email": ["a@x.com", "b@x.com", "bob@y.com", " BOB@y.com", "cy+1@z.com", "cy@z.com",
              "n/a", "n/a"],
    "phone": ["1", None, "2", "3", None, "4", "5", "6"],
    "created": pd.to_datetime(["2026-01-01", "2026-02-01", None, "2026-01-01", "2026-01-01",
                               "2026-03-01", "2026-01-01", "2026-01-01"]),
})


def test_same_email_ignoring_case_and_spaces_and_only_valid_addresses():
    found = find_duplicates(LEADS, email="email")
    assert found.group.tolist() == [-1, -1, 0, 0, -1, -1, -1, -1]     # "n/a" twice is no one
    assert (found.n_groups, found.n_in_groups, found.n_left_out) == (1, 2, 1)
    assert found.keep.tolist() == [True, True, True, False, True, True, True, True]
    assert found.groups["key"].tolist() == ["bob@y.com"]
    assert found.groups["rows"][0].tolist() == [2, 3] and found.rows_of(0).tolist() == [2, 3]


def test_plus_addressing_joins_tagged_addresses():
    found = find_duplicates(LEADS, email="email", plus_addressing=True)
    assert found.group.tolist() == [-1, -1, 0, 0, 1, 1, -1, -1]
    assert found.groups["key"].tolist() == ["bob@y.com", "cy@z.com"]


def test_name_and_company_ignore_case_spaces_and_punctuation():
    found = find_duplicates(LEADS, email="email", by="email+name")
    # Ann O'Brien at "Acme, Inc." = ann OBRIEN at "acme  inc"; Dee Ng without a company is no match
    assert found.group.tolist() == [0, 0, 1, 1, -1, -1, -1, -1]
    assert found.groups["key"].tolist() == ["ann obrien · acme inc", "bob@y.com"]
    assert found.groups["size"].tolist() == [2, 2]


def test_chains_of_email_and_name_matches_make_one_group():
    frame = pd.DataFrame({"name": ["Ann Lee", "Ann Lee", "Someone Else", "X"],
                          "company": ["Acme", "Acme", "Other", "Y"],
                          "email": ["a@x.com", "b@x.com", "B@x.com", "c@x.com"]})
    found = find_duplicates(frame, email="email", by="email+name")
    assert found.group.tolist() == [0, 0, 0, -1]       # 0-1 by name, 1-2 by email
    assert found.n_left_out == 2


@pytest.mark.parametrize(("policy", "kept"), [
    ("first", [2, 4]),
    ("complete", [3, 4]),     # 6 cells beat 5 (row 2 has no date); 5 beat 3 (row 5: no names)
    ("recent", [3, 5]),       # row 2 has no date; 2026-03-01 beats 2026-01-01
])
def test_keep_policies(policy, kept):
    found = find_duplicates(LEADS, email="email", plus_addressing=True, keep=policy,
                            date_column="created")
    assert found.groups["kept"].tolist() == kept
    assert np.flatnonzero(~found.keep).tolist() == sorted({2, 3, 4, 5} - set(kept))


def test_ties_and_missing_dates_keep_the_first():
    frame = pd.DataFrame({"email": ["a@x.com"] * 4, "note": ["", "x", None, "y"],
                          "at": pd.to_datetime([None, "2026-01-02", "2026-01-02", None])})
    assert find_duplicates(frame, email="email", keep="recent", date_column="at") \
        .groups["kept"].tolist() == [1]
    assert find_duplicates(frame, email="email", keep="complete").groups["kept"].tolist() == [1]
    no_dates = frame.assign(at=pd.NaT)
    assert find_duplicates(no_dates, email="email", keep="recent", date_column="at") \
        .groups["kept"].tolist() == [0]


def test_zero_rows_all_unique_and_all_the_same():
    empty = find_duplicates(LEADS.iloc[:0], email="email", by="email+name", keep="complete")
    assert (empty.n_groups, len(empty.keep), len(empty.groups)) == (0, 0, 0)
    unique = pd.DataFrame({"email": [f"u{i}@x.com" for i in range(50)]})
    found = find_duplicates(unique, email="email")
    assert found.n_groups == 0 and found.keep.all() and (found.group == -1).all()
    same = pd.DataFrame({"email": [" A@X.com"] * 30})
    found = find_duplicates(same, email="email", keep="complete")
    assert (found.n_groups, found.n_in_groups, found.n_left_out) == (1, 30, 29)
    assert found.keep.tolist() == [True] + [False] * 29
    assert find_duplicates(pd.DataFrame({"email": [None] * 5}), email="email").n_groups == 0


def test_bad_requests_are_explained():
    with pytest.raises(LeadbenchError, match="matched by"):
        find_duplicates(LEADS, email="email", by="phone")
    with pytest.raises(LeadbenchError, match="first, complete, recent"):
        find_duplicates(LEADS, email="email", keep="last")
    with pytest.raises(LeadbenchError, match="needs a date column"):
        find_duplicates(LEADS, email="email", keep="recent")
    with pytest.raises(LeadbenchError, match="'phone' is not a date column"):
        find_duplicates(LEADS, email="email", keep="recent", date_column="phone")
    with pytest.raises(LeadbenchError, match="no column 'mail'"):
        find_duplicates(LEADS, email="mail")
    with pytest.raises(LeadbenchError, match="nothing to match"):
        find_duplicates(pd.DataFrame({"a": [1]}), by="email+name")


def test_name_columns_from_headers_and_given_explicitly():
    assert guess_name_columns(["First Name", "Last Name", "Company", "email"]) == \
        NameColumns("First Name", "Last Name", None, "Company")
    assert guess_name_columns(["Person - Name", "Organization - Name"]) == \
        NameColumns(None, None, "Person - Name", "Organization - Name")
    assert guess_name_columns(["Full name", "Account Name"]) == \
        NameColumns(None, None, "Full name", "Account Name")
    assert not guess_name_columns(["email", "score"]).usable
    frame = pd.DataFrame({"who": ["Ann", "ann"], "org": ["A", "a."], "email": [None, None]})
    found = find_duplicates(frame, email="email", by="email+name",
                            names=NameColumns(full="who", company="org"))
    assert found.group.tolist() == [0, 0]


def test_progress_and_cancel():
    seen = []
    find_duplicates(LEADS, email="email", by="email+name", on_progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 1.0
    with pytest.raises(Cancelled):
        find_duplicates(LEADS, email="email", is_cancelled=lambda: True)


def test_the_audit_report_counts_the_same_duplicates(tmp_path):
    found = find_duplicates(LEADS, email="email", plus_addressing=False)
    report = duplicate_findings(LEADS, "email")
    assert (report.groups, report.extra_rows) == (found.n_groups, found.n_left_out)


def test_sample_list_by_email_agrees_with_pandas():
    from tests.conftest import SAMPLE

    frame = load_leads(SAMPLE).frame
    found = find_duplicates(frame, email="email", keep="recent", date_column="last_activity")
    key = frame["email"].astype("str").str.strip().str.lower()
    key = key.where(key.str.fullmatch(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)*\.[a-z]{2,}"))  # valid
    sizes = key.map(key.value_counts())
    assert found.n_in_groups == int((sizes > 1).sum()) > 100
    assert found.n_groups == int(key[sizes > 1].nunique())
    latest = frame.assign(key=key)[sizes > 1].sort_values(["last_activity"], ascending=False,
                                                            kind="stable")
    wanted = latest.reset_index().drop_duplicates("key")["index"]
    assert sorted(found.groups["kept"]) == sorted(wanted)


def test_a_real_crm_pipeline_by_agent_and_account(shared_data):
    """Maven's pipeline: deals of one agent at one account are one 'person' here; the most
    recent engage date is kept, as a pandas group-by says."""
    frame = load_leads(shared_data / "maven_crm_sales_opportunities" / "sales_pipeline.csv").frame
    found = find_duplicates(frame, by="email+name", names=NameColumns(full="sales_agent",
                                                                      company="account"),
                            keep="recent", date_column="engage_date")
    filled = frame[frame["sales_agent"].notna() & frame["account"].notna()]
    sizes = filled.groupby(["sales_agent", "account"]).size()
    assert found.n_groups == int((sizes > 1).sum()) > 100
    assert found.n_in_groups == int(sizes[sizes > 1].sum())
    assert found.keep.sum() == len(frame) - found.n_left_out
    kept = frame.loc[found.groups["kept"]]
    best = filled.groupby(["sales_agent", "account"])["engage_date"].max()
    for (agent, account), day in zip(kept[["sales_agent", "account"]].itertuples(index=False),
                                     kept["engage_date"]):
        assert day == best[(agent, account)] or (pd.isna(day) and pd.isna(best[(agent, account)]))

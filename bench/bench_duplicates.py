"""Duplicate leads and email checks at 1M leads: what the Data quality panel recomputes.

Run with ``python -m bench`` (all benchmarks) or ``python -m bench.bench_duplicates``. The
generated list has realistic repeats (the sample's people recur), mostly unique addresses and
a fifth at free-mail providers.

Target: finding duplicates by email within 1.5 s, by email + name and company within 3 s.
"""

from __future__ import annotations

import statistics

from bench.common import ROWS, Target, best_of, big_csv
from scoring.emails import free_mail_mask, valid_email_mask
from scoring.handoff.duplicates import find_duplicates
from scoring.reading import load_leads
from scoring.report.quality import email_quality

__all__ = ["main", "TARGETS", "TARGET_EMAIL_S", "TARGET_NAME_S"]

TARGET_EMAIL_S = 1.5
TARGET_NAME_S = 3.0
TARGETS = (Target("by_email_first_s", TARGET_EMAIL_S, "s", "duplicates by email"),
           Target("by_email_and_name_first_s", TARGET_NAME_S, "s", "duplicates by email + name"))


def main(rows: int = ROWS) -> dict:
    frame = load_leads(big_csv(rows)).frame
    email = frame["email"]
    runs = {
        "valid_email_mask_s": lambda: valid_email_mask(email),
        "free_mail_mask_s": lambda: free_mail_mask(email),
        "email_findings_s": lambda: email_quality(email, "email"),
        "by_email_first_s": lambda: find_duplicates(frame, email="email"),
        "by_email_plus_recent_s": lambda: find_duplicates(
            frame, email="email", plus_addressing=True, keep="recent",
            date_column="last_activity"),
        "by_email_and_name_first_s": lambda: find_duplicates(frame, email="email",
                                                             by="email+name"),
        "by_email_and_name_complete_s": lambda: find_duplicates(
            frame, email="email", by="email+name", keep="complete"),
    }
    out: dict = {"rows": len(frame)}
    for label, run in runs.items():
        out[label] = best_of(run, repeat=3)
    found = find_duplicates(frame, email="email", by="email+name")
    out["groups_email_and_name"] = found.n_groups
    out["left_out_email_and_name"] = found.n_left_out
    print(f"{len(frame):,} leads (best of 3)")
    for label in runs:
        target = {"by_email_first_s": TARGET_EMAIL_S,
                  "by_email_and_name_first_s": TARGET_NAME_S}.get(label)
        print(f"  {label:<30} {out[label]:7.2f} s" + (f"   (target <= {target})" if target else ""))
    print(f"  email + name: {found.n_groups:,} groups, {found.n_left_out:,} leads left out; "
          f"median of the runs {statistics.median(out[k] for k in runs):.2f} s")
    return out


if __name__ == "__main__":
    main()

"""The list's latest date against the scoring date: what the window's stale-date notice says."""

from datetime import date

import pandas as pd

from scoring.insight.recency import date_span, staleness
from tests.scoring.helpers import table_of


def _table():
    return table_of({"created": pd.to_datetime(["2018-01-05", "2018-03-03", None]),
                     "renewal": pd.to_datetime(["2019-06-30", None, None]),
                     "name": ["a", "b", "c"]})


def test_the_span_of_the_created_column_or_of_every_date_column():
    table = _table()
    span = date_span(table, "created")
    assert (span.columns, span.earliest, span.latest) == (("created",), date(2018, 1, 5), date(2018, 3, 3))
    every = date_span(table, None)
    assert (every.columns, every.latest) == (("created", "renewal"), date(2019, 6, 30))
    assert date_span(table, "name").columns == ("created", "renewal")     # not a date column


def test_stale_dates_are_said_in_one_sentence_and_recent_ones_are_not():
    span = date_span(_table(), "created")
    assert staleness(span, date(2018, 5, 1)) is None                       # 59 days: recent enough
    assert staleness(span, date(2026, 12, 1)) == (
        "Every date in created is on or before 3 Mar 2018, 3,195 days before the scoring date "
        "(1 Dec 2026): rules on recent activity match no lead.")
    no_dates = table_of({"name": ["a"]})
    assert date_span(no_dates).latest is None and staleness(date_span(no_dates), date(2026, 1, 1)) is None

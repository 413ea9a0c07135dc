"""Property: any instants, written in any form a CRM, an ad platform or Excel uses, load back as
the same instants to that form's precision (offsets converted to UTC).

Each example is a column: a few random instants plus one on the 28th, as any real column over a
month has (without a day past 12, ``01/02/2024`` is month first or day first only by guess).
Two-digit years are drawn from 1990..2035, where the column's own values place the century.
"""

from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from scoring.reading import load_leads

ANCHOR = datetime(2024, 12, 28, 13, 45, 56, 789000)


def _fraction(ms: bool):
    return lambda d: d.strftime("%Y-%m-%dT%H:%M:%S.") + (f"{d.microsecond // 1000:03d}" if ms else f"{d.microsecond:06d}")


def _twelve(d: datetime, seconds: bool = False) -> str:
    hour = d.hour % 12 or 12
    return f"{d.month}/{d.day}/{d:%y} {hour}:{d:%M}" + (f":{d:%S}" if seconds else "") + f" {d:%p}"


#: form name -> (how a naive instant is written, precision kept, two-digit year)
FORMS = {
    "iso date": (lambda d: d.strftime("%Y-%m-%d"), "D", False),
    "iso T seconds": (lambda d: d.strftime("%Y-%m-%dT%H:%M:%S"), "s", False),
    "iso space minutes": (lambda d: d.strftime("%Y-%m-%d %H:%M"), "min", False),
    "iso milliseconds": (_fraction(True), "ms", False),
    "iso microseconds": (_fraction(False), "us", False),
    "us date": (lambda d: d.strftime("%m/%d/%Y"), "D", False),
    "us short 12-hour": (_twelve, "min", True),
    "us 12-hour seconds": (lambda d: _twelve(d, True).replace(f"/{d:%y} ", f"/{d:%Y} "), "s", False),
    "day first slashes": (lambda d: d.strftime("%d/%m/%Y"), "D", False),
    "day first dashes time": (lambda d: d.strftime("%d-%m-%Y %H:%M"), "min", False),
    "day first dots": (lambda d: d.strftime("%d.%m.%Y"), "D", False),
    "year first dots": (lambda d: d.strftime("%Y.%m.%d"), "D", False),
    "month name first": (lambda d: f"{d:%b} {d.day}, {d:%Y}", "D", False),
    "day month name": (lambda d: f"{d.day} {d:%B} {d:%Y}", "D", False),
    "dd-mon-yy": (lambda d: d.strftime("%d-%b-%y"), "D", True),
}
#: offset forms: (how an instant with an offset is written, precision)
OFFSET_FORMS = {
    "Z": (lambda d: d.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), "s"),
    "+0000 with milliseconds": (lambda d: d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}"
                                + d.strftime("%z"), "ms"),
    "+00:00": (lambda d: d.isoformat(timespec="seconds"), "s"),
    "space and offset": (lambda d: d.strftime("%Y-%m-%d %H:%M:%S") + d.isoformat()[-6:], "s"),
}

instants = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2035, 12, 31))
offsets = st.sampled_from([0, -5 * 60, -4 * 60, 60, 330, -8 * 60, 9 * 60 + 30])


def _load(folder, texts):
    path = folder / "column.csv"
    path.write_text("id,when\n" + "".join(f'{i},"{t}"\n' for i, t in enumerate(texts)), encoding="utf-8")
    table = load_leads(path)
    assert table.types["when"].is_temporal, (texts, table.types["when"])
    return table.frame["when"]


@pytest.mark.parametrize("form", sorted(FORMS))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(instants, min_size=1, max_size=12))
def test_every_form_round_trips(tmp_path, form, values):
    write, precision, _two_digit = FORMS[form]
    column = [*values, ANCHOR]
    got = _load(tmp_path, [write(v) for v in column])
    expected = [pd.Timestamp(v).floor(precision) for v in column]
    assert got.tolist() == expected


@pytest.mark.parametrize("form", sorted(OFFSET_FORMS))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.tuples(instants, offsets), min_size=1, max_size=12))
def test_offsets_round_trip_to_utc(tmp_path, form, values):
    write, precision = OFFSET_FORMS[form]
    aware = [v.replace(tzinfo=timezone(timedelta(minutes=m))) for v, m in values]
    got = _load(tmp_path, [write(v) for v in aware])
    expected = [pd.Timestamp(v.astimezone(timezone.utc).replace(tzinfo=None)).floor(precision) for v in aware]
    assert got.tolist() == expected


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.datetimes(min_value=datetime(1960, 1, 1), max_value=datetime(2099, 12, 31)),
                       min_size=1, max_size=8))
def test_excel_serials_round_trip(tmp_path, values):
    import xlsxwriter

    path = tmp_path / "serials.xlsx"
    with xlsxwriter.Workbook(str(path)) as book:
        sheet = book.add_worksheet()
        sheet.write_row(0, 0, ["name", "Created Date", "Last activity date"])
        for r, v in enumerate(values, start=1):
            days = (v.date() - datetime(1899, 12, 30).date()).days
            seconds = v.hour * 3600 + v.minute * 60 + v.second
            sheet.write_string(r, 0, f"lead {r}")
            sheet.write_number(r, 1, days)                        # a serial day number
            sheet.write_number(r, 2, days + (seconds + 0.5) / 86_400 if seconds else days + 0.5)
    table = load_leads(path)
    assert table.frame["Created Date"].tolist() == [pd.Timestamp(v.date()) for v in values]
    assert table.types["Last activity date"].is_temporal
    got = table.frame["Last activity date"].dt.floor("s").tolist()
    noon = pd.Timedelta(hours=12)             # a whole second past midnight, or noon when there is none
    assert got == [pd.Timestamp(v).floor("s") if (v.hour, v.minute, v.second) != (0, 0, 0)
                   else pd.Timestamp(v.date()) + noon for v in values]

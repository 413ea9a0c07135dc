"""Property: any number, written in any format an export uses, loads as the same number."""

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from scoring.reading import load_leads

SPACES = (" ", "\u00a0", "\u202f")
APOSTROPHES = ("'", "\u2019")


@st.composite
def formats(draw):
    decimal = draw(st.sampled_from([".", ","]))
    thousands = draw(st.sampled_from(["", "." if decimal == "," else ",", *SPACES, *APOSTROPHES]))
    percent = draw(st.booleans())
    currency = None if percent else draw(st.sampled_from([None, "€", "$", "£", "CHF", "EUR"]))
    return {"decimal": decimal, "thousands": thousands, "percent": percent, "currency": currency,
            "after": draw(st.booleans()), "space": draw(st.sampled_from(["", " ", "\u00a0"])),
            "negative": draw(st.sampled_from(["-", "\u2212", "()", "trailing"]))}


def grouped(whole: int, mark: str) -> str:
    digits = str(whole)
    if not mark:
        return digits
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return mark.join([digits, *groups])


def written(cents: int, f: dict) -> str:
    """How an export in format ``f`` writes ``cents / 100``."""
    whole, rest = divmod(abs(cents), 100)
    text = f"{grouped(whole, f['thousands'])}{f['decimal']}{rest:02d}"
    if f["percent"]:
        text += f"{f['space']}%"
    elif f["currency"]:
        text = f"{text}{f['space'] or ' '}{f['currency']}" if f["after"] else f"{f['currency']}{f['space']}{text}"
    if cents < 0:
        text = {"-": "-" + text, "\u2212": "\u2212" + text, "()": f"({text})", "trailing": text + "-"}[f["negative"]]
    return text


def csv_text(columns: dict[str, list[str]], decimal: str) -> str:
    delimiter = ";" if decimal == "," else ","
    names = list(columns)
    rows = [delimiter.join(names)]
    for i in range(len(columns[names[0]])):
        rows.append(delimiter.join(f'"{columns[n][i]}"' for n in names))
    return "\n".join(rows) + "\n"


@settings(max_examples=80, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(f=formats(), cents=st.lists(st.integers(-10**11, 10**11), min_size=1, max_size=25),
       counts=st.lists(st.integers(0, 10**7), min_size=1, max_size=25))
def test_any_amount_in_any_format_loads_as_itself(tmp_path, f, cents, counts):
    n = min(len(cents), len(counts))
    cents, counts = cents[:n], counts[:n]
    columns = {"name": [f"Lead {i}" for i in range(n)],
               "amount": [written(c, f) for c in cents],
               "count": [grouped(c, f["thousands"]) for c in counts]}
    path = tmp_path / "leads.csv"
    path.write_text(csv_text(columns, f["decimal"]), encoding="utf-8")
    table = load_leads(path)
    expected = [c / 100 / (100 if f["percent"] else 1) for c in cents]
    assert table.frame["amount"].tolist() == pytest.approx(expected, rel=1e-12, abs=1e-12)
    # whole numbers with the same thousands mark: the amounts show which mark is the decimal one
    assert [None if pd.isna(v) else int(v) for v in table.frame["count"]] == counts

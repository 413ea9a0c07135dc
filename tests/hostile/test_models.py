"""Hostile model files and catastrophic patterns: one clear message naming the file, rule and
field; pattern matching bounded (RE2, linear time) and cancellable."""

from __future__ import annotations

import re
import time

import numpy as np
import pandas as pd
import pytest

from scoring.errors import Cancelled, ModelError
from scoring.evaluate.engine import Scorer
from scoring.model.model_file import load_model, model_from_dict, validate_model
from scoring.model.regex_match import re2_problem, regex_lut
from scoring.reading import load_leads
from tests.hostile import generators as g
from tests.hostile.cases import MODEL_CASES, make_leads


@pytest.mark.parametrize("case", MODEL_CASES, ids=[c.id for c in MODEL_CASES])
def test_each_bad_model_ends_in_one_message_naming_what_is_wrong(tmp_path, case, cli):
    leads = make_leads(tmp_path)
    path = g.write_model(tmp_path, f"{case.id}.json", case.content)
    if case.when_opened:
        with pytest.raises(ModelError) as caught:
            load_model(path)
        expected = str(caught.value)
        assert expected.startswith(f"{path.name}") or f" {path.name} " in expected
    else:
        problems = validate_model(load_model(path), load_leads(leads))
        assert len(problems) == 1 and problems[0].startswith('Rule "Big company"')
        expected = f"the model does not fit {leads.name}: {problems[0]}"
    assert case.message in expected and "\n" not in expected
    started = time.perf_counter()
    code, out, err = cli("score", leads, "--model", path, "--output", tmp_path / "out.csv")
    assert (code, out, err) == (2, "", [f"leadbench: {expected}"])
    assert time.perf_counter() - started < 5 and not (tmp_path / "out.csv").exists()


def test_errors_inside_a_rule_keep_the_rule_and_field_for_the_window(tmp_path):
    path = g.write_model(tmp_path, "m.json", g.model_dict([
        {"name": "Big company", "points": "15", "when": {"column": "employees", "op": "gt", "value": 5}}]))
    with pytest.raises(ModelError) as caught:
        load_model(path)
    assert (caught.value.rule, caught.value.field) == ("Big company", "points")


# -- catastrophic patterns ------------------------------------------------------------------------
def _model(pattern: str):
    return model_from_dict(g.model_dict([{"name": "All a's", "points": 10,
                                          "when": {"column": "note", "op": "matches", "value": pattern}}]))


def test_a_catastrophic_pattern_runs_in_linear_time(tmp_path):
    # (a+)+$ backtracks exponentially in Python's re on "aaaa…!"; RE2 answers in microseconds
    table = load_leads(g.make_long_a_csv(tmp_path))
    assert validate_model(_model("(a+)+$"), table) == []
    started = time.perf_counter()
    result = Scorer(table).score(_model("(a+)+$"))
    assert time.perf_counter() - started < 2
    notes = table.frame["note"].astype(str)
    np.testing.assert_array_equal(result.matches[0], notes.str.endswith("a").to_numpy())


def test_the_command_line_scores_a_catastrophic_pattern_quickly(tmp_path, cli):
    leads = g.make_long_a_csv(tmp_path)
    model = g.write_model(tmp_path, "m.json", g.model_dict([
        {"name": "All a's", "points": 10, "when": {"column": "note", "op": "matches", "value": "(a+)+$"}}]))
    started = time.perf_counter()
    code, out, _err = cli("score", leads, "--model", model, "--output", tmp_path / "out.csv")
    assert code == 0 and "Leads:   2,000" in out and "MQLs:    1,000 (50.0%)" in out
    assert time.perf_counter() - started < 5


def test_scoring_a_pattern_can_be_cancelled(tmp_path):
    table = load_leads(g.make_long_a_csv(tmp_path))
    with pytest.raises(Cancelled):
        Scorer(table).score(_model("(a+)+$"), is_cancelled=lambda: True)
    values = pd.Series([f"lead {i}" for i in range(200_000)], dtype="str")
    calls = []
    with pytest.raises(Cancelled):                 # between batches of distinct values
        regex_lut(values, "^lead 1", is_cancelled=lambda: calls.append(1) or len(calls) > 1)
    assert len(calls) == 2


@pytest.mark.parametrize("pattern", ["^a(?=a)", "(?<=@)gmail", "(?!x)y", "(?<!@)gmail", r"(a+)+\1$",
                                     "(?P<x>a)(?P=x)"])
def test_patterns_only_a_backtracking_engine_runs_are_refused_naming_the_rule(pattern):
    problems = validate_model(_model(pattern), {"note": "text"})
    assert len(problems) == 1
    assert problems[0].startswith('Rule "All a\'s", field \'value\': the pattern ')
    assert "look-around" in problems[0] and "Rewrite it without them" in problems[0]


@pytest.mark.parametrize(("pattern", "said"), [
    ("a{1001}", "repeats something more than 1,000 times"),
    ("x**", "is not a valid regular expression (bad repetition operator: **)"),
])
def test_other_patterns_re2_refuses_say_why(pattern, said):
    assert said in re2_problem(pattern)


@pytest.mark.parametrize("pattern", [r"^vp\b", r"s\w+nt", "gmail|yahoo", r"^\d{3}-", "ANN", "é", "^$",
                                     r"\.co$", "(a+)+b", "[[:alpha:]]+ [0-9]"])
def test_re2_matches_like_pythons_re_case_insensitively(pattern):
    values = pd.Series(["vp sales", "VP Sales", "assistant", "Sales assistant", "ann@gmail.com",
                        "bob@yahoo.co", "123-456", "café", "", "aaab", "Ann 7"], dtype="str")
    python = re.compile(pattern.replace("[[:alpha:]]", "[a-zA-Z]"), re.IGNORECASE)
    expected = [python.search(v) is not None for v in values]
    assert regex_lut(values, pattern).tolist() == expected


def test_the_window_scores_a_catastrophic_pattern_and_skips_a_refused_one(qtbot, window, shown_errors,
                                                                          tmp_path):
    leads = g.make_long_a_csv(tmp_path)
    model = g.write_model(tmp_path, "m.json", g.model_dict([
        {"name": "All a's", "points": 10, "when": {"column": "note", "op": "matches", "value": "(a+)+$"}},
        {"name": "Echo", "points": 5, "when": {"column": "note", "op": "matches", "value": r"(a+)+\1$"}}]))
    assert window.open_file(str(model))
    window.open_file(str(leads))
    qtbot.waitUntil(lambda: window.doc.table is not None and window.doc.table.source == str(leads)
                    and window.doc.result is not None, timeout=30_000)
    assert shown_errors == []
    assert window.doc.result.rule_counts[0] == 1000
    assert len(window.doc.problems) == 1 and window.doc.problems[0].startswith('Rule "Echo"')

"""The window's load job: load, apply the model's column settings, score once."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

import resources
from app.loading import load_for_window
from scoring.evaluate.engine import Scorer
from scoring.model.definition import Condition
from scoring.model.model_file import load_model
from scoring.sample import SAMPLE_TODAY
from tests.conftest import SAMPLE


def test_the_load_job_scores_the_list_with_the_model_it_was_given():
    model = load_model(resources.STARTER_MODEL)
    loaded = load_for_window(str(SAMPLE), None, model, SAMPLE_TODAY)
    first = loaded.first
    assert loaded.table.n_rows == 5000 and loaded.as_of == SAMPLE_TODAY
    assert first.model == model and first.problems == []
    expected = Scorer(loaded.table, as_of=SAMPLE_TODAY).score(model)
    np.testing.assert_array_equal(first.result.total, expected.total)
    assert first.result.n_mql == expected.n_mql > 0


def test_a_model_that_does_not_fit_still_loads_with_its_problems_named():
    model = load_model(resources.STARTER_MODEL)
    renamed = model.with_rule(0, replace(model.rules[0], when=Condition("no such column", "not_empty")))
    loaded = load_for_window(str(SAMPLE), None, renamed, SAMPLE_TODAY)
    assert loaded.table.n_rows == 5000
    assert any("no such column" in p for p in loaded.first.problems)
    assert not loaded.first.result.model.rules[0].enabled

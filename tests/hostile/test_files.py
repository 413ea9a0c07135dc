"""Hostile lead files: each ends in a correct load or one clear message, in the engine and on the
command line (``profile`` and ``score`` exit 2 with that one line), within bounded time and memory."""

from __future__ import annotations

import time

import pytest

from scoring.errors import LoadError
from scoring.reading import load_leads
from tests.hostile import generators as g
from tests.hostile.cases import FILE_CASES, params

_FAST_SECONDS = 5.0       # generous: the machine is shared; these take well under a second alone
_SLOW_SECONDS = 30.0


def _outcome(path):
    """The loaded table, or the LoadError's message."""
    try:
        return load_leads(path)
    except LoadError as exc:
        return str(exc)


@pytest.mark.parametrize("case", params(FILE_CASES))
def test_each_file_loads_correctly_or_gives_one_clear_message(tmp_path, case):
    path = case.make(tmp_path)
    started = time.perf_counter()
    outcome = _outcome(path)
    seconds = time.perf_counter() - started
    assert seconds < (_SLOW_SECONDS if case.slow else _FAST_SECONDS)
    if case.message is None:
        assert not isinstance(outcome, str), outcome
        case.check(outcome)
    else:
        assert isinstance(outcome, str), "loaded, but should have been refused"
        assert outcome.startswith(f"Cannot open {path.name}: ") and case.message in outcome
        assert "\n" not in outcome and outcome.endswith(".")


@pytest.mark.parametrize("case", params(FILE_CASES))
def test_profile_and_score_exit_2_with_the_one_message(tmp_path, case, cli, plain_model):
    if case.message is None and case.slow:
        pytest.skip("a slow load: the engine test above covers it, the command line adds printing")
    path = case.make(tmp_path)
    code, out, err = cli("profile", path)
    if case.message is None:
        assert code == 0 and out.startswith(f"{path.name}: ")
        assert all(line.startswith("leadbench: note: ") for line in err)
        return
    expected = _outcome(path)
    assert (code, out, err) == (2, "", [f"leadbench: {expected}"])
    started = time.perf_counter()
    code, out, err = cli("score", path, "--model", plain_model, "--output", tmp_path / "out.csv")
    assert (code, out, err) == (2, "", [f"leadbench: {expected}"])
    assert time.perf_counter() - started < _FAST_SECONDS          # fails fast
    assert not (tmp_path / "out.csv").exists()


# -- memory -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("make", "outcome", "budget_mb"), [
    (g.make_huge_dimension_xlsx, "loaded 3 x 3", 100),       # the declared 17-billion-cell grid
    (g.make_far_cell_xlsx, "reaches cell XFD1048576", 100),  # a real cell there: refused, not built
    (g.make_long_line, "hold no line break", 100),           # reads 16 MB of the 50 MB, no more
    pytest.param(g.make_big_cell, "loaded 2 x 2", 600, marks=pytest.mark.slow),   # a 50 MB cell
])
def test_memory_stays_bounded(tmp_path, peak_memory, make, outcome, budget_mb):
    measured = peak_memory(make(tmp_path))
    assert outcome in measured["outcome"]
    assert measured["peak_mb"] - measured["baseline_mb"] < budget_mb, measured


# -- public files -------------------------------------------------------------------------------
def _shared_files(root):
    suites = ["csv_spectrum/csvs", "xlsx2csv_tests", "x_education_leads", "maven_crm_sales_opportunities",
              "uci_bank_marketing"]
    return sorted(p for s in suites for p in (root / s).iterdir()
                  if p.suffix.lower() in (".csv", ".xlsx", ".xlsm", ".txt"))


def test_every_public_file_loads_or_gives_one_message(shared_data, cli):
    seen = {"loaded": 0, "refused": 0}
    for path in _shared_files(shared_data):
        started = time.perf_counter()
        code, out, err = cli("profile", path)
        assert time.perf_counter() - started < 20, path
        if code == 0:
            seen["loaded"] += 1
            assert all(line.startswith("leadbench: note: ") for line in err), (path, err)
        else:
            seen["refused"] += 1
            assert code == 2 and len(err) == 1 and err[0].startswith(f"leadbench: Cannot open {path.name}: ")
    assert seen["loaded"] > 40 and seen["refused"] <= 6, seen

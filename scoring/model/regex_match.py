"""The ``matches`` operator's regular expressions, run by RE2 (through pyarrow.compute).

RE2 runs in time linear in the text: a pattern such as ``(a+)+$`` that makes a backtracking engine
(Python's ``re``) take hours on a long text of 'a's takes microseconds. The price is that RE2 has
no look-arounds (``(?=``, ``(?<!``...) and no back-references (``\\1``); such patterns are refused
(``re2_problem``) with a message saying what to write instead, rather than run without a bound.

Semantics are those of the rest of the text operators: the search is case-insensitive, runs once
per distinct (normalised) value and is a search, not a full match (anchor with ``^`` and ``$``).
"""

from __future__ import annotations

import re
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from scoring.errors import Cancelled, ModelError

__all__ = ["re2_problem", "regex_lut"]

_BATCH = 65_536        # distinct values per RE2 call, between checks of is_cancelled()
_EMPTY = pa.array([""], pa.string())
_UNSAFE = re.compile(r"\(\?(?:=|!|<=|<!|P=)|\\[1-9]|\\g<|\\k<")


def re2_problem(pattern: str) -> str | None:
    """Why RE2 cannot run ``pattern`` (a sentence for the user), or None when it can."""
    try:
        pc.match_substring_regex(_EMPTY, pattern, ignore_case=True)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        detail = str(exc).removeprefix("Invalid regular expression: ")
        if _UNSAFE.search(pattern):
            return (f"the pattern '{pattern}' uses a look-around such as (?=...) or (?<!...), or a "
                    "back-reference such as \\1; Leadbench does not run those, because on long texts "
                    "they can take hours. Rewrite it without them (often as two conditions joined "
                    "by 'all of' or 'none of')")
        if detail.startswith("invalid repetition size"):
            return (f"the pattern '{pattern}' repeats something more than 1,000 times "
                    f"({detail.split(': ')[-1]}); use a smaller count or '+'")
        return f"the pattern '{pattern}' is not a valid regular expression ({detail})"
    return None


def regex_lut(cats: pd.Series, pattern: str, *,
              is_cancelled: Callable[[], bool] | None = None) -> np.ndarray:
    """True for each distinct value (``cats``, normalised texts) that ``pattern`` is found in.

    Case-insensitive; missing values never match. Raises ModelError (field 'value') for a pattern
    RE2 cannot run and Cancelled when ``is_cancelled()`` turns true between batches.
    """
    problem = re2_problem(pattern)
    if problem is not None:
        raise ModelError(problem, field="value")
    values = pa.array(cats.array, pa.string()) if len(cats) else pa.array([], pa.string())
    out = np.zeros(len(values), bool)
    for start in range(0, len(values), _BATCH):
        if is_cancelled is not None and is_cancelled():
            raise Cancelled()
        hits = pc.match_substring_regex(values.slice(start, _BATCH), pattern, ignore_case=True)
        out[start:start + _BATCH] = pc.fill_null(hits, False).to_numpy(zero_copy_only=False)
    return out

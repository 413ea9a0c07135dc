"""Owners for the leads of a hand-off: existing owners kept, territories, round robin, a cap.

For each lead, best score first (the order sales sees them):

1. a lead whose owner column already names someone keeps that owner (not counted against a cap);
2. a lead whose territory column holds a value of the model's territory rules goes to that rep;
3. any other lead goes to the next rep of the round robin (reps at their cap are skipped);
4. when its rep (or every rep) has reached the cap, the lead is held back: it is not handed off
   this time and counts as new at the next hand-off.

The rules live in the model (:class:`scoring.model.definition.OwnerRules`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from scoring.model.definition import OwnerRules
from scoring.reading.tagging import normalise_header

__all__ = ["Assignment", "assign_owners", "owner_column", "OWNER", "OWNER_HEADERS"]

OWNER = "owner"
#: Normalised headers of a column that already names a lead's owner.
OWNER_HEADERS = ("owner", "leadowner", "contactowner", "ownername", "hubspotowner", "salesrep",
                 "salesowner", "accountowner", "assignedto", "rep")


def owner_column(columns) -> str | None:
    """The list's own owner column (``Lead Owner``, ``owner``, ``Assigned to``...), or None."""
    for column in columns:
        if normalise_header(column) in OWNER_HEADERS:
            return column
    return None


@dataclass(frozen=True)
class Assignment:
    """Owners for some leads (in the order given).

    Attributes
    ----------
    owners : one owner per lead (None: no owner)
    held : True for leads held back because their rep (or every rep) reached the cap
    kept, by_territory, by_round_robin : how many leads got their owner each way
    per_rep : new leads per rep in this hand-off
    """

    owners: np.ndarray
    held: np.ndarray
    kept: int = 0
    by_territory: int = 0
    by_round_robin: int = 0
    per_rep: dict[str, int] = field(default_factory=dict)

    @property
    def n_held(self) -> int:
        return int(np.count_nonzero(self.held))

    def summary(self, cap: int | None = None) -> str:
        """In words: "Owners: 12 kept, 5 by territory, 24 round robin; 3 held back (cap 10 per rep)"."""
        parts = [f"{n:,} {what}" for n, what in ((self.kept, "kept"), (self.by_territory, "by territory"),
                                                   (self.by_round_robin, "round robin")) if n]
        text = "Owners: " + (", ".join(parts) if parts else "none assigned")
        if self.n_held:
            text += (f"; {self.n_held:,} held back for the next hand-off (every rep they could go to "
                     f"has {cap:,} new leads)" if cap else "")
        return text


def _texts(values: pd.Series) -> np.ndarray:
    """Cells as stripped texts; missing and blank cells as None."""
    out = values.astype("str").str.strip().to_numpy(object)
    blank = values.isna().to_numpy() | (out == "") | pd.isna(out)
    out[blank] = None
    return out


def assign_owners(frame: pd.DataFrame, rows: np.ndarray, rules: OwnerRules, *,
                  existing: str | None = None) -> Assignment:
    """Owners for ``rows`` of ``frame`` (in that order) under ``rules``.

    Parameters
    ----------
    frame : the lead list's typed columns
    rows : the positions of the leads to hand off, best first
    rules : reps, territory, cap
    existing : the list's own owner column, whose filled cells are kept (None: none)
    """
    rows = np.asarray(rows, dtype=np.int64)
    n = len(rows)
    owners = np.full(n, None, dtype=object)
    held = np.zeros(n, bool)
    if existing is not None and existing in frame.columns:
        owners[:] = _texts(frame[existing].take(rows).reset_index(drop=True))
    kept = int(sum(o is not None for o in owners))
    if not rules.assigns:
        return Assignment(owners, held, kept=kept)
    territory = {str(k).strip().casefold(): rep for k, rep in rules.territories}
    places = np.full(n, None, dtype=object)
    if rules.territory_column is not None and rules.territory_column in frame.columns:
        places = _texts(frame[rules.territory_column].take(rows).reset_index(drop=True))
    counts: dict[str, int] = {}
    reps = list(rules.reps)
    cap = rules.cap
    turn = 0
    by_territory = by_round_robin = 0

    def room(rep: str) -> bool:
        return cap is None or counts.get(rep, 0) < cap

    for i in range(n):
        if owners[i] is not None:
            continue
        place = places[i]
        rep = territory.get(place.casefold()) if place is not None else None
        if rep is not None:
            if room(rep):
                owners[i], counts[rep] = rep, counts.get(rep, 0) + 1
                by_territory += 1
            else:
                held[i] = True
            continue
        for step in range(len(reps)):
            candidate = reps[(turn + step) % len(reps)]
            if room(candidate):
                owners[i], counts[candidate] = candidate, counts.get(candidate, 0) + 1
                turn = (turn + step + 1) % len(reps)
                by_round_robin += 1
                break
        else:
            held[i] = bool(reps)      # no reps at all: the lead goes without an owner
    return Assignment(owners, held, kept, by_territory, by_round_robin, counts)

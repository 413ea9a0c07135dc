"""What changed since the last hand-off: leads that entered, left or stayed MQL, and why.

A *snapshot* is a frame of ``lead_id``, ``score``, ``rules`` (the scoring rules that gave the lead
points, "A; B") and ``mql``: every MQL at a hand-off, plus the MQLs of the hand-off before that
are MQLs no longer (``mql`` False, ``score`` missing when the lead is not in the list any more).
The ledger keeps one per hand-off; :func:`snapshot` makes one from a scored list. Comparing two
says for each lead which rules it gained or lost, how its score moved, whether it left the list,
and whether the model itself changed in between.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.handoff.identity import LeadIds

__all__ = ["Changes", "snapshot", "compare_snapshots", "split_rules"]

SEPARATOR = "; "


def split_rules(text) -> set[str]:
    """The rule names of a ``rules`` cell."""
    if text is None or (not isinstance(text, str) and pd.isna(text)) or not text:
        return set()
    return set(str(text).split(SEPARATOR))


def snapshot(result, ids: LeadIds, rows: np.ndarray, rules: list[str],
             previous: pd.DataFrame | None = None, fired=None) -> pd.DataFrame:
    """The snapshot of a scored list: the MQL ``rows`` (one per id, with their ``rules``), plus the
    leads of ``previous`` that were MQLs then and are not now (their current score and rules, or
    a missing score when their id is not in the list). ``fired(rows)`` gives rule texts for rows."""
    current = pd.DataFrame({"lead_id": ids.values.iloc[rows].to_numpy(object),
                            "score": np.asarray(result.total)[rows], "rules": rules, "mql": True})
    if previous is None or previous.empty:
        return current
    was = previous.loc[previous["mql"].astype(bool), "lead_id"]
    gone = was[~was.isin(set(current["lead_id"]))].tolist()
    if not gone:
        return current
    values = ids.values
    position = pd.Series(np.arange(len(values)), index=values.to_numpy(object))
    position = position[~position.index.duplicated(keep="first") & position.index.notna()]
    found = position.reindex(gone)
    in_list = found.notna().to_numpy()
    where = found.to_numpy()[in_list].astype(np.int64)
    scores = np.full(len(gone), np.nan)
    scores[in_list] = np.asarray(result.total)[where]
    texts = [""] * len(gone)
    if fired is not None and len(where):
        for k, text in zip(np.flatnonzero(in_list), fired(where)):
            texts[k] = text
    left = pd.DataFrame({"lead_id": gone, "score": scores, "rules": texts, "mql": False})
    return pd.concat([current, left], ignore_index=True)


@dataclass(frozen=True)
class Changes:
    """Leads that entered, left and stayed MQL between two snapshots, each with ``why``.

    Each frame has lead_id, before, after (scores; missing when unknown) and why.
    """

    entered: pd.DataFrame
    left: pd.DataFrame
    stayed: pd.DataFrame
    model_changed: bool = False

    def summary(self, since: str = "the last hand-off") -> str:
        """"41 entered, 12 left, 271 stayed MQLs since the last hand-off"."""
        text = (f"{len(self.entered):,} entered, {len(self.left):,} left, {len(self.stayed):,} stayed MQLs "
                f"since {since}")
        return text + (" (the model changed in between)" if self.model_changed else "")


def _score(value) -> str:
    return "?" if value is None or pd.isna(value) else f"{round(float(value), 1):g}"


def _quoted(names) -> str:
    return ", ".join(f"'{n}'" for n in sorted(names))


def _why(before_rules: set, after_rules: set, before, after, *, entered: bool, known_before: bool,
         model_changed: bool) -> str:
    parts = []
    gained, lost = after_rules - before_rules, before_rules - after_rules
    if known_before:
        if gained:
            parts.append(f"now matches {_quoted(gained)}")
        if lost:
            parts.append(f"no longer matches {_quoted(lost)}")
        if not gained and not lost and _score(before) != _score(after):
            parts.append(f"score {_score(before)} → {_score(after)} (points fade with time)")
        elif _score(before) != _score(after):
            parts.append(f"score {_score(before)} → {_score(after)}")
    elif entered:
        parts.append(f"scores {_score(after)}" + (f": {_quoted(after_rules)}" if after_rules else ""))
    if model_changed:
        parts.append("the model changed")
    return "; ".join(parts) or "no change"


def compare_snapshots(before: pd.DataFrame, after: pd.DataFrame, *, model_changed: bool = False) -> Changes:
    """Compare the snapshot of the last hand-off (``before``) with a newer one (``after``)."""
    def records(frame):
        frame = frame.drop_duplicates("lead_id")
        return dict(zip(frame["lead_id"], zip(frame["score"], frame["rules"], frame["mql"].astype(bool))))

    b, a = records(before), records(after)
    rows = {"entered": [], "left": [], "stayed": []}
    for lead, (score, rules, mql) in a.items():
        if not mql:
            continue
        old = b.get(lead)
        kind = "stayed" if old is not None and old[2] else "entered"
        before_score = old[0] if old is not None else None
        why = _why(split_rules(old[1]) if old is not None else set(), split_rules(rules), before_score, score,
                   entered=kind == "entered", known_before=old is not None, model_changed=model_changed)
        rows[kind].append((lead, before_score, score, why))
    for lead, (score, rules, mql) in b.items():
        new = a.get(lead)
        if not mql or (new is not None and new[2]):
            continue
        after_score = new[0] if new is not None else None
        if after_score is None or pd.isna(after_score):
            why = "not in the list any more"
        else:
            why = _why(split_rules(rules), split_rules(new[1]), score, after_score, entered=False,
                       known_before=True, model_changed=model_changed)
        rows["left"].append((lead, score, after_score, why))
    frames = {k: pd.DataFrame(v, columns=["lead_id", "before", "after", "why"]) for k, v in rows.items()}
    return Changes(frames["entered"], frames["left"], frames["stayed"], model_changed)

"""Guessing the funnel's stage order from a stage/status column's values.

CRM exports name their lifecycle stages in a few common ways ("SQL", "Sales Qualified Lead",
"Opportunity", "Customer", "Closed Won"). :func:`guess_stage_order` picks the values that come
after MQL, in funnel order, so the funnel shows something useful before the user orders it.
Values before MQL (subscriber, lead, MQL itself) and lost or unknown ones are left out.
"""

from __future__ import annotations

from collections.abc import Iterable

from scoring.insight.analytics import merge_key

__all__ = ["STAGES_AFTER_MQL", "guess_stage_order"]

#: Stage names after MQL, in funnel order; each entry lists spellings (compared by merge_key).
STAGES_AFTER_MQL = (
    ("sal", "sales accepted lead", "sales accepted", "accepted"),
    ("sql", "sales qualified lead", "sales qualified", "qualified"),
    ("opportunity", "opp", "opportunities", "deal", "proposal", "negotiation"),
    ("customer", "client", "closed won", "closed - won", "won", "paying customer", "evangelist"),
)
_RANK = {merge_key(name): rank for rank, names in enumerate(STAGES_AFTER_MQL) for name in names}


def guess_stage_order(values: Iterable[str]) -> tuple[str, ...]:
    """The values of a stage column that come after MQL, earliest first.

    Parameters
    ----------
    values : the column's distinct values (as displayed)

    Returns
    -------
    tuple of str
        The known later stages among ``values`` in funnel order (values sharing a place keep
        their given order); empty when none is recognised.
    """
    found = [(rank, i, str(v)) for i, v in enumerate(values)
             if (rank := _RANK.get(merge_key(str(v)))) is not None]
    return tuple(v for _rank, _i, v in sorted(found))

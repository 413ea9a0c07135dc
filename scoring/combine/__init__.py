"""Many files, one lead: other files joined to a lead list, and leads rolled up into accounts.

Holds the match of another file's rows to the leads by a key (``keys``: an id, an email address
or a person and company), lookups that bring columns (``lookup``: a left join keeping every lead
and its order), aggregates of an activity log (``aggregate``: counts, dates, sums, distinct
values, optionally where a condition holds and within N days of the scoring date), applying a
model's recipe (``apply``: ``Combiner``, ``combine``) and accounts (``accounts``: leads grouped
by company or email domain, the account score and the Marketing Qualified Account threshold).
The recipe's values live in ``scoring.model.recipe`` so the model file can save them.

May import: ``scoring.evaluate`` (an aggregate's condition runs through the engine's own
``Scorer.mask``, so it means exactly what a rule's condition means), ``scoring.model``,
``scoring.reading``, ``scoring.names`` and the shared floor. That puts it beside
``scoring.insight`` rather than below ``scoring.evaluate``: nothing in evaluation needs a join
(the engine scores the joined ``LeadTable`` like any other), while the join needs evaluation.
``scoring.handoff``, ``scoring.sql`` and ``scoring.report`` may import it.
"""

from scoring.combine.accounts import AccountTable, account_keys, guess_account_column, roll_up
from scoring.combine.apply import CombinedTable, Combiner, combine, load_source, source_label
from scoring.combine.errors import CombineError, SourceMissing
from scoring.combine.keys import MatchPreview

__all__ = ["Combiner", "CombinedTable", "combine", "load_source", "source_label", "CombineError",
           "SourceMissing", "MatchPreview", "AccountTable", "account_keys", "guess_account_column",
           "roll_up"]

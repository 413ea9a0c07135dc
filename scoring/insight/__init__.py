"""Insight: plain numbers for the charts and the back-test, from score arrays and prepared columns.

Holds the analytics inputs (``analytics``), score distribution and the fit x engagement grid
(``distribution``), conversion and cost by source (``conversion``), funnel and stage order
(``funnel``, ``stages``), MQLs over time (``timeline``), outcome mapping (``outcome``), the
back-test (``backtest``), rule suggestions (``suggest``) and a back-tested starting model from the
outcome column (``starter``, with ``starter_columns``: which columns, and ``starter_levels``: values
merged into levels and their conditions).

May import: ``scoring.evaluate``, ``scoring.model``, ``scoring.reading`` and the shared floor.
"""

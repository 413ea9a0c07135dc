"""Insight: plain numbers for the charts and the back-test, from score arrays and prepared columns.

Holds the analytics inputs (``analytics``), score distribution and the fit x engagement grid
(``distribution``), conversion and cost by source (``conversion``), funnel and stage order
(``funnel``, ``stages``), MQLs over time (``timeline``), outcome mapping (``outcome``), the
back-test (``backtest``) and rule suggestions (``suggest``).

May import: ``scoring.evaluate``, ``scoring.model``, ``scoring.reading`` and the shared floor.
"""

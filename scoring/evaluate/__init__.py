"""Evaluation: a model applied to a lead table.

Holds prepared columns (``prepared``: category codes, floats, day numbers), the incremental
``Scorer`` (``engine``), the read-only ``ScoreResult`` with its per-rule contribution matrix
(``result``) and per-lead explanations and reasons (``explain``).

May import: ``scoring.model``, ``scoring.reading`` and the shared floor.
"""

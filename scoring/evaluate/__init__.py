"""Evaluation: a model applied to a lead table.

Holds prepared columns (``prepared``: category codes, floats, day numbers), the incremental
``Scorer`` (``engine``), the read-only ``ScoreResult`` with its per-rule contribution matrix
(``result``), per-lead explanations and reasons whose points add up to the score (``explain``),
and a model's columns mapped onto a list that names them otherwise (``column_map``).

May import: ``scoring.model``, ``scoring.reading`` and the shared floor.
"""

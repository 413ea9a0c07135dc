"""The scoring model: what a user builds and saves.

Holds the model's frozen dataclasses (``definition``: conditions, rules, groups, gates, threshold,
column settings), its JSON file format and validation (``model_file``), the operator registry
(``operators``), RE2 matching for the ``matches`` operator (``regex_match``) and rules in plain
words (``describe``).

May import: the shared floor (``scoring.errors``, ``scoring.column_types``, ``scoring.atomic``,
``scoring.emails``). Never reading, evaluation or anything above it.
"""

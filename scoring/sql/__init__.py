"""The model as SQL: one SELECT that scores a warehouse table with the engine's semantics.

Holds the generator (``generator``) and one class per dialect (``dialects``: DuckDB, SQLite,
Postgres, BigQuery, Snowflake, Spark).

May import: ``scoring.evaluate``, ``scoring.model`` and the shared floor; nothing from insight,
hand-off or the report.
"""

"""The model as SQL: one SELECT that scores a warehouse table with the engine's semantics.

Holds the generator (``generator``), one class per dialect (``dialects``: DuckDB, SQLite,
Postgres, BigQuery, Snowflake, Spark), and the DuckDB engine that runs the generated query on a
file bigger than memory (``duckdb_engine``; DuckDB is the optional extra ``leadbench[big]``).

May import: ``scoring.evaluate``, ``scoring.model``, ``scoring.reading`` and the shared floor;
nothing from insight, hand-off or the report.
"""

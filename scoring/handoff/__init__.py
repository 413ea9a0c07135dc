"""Hand-off: what leaves Leadbench for sales, and the checks before it does.

Holds the lead export (``export`` with ``export_csv``, ``export_xlsx`` and the Summary/Model sheets
in ``export_summary``), duplicate finding (``duplicates``), the comparison of two models on one
list (``compare``, ``compare_rules``), and hand-offs to sales: the SQLite ledger (``ledger``), a
lead's identity (``identity``), new-only hand-offs written together with the ledger (``handoff``),
owners (``owners``), sales feedback (``feedback``), the KPIs over time (``kpi``) and what changed
between hand-offs (``changes``).

May import: ``scoring.insight``, ``scoring.evaluate``, ``scoring.model``, ``scoring.reading`` and
the shared floor.
"""

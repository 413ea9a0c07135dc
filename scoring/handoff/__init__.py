"""Hand-off: what leaves Leadbench for sales, and the checks before it does.

Holds the lead export (``export`` with ``export_csv``, ``export_xlsx`` and the Summary/Model sheets
in ``export_summary``), duplicate finding (``duplicates``) and the comparison of two models on one
list (``compare``, ``compare_rules``).

May import: ``scoring.insight``, ``scoring.evaluate``, ``scoring.model``, ``scoring.reading`` and
the shared floor.
"""

"""Leadbench's engine: reading lead files, the scoring model, evaluation, analytics and export.

Qt-free by contract (see ``[tool.importlinter]`` in pyproject.toml): everything the window does,
a script or the command line can do through this package. Its parts, each a package whose
``__init__`` says what it holds, from the bottom up (an arrow may only point down):

- the shared floor: ``errors``, ``column_types``, ``atomic`` (safe saves), ``emails`` (one
  definition of an address, used by the model's operators, the SQL writer and data quality);
- ``reading`` (files to a typed ``LeadTable``) beside ``model`` (rules, the file format);
- ``evaluate`` (the scorer, results, explanations);
- ``insight`` (analytics, back-test, suggestions);
- ``handoff`` (export, duplicates, model comparison) beside ``sql`` (the model as SQL);
- ``report`` (the audit report).

``sample`` generates the bundled sample list. Import the submodules you need, e.g.
``from scoring.reading import load_leads`` or ``from scoring.evaluate.engine import Scorer``.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]

"""Leadbench's engine: reading lead files, the scoring model, evaluation, analytics and export.

Qt-free by contract (see ``[tool.importlinter]`` in pyproject.toml): everything the window does,
a script or the command line can do through this package. Import the submodules you need, e.g.
``from scoring.reading import load_leads`` or ``from scoring.engine import Scorer``.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]

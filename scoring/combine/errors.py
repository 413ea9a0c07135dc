"""The errors of joining other files to the leads."""

from __future__ import annotations

from scoring.errors import LeadbenchError

__all__ = ["CombineError", "SourceMissing"]


class CombineError(LeadbenchError):
    """Another file cannot be joined to the leads: one sentence naming the file and the column
    (a key column it lacks, keys that never match, an id several leads share, a date column whose
    cells are not dates)."""


class SourceMissing(CombineError):
    """A source file named by the model is not where the model says.

    Attributes
    ----------
    source : the source's name in the model ("deals"), so the window can ask for the file again
    path : where the model looked
    """

    def __init__(self, source: str, path: str) -> None:
        self.source, self.path = source, str(path)
        name = self.path.replace("\\", "/").rsplit("/", 1)[-1]
        super().__init__(f"the model's source '{source}' reads {name}, which is not there "
                         f"({self.path}); point the source at the file again "
                         f"(--source {source}=FILE on the command line)")

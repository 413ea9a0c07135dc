"""The error types the engine raises.

Every message is written for a marketer, not a programmer: which file or rule, what is wrong,
and what to do about it. The command line prints ``str(error)`` and exits with status 2; the
window shows it in a dialog.
"""

from __future__ import annotations

__all__ = ["LeadbenchError", "LoadError", "ModelError", "ExportError", "Cancelled"]


class LeadbenchError(ValueError):
    """Base class for every problem the user can fix (bad file, bad model, bad export target)."""


class LoadError(LeadbenchError):
    """A lead file cannot be read.

    Parameters
    ----------
    path : the file, named in the message
    problem : what is wrong, in plain words ("the file is empty")
    advice : what to do ("Export the list again from your CRM.")
    """

    def __init__(self, path, problem: str, advice: str = "") -> None:
        self.path = str(path)
        self.problem = problem
        self.advice = advice
        name = self.path.rsplit("/", 1)[-1]
        super().__init__(f"Cannot open {name}: {problem}." + (f" {advice}" if advice else ""))


class ModelError(LeadbenchError):
    """A scoring model is invalid; names the rule and the field at fault when known.

    ``say_field=False`` keeps the field for the window (which widget to point at) but out of the
    message, when the problem already says it ("column 'title' is not in this lead list").
    """

    def __init__(self, problem: str, rule: str | None = None, field: str | None = None, *,
                 say_field: bool = True) -> None:
        self.problem = problem
        self.rule = rule
        self.field = field
        where = ""
        if rule is not None:
            where = f'Rule "{rule}"'
            if field and say_field:
                where += f", field '{field}'"
            where += ": "
        elif field:
            where = f"Field '{field}': "
        super().__init__(where + problem)


class ExportError(LeadbenchError):
    """An export cannot be written (target is the source file, folder missing, disk full...)."""


class Cancelled(Exception):
    """Raised inside long work when the caller's ``is_cancelled()`` returns True.

    Not a LeadbenchError: cancelling is not a problem to report.
    """

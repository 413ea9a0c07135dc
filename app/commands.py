"""Undoable edits of the scoring model.

Every change the user makes to rules, threshold, scoring date, column types, tags or missing-value markers is a
new immutable ``Model``; one command class swaps model snapshots, so undo is exact. The text shown in
the Edit menu ("Undo Change points of Senior title") is derived from the two snapshots by
``describe_change``, so callers never write it by hand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from scoring.model.definition import Model, Rule

if TYPE_CHECKING:
    from app.document import Document

__all__ = ["ReplaceModel", "describe_change"]

_MERGE_ID = 1001


class ReplaceModel(QUndoCommand):
    """Swap the document's model for ``new``; consecutive edits with the same ``merge_key``
    (a threshold slider drag, typing in a points box) merge into one undo step."""

    def __init__(self, doc: "Document", new: Model, text: str | None = None,
                 merge_key: str | None = None) -> None:
        super().__init__(text or describe_change(doc.model, new))
        self._doc, self._old, self._new, self._key = doc, doc.model, new, merge_key

    def redo(self) -> None:
        self._doc.set_model(self._new)

    def undo(self) -> None:
        self._doc.set_model(self._old)

    def seal(self) -> None:
        """Stop merging: the next edit with the same key becomes its own undo step."""
        self._key = None

    def id(self) -> int:
        return _MERGE_ID if self._key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, ReplaceModel) or other._key != self._key:
            return False
        self._new = other._new
        if self._new == self._old:
            self.setObsolete(True)
        return True


_RULE_FIELDS = (
    ("points", "Change points of {}"),
    ("when", "Change condition of {}"),
    ("group", "Move {} to another group"),
    ("kind", "Change kind of {}"),
    ("decay", "Change decay of {}"),
)


def _describe_rule_change(old: Rule, new: Rule) -> str:
    if old.enabled != new.enabled:
        return f"{'Enable' if new.enabled else 'Disable'} {new.name}"
    changed = [text for field, text in _RULE_FIELDS if getattr(old, field) != getattr(new, field)]
    if old.name != new.name and not changed:
        return f"Rename {old.name}"
    if len(changed) == 1:
        return changed[0].format(new.name)
    return f"Edit {new.name}"


def _describe_rules(old: tuple[Rule, ...], new: tuple[Rule, ...]) -> str | None:
    if old == new:
        return None
    if len(new) == len(old) + 1:
        added = [r for r in new if r not in old]
        return f"Add rule {added[0].name}" if added else "Add rule"
    if len(new) == len(old) - 1:
        removed = [r for r in old if r not in new]
        return f"Delete rule {removed[0].name}" if removed else "Delete rule"
    if len(new) == len(old):
        if sorted(r.name for r in old) == sorted(r.name for r in new) and \
                [r.name for r in old] != [r.name for r in new]:
            before = {r.name: r for r in old}
            moved = next((n for n in new if before[n.name] != n),
                         next(n for o, n in zip(old, new) if o.name != n.name))
            regrouped = before[moved.name].group != moved.group
            return f"Move {moved.name} to {moved.group.title()}" if regrouped else f"Move {moved.name}"
        diffs = [(o, n) for o, n in zip(old, new) if o != n]
        if len(diffs) == 1:
            return _describe_rule_change(*diffs[0])
    return "Edit rules"


def _describe_columns(old: Model, new: Model) -> str | None:
    if old.missing_values != new.missing_values:
        added = [v for v in new.missing_values if v not in old.missing_values]
        if len(added) == 1:
            return f"Treat '{added[0]}' as missing"
        return "Change missing-value markers"
    if old.columns == new.columns:
        return None
    before, after = dict(old.columns), dict(new.columns)
    names = [c for c in {**before, **after} if before.get(c) != after.get(c)]
    if len(names) != 1:
        return "Change column settings"
    column = names[0]
    o, n = old.column_settings(column), new.column_settings(column)
    if o.type != n.type:
        return f"Change type of {column}"
    if o.format != n.format:
        return f"Read {column} as {n.format}" if n.format else f"Read {column} automatically"
    if (o.decimal_mark, o.thousands_mark) != (n.decimal_mark, n.thousands_mark):
        return f"Change number format of {column}"
    return f"Tag {column} as {n.tag}" if n.tag else f"Remove tag of {column}"


def describe_change(old: Model, new: Model) -> str:
    """A short imperative phrase for the edit from ``old`` to ``new`` (for the undo menu)."""
    parts = []
    rules = _describe_rules(old.rules, new.rules)
    if rules:
        parts.append(rules)
    if old.threshold != new.threshold:
        parts.append("Change threshold")
    if old.as_of != new.as_of:
        parts.append(f"Score as of {new.as_of:%-d %b %Y}" if new.as_of else "Score as of today")
    columns = _describe_columns(old, new)
    if columns:
        parts.append(columns)
    if old.name != new.name:
        parts.append("Rename model")
    if old.groups != new.groups:
        parts.append("Change group caps")
    if len(parts) == 1:
        return parts[0]
    return "Edit model" if parts else "No change"

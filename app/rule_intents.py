"""Turn the rule builder's intents (add, edit, toggle, duplicate, delete, move, score groups and
their caps) into model edits.

Each intent becomes one undoable ``Document.edit_model`` call; the undo text is derived from the
two model snapshots (see ``app.commands.describe_change``).
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QWidget

from app.document import Document
from app.value_counts import ValueCounts
from scoring.model.definition import Group, Model, Rule
from widgets.groups_dialog import GroupsDialog
from widgets.rule_editor import RuleEditorDialog

__all__ = ["RuleIntents"]


class RuleIntents:
    def __init__(self, parent: QWidget, doc: Document) -> None:
        self._parent, self._doc = parent, doc
        self._values = ValueCounts(doc)

    # -- the editor's data ---------------------------------------------------------------------
    def column_types(self) -> dict:
        return dict(self._doc.table.types) if self._doc.table is not None else {}

    def value_counts(self, column: str) -> list[tuple[str, int]]:
        """Distinct values of ``column`` with their counts, most frequent first; a date column's
        newest first, so the editor's dates start at the column's latest day (cached per table;
        a big list's text columns are counted on a worker beforehand: ``app.value_counts``)."""
        return self._values.of(column)

    # -- intents -------------------------------------------------------------------------------
    def add(self, group: str = "fit") -> None:
        rule = RuleEditorDialog.edit(self._parent, None, group, self.column_types(), self.value_counts,
                                     groups=self._group_names())
        if rule is not None:
            model = self._doc.model
            self._doc.edit_model(_with_group_of(model.with_rules(model.rules + (rule,)), rule))

    def edit(self, index: int) -> None:
        rules = self._doc.model.rules
        if not 0 <= index < len(rules):
            return
        rule = RuleEditorDialog.edit(self._parent, rules[index], rules[index].group,
                                     self.column_types(), self.value_counts, groups=self._group_names())
        if rule is not None:
            self._doc.edit_model(_with_group_of(self._doc.model.with_rule(index, rule), rule))

    def edit_groups(self) -> None:
        """Score groups and caps ("Groups…"): one undoable step."""
        groups = GroupsDialog.edit(self._parent, self._doc.model.groups)
        if groups is not None:
            self._doc.edit_model(replace(self._doc.model, groups=groups), text="Change score groups")

    def _group_names(self) -> list[str]:
        model = self._doc.model
        return list(dict.fromkeys([g.name for g in model.groups] + [r.group for r in model.rules
                                                                     if not r.is_gate]))

    def toggle(self, index: int, enabled: bool) -> None:
        rules = self._doc.model.rules
        if 0 <= index < len(rules):
            self._doc.edit_model(self._doc.model.with_rule(index, replace(rules[index], enabled=enabled)))

    def duplicate(self, index: int) -> None:
        rules = list(self._doc.model.rules)
        if 0 <= index < len(rules):
            rules.insert(index + 1, replace(rules[index], name=_copy_name(rules[index].name, rules)))
            self._doc.edit_model(self._doc.model.with_rules(rules))

    def delete(self, index: int) -> None:
        rules = list(self._doc.model.rules)
        if 0 <= index < len(rules):
            del rules[index]
            self._doc.edit_model(self._doc.model.with_rules(rules))

    def move(self, source: int, target: int, group: str) -> None:
        rules = list(self._doc.model.rules)
        if not 0 <= source < len(rules):
            return
        rule = rules.pop(source)
        if not rule.is_gate and group and group != rule.group:
            rule = replace(rule, group=group)
        rules.insert(max(0, min(target, len(rules))), rule)
        self._doc.edit_model(self._doc.model.with_rules(rules))


def _with_group_of(model: Model, rule: Rule) -> Model:
    """``model`` with ``rule``'s score group among its groups (a new group starts without a cap)."""
    if rule.is_gate or any(g.name == rule.group for g in model.groups):
        return model
    return replace(model, groups=model.groups + (Group(rule.group),))


def _copy_name(name: str, rules: list[Rule]) -> str:
    taken = {r.name for r in rules}
    candidate, n = f"{name} (copy)", 2
    while candidate in taken:
        candidate, n = f"{name} (copy {n})", n + 1
    return candidate

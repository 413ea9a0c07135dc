"""The scoring model: rules, groups, gates and threshold, as immutable values.

A model is a tree of frozen dataclasses. Edits make new models (``dataclasses.replace`` or the
``with_*`` helpers), so an undo command can swap snapshots and the engine can tell which rules
changed by comparing them. The JSON file format lives in ``scoring.model.model_file``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal, Union

from scoring.model.recipe import AccountRollup, Source

__all__ = [
    "Condition", "Compound", "Predicate", "Decay", "Rule", "Group", "ColumnSettings",
    "AnalysisSettings", "OwnerRules", "Model", "RuleKind", "FIT", "ENGAGEMENT",
]

FIT = "fit"
ENGAGEMENT = "engagement"
RuleKind = Literal["score", "require", "disqualify"]


@dataclass(frozen=True)
class Condition:
    """One test on one column: ``{"column": ..., "op": ..., "value": ...}``.

    ``value`` is normalised to hashable types: lists become tuples, so conditions can be
    dictionary keys (the engine caches masks by condition). ``extra`` keeps unknown keys from the
    file; it takes no part in equality (a note does not change what a condition selects).
    """

    column: str
    op: str
    value: Any = None
    extra: tuple[tuple[str, Any], ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Compound:
    """``all`` (AND), ``any`` (OR) of several predicates, or ``not`` of exactly one."""

    mode: Literal["all", "any", "not"]
    items: tuple["Predicate", ...]
    extra: tuple[tuple[str, Any], ...] = field(default=(), compare=False)


Predicate = Union[Condition, Compound]


@dataclass(frozen=True)
class Decay:
    """Points halve every ``half_life_days`` since the date in ``date_column``."""

    date_column: str
    half_life_days: float


@dataclass(frozen=True)
class Rule:
    """A named rule. ``kind="score"`` adds ``points`` to ``group`` when ``when`` matches;
    ``require`` blocks MQL status when it does not match; ``disqualify`` blocks it when it does.
    ``extra`` keeps unknown keys from the file so they survive a round trip."""

    name: str
    when: Predicate
    points: float = 0.0
    group: str = FIT
    kind: RuleKind = "score"
    enabled: bool = True
    decay: Decay | None = None
    extra: tuple[tuple[str, Any], ...] = ()

    @property
    def is_gate(self) -> bool:
        return self.kind != "score"


@dataclass(frozen=True)
class Group:
    """A score group (fit, engagement, ...); ``cap`` limits its subtotal (None: no cap)."""

    name: str
    cap: float | None = None
    extra: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class ColumnSettings:
    """What the user said about one column: a type override and/or a tag (see column_types),
    and how its cells are written (``format``: for dates a pattern such as ``DD/MM/YYYY`` or
    ``excel-serial``, ``unix-seconds``, ``unix-milliseconds``, see ``scoring.reading.dates``; None:
    found from the values).
    For numbers, the marks to read them with: ``decimal_mark`` "." or ",", ``thousands_mark``
    "", ",", ".", " " (any space) or "'" (None: as detected)."""

    type: str | None = None
    tag: str | None = None
    extra: tuple[tuple[str, Any], ...] = ()
    format: str | None = None
    decimal_mark: str | None = None
    thousands_mark: str | None = None


@dataclass(frozen=True)
class AnalysisSettings:
    """How the charts and the back-test read the lead list; saved with the model.

    Attributes
    ----------
    spend : money spent per source value, in the order the user typed them
        (``(("Paid Search", 12000.0), ...)``); empty: no cost chart
    won_values : the outcome values that mean won (``(1,)``, ``("Closed - Converted",)``);
        None: guess them from the column (``scoring.insight.outcome.guess_won_values``)
    stage_order : the funnel's stage values after MQL, earliest first; None: guessed from
        common stage names (``scoring.insight.stages.guess_stage_order``); empty: no stage steps
    fit_bands, engagement_bands : three increasing inner band edges of the fit x engagement
        grid; None: from the group cap or the quartiles
    open_values : the outcome values that mean "still open" (neither won nor lost: "Engaging",
        "Prospecting"); left out of back-test figures. None: guessed
        (``scoring.insight.outcome.guess_open_values``)
    extra : keys this version does not know, kept for the round trip
    """

    spend: tuple[tuple[str, float], ...] = ()
    won_values: tuple | None = None
    stage_order: tuple[str, ...] | None = None
    fit_bands: tuple[float, float, float] | None = None
    engagement_bands: tuple[float, float, float] | None = None
    extra: tuple[tuple[str, Any], ...] = ()
    open_values: tuple | None = None

    @property
    def is_default(self) -> bool:
        return self == AnalysisSettings()

    def spend_of(self) -> dict[str, float]:
        """The spend as a mapping (source value -> amount)."""
        return dict(self.spend)


@dataclass(frozen=True)
class OwnerRules:
    """Who gets the leads of a hand-off to sales; saved with the model.

    Attributes
    ----------
    reps : the sales reps, in the order round robin deals leads to them
    territory_column : a column whose values send a lead to a rep (country, state...); None: none
    territories : (value, rep) pairs for ``territory_column``, compared ignoring case and outer
        spaces; values not listed go round robin
    cap : at most this many new leads per rep per hand-off (None: no cap); leads left over wait
        for the next hand-off
    extra : keys this version does not know, kept for the round trip
    """

    reps: tuple[str, ...] = ()
    territory_column: str | None = None
    territories: tuple[tuple[str, str], ...] = ()
    cap: int | None = None
    extra: tuple[tuple[str, Any], ...] = ()

    @property
    def is_default(self) -> bool:
        return self == OwnerRules()

    @property
    def assigns(self) -> bool:
        """Whether these rules give leads an owner at all (some rep or territory is set)."""
        return bool(self.reps or self.territories)


@dataclass(frozen=True)
class Model:
    """A whole scoring model. ``rules`` keep their order (the order the user sees);
    ``analysis`` holds the chart and back-test settings (spend, outcome mapping, stages, bands);
    ``as_of`` the date "within N days", decay and the charts count from (None: today);
    ``sources`` the other files joined to the leads and ``accounts`` the account roll-up
    (``scoring.model.recipe``); ``owners`` how a hand-off to sales assigns owners."""

    name: str = "Untitled model"
    threshold: float = 50.0
    groups: tuple[Group, ...] = (Group(FIT), Group(ENGAGEMENT))
    rules: tuple[Rule, ...] = ()
    columns: tuple[tuple[str, ColumnSettings], ...] = ()
    missing_values: tuple[str, ...] = ()
    description: str = ""
    extra: tuple[tuple[str, Any], ...] = ()
    analysis: AnalysisSettings = AnalysisSettings()
    as_of: date | None = None           # the scoring date; None: today (or what the caller says)
    sources: tuple[Source, ...] = ()    # other files joined to the leads (scoring.combine)
    accounts: AccountRollup | None = None   # leads rolled up into accounts
    owners: OwnerRules = OwnerRules()   # who gets the leads handed off to sales

    # -- immutable edits ------------------------------------------------------------------
    def with_rule(self, index: int, rule: Rule) -> "Model":
        rules = list(self.rules)
        rules[index] = rule
        return replace(self, rules=tuple(rules))

    def with_rules(self, rules) -> "Model":
        return replace(self, rules=tuple(rules))

    def with_threshold(self, threshold: float) -> "Model":
        return replace(self, threshold=float(threshold))

    def with_as_of(self, as_of: date | None) -> "Model":
        """The model scored as of ``as_of`` (None: as of the day it is opened)."""
        return replace(self, as_of=as_of)

    def with_analysis(self, **changes) -> "Model":
        """The model with some analysis settings changed (``spend=...``, ``won_values=...``)."""
        return replace(self, analysis=replace(self.analysis, **changes))

    def group(self, name: str) -> Group:
        for g in self.groups:
            if g.name == name:
                return g
        return Group(name)

    def column_settings(self, column: str) -> ColumnSettings:
        return dict(self.columns).get(column, ColumnSettings())

    def with_column_settings(self, column: str, settings: ColumnSettings) -> "Model":
        """The model with ``settings`` for ``column`` (dropped when empty). Unknown keys the
        file had for this column are kept."""
        cols = dict(self.columns)
        if not settings.extra and column in cols:
            settings = replace(settings, extra=cols[column].extra)
        if settings == ColumnSettings():
            cols.pop(column, None)
        else:
            cols[column] = settings
        return replace(self, columns=tuple(cols.items()))

    def tagged(self, tag: str) -> str | None:
        """The column carrying ``tag``, or None."""
        for column, settings in self.columns:
            if settings.tag == tag:
                return column
        return None



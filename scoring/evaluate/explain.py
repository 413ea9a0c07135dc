"""Why a lead scored what it did, in plain words; reason texts for exports.

``explain_lead`` describes one lead for the explanation panel; ``reasons_text`` and
``blocked_by_text`` describe many leads at once for exports, without a per-row Python loop.

Listed points add up: a lead's reasons list every scoring rule that fired with the points it
actually gave (after decay), and every group cap that cut its subtotal as a part of its own
("Engagement capped at 60: −5"). Points are shown to the cent (two decimals at most, as the
exported score), and when rounding each part would make the parts miss the rounded score by a
cent or two, the parts that were rounded the furthest take the difference (largest remainder),
so the listed points always sum to the score as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from scoring.evaluate.reachable import out_of_reach
from scoring.evaluate.number_detail import number_detail
from scoring.evaluate.result import TOLERANCE, ScoreResult

__all__ = ["FiredRule", "CapApplied", "LeadExplanation", "explain_lead", "reasons_text",
           "reasons_codes", "reasons_array", "blocked_by_text", "blocked_by_codes", "blocked_by_array", "format_points",
           "format_exact_points", "listed_points", "ListedPart", "cap_text"]


def _num(value: float) -> str:
    """A score for people: two decimals at most ("94.21", "60"), as exports write it."""
    return f"{round(value, 2) + 0.0:g}"


def format_exact_points(points: float) -> str:
    """Signed points to the cent, as used in a score: "+15", "−7.5", "+21.21"."""
    cents = int(round(float(points) * 100))
    sign = "−" if cents < 0 else "+"
    whole, part = divmod(abs(cents), 100)
    if part == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole}.{part // 10}" if part % 10 == 0 else f"{sign}{whole}.{part:02d}"


def format_points(points: float) -> str:
    """Signed points for people, one decimal at most: "+15", "−10", "+21.2"."""
    points = round(float(points), 1) + 0.0      # + 0.0 turns -0.0 into 0.0
    text = f"{int(points):+d}" if points.is_integer() else f"{points:+.1f}"
    return text.replace("-", "−")


@dataclass(frozen=True)
class FiredRule:
    """A scoring rule that matched a lead: ``points`` after decay, ``full_points`` the rule's;
    ``detail`` the numbers behind it ("Revenue € 1,234.56 ≥ € 1,000"; "" when not about numbers);
    ``shown`` the points listed (``points`` to the cent, so that the listed parts add up to the
    score; None: ``points``)."""

    name: str
    group: str
    points: float
    full_points: float
    detail: str = ""
    shown: float | None = None

    @property
    def decayed(self) -> bool:
        return abs(self.points - self.full_points) > 1e-9

    @property
    def listed(self) -> float:
        return self.points if self.shown is None else self.shown

    def text(self) -> str:
        """"Asked for a demo +21.21 (decayed from 30)", or "Senior title +15"."""
        out = _rule_text(self.name, self.listed, self.full_points, self.decayed)
        return out + (f" — {self.detail}" if self.detail else "")


def _rule_text(name: str, listed: float, full: float, decayed: bool) -> str:
    out = f"{name} {format_exact_points(listed)}"
    if decayed and abs(listed - full) >= 0.005:
        out += f" (decayed from {format_exact_points(full).lstrip('+')})"
    return out


@dataclass(frozen=True)
class CapApplied:
    """A group whose subtotal ``raw`` was cut down to ``cap``; ``shown`` the points the cap
    takes away as listed (``cap - raw`` to the cent; None: exactly that)."""

    group: str
    raw: float
    cap: float
    shown: float | None = None

    @property
    def listed(self) -> float:
        return self.cap - self.raw if self.shown is None else self.shown

    def text(self) -> str:
        """"Engagement capped at 60: −5"."""
        return cap_text(self.group, self.cap, self.listed)


def cap_text(group: str, cap: float, points: float) -> str:
    return f"{group[:1].upper() + group[1:]} capped at {_num(cap)}: {format_exact_points(points)}"


@dataclass(frozen=True)
class LeadExplanation:
    """Everything that decided one lead's score and MQL status.

    ``groups`` are the capped subtotals by group; ``blocking`` the names of the gates that stop
    it; ``gap`` is threshold minus score (negative: points to spare); ``closers`` are up to three
    (rule name, points) of unmatched rules that would each close the gap alone, smallest first.
    ``lines()``/``text()`` say it all in plain sentences.
    """

    row: int
    score: float
    groups: dict[str, float]
    threshold: float
    mql: bool
    fired: list[FiredRule] = field(default_factory=list)
    caps: list[CapApplied] = field(default_factory=list)
    blocking: list[str] = field(default_factory=list)
    gap: float = 0.0
    closers: list[tuple[str, float]] = field(default_factory=list)

    @property
    def fit(self) -> float:
        return self.groups.get("fit", 0.0)

    @property
    def engagement(self) -> float:
        return self.groups.get("engagement", 0.0)

    def headline(self) -> str:
        status = "MQL" if self.mql else ("Blocked" if self.blocking else "Not an MQL")
        return f"{status}: scored {_num(self.score)} (threshold {_num(self.threshold)})"

    def verdict(self) -> str:
        if self.blocking:
            gates = ", ".join(self.blocking)
            if self.gap <= 0:
                return f"Scores enough, but blocked by: {gates}."
            return f"Blocked by: {gates}; also {_num(self.gap)} points short."
        if self.mql:
            return (f"Qualifies with {_num(-self.gap)} points to spare." if self.gap < 0
                    else "Qualifies exactly at the threshold.")
        if self.closers:
            name, points = self.closers[0]
            return f"{_num(self.gap)} points short: {name} ({format_points(points)}) would qualify it."
        return f"{_num(self.gap)} points short; no single rule would close the gap."

    def lines(self) -> list[str]:
        out = [self.headline(), self.verdict()]
        out += [f"• {rule.text()}" for rule in self.fired] or ["• No scoring rule matched."]
        out += [f"• {c.text()}" for c in self.caps]
        return out

    def text(self) -> str:
        return "\n".join(self.lines())


def explain_lead(result: ScoreResult, row: int, table=None) -> LeadExplanation:
    """Why lead ``row`` (a position in the table) scored what it did.

    Lists the scoring rules that fired (with decayed points), the caps that cut a group, the
    gates that block it, and, when it falls short, up to three unmatched enabled rules with
    positive points that would each close the gap alone (their points after this lead's decay
    and after the group's cap). With the scored ``table``, rules the lead cannot come to match
    (a fit rule its own title or company size rules out: :mod:`scoring.evaluate.reachable`) are
    not suggested. A rule on a number column also says
    the numbers behind it, in the column's currency or as a percentage. The listed points of the
    fired rules and caps add up to the score (see the module docstring).
    """
    model = result.model
    listed = {part.key: part.at(0) for part in listed_points(result, [row]) if part.hit[0]}
    fired, closers, blocking = [], [], []
    for i, rule in enumerate(model.rules):
        if not rule.enabled:
            continue
        if rule.is_gate:
            if result.gate_failed(i)[row]:
                blocking.append(rule.name)
            continue
        factor = float(result.decay[i][row]) if result.decay[i] is not None else 1.0
        if result.matches[i][row]:
            if rule.points:
                fired.append(FiredRule(rule.name, rule.group, float(rule.points) * factor,
                                       float(rule.points),
                                       number_detail(rule.when, table, row) if table is not None else "",
                                       shown=listed.get(i, 0) / 100))
        elif rule.points > 0:
            closers.append((rule.name, float(rule.points), rule.group, float(rule.points) * factor, i))
    groups = {g: float(v[row]) for g, v in result.groups.items()}
    raws = {g: float(v[row]) for g, v in result.groups_raw.items()}
    caps = [CapApplied(g, raws[g], float(model.group(g).cap), listed[g] / 100)
            for g in result.groups if g in listed]          # in the order reasons list them
    score = float(result.total[row])
    gap = round(model.threshold - score, 6)
    useful = []
    if gap > 0 and table is not None and closers:
        unreachable = out_of_reach(model, table, row, as_of=result.as_of, rules=[c[4] for c in closers])
        closers = [c for c in closers if c[4] not in unreachable]
    if gap > 0:
        for name, points, group, got, _index in sorted(closers, key=lambda c: c[1]):
            cap, raw = model.group(group).cap, raws.get(group, 0.0)
            gain = got if cap is None else min(raw + got, cap) - min(raw, cap)
            if gain >= gap - TOLERANCE:
                useful.append((name, points))
    return LeadExplanation(row, round(score, 6), groups, float(model.threshold),
                           bool(result.mql[row]), fired, caps, blocking, gap, useful[:3])


@dataclass(frozen=True)
class ListedPart:
    """One part of the listed points of many leads: a scoring rule (``key`` its index in
    ``model.rules``) or a group's cap (``key`` the group's name). ``hit``: the leads it is listed
    for; ``cents``: the points listed there, in hundredths (0 elsewhere), or one whole number
    when the part lists the same points for every lead it is listed for (an undecayed rule)."""

    key: int | str
    hit: np.ndarray
    cents: np.ndarray | int

    def at(self, position: int) -> int:
        """The hundredths listed for the lead at ``position`` (0 when not listed there)."""
        if not self.hit[position]:
            return 0
        return self.cents if isinstance(self.cents, int) else int(self.cents[position])

    def listed_values(self) -> tuple[np.ndarray, np.ndarray]:
        """The distinct hundredths listed, and per lead a code: 0 where the part is not listed,
        else 1 + the index of its value."""
        if isinstance(self.cents, int):
            return np.array([self.cents]), self.hit.astype(np.int64)
        values, inverse = np.unique(self.cents[self.hit], return_inverse=True)
        codes = np.zeros(len(self.hit), np.int64)
        codes[self.hit] = inverse.reshape(-1) + 1
        return values, codes


def listed_points(result: ScoreResult, rows=None) -> list[ListedPart]:
    """The points listed for each lead, rule by rule (in model order) then cap by cap (in group
    order), in hundredths that add up to each lead's score rounded to the cent.

    Vectorised: each part's exact points are rounded; where the rounded parts miss the rounded
    score, the parts rounded furthest in the wanting direction take one cent each (largest
    remainder), so no part moves by more than a cent. An undecayed rule with whole cents is
    exact and kept as one number; only leads that miss are looked at part by part, so a million
    leads need no (parts x leads) matrix.
    """
    idx = _rows(result, rows)
    model = result.model
    keys, hits, cents, exact = [], [], [], []
    listed = np.zeros(len(idx), np.int64)

    def add(key, hit, points: np.ndarray | int, precise: np.ndarray | None) -> None:
        nonlocal listed
        keys.append(key)
        hits.append(hit)
        cents.append(points)
        exact.append(precise)
        listed += hit * points if isinstance(points, int) else points   # (0 where not hit)

    for i, rule in enumerate(model.rules):
        if rule.is_gate or not rule.enabled or not rule.points:
            continue
        hit = np.asarray(result.matches[i][idx], bool)
        if not hit.any():
            continue
        whole = float(rule.points) * 100.0
        if result.decay[i] is None and abs(whole - round(whole)) < 1e-9:
            add(i, hit, int(round(whole)), None)
            continue
        points = np.where(hit, whole, 0.0)
        if result.decay[i] is not None:
            points *= result.decay[i][idx]
        add(i, hit, np.rint(points).astype(np.int64), points)
    for name in result.groups:
        cap = model.group(name).cap
        if cap is None:
            continue
        raw, capped = result.groups_raw[name][idx], result.groups[name][idx]
        hit = raw > capped + TOLERANCE
        if hit.any():
            points = np.where(hit, (capped - raw) * 100.0, 0.0)
            add(name, hit, np.rint(points).astype(np.int64), points)
    if not keys:
        return []
    short = np.rint(result.total[idx] * 100.0).astype(np.int64) - listed
    wrong = np.flatnonzero(short != 0)
    if len(wrong):
        _share_out(hits, cents, exact, short, wrong)
    return [ListedPart(key, hit, c) for key, hit, c in zip(keys, hits, cents)]


def _share_out(hits: list, cents: list, exact: list, short: np.ndarray, wrong: np.ndarray) -> None:
    """Move the listed parts of the ``wrong`` leads by a cent each, in place, so that they add
    up: a lead ``short`` of k cents raises its k parts that were rounded down the most (and
    lowers those rounded up the most when it has too many). Exact parts move only when the
    others cannot make up the difference."""
    n = len(hits)
    present = np.vstack([h[wrong] for h in hits])
    got = np.vstack([np.full(len(wrong), c) if isinstance(c, int) else c[wrong] for c in cents])
    err = np.vstack([np.zeros(len(wrong)) if e is None else e[wrong] for e in exact]) - got
    need = short[wrong]
    up = need > 0
    key = np.where(present, np.where(up, -err, err), np.inf)    # most wanting first
    rank = np.argsort(np.argsort(key, axis=0, kind="stable"), axis=0, kind="stable")
    move = present & (rank < np.abs(need))
    step = np.where(move, np.sign(need), 0).astype(np.int64)
    for part in range(n):
        if not step[part].any():
            continue
        if isinstance(cents[part], int):              # an exact part has to move: per lead now
            cents[part] = np.where(hits[part], cents[part], 0).astype(np.int64)
        cents[part][wrong] += step[part]


def _rows(result: ScoreResult, rows) -> np.ndarray:
    return np.arange(result.n_rows) if rows is None else np.asarray(rows, dtype=np.int64)


def _pattern_texts(n: int, parts: list[tuple[np.ndarray, list[str]]]) -> list[str]:
    codes, texts = _pattern_codes(n, parts)
    return np.asarray(texts, dtype=object)[codes].tolist()


def _pattern_codes(n: int, parts: list[tuple[np.ndarray, list[str]]]) -> tuple[np.ndarray, list[str]]:
    codes, texts = _pattern_array(n, parts)
    return codes, texts.to_pylist()


def _pattern_array(n: int, parts: list[tuple[np.ndarray, list[str]]]) -> tuple[np.ndarray, pa.Array]:
    """Join texts per row without a per-row loop: an index per row into the distinct texts
    (an Arrow array: a quarter of a million leads can have a hundred thousand distinct reasons).

    Each part is (codes, texts): per row an index into ``texts`` (0 = nothing to say). Rows are
    grouped by their combination of codes (a mixed-radix key, renumbered when it would overflow;
    grouped by hashing, not sorting), and each distinct combination is joined once, by Arrow.
    """
    if not parts or n == 0:
        return np.zeros(n, np.intp), pa.array([""], pa.string())
    key = np.zeros(n, np.int64)
    radix = 1
    for codes, texts in parts:
        if radix * len(texts) >= 2**62:
            key = _factorize(key)[0].astype(np.int64, copy=False)
            radix = int(key.max()) + 1
        key *= len(texts)
        key += codes
        radix *= len(texts)
    inverse, first = _factorize(key)
    at = [codes[first] for codes, _ in parts]
    # a combination with nothing to say keeps its first part's "" (pyarrow 26 drops a row whose
    # parts are all null from the join, instead of giving "")
    silent = np.logical_and.reduce([a == 0 for a in at])
    columns = [pc.if_else(pa.array((a != 0) | (silent if i == 0 else False)),
                          pa.array(texts, pa.string()).take(pa.array(a)), pa.scalar(None, pa.string()))
               for i, (a, (_, texts)) in enumerate(zip(at, parts))]
    return inverse, pc.binary_join_element_wise(*columns, "; ", null_handling="skip")


def _factorize(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row the number of its distinct key (in order of first appearance), and the first row
    of each distinct key."""
    inverse, uniques = pd.factorize(key, sort=False)
    first = np.empty(len(uniques), np.intp)
    first[inverse[::-1]] = np.arange(len(key) - 1, -1, -1)
    return inverse.astype(np.intp, copy=False), first


def reasons_text(result: ScoreResult, rows=None) -> list[str]:
    """"Senior title +15; Asked for a demo +21.21 (decayed from 30); Fit capped at 20: −1.21"
    for each row ("" when no scoring rule matched): the fired rules in rule order, then the
    caps that cut a group, with points that add up to the score (see :func:`listed_points`).
    ``rows``: positions to describe (default all).

    Vectorised for exports of a million leads: rows are grouped by which parts they list (and
    with how many points) and each distinct text is built once.
    """
    codes, texts = reasons_codes(result, rows)
    return np.asarray(texts, dtype=object)[codes].tolist()


def reasons_codes(result: ScoreResult, rows=None) -> tuple[np.ndarray, list[str]]:
    """:func:`reasons_text` as an index per row into the distinct texts (cheap to turn into an
    Arrow dictionary column: no Python string per row)."""
    codes, texts = reasons_array(result, rows)
    return codes, texts.to_pylist()


def reasons_array(result: ScoreResult, rows=None) -> tuple[np.ndarray, pa.Array]:
    """:func:`reasons_codes` with the distinct texts as an Arrow array (for exports: no Python
    string at all)."""
    idx = _rows(result, rows)
    model = result.model
    parts = []
    for part in listed_points(result, idx):
        if isinstance(part.key, str):
            values, inverse = part.listed_values()   # inverse: 0 where not listed
            cap = float(model.group(part.key).cap)
            texts = [""] + [cap_text(part.key, cap, v / 100) for v in values]
        elif result.decay[part.key] is None or isinstance(part.cents, int):
            values, inverse = part.listed_values()
            rule = model.rules[part.key]
            texts = [""] + [_rule_text(rule.name, v / 100, float(rule.points), False) for v in values]
        else:                               # "decayed from" only where the decay took points
            rule = model.rules[part.key]
            full = float(rule.points)
            decayed = np.abs(full * (result.decay[part.key][idx] - 1.0)) > 1e-9
            key = part.cents * 2 + decayed
            values, found = np.unique(key[part.hit], return_inverse=True)
            inverse = np.zeros(len(idx), np.int64)
            inverse[part.hit] = found.reshape(-1) + 1
            texts = [""] + [_rule_text(rule.name, (k // 2) / 100, full, bool(k % 2)) for k in values.tolist()]
        parts.append((inverse, texts))
    return _pattern_array(len(idx), parts)


def blocked_by_text(result: ScoreResult, rows=None) -> list[str]:
    """The names of the gates blocking each row, joined by "; " ("" when none)."""
    codes, texts = blocked_by_codes(result, rows)
    return np.asarray(texts, dtype=object)[codes].tolist()


def blocked_by_codes(result: ScoreResult, rows=None) -> tuple[np.ndarray, list[str]]:
    """:func:`blocked_by_text` as an index per row into the distinct texts."""
    codes, texts = blocked_by_array(result, rows)
    return codes, texts.to_pylist()


def blocked_by_array(result: ScoreResult, rows=None) -> tuple[np.ndarray, pa.Array]:
    """:func:`blocked_by_codes` with the distinct texts as an Arrow array."""
    idx = _rows(result, rows)
    parts = []
    for i, rule in enumerate(result.model.rules):
        if rule.is_gate and rule.enabled:
            hit = result.gate_failed(i)[idx]
            if hit.any():
                parts.append((hit.astype(np.int64), ["", rule.name]))
    return _pattern_array(len(idx), parts)

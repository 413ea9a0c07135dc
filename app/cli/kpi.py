"""``leadbench kpi``: MQLs handed off per week or month against a target, and what sales made of them."""

from __future__ import annotations

import argparse
import json

from scoring.handoff.kpi import BENCHMARK_NOTE, BENCHMARKS, PERIODS, PeriodKpi, Tracking, rate_text, tracking
from scoring.handoff.ledger import Ledger

__all__ = ["add_parser", "run", "kpi_text"]


def _target(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of MQLs") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"the target must be 0 or more, not {value}")
    return value


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``kpi`` on the ``leadbench`` parser."""
    parser = subparsers.add_parser("kpi", help="MQLs handed off against a target, acceptance and conversion")
    parser.add_argument("--ledger", required=True)
    parser.add_argument("--target", type=_target, metavar="N", help="MQLs to hand off per period")
    parser.add_argument("--by", choices=PERIODS, default="week", help="per week (default) or month")
    parser.add_argument("--json", action="store_true", help="everything as JSON (rates as fractions 0..1)")
    return parser


def _row(p: PeriodKpi) -> str:
    versus = "" if p.status is None else f"{p.status} {p.gap:+,}"
    target = "" if p.target is None else f"{p.target:,}"
    return (f"{p.period:<9} {p.handed:>10,} {target:>7} {versus:>12} {rate_text(p.lead_to_mql):>9} "
            f"{rate_text(p.acceptance_rate):>11} {rate_text(p.mql_to_sql):>8} {rate_text(p.mql_to_won):>8}")


def kpi_text(found: Tracking) -> str:
    """The KPIs as the terminal shows them."""
    if not found.periods:
        return "No hand-offs in this ledger yet: run leadbench handoff first."
    last = found.last_handoff
    lines = [f"Hand-offs: {found.n_handoffs:,} (the last as of {last.day} {last:%b %Y})", "",
             f"{'Period':<9} {'Handed off':>10} {'Target':>7} {'vs target':>12} {'Lead→MQL':>9} "
             f"{'Acceptance':>11} {'MQL→SQL':>8} {'MQL→won':>8}"]
    lines += [_row(p) for p in found.periods]
    lines.append(_row(found.total))
    lines += ["", "Third-party benchmarks:"]
    lines += [f"  {b.name}: {b.text}" for b in BENCHMARKS.values()]
    lines.append(f"  ({BENCHMARK_NOTE})")
    for title, quality in (("Quality by source", found.by_source), ("Quality by rule", found.by_rule)):
        answered = [q for q in quality if q.answered]
        if answered:
            lines += ["", f"{title} (most rejected first):"] + [f"  {q.sentence}" for q in answered[:10]]
    if found.changes is not None:
        lines += ["", f"At the last hand-off: {found.changes.summary('the one before')}"]
        for kind in ("entered", "left"):
            frame = getattr(found.changes, kind)
            for row in frame.head(5).itertuples(index=False):
                lines.append(f"  {kind}: {row.lead_id}: {row.why}")
    return "\n".join(lines)


def run(args) -> int:
    with Ledger(args.ledger, create=False) as ledger:
        found = tracking(ledger, by=args.by, target=args.target)
    if args.json:
        print(json.dumps(found.as_dict(), indent=2, ensure_ascii=False, default=str))
    else:
        print(kpi_text(found))
    return 0

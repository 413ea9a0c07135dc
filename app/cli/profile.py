"""``leadbench profile``: describe the columns of a lead list (types, fill, distinct, top values)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from scoring.reading.numbers import currency_text
from scoring.reading.profiling import profile_table

from app.cli.common import add_missing, load_for_command

__all__ = ["add_parser", "run"]


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``profile`` on the ``leadbench`` parser."""
    profile = subparsers.add_parser("profile", help="describe the columns of a lead list")
    profile.add_argument("input")
    profile.add_argument("--sheet")
    profile.add_argument("--json", action="store_true")
    add_missing(profile)
    return profile


def run(args) -> int:
    """Print one line per column (or JSON with ``--json``)."""
    table = load_for_command(args)
    profiles = profile_table(table)
    if args.json:
        print(json.dumps({"file": str(args.input), "sheet": table.sheet, "rows": table.n_rows,
                          "warnings": table.warnings,
                          "columns": [p.to_dict() for p in profiles]}, indent=2, default=str))
        return 0
    print(f"{Path(args.input).name}: {table.n_rows:,} rows, {len(profiles)} columns"
          + (f" (sheet {table.sheet})" if table.sheet else ""))
    width = min(40, max((len(p.name) for p in profiles), default=4))
    print(f"{'column':<{width}}  {'type':<8}  {'filled':>6}  {'distinct':>8}  top values / range")
    for p in profiles:
        if p.minimum is not None and p.number_format is not None:      # "€ 99.90 … € 1,000,000"
            detail = f"{currency_text(p.minimum, p.number_format)} … {currency_text(p.maximum, p.number_format)}"
        elif p.minimum is not None:
            detail = f"{_short(p.minimum)} … {_short(p.maximum)}"
        else:
            detail = ", ".join(f"{_short(v)} ({n:,})" for v, n in p.top[:3])
        name = p.name if len(p.name) <= width else p.name[:width - 1] + "…"
        print(f"{name:<{width}}  {str(p.type):<8}  {p.fill_rate:>6.0%}  {p.distinct:>8,}  {detail}")
    return 0


def _short(value) -> str:
    if hasattr(value, "date") and hasattr(value, "hour") and value.hour == value.minute == 0:
        value = value.date()
    text = str(value)
    return text if len(text) <= 24 else text[:23] + "…"

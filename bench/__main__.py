"""Run every benchmark: ``python -m bench`` (or ``make bench``). Figures go to bench/out/results.json."""

from __future__ import annotations

import importlib
import json
import pkgutil

import bench
from bench.common import OUT


def run() -> dict:
    results = {}
    for module in sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_")):
        print(f"== {module}")
        results[module] = importlib.import_module(f"bench.{module}").main()
    OUT.mkdir(exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(results, indent=2, default=float))
    return results


if __name__ == "__main__":
    run()

"""Run every benchmark: ``python -m bench`` (or ``make bench``); ``--quick`` at 200,000 leads.

Prints each module's figures, then a summary of every target (measured beside target) and exits 1
when a judged target (a ratio, an AUC gap, a GUI freeze) misses. Figures also go to bench/out/results.json.
Each benchmark runs in a process of its own.

    python -m bench [--quick] [--only load,score,...]
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import subprocess
import sys
import tempfile
from pathlib import Path


def _modules(only: list[str]) -> list[str]:
    import bench

    names = sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_"))
    if only:
        wanted = {f"bench_{n.removeprefix('bench_')}" for n in only}
        unknown = wanted - set(names)
        if unknown:
            raise SystemExit(f"bench: no benchmark called {', '.join(sorted(unknown))} "
                             f"(there are: {', '.join(n.removeprefix('bench_') for n in names)})")
        names = [n for n in names if n in wanted]
    return names


def run(only: list[str] | None = None) -> tuple[dict, list[tuple]]:
    from bench.common import OUT

    results, rows = {}, []
    for name in _modules(only or []):
        print(f"== {name}", flush=True)
        results[name] = out = _in_own_process(name)
        module = importlib.import_module(f"bench.{name}")         # (for its targets)
        for target in getattr(module, "TARGETS", ()):
            if target.key in out:
                rows.append((name, target, float(out[target.key])))
    OUT.mkdir(exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(results, indent=2, default=float))
    return results, rows


def _in_own_process(name: str) -> dict:
    """``bench.<name>.main()`` run in a process of its own, and what it returned.

    Each benchmark starts from a fresh process: run one after another in one process, a benchmark
    met the heap and page cache the ones before it left (ten million rows of activity, a window
    of ten million leads), which weighed on the side that allocates more (the CSV export read
    1.9-2.1x inside a whole run against 1.5-1.6x alone).
    """
    code = ("import importlib, json, sys; out = importlib.import_module(sys.argv[1]).main(); "
            "open(sys.argv[2], 'w').write(json.dumps(out, default=float))")
    with tempfile.TemporaryDirectory() as folder:
        result = Path(folder) / "result.json"
        process = subprocess.run([sys.executable, "-c", code, f"bench.{name}", str(result)])
        if process.returncode != 0 or not result.exists():
            raise SystemExit(f"bench: {name} failed (exit status {process.returncode})")
        return json.loads(result.read_text())


def summary(rows: list[tuple]) -> int:
    """Print the targets table; the number of ratios that missed."""
    from bench.common import ROWS

    print(f"\n== targets ({ROWS:,} leads; ratios and freezes are judged, times are shown)")
    missed = 0
    for module, target, value in rows:
        ok = target.met(value)
        missed += target.judged and not ok
        verdict = ("ok" if ok else "MISSED") if target.judged else ("(within)" if ok else "(over)")
        measured = (f"{value:.2f}{target.unit}" if target.unit == "x" else
                    f"{value:+.3f} {target.unit}" if target.unit == "AUC" else f"{value:.1f} {target.unit}")
        limit = f"<= {target.limit:g}{target.unit}" if target.unit == "x" else f"<= {target.limit:g} {target.unit}"
        label = target.label or target.key
        print(f"  {module.removeprefix('bench_'):<11} {label:<46} {measured:>15}  {limit:<16} {verdict}")
    print(f"{missed} target{'s' if missed != 1 else ''} missed" if missed else "every judged target met")
    return missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="200,000 leads instead of a million")
    parser.add_argument("--only", default="", help="comma-separated benchmarks, e.g. load,cli")
    args = parser.parse_args(argv)
    if args.quick:
        os.environ["LEADBENCH_BENCH_ROWS"] = "200000"      # read by bench.common when it loads
    _results, rows = run([n for n in args.only.split(",") if n])
    return 1 if summary(rows) else 0


if __name__ == "__main__":
    sys.exit(main())

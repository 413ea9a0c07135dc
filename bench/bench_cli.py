"""The whole command, as a user runs it: ``leadbench score`` and ``leadbench profile`` processes
against bare library processes doing the least the same job needs, alternated, best of three.

- score: ``leadbench score LEADS --model M --output OUT.csv`` (1M leads x 20 rules, every lead with
  its reasons, best first) vs a process running ``pandas.read_csv`` + ``pyarrow.csv.write_csv``.
  Targets: time <= 2.5x, peak memory <= 1.5x.
- profile: ``leadbench profile LEADS`` vs a process running ``pandas.read_csv``. Target <= 3x.
- score at ten times the size (10M leads, ~1.75 GB; 2M with ``--quick``), the same two processes,
  best of two: time <= 3x, peak memory <= 1.5x.

Times include starting Python and importing; peak memory is the child's maximum resident size.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.bench_score import MODEL
from bench.common import BIG_ROWS, Target, big_csv
from bench.peak import measured
from scoring.model.model_file import save_model

__all__ = ["main", "TARGETS"]

TARGETS = (Target("score_ratio", 2.5, label="leadbench score vs read_csv + write_csv process"),
           Target("score_memory_ratio", 1.5, label="leadbench score peak memory vs the same"),
           Target("profile_ratio", 3.0, label="leadbench profile vs read_csv process"),
           Target("big_score_ratio", 3.0, label=f"score {BIG_ROWS // 1_000_000}M leads vs read_csv + write_csv"),
           Target("big_score_memory_ratio", 1.5, label=f"score {BIG_ROWS // 1_000_000}M leads peak memory vs the same"))
ROUNDS = 3
BIG_ROUNDS = 2

_BARE_SCORE = ("import sys, pandas as pd, pyarrow as pa, pyarrow.csv as c; "
               "c.write_csv(pa.Table.from_pandas(pd.read_csv(sys.argv[1]), preserve_index=False), sys.argv[2])")
_BARE_READ = "import sys, pandas as pd; pd.read_csv(sys.argv[1])"


def _run(args: list[str]) -> tuple[float, float]:
    """Seconds and peak resident megabytes of one process (started through ``bench.peak``, so
    that this process's own size does not count as the command's).

    The disk first writes what is waiting (``os.sync``, not timed): ``leadbench score`` makes its
    output durable (fsync) and the bare writer does not, and the fsync otherwise also waited for the
    file the bare run before it had just written (3.06x in one run, 2.2-2.4x in others).
    """
    os.sync()
    process = subprocess.run([sys.executable, "-m", "bench.peak", *args], capture_output=True, text=True)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:3])}… failed: {process.stderr[-500:]}")
    return measured(process.stdout)


def _best(pairs: list[tuple[float, float]]) -> tuple[float, float]:
    return min(p[0] for p in pairs), min(p[1] for p in pairs)


def main() -> dict:
    leads = big_csv()
    python = sys.executable
    with tempfile.TemporaryDirectory() as folder:
        model = Path(folder) / "model.json"
        save_model(MODEL, model)
        out_csv = str(Path(folder) / "out.csv")
        score = [python, "-m", "app", "score", str(leads), "--model", str(model), "--output", out_csv,
                 "--as-of", "2026-11-01"]
        bare_score = [python, "-c", _BARE_SCORE, str(leads), str(Path(folder) / "bare.csv")]
        profile = [python, "-m", "app", "profile", str(leads)]
        bare_read = [python, "-c", _BARE_READ, str(leads)]
        runs: dict[str, list] = {"score": [], "bare_score": [], "profile": [], "bare_read": []}
        for _ in range(ROUNDS):           # alternated, so both meet the same state of the machine
            for name, args in (("bare_score", bare_score), ("score", score),
                               ("bare_read", bare_read), ("profile", profile)):
                runs[name].append(_run(args))
        big = _big_runs(python, model, Path(folder))
    (score_s, score_mb), (bare_s, bare_mb) = _best(runs["score"]), _best(runs["bare_score"])
    (profile_s, _), (read_s, _) = _best(runs["profile"]), _best(runs["bare_read"])
    out = {"score_s": score_s, "bare_score_s": bare_s, "score_ratio": score_s / bare_s,
           "score_mb": score_mb, "bare_score_mb": bare_mb, "score_memory_ratio": score_mb / bare_mb,
           "profile_s": profile_s, "bare_read_s": read_s, "profile_ratio": profile_s / read_s}
    print(f"leadbench score {score_s:.2f} s, {score_mb:,.0f} MB vs read_csv + write_csv {bare_s:.2f} s, "
          f"{bare_mb:,.0f} MB -> {out['score_ratio']:.2f}x time, {out['score_memory_ratio']:.2f}x memory")
    print(f"leadbench profile {profile_s:.2f} s vs read_csv {read_s:.2f} s -> {out['profile_ratio']:.2f}x")
    (big_s, big_mb), (big_bare_s, big_bare_mb) = _best(big["score"]), _best(big["bare_score"])
    out.update({"big_score_s": big_s, "big_bare_score_s": big_bare_s, "big_score_ratio": big_s / big_bare_s,
                "big_score_mb": big_mb, "big_bare_score_mb": big_bare_mb,
                "big_score_memory_ratio": big_mb / big_bare_mb})
    print(f"{BIG_ROWS:,} leads: leadbench score {big_s:.1f} s, {big_mb:,.0f} MB vs read_csv + write_csv "
          f"{big_bare_s:.1f} s, {big_bare_mb:,.0f} MB -> {out['big_score_ratio']:.2f}x time, "
          f"{out['big_score_memory_ratio']:.2f}x memory")
    return out


def _big_runs(python: str, model: Path, folder: Path) -> dict[str, list]:
    """The score and bare processes on the big list (each output removed after its run)."""
    leads = big_csv(BIG_ROWS)
    out = folder / "big.csv"
    score = [python, "-m", "app", "score", str(leads), "--model", str(model), "--output", str(out),
             "--as-of", "2026-11-01"]
    bare = [python, "-c", _BARE_SCORE, str(leads), str(out)]
    runs: dict[str, list] = {"score": [], "bare_score": []}
    for _ in range(BIG_ROUNDS):
        for name, args in (("bare_score", bare), ("score", score)):
            runs[name].append(_run(args))
            out.unlink(missing_ok=True)
    return runs


if __name__ == "__main__":
    main()

"""Run one command; then print ``PEAK <seconds> <megabytes>``, its time and peak resident size:
``python -m bench.peak CMD…``.

The kernel's peak resident size of a process (``ru_maxrss``) starts from the memory of the process
that started it: ``exec`` keeps the old address space's peak. A benchmark that holds a big table
and starts the measured command itself would see its own size reported as the command's. Started
through this small process, the command's peak is its own. Its output and errors pass through
(the PEAK line comes last); its exit status is this one's.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time


def measured(output: str) -> tuple[float, float]:
    """Seconds and peak megabytes from the output of ``python -m bench.peak``."""
    line = next(line for line in reversed(output.splitlines()) if line.startswith("PEAK "))
    seconds, megabytes = line.split()[1:]
    return float(seconds), float(megabytes)


def main(argv: list[str]) -> int:
    start = time.perf_counter()
    sys.stdout.flush()
    process = subprocess.Popen(argv)
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    print(f"PEAK {seconds:.6f} {usage.ru_maxrss / 1024:.3f}")
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

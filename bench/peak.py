"""Run one command; print its seconds and peak resident megabytes: ``python -m bench.peak CMD…``.

The kernel's peak resident size of a process (``ru_maxrss``) starts from the memory of the process
that started it: ``exec`` keeps the old address space's peak. A benchmark that holds a big table
and starts the measured command itself would see its own size reported as the command's. Started
through this small process, the command's peak is its own. Its output goes nowhere; its errors
pass through; its exit status is this one's.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    print(f"{seconds:.6f} {usage.ru_maxrss / 1024:.3f}")
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Where Arrow's buffers come from: the C library's allocator, so freed memory goes back.

pyarrow allocates through its bundled mimalloc by default, which keeps freed pages for Arrow's
own reuse. Leadbench frees a lot of Arrow memory after reading a list (the parser's blocks, the
texts of columns kept as codes) and then allocates through numpy and pandas, which cannot reuse
those pages: a million-lead ``leadbench score`` peaked at 875 MB with mimalloc and 650 MB with the
system allocator, at the same speed.
"""

from __future__ import annotations

import os

__all__ = ["use_system_allocator"]


def use_system_allocator() -> None:
    """Make Arrow allocate with the system allocator from now on, unless the user chose one
    with the ``ARROW_DEFAULT_MEMORY_POOL`` environment variable."""
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return
    import pyarrow as pa                   # not at import: ``leadbench --version`` needs no Arrow

    pa.set_memory_pool(pa.system_memory_pool())

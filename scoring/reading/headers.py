"""Finding the header row under title or blank rows, and making header names unique and readable."""

from __future__ import annotations

from collections import Counter
from typing import Sequence

__all__ = ["find_header_row", "unique_names"]


def _filled(row: Sequence) -> int:
    return sum(1 for cell in row if cell is not None and str(cell).strip() != "")


def find_header_row(rows: Sequence[Sequence], look: int = 30) -> int:
    """Index of the header row among the first rows of a sheet or file.

    Title rows ("Leads export, March") and blank rows above the table are skipped: the header is
    the first row that fills at least half of the table's usual width.
    """
    head = [list(r) for r in rows[:look]]
    widths = [_filled(r) for r in head]
    lengths = Counter(len(r) for r, w in zip(head, widths) if w)
    if not lengths:
        return 0
    usual_length = lengths.most_common(1)[0][0]
    usual = Counter(w for w in widths if w)
    width = max(w for w, count in usual.items() if count >= max(1, usual.most_common(1)[0][1] // 2))
    for i, row in enumerate(head):
        # a header spans the table (as many fields as most rows) and fills at least half of it
        if widths[i] and len(row) >= usual_length and (width <= 1 or widths[i] >= max(2, (width + 1) // 2)):
            return i
    return 0


def unique_names(raw: Sequence, width: int | None = None) -> list[str]:
    """Header names made unique and readable: blanks become "Column 3", repeats "Email (2)"."""
    width = max(width or 0, len(raw))
    names = []
    for i in range(width):
        cell = raw[i] if i < len(raw) else None
        text = "" if cell is None else " ".join(str(cell).split())
        names.append(text or f"Column {i + 1}")
    seen: Counter = Counter()
    taken = set(names)
    out = []
    for name in names:
        seen[name] += 1
        if seen[name] == 1:
            out.append(name)
            continue
        n = seen[name]
        candidate = f"{name} ({n})"
        while candidate in taken:
            n += 1
            candidate = f"{name} ({n})"
        taken.add(candidate)
        out.append(candidate)
    return out

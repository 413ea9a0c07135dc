"""A report's footer below the leads: "Grand Totals (250 records)", "Confidential Information -
Do Not Distribute", "Copyright ... salesforce.com". CRM report exports (CSV and Excel) add such
lines after a blank line; they are not leads, so the readers leave them out and say so.

A footer is the block of lines at the very end, below a blank line, each holding one field while
the table has several columns (a lead with one field filled still has its separators in a CSV,
and a footer line of an Excel report fills one cell): at most ``MAX_FOOTER`` lines, one of which
reads like a footer (totals, records, confidential, copyright, generated, report), so that a
lead below a spacer row with only its name filled stays a lead. A totals row as the last row
("Grand Total" and sums, the other cells empty) is left out too (``totals_rows``).
"""

from __future__ import annotations

import re

__all__ = ["MAX_FOOTER", "footer_note", "footer_rows", "reads_like_footer", "totals_rows"]

MAX_FOOTER = 12
_FOOTER_WORDS = re.compile(r"(?i)\btotals?\b|\brecords?\b|confidential|copyright|\(c\)|©|"
                           r"all rights reserved|\bgenerated\b|\breport\b|\bfiltered by\b")


def reads_like_footer(lines: list[str]) -> bool:
    """Whether some line of a would-be footer says what footers say."""
    return any(_FOOTER_WORDS.search(line) for line in lines)


def footer_rows(filled_counts) -> int:
    """How many rows at the end of a table (``filled_counts``: the filled cells of its last rows,
    in order, blank rows included) are a footer: rows of one filled cell below a blank row."""
    count = 0
    for filled in reversed(list(filled_counts)):
        if filled == 0:
            return count
        if filled != 1 or count == MAX_FOOTER:
            return 0
        count += 1
    return 0                              # no blank row above them: part of the table


def footer_note(lines: list[str]) -> str:
    """The warning for footer ``lines`` left out."""
    texts = [line.strip().strip('"') for line in lines[:2]]
    shown = ", ".join(f"“{t if len(t) <= 48 else t[:47] + '…'}”" for t in texts)
    more = "…" if len(lines) > 2 else ""
    return (f"Left out the {len(lines)} line{'s' if len(lines) > 1 else ''} below the leads "
            f"(a report's footer: {shown}{more}).")


_TOTAL_WORD = re.compile(r"(?i)^\s*(?:grand\s+)?(?:totals?|sum|summe|gesamt(?:summe)?|totaal|totale)\s*:?\s*$")
_NUMBER_OR_EMPTY = re.compile(r"^\s*[-+(]?\s*[$€£¥]?\s*[\d.,' \u00a0]*\s*%?\s*[$€£¥]?\s*\)?\s*$")


def totals_rows(last_rows: list[list]) -> int:
    """How many of a table's last rows (up to three, in order) are a totals row: the first cell
    says "Total" ("Grand Total", "Summe", "Totaal"...) and every other cell is a number or empty."""
    count = 0
    for row in reversed(last_rows):
        cells = ["" if v is None else str(v) for v in row]
        if not cells or not _TOTAL_WORD.match(cells[0]) or not all(_NUMBER_OR_EMPTY.match(c) for c in cells[1:]):
            break
        count += 1
    return count

"""Reading lead files: CSV/TSV/TXT, spreadsheets and Parquet, header detection, column typing.

Also what a table's columns are (``profiling``) and mean (``tagging``: source, outcome, created
date… guessed from common CRM headers).

May import: the shared floor (``scoring.errors``, ``scoring.column_types``); nothing else in
``scoring``.
"""

from scoring.reading.loader import SUPPORTED_SUFFIXES, load_leads
from scoring.reading.sheet_reader import SheetInfo, list_sheets
from scoring.reading.table import LeadTable

__all__ = ["load_leads", "list_sheets", "LeadTable", "SheetInfo", "SUPPORTED_SUFFIXES"]

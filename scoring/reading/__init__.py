"""Reading lead files: CSV/TSV/TXT and spreadsheets, header detection, column typing."""

from scoring.reading.loader import SUPPORTED_SUFFIXES, load_leads
from scoring.reading.sheet_reader import SheetInfo, list_sheets
from scoring.reading.table import LeadTable

__all__ = ["load_leads", "list_sheets", "LeadTable", "SheetInfo", "SUPPORTED_SUFFIXES"]

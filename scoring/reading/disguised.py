"""Files with a spreadsheet's name that hold something else Excel opens just as well.

Many "Export to Excel" buttons write a web page (an HTML table), an XML Spreadsheet 2003 or a
tab-separated text file and name it ``.xls``; Excel opens each without complaint, so users do not
know. A spreadsheet reader refuses them, so they are told apart by their first bytes and read
for what they are: the table of a web page and the XML workbook's rows go through the same steps
as a workbook's (header row, blank rows, footers), a text file through the CSV reader.
"""

from __future__ import annotations

from pathlib import Path

from scoring.reading.encoding import MIXED_ENCODING, detect_encoding, is_binary, is_wide_text

__all__ = ["OLE_MAGIC", "WEB_PAGE", "XML_SPREADSHEET", "TEXT", "disguised_kind", "decoded"]

WEB_PAGE = "a web page (an HTML table)"
XML_SPREADSHEET = "an XML Spreadsheet 2003"
TEXT = "a text file"

_HEAD = 64 * 1024
#: the first bytes of an OLE2 compound file (an .xls workbook, or any encrypted Office file)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _head_text(head: bytes) -> str:
    """The first bytes as lower-case text, whatever their encoding (enough to see tags)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="replace")
    else:
        text = head.decode("latin-1")
    return text.lstrip("\ufeff\xef\xbb\xbf \t\r\n").lower()


def disguised_kind(path: Path) -> str | None:
    """What a file with a spreadsheet's name really is, when it is not a workbook Excel wrote
    as one (a zip or compound file): ``WEB_PAGE``, ``XML_SPREADSHEET`` or ``TEXT``; None for
    a real workbook or a binary file (which the spreadsheet reader names)."""
    with open(path, "rb") as handle:
        head = handle.read(_HEAD)
    if not head or head.startswith((OLE_MAGIC, b"PK\x03\x04")):
        return None
    text = _head_text(head)
    if text.startswith("<"):
        if "urn:schemas-microsoft-com:office:spreadsheet" in text:
            return XML_SPREADSHEET
        if "<table" in text or "<html" in text or "<!doctype html" in text:
            return WEB_PAGE
        return None               # other markup (an XML file, a feed): not a table of leads
    encoding, bom = detect_encoding(head)
    if (bom or not is_wide_text(head)) and not is_binary(head, encoding):
        return TEXT
    return None


def decoded(path: Path) -> str:
    """A web page's text: UTF-8 (or UTF-16 with its mark), bytes that are not read as Windows-1252."""
    data = Path(path).read_bytes()
    encoding, bom = detect_encoding(data[:_HEAD])
    if encoding == "utf-16":
        return data.decode("utf-16", errors="replace")
    return data[bom:].decode(MIXED_ENCODING, errors="replace")

"""Bad input: every problem becomes one LoadError naming the file, the problem and what to do."""

import io
import zipfile
from pathlib import Path

import pytest

import scoring.reading.loader as loader
from scoring.errors import LoadError
from scoring.reading import load_leads


def write(tmp_path, name, data) -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("leads.csv", "a,b\n1,2\n")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "data", "message", "advice"), [
    ("empty.csv", b"", "the file is empty", "Export the lead list again"),
    ("blank.csv", b"\n\n  \n", "the file is empty", "Export the lead list again"),
    ("bom-only.csv", b"\xef\xbb\xbf\r\n", "the file is empty", "Export"),
    ("photo.csv", bytes(range(256)) * 40, "not a text table", "Open a CSV, TSV or Excel file"),
    ("archive.csv", _zip(), "not a text table", "Open a CSV"),
    ("report.pdf", b"%PDF-1.4", "PDF document is not a lead list", "Save the leads as CSV or Excel"),
    ("letter.docx", b"PK\x03\x04", "Word document is not a lead list", "Save the leads as CSV"),
    ("leads.zip", _zip(), "zip archive is not a lead list", "Save the leads as CSV"),
    ("model.json", b"{}", "JSON file", "Save the leads as CSV"),
    ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "password-protected",
     "remove the password"),
    ("broken.xlsx", b"PK\x03\x04 truncated", "damaged or not really a spreadsheet", "save it again"),
    ("wide.csv", "name,email\nAnn,a@b.co\n".encode("utf-16-le"), "encoding cannot be read", "CSV UTF-8"),
    ("wider.csv", "name,email\nAnn,a@b.co\n".encode("utf-32-le"), "encoding cannot be read", "CSV UTF-8"),
    ("words.csv", b"just a sentence without a line break", "no table was found", "Check that it holds"),
])
def test_bad_input_gets_one_clear_message(tmp_path, name, data, message, advice):
    with pytest.raises(LoadError, match=message) as info:
        load_leads(write(tmp_path, name, data))
    text = str(info.value)
    assert text.startswith(f"Cannot open {name}: ")
    assert advice in text
    assert info.value.path.endswith(name)


def test_a_header_without_a_line_break_is_a_list_without_leads(tmp_path):
    table = load_leads(write(tmp_path, "header.csv", "name,email"))
    assert list(table.frame.columns) == ["name", "email"] and table.n_rows == 0
    assert "The file has a header row but no leads." in table.warnings


def test_one_value_is_not_a_table(tmp_path):
    with pytest.raises(LoadError, match="no table was found"):
        load_leads(write(tmp_path, "one.csv", "just a sentence\n"))


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(LoadError, match="nope.csv: the file does not exist. Check the name"):
        load_leads(tmp_path / "nope.csv")
    with pytest.raises(LoadError, match="it is a folder"):
        load_leads(tmp_path)


def test_permission_denied(tmp_path, monkeypatch):
    path = write(tmp_path, "secret.csv", "a,b\n1,2\n")
    monkeypatch.setattr(loader.os, "access", lambda *_args: False)     # tests may run as root
    with pytest.raises(LoadError, match="secret.csv: you do not have permission to read it"):
        load_leads(path)


def test_permission_error_while_reading(tmp_path, monkeypatch):
    path = write(tmp_path, "secret.csv", "a,b\n1,2\n")

    def refuse(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(loader, "read_text_table", refuse)
    with pytest.raises(LoadError, match="you do not have permission"):
        load_leads(path)


def test_header_without_leads_loads_empty_with_a_warning(tmp_path):
    table = load_leads(write(tmp_path, "header.csv", "name,email,size\n"))
    assert list(table.frame.columns) == ["name", "email", "size"] and table.n_rows == 0
    assert any("no leads" in w for w in table.warnings)

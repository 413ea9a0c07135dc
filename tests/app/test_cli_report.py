"""``leadbench report``: writes a self-contained HTML (or PDF) report; bad input exits 2 with one line."""

from __future__ import annotations

import re

import pytest

from app.cli.main import main
from scoring.errors import ExportError
from scoring.report.target import check_report_target
from tests.conftest import ROOT, SAMPLE

MODEL = ROOT / "resources" / "models" / "b2b_saas.json"


def test_report_on_the_sample_writes_html(tmp_path, capsys):
    out = tmp_path / "audit.html"
    assert main(["report", str(SAMPLE), "--model", str(MODEL), "--output", str(out),
                 "--as-of", "2026-11-01", "--title", "Q4 audit"]) == 0
    html = out.read_text(encoding="utf-8")
    assert "<title>Q4 audit</title>" in html and 'id="backtest"' in html and "http" not in html
    printed = capsys.readouterr().out
    assert "MQLs: 826 at threshold 65" in printed and f"Wrote {out}" in printed
    assert [p.name for p in tmp_path.iterdir()] == ["audit.html"]      # no temporary file left


def test_report_with_an_outcome_on_a_real_list(shared_data, tmp_path, capsys):
    leads = shared_data / "x_education_leads" / "Leads.csv"
    model = tmp_path / "m.json"
    model.write_text('{"format": "leadbench-model", "version": 1, "threshold": 20, "rules": ['
                     '{"name": "Long visit", "points": 30, "when": {"column": '
                     '"Total Time Spent on Website", "op": "gte", "value": 600}}]}')
    out = tmp_path / "x.html"
    assert main(["report", str(leads), "--model", str(model), "--output", str(out),
                 "--outcome", "Converted", "--won", "1", "--missing", "Select"]) == 0
    html = out.read_text(encoding="utf-8")
    assert "Conversion by score decile" in html and "“Select”" in html
    assert "No created-date column" in capsys.readouterr().out


def test_report_as_pdf(tmp_path, qapp):
    out = tmp_path / "audit.pdf"
    assert main(["report", str(SAMPLE), "--model", str(MODEL), "--output", str(out),
                 "--as-of", "2026-11-01"]) == 0
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", data)) >= 5       # one part per page, at least


@pytest.mark.parametrize("args, message", [
    (["--output", str(SAMPLE)], "ending in .html or .pdf"),
    (["--output", "/no/such/folder/r.html"], "does not exist"),
    (["--output", "r.html", "--outcome", "nope"], "no column 'nope'"),
    (["--output", "r.html", "--outcome", "company"], "--won"),
    (["--output", "r.html", "--won", "Yes"], "--won needs --outcome"),
    (["--output", "r.html", "--as-of", "soon"], "is not a date"),
])
def test_bad_input_exits_2_with_one_line(args, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert _exit_code(["report", str(SAMPLE), "--model", str(MODEL), *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert message in err[-1] and err[-1].startswith("leadbench: ")
    assert not (tmp_path / "r.html").exists()


def _exit_code(argv) -> int:
    try:
        return main(argv)
    except SystemExit as exc:           # argparse's own errors
        return exc.code


def test_the_lead_list_is_never_overwritten(tmp_path):
    source = tmp_path / "leads.html"
    source.write_text("a,b\n1,2\n")
    with pytest.raises(ExportError, match="never overwrites"):
        check_report_target(source, source)
    link = tmp_path / "link.html"
    link.symlink_to(source)
    with pytest.raises(ExportError, match="never overwrites"):
        check_report_target(link, source)
    (tmp_path / "folder.html").mkdir()
    with pytest.raises(ExportError, match="it is a folder"):
        check_report_target(tmp_path / "folder.html", SAMPLE)
    check_report_target(tmp_path / "report.pdf", source)

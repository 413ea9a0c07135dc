"""Never a traceback: internal errors exit 3 with one line and a log, and an unattended screenshot
of a list that does not load fails instead of saving the empty start screen."""

import os
import subprocess
import sys

from app.cli.main import main
from tests.conftest import ROOT, SAMPLE


def test_an_internal_error_is_one_line_exit_3_and_the_traceback_goes_to_the_log(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("LEADBENCH_LOG_DIR", str(tmp_path / "logs"))

    def broken(_args):
        return {}["a key the code forgot"]

    monkeypatch.setattr("app.cli.profile.run", broken)
    assert main(["profile", str(SAMPLE)]) == 3
    captured = capsys.readouterr()
    log = tmp_path / "logs" / "leadbench.log"
    assert captured.err == (f"leadbench: internal error: KeyError: 'a key the code forgot' "
                            f"(details in {log})\n")
    text = log.read_text()
    assert "Traceback (most recent call last)" in text and "in broken" in text
    assert f"leadbench profile {SAMPLE}" in text


def test_bad_input_stays_exit_2_without_a_log(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("LEADBENCH_LOG_DIR", str(tmp_path / "logs"))
    assert main(["profile", str(tmp_path / "missing.csv")]) == 2
    assert capsys.readouterr().err.startswith("leadbench: Cannot open missing.csv: the file does not exist")
    assert not (tmp_path / "logs" / "leadbench.log").exists()


def _screenshot(tmp_path, *args):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"))
    return subprocess.run([sys.executable, "-m", "app", "gui", *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=120)


def test_a_screenshot_of_a_list_that_does_not_load_exits_2_and_writes_nothing(tmp_path):
    empty = tmp_path / "leads.csv"
    empty.write_bytes(b"")
    png = tmp_path / "window.png"
    run = _screenshot(tmp_path, empty, "--screenshot", png)
    assert run.returncode == 2
    assert "leadbench: Cannot open leads.csv: the file is empty" in run.stderr
    assert "Screenshot written" not in run.stdout and not png.exists()

    damaged = tmp_path / "leads.xlsx"
    damaged.write_bytes(b"PK\x03\x04 not really a workbook")
    run = _screenshot(tmp_path, damaged, "--screenshot", png)
    assert run.returncode == 2 and "damaged or not really a spreadsheet" in run.stderr and not png.exists()


def test_a_screenshot_of_a_list_that_loads_is_written(tmp_path):
    png = tmp_path / "window.png"
    run = _screenshot(tmp_path, SAMPLE, "--screenshot", png, "--size", "1280x800")
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == f"Screenshot written to {png}"
    header = png.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")) == (1280, 800)

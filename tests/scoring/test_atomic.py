import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scoring.atomic import SyncBehind, atomic_path, atomic_write_text, new_file_mode, remove_stale_parts


def test_atomic_write_replaces_the_file(tmp_path):
    target = tmp_path / "model.json"
    target.write_text("old")
    atomic_write_text(target, "new")
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["model.json"]


def test_failure_keeps_the_previous_file_and_leaves_no_partial_file(tmp_path):
    target = tmp_path / "leads.csv"
    target.write_text("precious")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("disk full")
    assert target.read_text() == "precious"
    assert [p.name for p in tmp_path.iterdir()] == ["leads.csv"]


@pytest.fixture
def umask():
    """Set the process umask for one test and restore it afterwards."""
    previous = os.umask(0o022)
    os.umask(previous)
    yield lambda mask: os.umask(mask)
    os.umask(previous)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.parametrize(("mask", "expected"), [(0o002, 0o664), (0o022, 0o644), (0o077, 0o600)])
def test_a_new_file_gets_the_mode_the_umask_gives(tmp_path, umask, mask, expected):
    umask(mask)
    atomic_write_text(tmp_path / "model.json", "{}")
    assert _mode(tmp_path / "model.json") == expected
    assert new_file_mode() == expected


def test_replacing_a_shared_file_keeps_its_mode(tmp_path, umask):
    umask(0o077)
    target = tmp_path / "shared model.json"
    target.write_text("old")
    os.chmod(target, 0o664)
    atomic_write_text(target, "new")
    assert target.read_text() == "new"
    assert _mode(target) == 0o664


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_save_removes_the_parts_a_killed_save_left_behind(tmp_path):
    dead = _dead_pid()
    stale = tmp_path / f".model.json.{dead}.k3j9x_2a.part"
    stale.write_text("half a model")
    other_target = tmp_path / f".leads.xlsx.{dead}.q0q0q0q0.part"
    other_target.write_text("half an export")
    running = tmp_path / f".model.json.{os.getpid()}.abcdefgh.part"   # a save still under way
    running.write_text("being written")
    unrelated = tmp_path / ".notes.part"
    unrelated.write_text("not ours")
    atomic_write_text(tmp_path / "model.json", "{}")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["model.json", running.name, unrelated.name])


def test_old_style_parts_are_removed_only_when_old(tmp_path):
    old = tmp_path / ".model.json.abcd1234.part"
    old.write_text("x")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    fresh = tmp_path / ".model.json.zzzz9999.part"
    fresh.write_text("y")
    assert remove_stale_parts(tmp_path) == [old]
    assert fresh.exists()


def test_a_killed_save_leaves_a_part_the_next_start_removes(tmp_path):
    script = ("import os, sys\n"
              "from scoring.atomic import atomic_path\n"
              "with atomic_path(sys.argv[1]) as tmp:\n"
              "    tmp.write_text('half')\n"
              "    os.kill(os.getpid(), 9)\n")
    target = tmp_path / "export.csv"
    done = subprocess.run([sys.executable, "-c", script, str(target)], cwd=Path(__file__).parents[2])
    assert done.returncode == -9
    left = [p.name for p in tmp_path.iterdir()]
    assert len(left) == 1 and left[0].startswith(".export.csv.") and left[0].endswith(".part")
    assert remove_stale_parts(tmp_path) == [tmp_path / left[0]]
    assert list(tmp_path.iterdir()) == []


def test_sync_behind_keeps_every_part_in_order(tmp_path):
    target = tmp_path / "big.csv"
    with open(target, "wb") as handle, SyncBehind(handle) as sync:
        for part in range(50):
            handle.write(f"{part},".encode() * 1000)
            sync.written()
    text = target.read_text()
    assert text == "".join(f"{part}," * 1000 for part in range(50))


def test_sync_behind_reports_a_file_that_cannot_be_synced():
    read, write = os.pipe()                   # a pipe has no disk to sync to: the save must fail
    try:
        with open(write, "wb", closefd=False) as handle:
            with pytest.raises(OSError):
                with SyncBehind(handle) as sync:
                    handle.write(b"lead")
                    sync.written()
    finally:
        os.close(read)
        os.close(write)

import pytest

from scoring.atomic import atomic_path, atomic_write_text


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

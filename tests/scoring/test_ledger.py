"""The hand-off ledger: schema and migrations, two connections, busy and damaged files, backups."""

import sqlite3
import threading
from datetime import date, datetime

import pandas as pd
import pytest

from scoring.handoff.ledger import (MIGRATIONS, SCHEMA_VERSION, HandoffRecord, Ledger, LedgerError,
                                    backup_ledger, default_ledger_path)


def record(n_handed=2, as_of=date(2026, 11, 2)) -> HandoffRecord:
    return HandoffRecord(datetime(2026, 11, 2, 9, 0), as_of, "B2B", "abc", 65.0, "leads.csv", "f00",
                         "email", 100, 10, n_handed, "out.csv")


def handed(*ids):
    return pd.DataFrame({"lead_id": list(ids), "score": 70.0, "fit": 30.0, "engagement": 40.0,
                         "rules": "Senior title", "source": "Webinar", "owner": "Ann"})


def mqls(*ids):
    return pd.DataFrame({"lead_id": list(ids), "score": 70.0, "rules": "", "mql": True})


def test_a_new_ledger_is_created_in_wal_mode_at_the_current_version(tmp_path):
    path = tmp_path / "m.ledger.sqlite"
    with Ledger(path) as ledger:
        assert ledger.version == SCHEMA_VERSION == 2
        ledger.record_handoff(record(), handed("a", "b"), mqls("a", "b", "c"))
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with Ledger(path, create=False) as ledger:
        assert ledger.first_handed(["a", "b", "z"]) == {"a": date(2026, 11, 2), "b": date(2026, 11, 2)}
        assert ledger.handoffs()["n_handed"].tolist() == [2]
        assert ledger.mqls(1)["lead_id"].tolist() == ["a", "b", "c"]


def test_an_older_ledger_is_migrated_and_keeps_its_hand_offs(tmp_path):
    path = tmp_path / "old.ledger.sqlite"
    db = sqlite3.connect(path)
    db.executescript("CREATE TABLE leadbench_schema (version INTEGER NOT NULL);"
                     "INSERT INTO leadbench_schema VALUES (1);" + MIGRATIONS[0])
    db.execute("INSERT INTO handoffs VALUES (1, '2026-10-26T09:00:00', '2026-10-26', 'B2B', 'h', 65, "
               "'l.csv', 'x', 'email', 10, 2, 1, 'o.csv')")
    db.execute("INSERT INTO handed VALUES (1, 'ann@x.com', 70, 30, 40, '', NULL, NULL)")
    db.commit()
    db.close()
    with Ledger(path) as ledger:
        assert ledger.version == 2
        assert ledger.first_handed(["ann@x.com"]) == {"ann@x.com": date(2026, 10, 26)}
        assert ledger.feedback().empty          # the table version 2 added


def test_a_ledger_from_a_newer_leadbench_is_refused(tmp_path):
    path = tmp_path / "new.ledger.sqlite"
    Ledger(path).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE leadbench_schema SET version = 99")
    db.commit()
    db.close()
    with pytest.raises(LedgerError, match="newer Leadbench .*version 99"):
        Ledger(path)


@pytest.mark.parametrize("content", [b"this is not a database at all" * 100, b"SQLite format 3\x00" + b"\xff" * 5000])
def test_a_damaged_ledger_is_reported_and_left_as_it_was(tmp_path, content):
    path = tmp_path / "broken.ledger.sqlite"
    path.write_bytes(content)
    with pytest.raises(LedgerError, match="damaged.*left it as it is"):
        Ledger(path)
    assert path.read_bytes() == content


def test_another_sqlite_database_is_not_taken_for_a_ledger(tmp_path):
    path = tmp_path / "crm.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE contacts (id INTEGER)")
    db.commit()
    db.close()
    with pytest.raises(LedgerError, match="not a Leadbench ledger"):
        Ledger(path)
    assert [r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")] == ["contacts"]


def test_a_missing_ledger_is_refused_when_it_must_exist(tmp_path):
    with pytest.raises(LedgerError, match="does not exist: hand off leads first"):
        Ledger(tmp_path / "none.sqlite", create=False)
    with pytest.raises(LedgerError, match="folder .* does not exist"):
        Ledger(tmp_path / "no" / "such.sqlite")


def test_a_writer_waits_for_another_then_says_the_ledger_is_busy(tmp_path):
    path = tmp_path / "busy.ledger.sqlite"
    first = Ledger(path)
    second = Ledger(path, timeout=0.2)
    with first.transaction() as db:
        first.insert_handoff(db, record(), handed("a"), mqls("a"))
        with pytest.raises(LedgerError, match="busy: another Leadbench window or command"):
            second.record_handoff(record(), handed("b"), mqls("b"))
        # a reader is not blocked by the writer (WAL) and sees the last committed state
        assert second.first_handed(["a"]) == {}
    assert second.first_handed(["a", "b"]) == {"a": date(2026, 11, 2)}
    first.close()
    second.close()


def test_two_connections_writing_at_once_both_get_through(tmp_path):
    path = tmp_path / "shared.ledger.sqlite"
    Ledger(path).close()
    errors = []

    def write(prefix):
        try:
            with Ledger(path) as ledger:
                for k in range(20):
                    ledger.record_handoff(record(), handed(f"{prefix}{k}"), mqls(f"{prefix}{k}"))
        except Exception as exc:            # reported below, with the test's failure
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(p,)) for p in "xy"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Ledger(path) as ledger:
        assert len(ledger.handoffs()) == 40 and len(ledger.handed()) == 40


def test_a_backup_is_a_whole_ledger_and_never_the_ledger_itself(tmp_path):
    path = tmp_path / "m.ledger.sqlite"
    with Ledger(path) as ledger:
        ledger.record_handoff(record(), handed("a", "b"), mqls("a", "b"))
        copy = backup_ledger(path, tmp_path / "copy.sqlite")     # while the ledger is open
    with Ledger(copy, create=False) as restored:
        assert restored.handed()["lead_id"].tolist() == ["a", "b"]
    assert not list(tmp_path.glob("*.part"))
    with pytest.raises(LedgerError, match="onto itself"):
        backup_ledger(path, path)


def test_the_default_ledger_sits_beside_the_model(tmp_path):
    assert default_ledger_path(tmp_path / "b2b.json") == tmp_path / "b2b.ledger.sqlite"


def test_latest_feedback_per_lead_counts(tmp_path):
    with Ledger(tmp_path / "f.sqlite") as ledger:
        ledger.record_feedback(pd.DataFrame({"lead_id": ["a", "b"], "status": ["accepted", "rejected"],
                                             "said": ["Working", "Bad fit"], "reason": ["", "no budget"]}))
        ledger.record_feedback(pd.DataFrame({"lead_id": ["a"], "status": ["converted"], "said": ["SQL"],
                                             "reason": [""]}))
        latest = ledger.feedback().set_index("lead_id")
    assert latest.loc["a", "status"] == "converted" and latest.loc["b", "reason"] == "no budget"


def test_two_connections_creating_one_ledger_at_once_both_open_it(tmp_path):
    path = tmp_path / "new.ledger.sqlite"
    opened, errors = [], []

    def open_it():
        try:
            with Ledger(path) as ledger:
                opened.append(ledger.version)
        except Exception as exc:            # reported below, with the test's failure
            errors.append(exc)

    for _round in range(5):
        path.unlink(missing_ok=True)
        threads = [threading.Thread(target=open_it) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == [] and opened == [SCHEMA_VERSION] * 20

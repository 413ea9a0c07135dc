"""The hand-off ledger: an SQLite file recording every hand-off to sales and what sales said back.

One ledger usually sits beside its model file (``b2b.json`` -> ``b2b.ledger.sqlite``, see
:func:`default_ledger_path`). It holds

- ``handoffs``: one row per hand-off: when it was made, its scoring date (``as_of``; the date a
  hand-off counts on), the model's name, a hash of its rules and its threshold, the lead file's
  name and hash, the id column, how many leads and MQLs the list had and how many were handed off,
  and the file written;
- ``handed``: each lead handed off (its id, score, fit, engagement, the rules that fired, source
  and owner), once per hand-off;
- ``mqls``: every MQL of the list at each hand-off (id, score, rules), handed off or not, plus
  the MQLs of the hand-off before that are no longer MQLs (``mql`` 0; score NULL when the lead is
  not in the list any more), so the ledger can say which leads entered, left or stayed and why;
- ``feedback``: what sales said about a handed-off lead (accepted, rejected, converted, won; the
  words they used and a reason), the latest import per lead counting.

The standard library's ``sqlite3`` in WAL mode lets a window and the command line read while
one writes; writers wait up to ``timeout`` seconds for each other and then get a
:class:`LedgerError` saying the ledger is busy. A file that is not a ledger, or a damaged one, is
refused and never written to. ``leadbench_schema`` holds the schema version; :data:`MIGRATIONS`
bring older ledgers up to date when they are opened, and a ledger from a newer Leadbench is
refused. :func:`backup_ledger` copies a ledger (even while it is in use) with SQLite's backup API.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import pandas as pd

from scoring.atomic import atomic_path
from scoring.errors import LeadbenchError

__all__ = ["Ledger", "LedgerError", "HandoffRecord", "default_ledger_path", "backup_ledger",
           "SCHEMA_VERSION", "MIGRATIONS", "BUSY_SECONDS"]

#: How long a writer waits for another before the ledger is reported busy.
BUSY_SECONDS = 10.0

#: The schema, one script per version: a ledger at version k runs scripts k+1.. when opened.
MIGRATIONS: tuple[str, ...] = (
    # 1: hand-offs, the leads handed off, the MQLs at each hand-off
    """
    CREATE TABLE handoffs (
        id INTEGER PRIMARY KEY,
        made_at TEXT NOT NULL,
        as_of TEXT NOT NULL,
        model_name TEXT NOT NULL,
        model_hash TEXT NOT NULL,
        threshold REAL NOT NULL,
        source_name TEXT NOT NULL,
        source_hash TEXT NOT NULL,
        id_column TEXT NOT NULL,
        n_leads INTEGER NOT NULL,
        n_mql INTEGER NOT NULL,
        n_handed INTEGER NOT NULL,
        output TEXT NOT NULL);
    CREATE TABLE handed (
        handoff_id INTEGER NOT NULL REFERENCES handoffs(id) ON DELETE CASCADE,
        lead_id TEXT NOT NULL,
        score REAL, fit REAL, engagement REAL,
        rules TEXT NOT NULL DEFAULT '',
        source TEXT, owner TEXT,
        PRIMARY KEY (handoff_id, lead_id));
    CREATE INDEX handed_lead ON handed(lead_id);
    CREATE TABLE mqls (
        handoff_id INTEGER NOT NULL REFERENCES handoffs(id) ON DELETE CASCADE,
        lead_id TEXT NOT NULL,
        score REAL,
        rules TEXT NOT NULL DEFAULT '',
        mql INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (handoff_id, lead_id));
    """,
    # 2: sales feedback
    """
    CREATE TABLE feedback (
        id INTEGER PRIMARY KEY,
        lead_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('accepted', 'rejected', 'converted', 'won')),
        said TEXT NOT NULL DEFAULT '',
        reason TEXT NOT NULL DEFAULT '',
        received_at TEXT NOT NULL,
        file TEXT NOT NULL DEFAULT '');
    CREATE INDEX feedback_lead ON feedback(lead_id, id);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)
#: Ledgers smaller than this are checked page by page when opened (larger ones as they are read).
_CHECK_BYTES = 256_000_000

_HANDOFF_COLUMNS = ("made_at", "as_of", "model_name", "model_hash", "threshold", "source_name",
                    "source_hash", "id_column", "n_leads", "n_mql", "n_handed", "output")


class LedgerError(LeadbenchError):
    """The ledger cannot be used: busy, damaged, not a ledger, from a newer Leadbench, unwritable."""


@dataclass(frozen=True)
class HandoffRecord:
    """What a hand-off records about itself (one ``handoffs`` row)."""

    made_at: datetime
    as_of: date
    model_name: str
    model_hash: str
    threshold: float
    source_name: str
    source_hash: str
    id_column: str
    n_leads: int
    n_mql: int
    n_handed: int
    output: str

    def row(self) -> tuple:
        values = [getattr(self, k) for k in _HANDOFF_COLUMNS]
        values[0] = self.made_at.isoformat(timespec="seconds")
        values[1] = self.as_of.isoformat()
        return tuple(values)


def default_ledger_path(model_path: str | os.PathLike) -> Path:
    """The ledger beside a model file: ``b2b.json`` -> ``b2b.ledger.sqlite``."""
    model_path = Path(model_path)
    return model_path.with_name(model_path.stem + ".ledger.sqlite")


def _problem(path: Path, exc: sqlite3.Error) -> LedgerError:
    """A sqlite3 error as a sentence for the user."""
    text = str(exc).lower()
    name = path.name
    if "locked" in text or "busy" in text:
        return LedgerError(f"The ledger {name} is busy: another Leadbench window or command is writing "
                           "to it. Try again when it has finished.")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return LedgerError(f"The ledger {name} is damaged ({exc}); Leadbench left it as it is. Restore "
                           "it from a backup (File > Back up ledger makes one) or choose another ledger file.")
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return LedgerError(f"Cannot write the ledger {name}: {exc}. Check that its folder exists and "
                           "that you may write there, or choose another ledger file.")
    if "disk" in text and "full" in text:
        return LedgerError(f"Cannot write the ledger {name}: the disk is full. Nothing was recorded.")
    return LedgerError(f"Cannot use the ledger {name}: {exc}.")


class Ledger:
    """An open ledger. Use as a context manager, or call :meth:`close`.

    Parameters
    ----------
    path : the ledger file; created (with its folder's permission) when missing and ``create``
    timeout : seconds a writer waits for another before :class:`LedgerError` says it is busy
        (default :data:`BUSY_SECONDS`)
    create : False refuses a missing file instead of creating it (reading KPIs, importing feedback)

    Raises
    ------
    LedgerError
        Missing (with ``create=False``), damaged, not a ledger, from a newer Leadbench, busy while
        it was being upgraded, or not writable.
    """

    def __init__(self, path: str | os.PathLike, *, timeout: float | None = None, create: bool = True) -> None:
        timeout = BUSY_SECONDS if timeout is None else timeout
        self.path = Path(path)
        if self.path.is_dir():
            raise LedgerError(f"The ledger {self.path} is a folder; choose a file such as leads.ledger.sqlite.")
        if not self.path.exists():
            if not create:
                raise LedgerError(f"The ledger {self.path.name} does not exist: hand off leads first "
                                  "(leadbench handoff or File > Hand off to sales…), or choose the ledger file.")
            if not self.path.parent.is_dir():
                raise LedgerError(f"Cannot create the ledger {self.path}: the folder {self.path.parent} "
                                  "does not exist.")
        try:
            self._db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None,
                                       check_same_thread=False)
        except sqlite3.Error as exc:
            raise _problem(self.path, exc) from None
        try:
            self._db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            self._open_when_free(timeout)
            self._db.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as exc:
            self._db.close()
            raise _problem(self.path, exc) from None
        except LedgerError:
            self._db.close()
            raise

    # -- opening ------------------------------------------------------------------------------
    def _open_when_free(self, timeout: float) -> None:
        """Check (and create or upgrade) the ledger; while another connection switches a new ledger
        to WAL, SQLite answers "busy" without waiting, so this retries until ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self._check_and_migrate()
                return
            except sqlite3.OperationalError as exc:
                text = str(exc).lower()
                if ("locked" not in text and "busy" not in text) or time.monotonic() >= deadline:
                    raise
                with contextlib.suppress(sqlite3.Error):
                    self._db.execute("ROLLBACK")
                time.sleep(0.02)

    def _check_and_migrate(self) -> None:
        db = self._db
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if tables and "leadbench_schema" not in tables:
            raise LedgerError(f"{self.path.name} is an SQLite database but not a Leadbench ledger; "
                              "Leadbench left it as it is. Choose another ledger file.")
        small = self.path.stat().st_size < _CHECK_BYTES if self.path.exists() else True
        problem = db.execute("PRAGMA quick_check").fetchone()[0] if small else "ok"
        if problem != "ok":
            raise LedgerError(f"The ledger {self.path.name} is damaged ({problem}); Leadbench left it as it "
                              "is. Restore it from a backup or choose another ledger file.")
        version = self._version() if tables else 0
        if version > SCHEMA_VERSION:
            raise LedgerError(f"The ledger {self.path.name} was written by a newer Leadbench (ledger "
                              f"version {version}; this one reads up to {SCHEMA_VERSION}). Update "
                              "Leadbench to use it.")
        if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            db.execute("PRAGMA journal_mode = WAL")
        if version == SCHEMA_VERSION:
            return
        db.execute("BEGIN IMMEDIATE")       # raw sqlite3 errors here: _open_when_free retries
        try:
            # read again under the write lock: another process may have created or upgraded it
            db.execute("CREATE TABLE IF NOT EXISTS leadbench_schema (version INTEGER NOT NULL)")
            if db.execute("SELECT COUNT(*) FROM leadbench_schema").fetchone()[0] == 0:
                db.execute("INSERT INTO leadbench_schema VALUES (0)")
            version = self._version()
            for number in range(version + 1, SCHEMA_VERSION + 1):
                for statement in _statements(MIGRATIONS[number - 1]):
                    db.execute(statement)
                db.execute("UPDATE leadbench_schema SET version = ?", (number,))
            db.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            raise

    def _version(self) -> int:
        row = self._db.execute("SELECT MAX(version) FROM leadbench_schema").fetchone()
        return int(row[0] or 0)

    @property
    def version(self) -> int:
        """The schema version of this ledger (after any migration)."""
        return self._version()

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: taken at once (``BEGIN IMMEDIATE``, so a busy ledger is found
        before any work), committed on a normal exit, rolled back on an exception."""
        db = self._db
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _problem(self.path, exc) from None
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        try:
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            raise _problem(self.path, exc) from None

    def _query(self, sql: str, params: Sequence = ()) -> list[tuple]:
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise _problem(self.path, exc) from None

    # -- writing ------------------------------------------------------------------------------
    def record_handoff(self, record: HandoffRecord, handed: pd.DataFrame, mqls: pd.DataFrame, *,
                       after: int | None = -1) -> int:
        """Record one hand-off in one transaction; returns its id.

        ``handed``: lead_id, score, fit, engagement, rules, source, owner (one row per lead handed
        off); ``mqls``: lead_id, score, rules, mql (every MQL of the list at the time, and the
        previous hand-off's MQLs that are not MQLs any more with mql 0). ``after``: the latest
        hand-off id the caller planned with (:meth:`latest_id`); when another hand-off was recorded
        since, nothing is recorded and :class:`LedgerError` says so (-1: do not check).
        """
        with self.transaction() as db:
            if after != -1 and self.latest_id() != after:
                raise LedgerError(f"Another hand-off was recorded in {self.path.name} while this one was "
                                  "being written, so nothing was handed off. Hand off again: only the leads "
                                  "still new will go.")
            return self.insert_handoff(db, record, handed, mqls)

    def latest_id(self) -> int | None:
        """The id of the latest hand-off recorded (None when there is none)."""
        return self._query("SELECT MAX(id) FROM handoffs")[0][0]

    def insert_handoff(self, db: sqlite3.Connection, record: HandoffRecord, handed: pd.DataFrame,
                       mqls: pd.DataFrame) -> int:
        """The inserts of :meth:`record_handoff`, inside a transaction the caller holds."""
        try:
            marks = ", ".join("?" * len(_HANDOFF_COLUMNS))
            cursor = db.execute(f"INSERT INTO handoffs ({', '.join(_HANDOFF_COLUMNS)}) VALUES ({marks})",
                                record.row())
            handoff = int(cursor.lastrowid)
            db.executemany("INSERT INTO handed VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           _rows(handoff, handed, ("lead_id", "score", "fit", "engagement", "rules",
                                                   "source", "owner")))
            db.executemany("INSERT INTO mqls VALUES (?, ?, ?, ?, ?)",
                           _rows(handoff, mqls, ("lead_id", "score", "rules", "mql")))
        except sqlite3.Error as exc:
            raise _problem(self.path, exc) from None
        return handoff

    def forget_handoff(self, handoff: int) -> None:
        """Remove a hand-off and its leads (when its file could not be put in place after all)."""
        with self.transaction() as db:
            db.execute("DELETE FROM handoffs WHERE id = ?", (handoff,))

    def record_feedback(self, rows: pd.DataFrame, *, file: str = "", received: datetime | None = None) -> int:
        """Record sales feedback (columns lead_id, status, said, reason); returns the rows recorded."""
        received_at = (received or datetime.now()).isoformat(timespec="seconds")
        data = [(str(r.lead_id), str(r.status), str(r.said or ""), str(r.reason or ""), received_at, file)
                for r in rows.itertuples(index=False)]
        with self.transaction() as db:
            try:
                db.executemany("INSERT INTO feedback (lead_id, status, said, reason, received_at, file) "
                               "VALUES (?, ?, ?, ?, ?, ?)", data)
            except sqlite3.Error as exc:
                raise _problem(self.path, exc) from None
        return len(data)

    # -- reading ------------------------------------------------------------------------------
    def first_handed(self, ids: Iterable[str]) -> dict[str, date]:
        """For each of ``ids`` handed off before: the scoring date of its first hand-off."""
        wanted = list(dict.fromkeys(str(i) for i in ids))
        out: dict[str, date] = {}
        try:
            db = self._db
            db.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (lead_id TEXT PRIMARY KEY)")
            db.execute("DELETE FROM temp.wanted")
            db.executemany("INSERT OR IGNORE INTO temp.wanted VALUES (?)", ((i,) for i in wanted))
            rows = db.execute("SELECT h.lead_id, MIN(o.as_of) FROM handed h JOIN temp.wanted w "
                              "ON w.lead_id = h.lead_id JOIN handoffs o ON o.id = h.handoff_id "
                              "GROUP BY h.lead_id").fetchall()
            db.execute("DELETE FROM temp.wanted")
        except sqlite3.Error as exc:
            raise _problem(self.path, exc) from None
        for lead, first in rows:
            out[lead] = date.fromisoformat(first)
        return out

    def handoffs(self) -> pd.DataFrame:
        """Every hand-off, oldest first (``id`` plus the fields of :class:`HandoffRecord`)."""
        rows = self._query(f"SELECT id, {', '.join(_HANDOFF_COLUMNS)} FROM handoffs ORDER BY as_of, id")
        frame = pd.DataFrame(rows, columns=["id", *_HANDOFF_COLUMNS])
        frame["as_of"] = pd.to_datetime(frame["as_of"])
        return frame

    def handed(self) -> pd.DataFrame:
        """Every lead handed off, with its hand-off's scoring date (``as_of``)."""
        rows = self._query("SELECT h.handoff_id, o.as_of, h.lead_id, h.score, h.fit, h.engagement, "
                           "h.rules, h.source, h.owner FROM handed h JOIN handoffs o ON o.id = h.handoff_id "
                           "ORDER BY o.as_of, h.handoff_id")
        frame = pd.DataFrame(rows, columns=["handoff_id", "as_of", "lead_id", "score", "fit", "engagement",
                                            "rules", "source", "owner"])
        frame["as_of"] = pd.to_datetime(frame["as_of"])
        return frame

    def mqls(self, handoff: int) -> pd.DataFrame:
        """The snapshot of one hand-off: lead_id, score, rules, mql (see the module docstring)."""
        rows = self._query("SELECT lead_id, score, rules, mql FROM mqls WHERE handoff_id = ?", (handoff,))
        frame = pd.DataFrame(rows, columns=["lead_id", "score", "rules", "mql"])
        frame["mql"] = frame["mql"].astype(bool)
        return frame

    def last_snapshot(self, before: int | None = None) -> pd.DataFrame | None:
        """The snapshot of the latest hand-off (or the latest before hand-off ``before``); None
        when there is none."""
        ids = self.handoffs()["id"].tolist()
        if before is not None:
            ids = ids[:ids.index(before)] if before in ids else ids
        return self.mqls(int(ids[-1])) if ids else None

    def feedback(self) -> pd.DataFrame:
        """The latest feedback per lead (lead_id, status, said, reason, received_at)."""
        rows = self._query("SELECT lead_id, status, said, reason, received_at FROM feedback f WHERE id = "
                           "(SELECT MAX(id) FROM feedback g WHERE g.lead_id = f.lead_id) ORDER BY id")
        return pd.DataFrame(rows, columns=["lead_id", "status", "said", "reason", "received_at"])

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` were ever handed off."""
        return set(self.first_handed(ids))


def _rows(handoff: int, frame: pd.DataFrame, columns: Sequence[str]):
    values = [frame[c].astype(object).where(frame[c].notna(), None).tolist() for c in columns]
    for row in zip(*values):
        yield (handoff, *row)


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def backup_ledger(path: str | os.PathLike, target: str | os.PathLike) -> Path:
    """Copy the ledger at ``path`` to ``target`` with SQLite's backup API (safe while the ledger is
    in use; the copy is written to a temporary file and renamed, so a failure leaves no partial one).

    Raises
    ------
    LedgerError
        The ledger is missing, damaged or not a ledger, or ``target`` is the ledger itself or cannot
        be written.
    """
    path, target = Path(path), Path(target)
    if target.exists() and target.resolve() == path.resolve():
        raise LedgerError(f"Cannot back up {path.name} onto itself: choose another file name.")
    if not target.parent.is_dir():
        raise LedgerError(f"Cannot back up the ledger to {target}: the folder {target.parent} does not exist.")
    with Ledger(path, create=False) as ledger:
        try:
            with atomic_path(target) as tmp:
                copy = sqlite3.connect(tmp)
                try:
                    ledger._db.backup(copy)
                    copy.execute("PRAGMA journal_mode = DELETE")   # one self-contained file
                finally:
                    copy.close()
        except sqlite3.Error as exc:
            raise _problem(path, exc) from None
        except OSError as exc:
            raise LedgerError(f"Cannot write the backup {target.name}: {exc.strerror or exc}.") from None
    return target

"""Sales feedback: the list sales sends back, with a status (and often a reason) per lead.

Statuses are mapped to four outcomes: ``accepted`` (sales took the lead), ``rejected``,
``converted`` (sales-qualified: an SQL or an opportunity) and ``won`` (a customer). A converted or
won lead was accepted too. :func:`guess_status` places the words sales use (Accepted, Working, SQL,
Qualified, Rejected, Unqualified, Disqualified, Bad fit, Closed won…); the user can change any
mapping before importing. Ids are matched with the ledger as the hand-off made them (emails
case-folded); ids that were never handed off are reported, never added.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from scoring.errors import LeadbenchError
from scoring.handoff.identity import EMAIL, ID, normalise_ids
from scoring.handoff.ledger import Ledger
from scoring.reading.tagging import normalise_header

__all__ = ["STATUSES", "STATUS_LABELS", "guess_status", "guess_statuses", "FeedbackImport",
           "read_feedback", "import_feedback", "guess_feedback_columns"]

STATUSES = ("accepted", "rejected", "converted", "won")
STATUS_LABELS = {"accepted": "Accepted", "rejected": "Rejected", "converted": "Converted (SQL)",
                 "won": "Won", "": "Ignore"}

# checked in this order: "unqualified" is a rejection before "qualified" is a conversion
_WORDS: tuple[tuple[str, str], ...] = (
    ("rejected", r"\b(un|dis|not[\s_-]*)qualified\b|\bdq\b|\brejected?\b|\bbad[\s_-]*fit\b|\bno[\s_-]*fit\b|"
                 r"\bnot[\s_-]*a[\s_-]*fit\b|\bjunk\b|\bspam\b|\binvalid\b|\bduplicate\b|\blost\b|"
                 r"\bnot[\s_-]*interested\b|\bno[\s_-]*budget\b|\bdeclined?\b|\brecycled?\b|\bdead\b|\bunfit\b"),
    ("won", r"\bwon\b|\bcustomer\b|\bclosed[\s_-]*won\b|\bsigned\b|\bpurchased?\b|\bdeal[\s_-]*closed\b"),
    ("converted", r"\bsql\b|\bsales[\s_-]*qualified\b|\bqualified\b|\bopportunit(y|ies)\b|\bopp\b|"
                  r"\bconverted\b|\bmeeting[\s_-]*(booked|set)\b|\bdemo[\s_-]*(booked|held)\b|\bproposal\b"),
    ("accepted", r"\baccepted?\b|\bworking\b|\bin[\s_-]*progress\b|\bcontacted\b|\bengaged\b|\bsal\b|"
                 r"\bfollow[\s_-]*up\b|\bconnected\b|\bopen\b|\bactive\b|\bnurtur(e|ing)\b"),
)
_COMPILED = tuple((status, re.compile(pattern, re.IGNORECASE)) for status, pattern in _WORDS)

_ID_HEADERS = ("leadid", "prospectid", "recordid", "contactid", "id", "email", "emailaddress")
_STATUS_HEADERS = ("status", "leadstatus", "salesstatus", "outcome", "disposition", "stage",
                   "leadstage", "result", "feedback")
_REASON_HEADERS = ("reason", "rejectionreason", "statusreason", "lostreason", "disqualificationreason",
                   "notes", "comment", "comments", "why")


def guess_status(text) -> str:
    """The outcome a status word means ("" when Leadbench cannot tell)."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    text = str(text).strip()
    for status, pattern in _COMPILED:
        if pattern.search(text):
            return status
    return ""


def guess_statuses(values) -> dict[str, str]:
    """Each distinct status text (trimmed) and the outcome it is guessed to mean."""
    series = pd.Series(values, dtype="str").str.strip().dropna()
    return {v: guess_status(v) for v in series[series != ""].unique()}


def guess_feedback_columns(columns) -> dict[str, str | None]:
    """The returned list's id, status and reason columns, guessed from their headers."""
    keys = {c: normalise_header(c) for c in columns}

    def pick(hints):
        ranked = [(hints.index(k), i, c) for i, (c, k) in enumerate(keys.items()) if k in hints]
        return min(ranked)[2] if ranked else None
    return {"id": pick(_ID_HEADERS), "status": pick(_STATUS_HEADERS), "reason": pick(_REASON_HEADERS)}


@dataclass(frozen=True)
class FeedbackImport:
    """The feedback read from one file, before or after it went into the ledger.

    Attributes
    ----------
    rows : lead_id, status, said, reason for each row whose lead was handed off and whose status
        is mapped (the last row per lead counting)
    counts : rows per outcome
    unknown_ids : ids in the file that were never handed off (not recorded)
    unmapped : status texts with no outcome and how many rows hold them (not recorded)
    no_id, no_status : rows without an id, or without a status
    recorded : rows written to the ledger (0 before :func:`import_feedback`)
    """

    rows: pd.DataFrame
    counts: dict[str, int]
    unknown_ids: tuple[str, ...]
    unmapped: dict[str, int] = field(default_factory=dict)
    no_id: int = 0
    no_status: int = 0
    recorded: int = 0
    file: str = ""

    def summary(self) -> str:
        """"Read 120 leads: 80 accepted, 25 rejected, 12 converted, 3 won; 4 ids were never handed off…"."""
        n = len(self.rows)
        parts = ", ".join(f"{self.counts.get(s, 0):,} {s}" for s in STATUSES)
        text = f"{'Recorded' if self.recorded else 'Read'} {n:,} lead{'s' if n != 1 else ''}: {parts}"
        notes = []
        if self.unknown_ids:
            shown = ", ".join(self.unknown_ids[:3]) + (" …" if len(self.unknown_ids) > 3 else "")
            notes.append(f"{len(self.unknown_ids):,} id{'s were' if len(self.unknown_ids) != 1 else ' was'} "
                         f"never handed off and {'are' if len(self.unknown_ids) != 1 else 'is'} left out ({shown})")
        if self.unmapped:
            words = ", ".join(f"'{k}' ({v:,})" for k, v in list(self.unmapped.items())[:4])
            notes.append(f"statuses with no outcome are left out: {words}")
        if self.no_id:
            notes.append(f"{self.no_id:,} row{'s have' if self.no_id != 1 else ' has'} no id")
        if self.no_status:
            notes.append(f"{self.no_status:,} row{'s have' if self.no_status != 1 else ' has'} no status")
        return text + ("; " + "; ".join(notes) if notes else "") + "."


def read_feedback(frame: pd.DataFrame, ledger: Ledger, *, id_column: str, status_column: str,
                  reason_column: str | None = None, mapping: dict[str, str] | None = None,
                  file: str = "") -> FeedbackImport:
    """Match a returned list with the ledger (nothing is written; see :func:`import_feedback`).

    Parameters
    ----------
    frame : the returned list (any columns)
    ledger : the ledger the leads were handed off with
    id_column, status_column, reason_column : its columns
    mapping : status text -> outcome (one of ``STATUSES``, or "" to leave it out); texts not in it
        are guessed with :func:`guess_status`

    Raises
    ------
    LeadbenchError
        A named column is not in the list.
    """
    name = Path(file).name if file else "the feedback file"
    for what, column in (("id", id_column), ("status", status_column), ("reason", reason_column)):
        if column is not None and column not in frame.columns:
            raise LeadbenchError(f"{name} has no column '{column}' for the {what}; name one of its "
                                 f"columns ({', '.join(map(str, list(frame.columns)[:8]))}).")
    mapping = {str(k).strip(): v for k, v in (mapping or {}).items()}
    for text, status in mapping.items():
        if status not in (*STATUSES, ""):
            raise LeadbenchError(f"'{status}' is not an outcome for '{text}': use one of {', '.join(STATUSES)}.")
    looks_email = frame[id_column].astype("str").str.contains("@", regex=False).mean() > 0.5
    kind = EMAIL if looks_email else ID
    ids = normalise_ids(frame[id_column], kind).reset_index(drop=True)
    said = pd.Series(frame[status_column], dtype="str").str.strip().reset_index(drop=True)
    said = said.where(said != "")
    reasons = (pd.Series(frame[reason_column], dtype="str").str.strip().reset_index(drop=True)
               if reason_column is not None else pd.Series([None] * len(frame), dtype="str"))
    status = said.map(lambda t: mapping.get(t, guess_status(t)), na_action="ignore")
    no_id = int(ids.isna().sum())
    no_status = int((ids.notna() & said.isna()).sum())
    usable = ids.notna() & said.notna()
    unmapped = said[usable & (status == "")].value_counts().to_dict()
    chosen = usable & (status != "")
    known = ledger.known_ids(ids[usable].tolist())
    unknown = tuple(dict.fromkeys(i for i in ids[usable] if i not in known))
    rows = pd.DataFrame({"lead_id": ids, "status": status, "said": said, "reason": reasons})
    rows = rows[chosen & ids.isin(known)].drop_duplicates("lead_id", keep="last").reset_index(drop=True)
    counts = {s: int((rows["status"] == s).sum()) for s in STATUSES}
    return FeedbackImport(rows, counts, unknown, {str(k): int(v) for k, v in unmapped.items()},
                          no_id, no_status, 0, file)


def import_feedback(frame: pd.DataFrame, ledger_path, *, id_column: str, status_column: str,
                    reason_column: str | None = None, mapping: dict[str, str] | None = None,
                    file: str = "", on_progress=None, is_cancelled=None) -> FeedbackImport:
    """Read the returned list (see :func:`read_feedback`) and record it in the ledger in one
    transaction. The ledger must exist.

    Raises
    ------
    LeadbenchError
        A named column is missing, or no row matches a lead that was handed off.
    LedgerError
        The ledger is missing, busy, damaged or not writable.
    """
    with Ledger(ledger_path, create=False) as ledger:
        found = read_feedback(frame, ledger, id_column=id_column, status_column=status_column,
                              reason_column=reason_column, mapping=mapping, file=file)
        if found.rows.empty:
            raise LeadbenchError(f"Nothing to import from {Path(file).name or 'the feedback'}: "
                                 f"{found.summary()[0].lower()}{found.summary()[1:]}")
        recorded = ledger.record_feedback(found.rows, file=Path(file).name if file else "")
    if on_progress is not None:
        on_progress(1.0)
    return FeedbackImport(found.rows, found.counts, found.unknown_ids, found.unmapped, found.no_id,
                          found.no_status, recorded, file)

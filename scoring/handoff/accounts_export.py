"""The Accounts view as a file: one row per account (CSV, or XLSX with a Summary sheet).

Columns: ``account``, ``leads``, ``mqls``, ``account_score``, ``mqa`` (Marketing Qualified
Account) and ``best_lead`` (the best-scored lead's value in ``lead_column``, when given). Account
names come from the lead list, so they are made formula-safe. Written atomically, never over the
lead list.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pyarrow as pa

from scoring.atomic import atomic_path
from scoring.combine.accounts import SCORE_LABELS, AccountTable
from scoring.errors import ExportError
from scoring.handoff.export import check_target, neutralise_arrow, neutralised_rows
from scoring.handoff.export_csv import CsvOptions, write_csv
from scoring.handoff.export_xlsx import TableSheet, write_workbook

__all__ = ["accounts_frame", "export_accounts"]


def accounts_frame(accounts: AccountTable, leads: pd.DataFrame | None = None,
                   lead_column: str | None = None) -> pd.DataFrame:
    """The accounts as the file holds them (best first)."""
    frame = accounts.frame
    out = pd.DataFrame({"account": frame["account"].astype("str"), "leads": frame["leads"],
                        "mqls": frame["mqls"], "account_score": frame["score"].round(6),
                        "mqa": frame["mqa"].astype(bool)})
    if leads is not None and lead_column is not None and lead_column in leads.columns:
        out["best_lead"] = leads[lead_column].astype("str").to_numpy(object)[frame["best_lead"].to_numpy()]
    return out


def export_accounts(accounts: AccountTable, path: str | os.PathLike, *, leads: pd.DataFrame | None = None,
                    lead_column: str | None = None, source: str | None = None) -> Path:
    """Write the accounts to ``path`` (.csv or .xlsx); raises ``ExportError`` naming the file."""
    path = Path(path)
    check_target(path, source)
    frame = accounts_frame(accounts, leads, lead_column)
    try:
        with atomic_path(path) as tmp:
            if path.suffix.lower() == ".xlsx":
                rollup = accounts.rollup
                summary = [["Grouped by", f"{rollup.by} ({accounts.column})"],
                           ["Account score", SCORE_LABELS[rollup.score]],
                           ["Account threshold", rollup.threshold], ["Accounts", len(frame)],
                           ["Marketing Qualified Accounts", accounts.n_mqa],
                           ["Leads without an account", accounts.without]]
                rows = [[None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in row]
                        for row in frame.itertuples(index=False)]
                write_workbook(tmp, [TableSheet("Accounts", [(list(frame.columns), neutralised_rows(rows))]),
                                     TableSheet("Summary", [(["", ""], neutralised_rows(summary))])])
            else:
                table = pa.table({c: neutralise_arrow(pa.array(frame[c].astype("str"), from_pandas=True))
                                  if c in ("account", "best_lead") else pa.array(frame[c]) for c in frame.columns})
                write_csv(table, tmp, CsvOptions())
    except OSError as exc:
        raise ExportError(f"Cannot write {path.name}: {exc.strerror or exc}. Nothing was changed.") from None
    return path

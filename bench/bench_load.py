"""Loading speed: typed load vs a bare ``pandas.read_csv`` (1M rows, ~176 MB), and XLSX vs bare calamine.

Targets (measured in the same run, best of three): ``load_leads`` on the CSV takes at most 2x
``pandas.read_csv``; on a 100k-row XLSX at most 1.3x
``CalamineWorkbook.from_path(p).get_sheet_by_index(0).to_python()``. Also reported: the parse
and typing stages apart, re-typing one column, and adding a missing-value marker.
"""

from __future__ import annotations

import time

import pandas as pd
from python_calamine import CalamineWorkbook

from bench.common import Target, best_of, big_csv, big_xlsx
from scoring.column_types import ColumnType
from scoring.reading import load_leads
from scoring.reading.csv_reader import read_text_table

__all__ = ["main", "TARGETS", "TARGET_CSV_RATIO", "TARGET_XLSX_RATIO"]

TARGET_CSV_RATIO = 2.0
TARGET_XLSX_RATIO = 1.3
TARGETS = (Target("csv_ratio", TARGET_CSV_RATIO, label="CSV load with typing vs pandas.read_csv"),
           Target("xlsx_ratio", TARGET_XLSX_RATIO, label="XLSX load vs bare python-calamine"))


def main() -> dict:
    csv_path, xlsx_path = big_csv(), big_xlsx()
    size_mb = csv_path.stat().st_size / 1e6
    pandas_s = best_of(lambda: pd.read_csv(csv_path))
    load_s = best_of(lambda: load_leads(csv_path))
    parse_s = best_of(lambda: read_text_table(csv_path))
    table = load_leads(csv_path)
    started = time.perf_counter()
    table.retype("employees", ColumnType.TEXT)
    retype_s = time.perf_counter() - started
    started = time.perf_counter()
    table.with_missing_values(("Unknown",))
    markers_s = time.perf_counter() - started
    calamine_s = best_of(lambda: CalamineWorkbook.from_path(str(xlsx_path)).get_sheet_by_index(0).to_python())
    xlsx_s = best_of(lambda: load_leads(xlsx_path))
    xlsx_rows = load_leads(xlsx_path).n_rows
    out = {"csv_mb": round(size_mb), "csv_rows": table.n_rows, "pandas_read_csv_s": pandas_s,
           "load_leads_csv_s": load_s, "csv_parse_s": parse_s, "csv_typing_s": load_s - parse_s,
           "csv_ratio": load_s / pandas_s, "retype_column_s": retype_s,
           "add_missing_marker_s": markers_s, "calamine_s": calamine_s,
           "load_leads_xlsx_s": xlsx_s, "xlsx_ratio": xlsx_s / calamine_s}
    print(f"CSV {table.n_rows:,} rows ({size_mb:.0f} MB): pandas.read_csv {pandas_s:.2f} s, "
          f"load_leads with typing {load_s:.2f} s (parse {parse_s:.2f} s + typing "
          f"{load_s - parse_s:.2f} s) -> {out['csv_ratio']:.2f}x (target <= {TARGET_CSV_RATIO}x)")
    print(f"  re-type one column {retype_s:.2f} s; add a missing-value marker {markers_s:.2f} s")
    print(f"XLSX {xlsx_rows:,} rows: calamine {calamine_s:.2f} s, load_leads {xlsx_s:.2f} s -> "
          f"{out['xlsx_ratio']:.2f}x (target <= {TARGET_XLSX_RATIO}x)")
    return out


if __name__ == "__main__":
    main()

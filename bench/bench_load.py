"""Loading speed: typed load vs a bare pandas.read_csv (1M rows), and XLSX vs bare calamine."""

from __future__ import annotations

import pandas as pd
from python_calamine import CalamineWorkbook

from bench.common import best_of, big_csv, big_xlsx
from scoring.reading import load_leads

TARGET_CSV_RATIO = 2.0
TARGET_XLSX_RATIO = 1.3


def main() -> dict:
    csv_path, xlsx_path = big_csv(), big_xlsx()
    size_mb = csv_path.stat().st_size / 1e6
    pandas_s = best_of(lambda: pd.read_csv(csv_path))
    load_s = best_of(lambda: load_leads(csv_path))
    calamine_s = best_of(lambda: CalamineWorkbook.from_path(str(xlsx_path)).get_sheet_by_index(0).to_python())
    xlsx_s = best_of(lambda: load_leads(xlsx_path))
    out = {"csv_mb": round(size_mb), "pandas_read_csv_s": pandas_s, "load_leads_csv_s": load_s,
           "csv_ratio": load_s / pandas_s, "calamine_s": calamine_s, "load_leads_xlsx_s": xlsx_s,
           "xlsx_ratio": xlsx_s / calamine_s}
    print(f"CSV 1M rows ({size_mb:.0f} MB): pandas.read_csv {pandas_s:.2f} s, load_leads with typing "
          f"{load_s:.2f} s -> {out['csv_ratio']:.2f}x (target <= {TARGET_CSV_RATIO}x)")
    print(f"XLSX 100k rows: calamine {calamine_s:.2f} s, load_leads {xlsx_s:.2f} s -> "
          f"{out['xlsx_ratio']:.2f}x (target <= {TARGET_XLSX_RATIO}x)")
    return out


if __name__ == "__main__":
    main()

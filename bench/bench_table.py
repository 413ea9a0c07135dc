"""The lead table at 1M rows: load into the view, paint, score, sort, filter, search, scroll.

Run with ``python -m bench.bench_table``; prints each figure beside its target and returns them.
First-time figures include building a column's sort key or search index, which later sorts and
searches of that column reuse.
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from bench.common import Target, big_csv  # noqa: E402
from scoring.reading import load_leads  # noqa: E402
from widgets.lead_table_view import LeadTableView  # noqa: E402

__all__ = ["main", "TARGETS_MS"]

#: Figure -> target in milliseconds (None: measured, no target).
TARGETS_MS = {
    "set_frame": 100, "first_paint": 100, "set_scores": 100,
    "search_first": None, "search_next": 300, "search_clear": 300,
    "sort_text_first": 300, "sort_text_again": 300, "sort_category": 300, "sort_email_first": None,
    "sort_number": 300, "sort_date": 300, "sort_score": 300,
    "filter_mql": 100, "filter_all": 100,
    "rescore_sorted_by_score": 300, "scroll_paint": 30,
}


#: the same targets for the bench summary
TARGETS = tuple(Target(k, v, "ms") for k, v in TARGETS_MS.items() if v is not None)


def _ms(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def main() -> dict[str, float]:
    """Measure the lead table on the 1M-row benchmark file; returns figure -> milliseconds."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    table = load_leads(big_csv())
    frame, n = table.frame, table.n_rows
    view = LeadTableView()
    view.resize(1200, 700)
    view.show()
    app.processEvents()
    model = view.model
    total = (frame["page_views"].fillna(0).to_numpy(float) * 3.7) % 100
    fit, engagement = total * 0.4, total * 0.6
    blocked = np.zeros(n, bool)
    blocked[::50] = True
    mql = (total >= 60) & ~blocked

    def paint() -> None:
        view.table.viewport().repaint()

    def column(name: str) -> int:
        return 4 + list(frame.columns).index(name)

    out = {"set_frame": _ms(lambda: view.set_frame(frame, table.types)),
           "first_paint": _ms(paint),
           "set_scores": _ms(lambda: view.set_scores(total, fit, engagement, mql, blocked))}
    asc, desc = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder
    out["search_first"] = _ms(lambda: model.set_search("harbor"))    # builds every column's index
    out["search_next"] = _ms(lambda: model.set_search("north"))
    out["search_clear"] = _ms(lambda: model.set_search(""))
    out["sort_text_first"] = _ms(lambda: model.sort(column("company"), asc))
    out["sort_text_again"] = _ms(lambda: model.sort(column("company"), desc))
    out["sort_category"] = _ms(lambda: model.sort(column("lead_source"), asc))
    out["sort_email_first"] = _ms(lambda: model.sort(column("email"), asc))
    out["sort_number"] = _ms(lambda: model.sort(column("employees"), desc))
    out["sort_date"] = _ms(lambda: model.sort(column("created_date"), desc))
    out["sort_score"] = _ms(lambda: model.sort(0, desc))
    out["filter_mql"] = _ms(lambda: view.set_row_filter("mql"))
    out["filter_all"] = _ms(lambda: view.set_row_filter("all"))
    out["rescore_sorted_by_score"] = _ms(lambda: view.set_scores(total[::-1].copy(), fit, engagement,
                                                                 mql, blocked))
    bar = view.table.verticalScrollBar()
    steps = [bar.maximum() * i // 20 for i in range(1, 21)]
    out["scroll_paint"] = sum(_ms(lambda s=s: (bar.setValue(s), paint())) for s in steps) / len(steps)
    print(f"Lead table at {n:,} rows x {len(frame.columns)} columns (ms; target in brackets):")
    for name, value in out.items():
        target = TARGETS_MS.get(name)
        verdict = "" if target is None else (f" [{target}] ok" if value <= target else f" [{target}] SLOW")
        print(f"  {name:<24}{value:8.1f}{verdict}")
    view.close()
    return out


if __name__ == "__main__":
    main()

"""LeadTableModel: model tester, cell text, MQL marking, numpy sorting against pandas, filters,
search, score updates and the signals they emit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt

from scoring.column_types import ColumnType as T
from scoring.errors import LeadbenchError
from widgets.lead_table_model import LeadRole, LeadTableModel

ASC, DESC = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder
FRAME = pd.DataFrame({
    "name": pd.Series(["bob", "Ann", None, "cid", "ann", "Dee"], dtype="str"),
    "source": pd.Categorical(["Web", "Ads", "Web", None, "Ads", "Events"]),
    "employees": pd.array([10, None, 300, 5, 42296, 40], dtype="Int64"),
    "revenue": [1234.5, np.nan, 0.25, 3.0, 1e6, 7.126],
    "created": pd.to_datetime(["2026-01-02", None, "2025-05-01", "2026-03-04", "2026-01-02", "2024-01-01"]),
    "demo": pd.array([True, False, None, True, False, True], dtype="boolean"),
})
TYPES = {"name": T.TEXT, "source": T.CATEGORY, "employees": T.INTEGER, "revenue": T.NUMBER,
         "created": T.DATE, "demo": T.BOOLEAN}
TOTAL = np.array([30.0, 55, 10, 70, 55.26, 0])
BLOCKED = np.array([False, False, False, True, False, True])
MQL = (TOTAL >= 50) & ~BLOCKED
K = 4   # score columns before the frame's


def scored_model(frame=FRAME, types=TYPES, total=TOTAL, mql=MQL, blocked=BLOCKED) -> LeadTableModel:
    model = LeadTableModel()
    model.set_frame(frame, types)
    model.set_scores(total, total * 0.4, total * 0.6, mql, blocked)
    return model


def texts(model, column):
    return [model.index(r, column).data() for r in range(model.rowCount())]


def frame_rows(model):
    return [model.frame_row(r) for r in range(model.rowCount())]


def test_model_tester_in_every_state(qtmodeltester):
    model = LeadTableModel()
    qtmodeltester.check(model)
    model.set_frame(FRAME, TYPES)
    qtmodeltester.check(model)
    model.set_scores(TOTAL, TOTAL, TOTAL, MQL, BLOCKED)
    qtmodeltester.check(model)
    model.sort(K + 1, DESC)
    model.set_row_filter("not_mql")
    model.set_search("e")
    qtmodeltester.check(model)
    model.set_frame(None)
    qtmodeltester.check(model)


def test_score_columns_come_first_with_tooltips_naming_types():
    model = LeadTableModel()
    model.set_frame(FRAME, TYPES)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == list(FRAME.columns)
    model.set_scores(TOTAL, TOTAL, TOTAL, MQL, BLOCKED)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Score", "Fit", "Engagement", "MQL", *FRAME.columns]
    tip = model.headerData(K + 2, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert tip == "employees\nType: Whole number"
    assert "threshold" in model.headerData(3, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert model.headerData(0, Qt.Orientation.Vertical) is None


def test_cells_show_formatted_values_and_missing_as_empty():
    model = scored_model()
    assert texts(model, 0) == ["30", "55", "10", "70", "55.3", "0"]
    assert texts(model, K) == ["bob", "Ann", "", "cid", "ann", "Dee"]
    assert texts(model, K + 1) == ["Web", "Ads", "Web", "", "Ads", "Events"]
    assert texts(model, K + 2) == ["10", "", "300", "5", "42296", "40"]
    assert texts(model, K + 3) == ["1,234.5", "", "0.25", "3", "1,000,000", "7.13"]
    assert texts(model, K + 4) == ["2026-01-02", "", "2025-05-01", "2026-03-04", "2026-01-02", "2024-01-01"]
    assert texts(model, K + 5) == ["Yes", "No", "", "Yes", "No", "Yes"]
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert model.index(0, 0).data(Qt.ItemDataRole.TextAlignmentRole) == right
    assert model.index(0, K + 3).data(Qt.ItemDataRole.TextAlignmentRole) == right
    assert model.index(0, K).data(Qt.ItemDataRole.TextAlignmentRole) is None


def test_scores_show_one_decimal_at_most():
    total = np.array([55.0, 55.26, 55.96, -0.04, -3.5, 120.0])
    model = scored_model(total=total)
    assert texts(model, 0) == ["55", "55.3", "56", "0", "-3.5", "120"]


def test_datetimes_show_minutes():
    model = LeadTableModel()
    frame = pd.DataFrame({"seen": pd.to_datetime(["2026-01-02 14:05:59", None])})
    model.set_frame(frame, {"seen": T.DATETIME})
    assert texts(model, 0) == ["2026-01-02 14:05", ""]


def test_mql_rows_are_shaded_and_blocked_rows_greyed():
    model = scored_model()
    assert texts(model, 3) == ["", "✔ MQL", "", "Blocked", "✔ MQL", "Blocked"]
    for column in (0, 3, K, K + 5):
        assert model.index(1, column).data(Qt.ItemDataRole.BackgroundRole) is not None
        assert model.index(0, column).data(Qt.ItemDataRole.BackgroundRole) is None
        assert model.index(3, column).data(Qt.ItemDataRole.ForegroundRole) is not None
        assert model.index(1, column).data(Qt.ItemDataRole.ForegroundRole) is None
    assert [model.index(r, 0).data(LeadRole.QUALIFIED) for r in range(6)] == MQL.tolist()
    assert [model.index(r, 0).data(LeadRole.BLOCKED) for r in range(6)] == BLOCKED.tolist()
    assert "gate" in model.index(3, 3).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, 0).data(Qt.ItemDataRole.UserRole + 99) is None
    assert model.index(0, 0).data(Qt.ItemDataRole.DecorationRole) is None


def random_frame(n: int, seed: int) -> pd.DataFrame:
    """Many ties, missing values in every column, mixed case text."""
    rng = np.random.default_rng(seed)
    words = np.array(["apple", "Apple", "banana", "Cherry", "cherry", "date", "Émile", "zed"], object)

    def holes(values):
        values = pd.Series(values)
        return values.mask(rng.random(n) < 0.2)

    return pd.DataFrame({
        "text": holes(words[rng.integers(0, len(words), n)]).astype("str"),
        "cat": pd.Categorical(holes(words[rng.integers(0, 4, n)])),
        "int": holes(rng.integers(-3, 4, n)).astype("Int64"),
        "float": holes(rng.integers(0, 6, n) / 4),
        "date": holes(pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 5, n), unit="D")),
        "bool": holes(rng.random(n) < 0.5).astype("boolean"),
    })


def pandas_order(series: pd.Series, descending: bool) -> list[int]:
    """The reference: pandas' stable sort, missing last, text compared case-insensitively."""
    if series.dtype == "str" or isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype("str").str.lower()
    return series.sort_values(ascending=not descending, kind="stable", na_position="last").index.tolist()


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("name", ["text", "cat", "int", "float", "date", "bool"])
@pytest.mark.parametrize("order", [ASC, DESC])
def test_sort_matches_pandas_stable_with_missing_last(name, order, seed):
    frame = random_frame(300, seed)
    model = LeadTableModel()
    model.set_frame(frame)
    model.sort(list(frame.columns).index(name), order)
    assert frame_rows(model) == pandas_order(frame[name], order == DESC)
    shown = texts(model, list(frame.columns).index(name))
    n_missing = int(frame[name].isna().sum())
    assert shown[len(shown) - n_missing:] == [""] * n_missing


def test_sort_a_filtered_search_and_back_to_file_order():
    frame = random_frame(200, 3)
    total = np.round(np.random.default_rng(3).uniform(0, 100, 200), 1)
    model = scored_model(frame, None, total, total > 50, np.zeros(200, bool))
    model.set_row_filter("mql")
    model.set_search("an")
    model.sort(0, DESC)
    keep = (total > 50) & frame.astype("str").apply(lambda c: c.str.lower().str.contains("an")).any(axis=1)
    reference = pd.Series(total[keep.to_numpy()], index=np.flatnonzero(keep))
    assert frame_rows(model) == reference.sort_values(ascending=False, kind="stable").index.tolist()
    model.sort(-1, ASC)
    assert frame_rows(model) == np.flatnonzero(keep).tolist()


def test_the_same_sort_twice_does_no_work(qtbot):
    model = scored_model()
    model.sort(K, DESC)
    with qtbot.assertNotEmitted(model.layoutChanged):
        model.sort(K, DESC)
    with qtbot.waitSignal(model.layoutChanged):
        model.sort(K, ASC)


def test_mql_column_sorts_mqls_then_others_then_blocked():
    model = scored_model()
    model.sort(3, DESC)
    assert frame_rows(model) == [1, 4, 0, 2, 3, 5]
    assert model.sort_column() == (3, DESC)


def test_persistent_indexes_follow_their_lead_or_become_invalid():
    model = scored_model()
    ann = QPersistentModelIndex(model.index(1, K))
    blocked = QPersistentModelIndex(model.index(3, K + 2))
    model.sort(K + 2, DESC)
    assert ann.isValid() and ann.data(LeadRole.FRAME_ROW) == 1 and ann.column() == K
    assert blocked.data(LeadRole.FRAME_ROW) == 3 and blocked.row() == 4    # 5 is near the bottom
    model.set_row_filter("mql")
    assert ann.isValid() and not blocked.isValid()


def test_row_filters_and_counts():
    model = scored_model()
    assert model.filter_counts() == {"all": 6, "mql": 2, "not_mql": 4, "blocked": 2}
    model.set_row_filter("mql")
    assert frame_rows(model) == [1, 4] and model.visible_count() == 2
    model.set_row_filter("blocked")
    assert frame_rows(model) == [3, 5]
    model.set_row_filter("not_mql")
    assert frame_rows(model) == [0, 2, 3, 5]
    with pytest.raises(LeadbenchError, match="Unknown lead filter"):
        model.set_row_filter("hot")


@pytest.mark.parametrize(("needle", "rows"), [
    ("ADS", [1, 4]), ("ann", [1, 4]), ("2025-05", [2]), ("42,296", [4]), ("42296", [4]),
    ("1,234.5", [0]), ("yes", [0, 3, 5]), ("events", [5]), ("  dee ", [5]), ("zzz", []),
    ("a.n", []), ("(", []), (".", [0, 2, 5]),
    ("", [0, 1, 2, 3, 4, 5]),
])
def test_search_matches_shown_text_in_any_column(needle, rows):
    model = scored_model()
    model.set_search(needle)
    assert frame_rows(model) == rows


def test_search_and_filters_compose_and_counts_follow_the_search(qtbot):
    model = scored_model()
    with qtbot.waitSignal(model.rowsFiltered) as signal:
        model.set_search("ads")
    assert signal.args == [2, 6]
    assert model.filter_counts() == {"all": 2, "mql": 2, "not_mql": 0, "blocked": 0}
    model.set_row_filter("not_mql")
    assert model.rowCount() == 0
    model.set_search("")
    assert frame_rows(model) == [0, 2, 3, 5]


def test_search_over_unicode_text_and_mostly_distinct_values():
    frame = pd.DataFrame({"email": pd.Series([f"user{i}@Émile.example" for i in range(50)] + [None],
                                             dtype="str")})
    model = LeadTableModel()
    model.set_frame(frame, {"email": T.EMAIL})
    model.set_search("émile")
    assert model.rowCount() == 50
    model.set_search("USER4")
    assert frame_rows(model) == [4, *range(40, 50)]


def test_first_scores_reset_later_scores_change_data(qtbot):
    model = LeadTableModel()
    model.set_frame(FRAME, TYPES)
    with qtbot.waitSignal(model.modelReset):
        model.set_scores(TOTAL, TOTAL, TOTAL, MQL, BLOCKED)
    model.sort(K, ASC)
    changed, layouts = [], []
    model.dataChanged.connect(lambda a, b, roles: changed.append((a.column(), b.column(), b.row(), roles)))
    model.layoutChanged.connect(lambda *_: layouts.append(1))
    model.set_scores(TOTAL + 1, TOTAL, TOTAL, MQL, BLOCKED)
    assert changed[0][:3] == (0, 3, 5) and not layouts
    assert changed[1][:3] == (K, K + 5, 5) and set(changed[1][3]) == {
        Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole}
    assert model.index(model.view_row(0), 0).data() == "31"


def test_new_scores_re_sort_and_re_filter_when_they_depend_on_scores(qtbot):
    model = scored_model()
    model.sort(0, DESC)
    assert frame_rows(model) == [3, 4, 1, 0, 2, 5]
    with qtbot.waitSignal(model.layoutChanged):
        model.set_scores(-TOTAL, TOTAL, TOTAL, ~MQL, BLOCKED)
    assert frame_rows(model) == [5, 2, 0, 1, 4, 3]
    model.sort(K, ASC)
    model.set_row_filter("mql")
    with qtbot.waitSignal(model.rowsFiltered) as signal:
        model.set_scores(TOTAL, TOTAL, TOTAL, MQL, BLOCKED)
    assert signal.args == [2, 6]


def test_clearing_scores_removes_their_columns_and_a_score_sort():
    model = scored_model()
    model.sort(0, DESC)
    model.set_scores(None)
    assert model.columnCount() == len(FRAME.columns) and model.sort_column() is None
    assert frame_rows(model) == list(range(6))
    assert model.filter_counts()["mql"] == 0


def test_scores_of_another_length_are_refused():
    model = LeadTableModel()
    model.set_frame(FRAME, TYPES)
    with pytest.raises(LeadbenchError, match="cover 3 leads but the lead list has 6"):
        model.set_scores(TOTAL[:3], TOTAL, TOTAL, MQL, BLOCKED)


def test_a_retyped_frame_keeps_the_sort_search_and_filter():
    model = scored_model()
    model.sort(K + 1, DESC)
    model.set_search("e")
    model.set_frame(FRAME.assign(employees=FRAME["employees"].astype("float64")),
                    {**TYPES, "employees": T.NUMBER})
    assert model.sort_column() == (1, DESC) and model.search_text() == "e"
    assert frame_rows(model) == [0, 2, 5, 3]
    model.set_frame(FRAME[["name"]], TYPES)
    assert model.sort_column() is None


@pytest.mark.parametrize("frame", [
    pd.DataFrame(),
    pd.DataFrame({"a": pd.Series([], dtype="str"), "b": pd.Series([], dtype="float64")}),
    pd.DataFrame({"a": [np.nan, np.nan], "b": pd.Series([None, None], dtype="str")}),
    pd.DataFrame({"x": [1]}),
    pd.DataFrame([[1, "a", 2.5], [2, "b", None]], columns=["dup", "dup", "ünï 名"]),
    pd.DataFrame({"mixed": pd.Series([1, "two", None, 3.5], dtype=object)}),
    pd.DataFrame({"when": pd.to_datetime(["2026-01-01 10:00", None]).tz_localize("Europe/Paris"),
                  "flag": [True, False], "small": np.array([1, 2], np.int8),
                  "f32": np.array([0.5, np.nan], np.float32), "big": [2**62, -5]}),
], ids=["empty", "header only", "all missing", "one row", "duplicate and unicode names", "object",
        "numpy and timezone dtypes"])
def test_weird_frames(frame, qtmodeltester):
    model = LeadTableModel()
    model.set_frame(frame)
    qtmodeltester.check(model)
    n = len(frame)
    model.set_scores(np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n, bool), np.zeros(n, bool))
    for column in range(model.columnCount()):
        model.sort(column, DESC)
        assert sorted(frame_rows(model)) == list(range(n))
    model.set_search("t")
    qtmodeltester.check(model)


def test_sort_value_role_is_the_key_and_none_when_missing():
    model = scored_model()
    assert model.index(1, K + 2).data(LeadRole.SORT_VALUE) is None
    assert model.index(0, K + 2).data(LeadRole.SORT_VALUE) == 10.0
    assert model.index(1, 0).data(LeadRole.SORT_VALUE) < model.index(3, 0).data(LeadRole.SORT_VALUE)


@pytest.mark.slow
def test_a_million_rows_load_score_sort_filter_and_search_quickly():
    n = 1_000_000
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({
        "company": pd.Series(rng.choice(np.array(["Acme", "globex", "Initech", None], object), n), dtype="str"),
        "source": pd.Categorical(rng.choice(["Web", "Ads", "Events"], n)),
        "employees": rng.integers(1, 5000, n).astype(float),
    })
    total = rng.uniform(0, 100, n)
    model = LeadTableModel()
    model.set_frame(frame, {"company": T.TEXT, "source": T.CATEGORY, "employees": T.NUMBER})
    model.set_scores(total, total, total, total > 60, total < 1)
    model.sort(K, DESC)
    assert model.index(0, K).data() == "Initech" and model.index(n - 1, K).data() == ""
    model.set_row_filter("mql")
    assert model.rowCount() == int((total > 60).sum())
    assert model.index(0, K).data() == "Initech"
    model.set_search("glob")
    assert {model.index(r, K).data() for r in range(0, model.rowCount(), 997)} == {"globex"}
    model.sort(0, DESC)
    assert float(model.index(0, 0).data()) >= float(model.index(1, 0).data())


def test_a_huge_cell_is_shown_clipped_but_searched_and_sorted_whole():
    import pandas as pd

    from widgets.cell_text import CELL_CHARS
    from widgets.lead_table_model import LeadTableModel

    huge = "x" * 50_000 + "needle"
    frame = pd.DataFrame({"notes": pd.array([huge, "short", None], dtype="string"),
                          "kind": pd.Categorical(["y" * 5000, "b", "b"])})
    model = LeadTableModel()
    model.set_frame(frame)
    shown = model.display_text(0, 0)
    assert len(shown) == CELL_CHARS and shown.endswith("…") and shown.startswith("xxx")
    assert model.display_text(1, 0) == "short" and model.display_text(2, 0) == ""
    assert len(model.display_text(0, 1)) == CELL_CHARS
    model.set_search("needle")                     # beyond what is shown: still found
    assert model.rowCount() == 1

"""Many files, one lead, at scale: a deals lookup, activity aggregates, and moving their window.

- 1M leads joined with a 1M-row deals file (ids as text, 5% of deals on a lead twice, 5% on no
  lead): ``Combiner.apply`` (key match, first row per lead, two columns with their cell texts)
  against a bare ``pandas.merge`` of the same columns in the same run (deals de-duplicated first
  so both give one row per lead). Target: within 2x.
- 10M activity rows aggregated into per-lead columns (clicks in the last 30 days, latest
  activity): ``Combiner.apply`` against the same figures from a bare pandas groupby (+ reindex to
  the leads) in the same run. Target: within 2x.
- Changing an aggregate's window from 30 to 60 days, then re-scoring the 1M leads with the
  benchmark model plus a rule on that column. Target: under 300 ms.

Run with ``python -m bench`` (all) or ``python -m bench.bench_combine``.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa

from bench.bench_score import MODEL
from bench.common import ROWS, Target, best_of, big_csv
from scoring.column_types import ColumnType
from scoring.combine import Combiner
from scoring.evaluate.engine import Scorer
from scoring.model.definition import Condition, Rule
from scoring.model.recipe import Aggregate, MatchKey, Source
from scoring.reading import LeadTable, load_leads

__all__ = ["main", "TARGETS", "TARGET_RATIO", "TARGET_WINDOW_MS"]

TARGET_RATIO = 2.0
TARGET_WINDOW_MS = 300
TARGETS = (Target("join_ratio", TARGET_RATIO, "x", "join deals vs pandas.merge"),
           Target("aggregate_ratio", TARGET_RATIO, "x", "aggregate 10x activity vs pandas groupby"),
           Target("window_change_ms", TARGET_WINDOW_MS, "ms", "30 -> 60 day window + re-score"))
AS_OF = date(2026, 11, 1)


def _table(frame: pd.DataFrame, types: dict[str, ColumnType]) -> LeadTable:
    """A LeadTable straight from typed columns (cell texts made with Arrow, no typing pass)."""
    cells = {}
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_datetime64_any_dtype(column.dtype):
            cells[name] = pa.array(column.dt.strftime("%Y-%m-%d").to_numpy(object), pa.string())
        else:
            cells[name] = pa.array(column.astype("str").to_numpy(object), pa.string(), from_pandas=True)
    return LeadTable(frame, types, pa.table(cells))


def _leads(rows: int, seed: int = 3) -> LeadTable:
    ids = pd.Series(np.char.add("L", np.arange(rows).astype("U8")), dtype="str")
    frame = pd.DataFrame({"lead_id": ids})
    return _table(frame, {"lead_id": ColumnType.TEXT})


def _deals(rows: int, leads: int, seed: int = 5) -> LeadTable:
    rng = np.random.default_rng(seed)
    who = rng.permutation(leads)[:rows]
    twice = rng.random(rows) < 0.05
    who[twice] = who[np.flatnonzero(twice) - 1]                      # a second deal of a lead
    ghost = rng.random(rows) < 0.05                                  # no such lead
    ids = np.char.add("L", who.astype("U8"))
    ids[ghost] = np.char.add("X", who[ghost].astype("U8"))
    frame = pd.DataFrame({"lead_id": pd.Series(ids, dtype="str"),
                          "stage": pd.Categorical(rng.choice(["Won", "Lost", "Open"], rows)),
                          "amount": rng.integers(100, 50_000, rows).astype(np.float64)})
    return _table(frame, {"lead_id": ColumnType.TEXT, "stage": ColumnType.CATEGORY,
                          "amount": ColumnType.NUMBER})


def _activity(rows: int, leads: int, seed: int = 9) -> LeadTable:
    rng = np.random.default_rng(seed)
    who = rng.integers(0, leads, rows)
    ids = pd.Series(np.char.add("L", who.astype("U8")), dtype="str")
    days = rng.integers(0, 365, rows)
    when = pd.Series(np.datetime64(AS_OF, "ns") - days.astype("timedelta64[D]").astype("timedelta64[ns]"))
    frame = pd.DataFrame({"lead_id": ids, "event": pd.Categorical(rng.choice(["open", "click", "visit"], rows)),
                          "when": when})
    return _table(frame, {"lead_id": ColumnType.TEXT, "event": ColumnType.CATEGORY, "when": ColumnType.DATE})


def _clicks(days: float) -> Aggregate:
    return Aggregate("Clicks", "count", where=Condition("event", "eq", "click"), within_days=days,
                     date_column="when")


def main(rows: int = ROWS, activity_rows: int | None = None) -> dict:
    activity_rows = activity_rows or 10 * rows
    out: dict = {"rows": rows, "activity_rows": activity_rows}
    key = MatchKey("id", ("lead_id",), ("lead_id",))
    leads, deals = _leads(rows), _deals(rows, rows)
    lookup = Source("deals", "deals.csv", key, columns=("stage", "amount"))

    def join():
        combiner = Combiner(leads)
        combiner.set_table(lookup, deals)
        return combiner.apply([lookup], as_of=AS_OF)

    def merge():
        right = deals.frame[["lead_id", "stage", "amount"]].drop_duplicates("lead_id")
        return pd.merge(leads.frame[["lead_id"]], right, how="left", on="lead_id")

    joined = join().table.frame
    check = merge()
    assert (joined["amount"].fillna(-1).to_numpy() == check["amount"].fillna(-1).to_numpy()).all()
    out["join_s"], out["merge_s"] = best_of(join), best_of(merge)
    out["join_ratio"] = out["join_s"] / out["merge_s"]
    print(f"{rows:,} leads, {rows:,} deals, {activity_rows:,} activity rows (best of runs)", flush=True)
    print(f"  join deals        {out['join_s']:6.2f} s   pandas.merge {out['merge_s']:6.2f} s   "
          f"ratio {out['join_ratio']:.2f} (target <= {TARGET_RATIO})", flush=True)

    events = _activity(activity_rows, rows)
    log = Source("events", "events.csv", key, aggregates=(_clicks(30), Aggregate("Last seen", "latest", "when")))

    def aggregate():
        combiner = Combiner(leads)
        combiner.set_table(log, events)
        return combiner.apply([log], as_of=AS_OF)

    def groupby():
        frame = events.frame
        recent = (frame["event"] == "click") & (frame["when"] >= pd.Timestamp(AS_OF) - pd.Timedelta(days=30)) \
            & (frame["when"] <= pd.Timestamp(AS_OF))
        clicks = frame.loc[recent, "lead_id"].value_counts().reindex(leads.frame["lead_id"], fill_value=0)
        latest = frame.groupby("lead_id")["when"].max().reindex(leads.frame["lead_id"])
        return clicks, latest

    got = aggregate().table.frame
    clicks, _latest = groupby()
    assert (got["Clicks"].to_numpy(np.int64) == clicks.to_numpy(np.int64)).all()
    out["aggregate_s"], out["groupby_s"] = best_of(aggregate, 2), best_of(groupby, 2)
    out["aggregate_ratio"] = out["aggregate_s"] / out["groupby_s"]
    print(f"  aggregate events  {out['aggregate_s']:6.2f} s   pandas groupby {out['groupby_s']:6.2f} s   "
          f"ratio {out['aggregate_ratio']:.2f} (target <= {TARGET_RATIO})", flush=True)
    events = got = None                  # free the 10M rows before the next part

    # moving the window on a real 1M-lead list, then re-scoring with a rule on the new column
    big = load_leads(big_csv(rows))
    small = _activity(activity_rows, rows)
    big_key = MatchKey("email", ("email",), ("lead_id",))
    mapped = small.frame.assign(lead_id=big.frame["email"].to_numpy(object)[
        small.frame["lead_id"].str.slice(1).astype(int).to_numpy() % big.n_rows])
    small = _table(mapped, small.types)
    model = MODEL.with_rules((*MODEL.rules, Rule("Clicked lately", Condition("Clicks", "gte", 2), 20, "engagement")))
    combiner = Combiner(big)
    at30 = Source("events", "events.csv", big_key, aggregates=(_clicks(30),))
    combiner.set_table(at30, small)
    first = combiner.apply([at30], as_of=AS_OF)
    scorer = Scorer(first.table, as_of=AS_OF)
    scorer.score(model)
    at60 = Source("events", "events.csv", big_key, aggregates=(_clicks(60),))
    combiner.set_table(at60, small)

    def move_window():
        moved = combiner.apply([at60], as_of=AS_OF)
        return scorer.rescore_with(moved.table, ("Clicks",)).score(model)

    out["window_change_ms"] = best_of(move_window, 3) * 1000
    print(f"  30 -> 60 days + re-score {out['window_change_ms']:6.0f} ms (target < {TARGET_WINDOW_MS})")
    return out


if __name__ == "__main__":
    main()

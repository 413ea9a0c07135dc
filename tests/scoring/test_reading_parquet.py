"""Parquet lead lists: the file's types kept, text columns typed as CSV cells are, cell texts for
every column, nested columns read, and one clear message for each kind of bad file."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pyarrow.parquet.encryption as pqe
import pytest

import resources
from scoring.column_types import ColumnType as T
from scoring.errors import Cancelled, LoadError
from scoring.evaluate.engine import Scorer
from scoring.handoff.export import export_leads
from scoring.model.model_file import load_model
from scoring.reading import SUPPORTED_SUFFIXES, load_leads
from scoring.sample import SAMPLE_TODAY


def write(tmp_path, table: pa.Table, name: str = "leads.parquet", **options):
    path = tmp_path / name
    pq.write_table(table, path, **options)
    return path


def typed_leads() -> pa.Table:
    """One column of each type Parquet files hold, with empty cells."""
    return pa.table({
        "lead_id": pa.array([101, 102, None, 104], pa.int64()),
        "converted": pa.array([0, 1, 1, 0], pa.int8()),           # 0/1 stored as numbers: integer
        "budget": pa.array([1500.5, 2000.0, None, float("nan")]),
        "price": pa.array([decimal.Decimal("1.50"), None, decimal.Decimal("3.00"),
                           decimal.Decimal("-2.25")], pa.decimal128(9, 2)),
        "opted_in": pa.array([True, False, None, True]),
        "created": pa.array([dt.date(2024, 1, 5), None, dt.date(2023, 12, 1), dt.date(2024, 2, 29)]),
        "last_seen": pa.array([dt.datetime(2024, 1, 5, 10, 30), None, dt.datetime(2024, 1, 5),
                               dt.datetime(2024, 1, 6, 0, 0, 0, 500_000)], pa.timestamp("us")),
        "demo": pa.array(["Yes", "No", None, "yes"]),
        "stage": pa.array(["Lead", "MQL", "Lead", None]).dictionary_encode(),
        "notes": pa.array(["called", "", None, "asked for pricing"], pa.large_string()),
    })


def test_the_files_types_are_kept_and_text_columns_typed_from_their_values(tmp_path):
    table = load_leads(write(tmp_path, typed_leads(), row_group_size=2))
    assert table.types == {"lead_id": T.INTEGER, "converted": T.INTEGER, "budget": T.NUMBER,
                           "price": T.NUMBER, "opted_in": T.BOOLEAN, "created": T.DATE,
                           "last_seen": T.DATETIME, "demo": T.BOOLEAN, "stage": T.CATEGORY,
                           "notes": T.CATEGORY}
    frame = table.frame
    assert frame["lead_id"].tolist() == [101, 102, pd.NA, 104] and str(frame["lead_id"].dtype) == "Int64"
    assert frame["converted"].tolist() == [0, 1, 1, 0]
    np.testing.assert_array_equal(frame["budget"], [1500.5, 2000.0, np.nan, np.nan])
    np.testing.assert_array_equal(frame["price"], [1.5, np.nan, 3.0, -2.25])
    assert frame["opted_in"].tolist() == [True, False, pd.NA, True]
    assert frame["created"].tolist()[::2] == [pd.Timestamp("2024-01-05"), pd.Timestamp("2023-12-01")]
    assert frame["created"].isna().tolist() == [False, True, False, False]
    assert frame["last_seen"][3] == pd.Timestamp("2024-01-06 00:00:00.5")
    assert frame["demo"].tolist() == [True, False, pd.NA, True]
    assert frame["stage"].tolist()[:2] == ["Lead", "MQL"]
    assert table.notes == {} and table.warnings == []


def test_every_column_has_cell_texts_as_exports_write_them(tmp_path):
    table = load_leads(write(tmp_path, typed_leads()))
    assert table.raw.to_pydict() == {
        "lead_id": ["101", "102", None, "104"],
        "converted": ["0", "1", "1", "0"],
        "budget": ["1500.5", "2000", None, None],
        "price": ["1.50", None, "3.00", "-2.25"],
        "opted_in": ["true", "false", None, "true"],
        "created": ["2024-01-05", None, "2023-12-01", "2024-02-29"],
        "last_seen": ["2024-01-05 10:30:00", None, "2024-01-05 00:00:00", "2024-01-06 00:00:00.5"],
        "demo": ["Yes", "No", None, "yes"],
        "stage": ["Lead", "MQL", "Lead", None],
        "notes": ["called", "", None, "asked for pricing"],
    }
    for column in table.cells.columns:      # texts, or codes (as narrow as they can be) into texts
        assert column.type == pa.string() or (pa.types.is_dictionary(column.type)
                                              and column.type.value_type == pa.string())


def test_a_column_retyped_from_its_texts_reads_back_the_same_values(tmp_path):
    table = load_leads(write(tmp_path, typed_leads()))
    as_text = table.retype("budget", T.TEXT)
    assert as_text.types["budget"] == T.TEXT and as_text.frame["budget"][0] == "1500.5"
    back = as_text.retype("budget", T.NUMBER)
    np.testing.assert_array_equal(back.frame["budget"], table.frame["budget"])
    assert table.retype("created", T.DATE).frame["created"].equals(table.frame["created"])


def test_times_with_a_time_zone_are_converted_to_utc_with_a_note(tmp_path):
    berlin = pa.array([dt.datetime(2024, 1, 5, 9, 0), None, dt.datetime(2024, 7, 5, 9, 0)],
                      pa.timestamp("ms", "Europe/Berlin"))     # (Arrow keeps the UTC instants)
    utc = pa.array([dt.datetime(2024, 1, 5, 9, 0), None, None], pa.timestamp("s", "UTC"))
    path = write(tmp_path, pa.table({"created": berlin, "updated": utc, "email": ["a@x.io", "b@x.io", "c@x.io"]}))
    table = load_leads(path)
    assert table.types["created"] == T.DATETIME
    assert table.frame["created"][0] == pd.Timestamp("2024-01-05 09:00")
    assert table.frame["created"].dt.tz is None
    assert table.notes == {"created": "times converted to UTC from Europe/Berlin", "updated": "times are in UTC"}
    assert "Column “created”: times converted to UTC from Europe/Berlin." in table.warnings
    assert table.raw.column("created").to_pylist() == ["2024-01-05 09:00:00Z", None, "2024-07-05 09:00:00Z"]
    # the texts read back to the same instants, as a CSV column with offsets would
    assert table.retype("created", T.DATETIME).frame["created"].equals(table.frame["created"])


def test_dates_pandas_cannot_hold_become_missing_with_a_note(tmp_path):
    days = pa.array([dt.date(2024, 1, 5), dt.date(9999, 12, 31), dt.date(1, 1, 1)])
    table = load_leads(write(tmp_path, pa.table({"renewal": days, "n": [1, 2, 3]})))
    assert table.frame["renewal"].isna().tolist() == [False, True, True]
    assert table.notes["renewal"] == "2 dates before 1678 or after 2261 treated as missing"
    assert table.raw.column("renewal").to_pylist()[1] == "9999-12-31"     # exported as the file had it


def test_text_columns_are_typed_exactly_as_the_same_csv(tmp_path):
    texts = {"Converted": ["Yes", "No", "yes", None] * 50,
             "Signed up": ["05/01/2024", "17/02/2024", None, "01/03/2024"] * 50,
             "Revenue": ["1.234,50", "99,00", "", "12,00"] * 50,
             "Source": ["Web", "Event", "Web", "Partner"] * 50}
    path = write(tmp_path, pa.table(texts))
    csv_path = tmp_path / "leads.csv"
    pacsv.write_csv(pa.table(texts), csv_path, pacsv.WriteOptions(quoting_style="needed"))
    parquet, text = load_leads(path), load_leads(csv_path)
    assert parquet.types == text.types == {"Converted": T.BOOLEAN, "Signed up": T.DATE,
                                           "Revenue": T.NUMBER, "Source": T.CATEGORY}
    for name in texts:
        assert parquet.frame[name].astype(object).equals(text.frame[name].astype(object)), name
    assert parquet.formats == text.formats and parquet.frame["Revenue"][0] == 1234.5


def test_many_rows_in_row_groups_read_with_their_dictionaries(tmp_path):
    rows = 60_000
    rng = np.random.default_rng(3)
    sources = np.array(["Web", "Event", "Partner", "Paid Search"])[rng.integers(0, 4, rows)]
    emails = [f"lead{i}@example.com" for i in range(rows)]
    source_list = sources.tolist()
    source_list[7] = None
    path = write(tmp_path, pa.table({"source": source_list, "email": emails, "visits": rng.integers(0, 50, rows)}),
                 row_group_size=10_000)
    seen = []
    table = load_leads(path, on_progress=seen.append)
    assert pq.ParquetFile(path).metadata.num_row_groups == 6
    assert table.types == {"source": T.CATEGORY, "email": T.EMAIL, "visits": T.INTEGER}
    assert table.n_rows == rows and table.frame["source"].isna().sum() == 1
    assert table.frame["source"].astype(object).tolist()[:7] == sources[:7].tolist()
    assert table.frame["email"][rows - 1] == f"lead{rows - 1}@example.com"
    assert table.cells.column("source").type == pa.dictionary(pa.int8(), pa.string())     # codes, a byte each
    assert table.cells.column("email").type == pa.string()
    assert table.raw.column("source")[7].as_py() is None
    assert seen == sorted(seen) and seen[-1] == 1.0
    more = table.with_missing_values(("Event",))                 # re-typed from the cells' codes
    assert more.frame["source"].isna().sum() == (sources == "Event").sum() + 1


def test_loading_can_be_cancelled_between_parts(tmp_path):
    path = write(tmp_path, pa.table({"a": list(range(1000)), "b": ["x"] * 1000}), row_group_size=100)
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 3
    with pytest.raises(Cancelled):
        load_leads(path, is_cancelled=cancelled)


def test_nested_columns_are_flattened_and_lists_written_as_text(tmp_path):
    table = pa.table({
        "email": ["a@x.io", "b@x.io", "c@x.io"],
        "address": pa.array([{"city": "Bonn", "geo": {"zip": 53111}}, None, {"city": "Köln", "geo": None}]),
        "tags": pa.array([["webinar", "demo"], [], None]),
        "scores": pa.array([[1.5, 2.0], [3.0], None]),
        "extra": pa.array([[("plan", "pro")], None, []], pa.map_(pa.string(), pa.string())),
        "visits": pa.array([[{"page": "/pricing"}], None, None]),
    })
    loaded = load_leads(write(tmp_path, table))
    assert list(loaded.frame.columns) == ["email", "address.city", "address.geo.zip", "tags", "scores",
                                          "extra", "visits"]
    assert loaded.types["address.geo.zip"] == T.INTEGER
    assert loaded.frame["address.geo.zip"].tolist() == [53111, pd.NA, pd.NA]
    assert loaded.raw.column("tags").to_pylist() == ["webinar; demo", None, None]
    assert loaded.raw.column("scores").to_pylist() == ["1.5; 2", "3", None]
    assert loaded.raw.column("extra").to_pylist() == ['{"plan": "pro"}', None, None]
    assert loaded.raw.column("visits").to_pylist() == ['[{"page": "/pricing"}]', None, None]
    assert loaded.warnings == [
        "Column “address” is a group of fields: read as “address.city”, “address.geo.zip”.",
        "Column “tags”: lists written as text, items separated by “;”.",
        "Column “scores”: lists written as text, items separated by “;”.",
        "Column “extra”: keys and values written as JSON text.",
        "Column “visits”: lists written as JSON text."]


def test_names_are_unique_binary_left_out_and_pandas_index_dropped(tmp_path):
    frame = pd.DataFrame({"email": ["a@x.io", "b@x.io"], "": [1, 2]}, index=[5, 9])
    path = tmp_path / "from_pandas.parquet"
    frame.to_parquet(path)                       # the index 5, 9 is stored as __index_level_0__
    table = load_leads(path)
    assert list(table.frame.columns) == ["email", "Column 2"]
    assert "Column “__index_level_0__” is pandas' index, not the leads' data: left out." in table.warnings
    same = pa.Table.from_arrays([pa.array([1, 2]), pa.array(["x", "y"]), pa.array([b"\xff\xd8", b"\x00"])],
                                names=["id", "id", "photo"])
    table = load_leads(write(tmp_path, same, "twice.parquet"))
    assert list(table.frame.columns) == ["id", "id (2)"]
    assert table.warnings == ["Column “photo”: holds binary data, not text: left out."]


def test_columns_without_rows_load_typed_as_the_file_says(tmp_path):
    table = load_leads(write(tmp_path, typed_leads().slice(0, 0)))
    assert table.n_rows == 0 and table.types["lead_id"] == T.INTEGER and table.types["created"] == T.DATE
    assert table.warnings == ["The file has columns but no leads."]


def _encrypted(tmp_path, plaintext_footer: bool):
    class Keys(pqe.KmsClient):        # an in-memory key service, for the test only
        def __init__(self, _config):
            super().__init__()

        def wrap_key(self, key_bytes, _master_key_identifier):
            return base64.b64encode(key_bytes)

        def unwrap_key(self, wrapped_key, _master_key_identifier):
            return base64.b64decode(wrapped_key)

    config = pqe.EncryptionConfiguration(footer_key="footer", column_keys={"column": ["email"]},
                                         double_wrapping=False, plaintext_footer=plaintext_footer)
    properties = pqe.CryptoFactory(Keys).file_encryption_properties(pqe.KmsConnectionConfig(), config)
    table = pa.table({"email": ["a@x.io", "b@x.io"], "n": [1, 2]})
    path = tmp_path / f"locked{int(plaintext_footer)}.parquet"
    with pq.ParquetWriter(path, table.schema, encryption_properties=properties) as writer:
        writer.write_table(table)
    return path


def _real_file(tmp_path) -> bytes:
    path = write(tmp_path, pa.table({"email": [f"lead{i}@x.io" for i in range(2000)],
                                     "visits": list(range(2000))}), "real.parquet")
    return path.read_bytes()


@pytest.mark.parametrize(("case", "message", "advice"), [
    ("empty", "the file is empty", "Export the lead list again"),
    ("truncated", "the Parquet file is cut short", "Copy or download it again"),
    ("footer only", "the Parquet file is cut short", "Copy or download it again"),
    ("damaged pages", "the Parquet file is damaged", "Export or copy it again"),
    ("damaged footer", "the Parquet file is damaged", "Export or copy it again"),
    ("a CSV renamed", "it is not a Parquet file", "export the leads again as Parquet, CSV or Excel"),
    ("encrypted", "the Parquet file is encrypted", "without Parquet encryption"),
    ("encrypted columns", "the Parquet file is encrypted", "without Parquet encryption"),
    ("no columns", "the file has no columns", "Export the lead list again with its columns"),
])
def test_bad_parquet_files_get_one_clear_message(tmp_path, case, message, advice):
    real = _real_file(tmp_path)
    path = tmp_path / "leads.parquet"
    if case == "empty":
        path.write_bytes(b"")
    elif case == "truncated":
        path.write_bytes(real[:len(real) // 2])
    elif case == "footer only":
        path.write_bytes(b"PAR1")
    elif case == "damaged pages":
        path.write_bytes(real[:4] + b"\x00" * 2000 + real[2004:])
    elif case == "damaged footer":
        path.write_bytes(real[:-60] + b"\x07" * 52 + real[-8:])
    elif case == "a CSV renamed":
        path.write_text("email,visits\na@x.io,3\n")
    elif case in ("encrypted", "encrypted columns"):
        path = _encrypted(tmp_path, plaintext_footer=case == "encrypted columns")
    elif case == "no columns":
        pq.write_table(pa.table({}), path)
    with pytest.raises(LoadError, match=message) as info:
        load_leads(path)
    assert str(info.value).startswith(f"Cannot open {path.name}: ") and advice in str(info.value)


def test_parquet_is_a_supported_kind_and_a_renamed_one_is_named():
    assert ".parquet" in SUPPORTED_SUFFIXES


def test_a_parquet_file_named_csv_is_recognised(tmp_path):
    path = tmp_path / "leads.csv"
    path.write_bytes(_real_file(tmp_path))
    with pytest.raises(LoadError, match="a Parquet file with a .csv name.*Rename it to .parquet"):
        load_leads(path)


# -- the same leads as CSV and as Parquet score the same ---------------------------------------
def _sample_as_parquet(tmp_path, how: str):
    path = tmp_path / f"sample_{how}.parquet"
    if how == "strings":           # every column text, as a CRM export would write it
        with open(resources.SAMPLE_LEADS, newline="") as handle:
            header = next(csv.reader(handle))
        options = pacsv.ConvertOptions(column_types={name: pa.string() for name in header})
        pq.write_table(pacsv.read_csv(resources.SAMPLE_LEADS, convert_options=options), path)
    elif how == "inferred":        # typed as pyarrow guesses: numbers, dates, Yes/No as text
        pq.write_table(pacsv.read_csv(resources.SAMPLE_LEADS), path, row_group_size=1000)
    else:                          # typed throughout, Yes/No as booleans, dates as timestamps
        frame = pd.read_csv(resources.SAMPLE_LEADS, parse_dates=["created_date", "last_activity"])
        for name in ("webinar_attended", "whitepaper_download", "demo_requested"):
            frame[name] = frame[name].map({"Yes": True, "No": False}).astype("boolean")
        frame["lead_source"] = frame["lead_source"].astype("category")
        frame.to_parquet(path)
    return path


@pytest.mark.parametrize("how", ["strings", "inferred", "typed"])
def test_the_sample_scores_the_same_from_parquet_as_from_csv(tmp_path, how):
    model = load_model(resources.STARTER_MODEL)
    text = load_leads(resources.SAMPLE_LEADS)
    parquet = load_leads(_sample_as_parquet(tmp_path, how))
    assert list(parquet.frame.columns) == list(text.frame.columns)
    expected = Scorer(text, as_of=SAMPLE_TODAY).score(model)
    got = Scorer(parquet, as_of=SAMPLE_TODAY).score(model)
    np.testing.assert_array_equal(got.total, expected.total)
    assert got.n_mql == expected.n_mql > 0
    if how == "strings":
        assert parquet.types == text.types
    else:                          # the file's own types: converted 0/1 stays a number
        assert parquet.types["converted"] == T.INTEGER and text.types["converted"] == T.BOOLEAN


def test_an_export_of_a_parquet_list_writes_its_cells(tmp_path):
    model = load_model(resources.STARTER_MODEL)
    table = load_leads(_sample_as_parquet(tmp_path, "inferred"))
    result = Scorer(table, as_of=SAMPLE_TODAY).score(model)
    out, = export_leads(table, result, tmp_path / "all.csv", which="all")
    columns = ["employees", "created_date", "demo_requested"]
    options = pacsv.ConvertOptions(column_types={n: pa.string() for n in columns}, include_columns=columns)
    written = pacsv.read_csv(out, convert_options=options)
    for name in columns:           # (the export is sorted by score: compare the cells as sets)
        cells = [text or "" for text in table.raw.column(name).to_pylist()]     # empty cells: ""
        assert sorted(written.column(name).to_pylist()) == sorted(cells)


@pytest.mark.parametrize(("table", "types"), [
    (pa.table({"a": pa.array([None, None], pa.int64()), "b": pa.nulls(2), "c": pa.array([None, None], pa.string())}),
     {"a": T.INTEGER, "b": T.TEXT, "c": T.TEXT}),
    (pa.table({"x": [1]}), {"x": T.INTEGER}),
    (pa.Table.from_arrays([pa.array([1, 2]), pa.array(["a", "b"]), pa.array([2.5, None])],
                          names=["dup", "dup", "ünï 名"]),
     {"dup": T.INTEGER, "dup (2)": T.CATEGORY, "ünï 名": T.NUMBER}),
    (pa.table({"small": pa.array([1, 2], pa.int8()), "f32": pa.array([0.5, None], pa.float32()),
               "big": [2**62, -5], "u64": pa.array([2**64 - 1, 0], pa.uint64()),
               "day": pa.array([dt.datetime(2026, 1, 1), None], pa.date64()),
               "at": pa.array([dt.time(10, 30), None]), "took": pa.array([dt.timedelta(seconds=90), None])}),
     {"small": T.INTEGER, "f32": T.NUMBER, "big": T.INTEGER, "u64": T.NUMBER, "day": T.DATE,
      "at": T.CATEGORY, "took": T.CATEGORY}),
], ids=["all missing", "one row", "duplicate and unicode names", "other Arrow types"])
def test_weird_tables(tmp_path, table, types):
    loaded = load_leads(write(tmp_path, table))
    assert loaded.types == types and loaded.n_rows == table.num_rows
    assert loaded.raw.num_columns == len(types)
    if "big" in types:
        assert loaded.frame["big"].tolist() == [2**62, -5]          # exact, not through floats
        assert loaded.raw.column("u64").to_pylist() == ["18446744073709551615", "0"]
        assert loaded.raw.column("f32").to_pylist() == ["0.5", None]
        assert loaded.raw.column("day").to_pylist() == ["2026-01-01", None]
        assert loaded.raw.column("took").to_pylist() == ["0:01:30", None]

"""Every command that reads a lead list reads Parquet too, with the answers it gives for the CSV."""

from __future__ import annotations

import csv
import json

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from app.cli.main import main
from tests.conftest import ROOT, SAMPLE
from tests.scoring.combine_files import AS_OF, write_crm

MODEL = ROOT / "resources" / "models" / "b2b_saas.json"


def as_parquet(source, target):
    """``source`` (CSV) as a Parquet file of text columns, as a CRM would export it."""
    with open(source, newline="") as handle:
        header = next(csv.reader(handle))
    options = pacsv.ConvertOptions(column_types={name: pa.string() for name in header})
    pq.write_table(pacsv.read_csv(source, convert_options=options), target, row_group_size=1500)
    return target


def _run(capsys, argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", [
    ["profile", "{leads}"],
    ["score", "{leads}", "--model", MODEL, "--output", "{out}.csv", "--as-of", "2026-11-01"],
    ["backtest", "{leads}", "--model", MODEL, "--outcome", "converted", "--as-of", "2026-11-01", "--json"],
    ["compare", "{leads}", "--model", MODEL, "--against", MODEL, "--as-of", "2026-11-01", "--json"],
    ["accounts", "{leads}", "--model", MODEL, "--output", "{out}.csv", "--as-of", "2026-11-01"],
    ["suggest", "{leads}", "--outcome", "converted", "--output", "{out}.json", "--json"],
    ["handoff", "{leads}", "--model", MODEL, "--output", "{out}.csv", "--ledger", "{out}.sqlite",
     "--id", "email", "--as-of", "2026-11-01"],
])
def test_a_command_reads_the_list_as_parquet_as_it_reads_the_csv(tmp_path, capsys, command):
    parquet = as_parquet(SAMPLE, tmp_path / "sample_leads.parquet")
    answers = []
    for leads, out in ((SAMPLE, tmp_path / "from_csv"), (parquet, tmp_path / "from_parquet")):
        argv = [str(a).format(leads=leads, out=out) for a in command]
        code, text, err = _run(capsys, argv)
        assert code == 0, err
        answers.append(text.replace(str(out), "OUT").replace(leads.name, "LEADS"))
    assert answers[0] == answers[1]
    if command[0] in ("score", "accounts", "handoff"):
        assert (tmp_path / "from_csv.csv").read_text() == (tmp_path / "from_parquet.csv").read_text()


def test_a_joined_parquet_file_is_read_like_its_csv(tmp_path, capsys):
    crm = write_crm(tmp_path)
    deals = as_parquet(crm["deals"], tmp_path / "deals.parquet")
    leads = as_parquet(crm["leads"], tmp_path / "leads.parquet")
    model = tmp_path / "m.json"
    model.write_text(json.dumps({"format": "leadbench-model", "version": 1, "threshold": 20, "rules": [
        {"name": "Ads", "group": "fit", "points": 25, "when": {"column": "source", "op": "eq", "value": "Ads"}}]}))
    answers = []
    for lead_file, deal_file in ((crm["leads"], crm["deals"]), (leads, deals)):
        code, out, err = _run(capsys, ["backtest", lead_file, "--model", model, "--join", deal_file,
                                       "--on", "lead_id", "--outcome", "stage", "--as-of", AS_OF, "--json"])
        assert code == 0, err
        assert f"rows of {deal_file.name} match no lead" in err
        answers.append(json.loads(out))
    assert answers[0] == answers[1] and answers[0]["won"] > 0


def test_a_bad_parquet_file_exits_2_with_one_line(tmp_path, capsys):
    path = tmp_path / "leads.parquet"
    path.write_bytes(b"PAR1" + b"\0" * 100)
    code, _out, err = _run(capsys, ["profile", path])
    assert code == 2
    assert err.strip() == ("leadbench: Cannot open leads.parquet: the Parquet file is cut short (its end, "
                           "which lists the columns, is missing). Copy or download it again: the copy may not "
                           "have finished.")


def test_profile_shows_the_types_a_typed_parquet_file_states(tmp_path, capsys):
    path = tmp_path / "typed.parquet"
    pd.DataFrame({"employees": [10, 20, 30], "converted": [0, 1, 0]}).to_parquet(path)
    code, out, _err = _run(capsys, ["profile", path, "--json"])
    assert code == 0
    types = {c["name"]: c["type"] for c in json.loads(out)["columns"]}
    assert types == {"employees": "integer", "converted": "integer"}

"""The model file: round trips, unknown keys kept, and errors that name the rule and field."""

import json
from pathlib import Path

import pytest

from scoring.errors import ModelError
from scoring.model import Compound, Condition, Decay
from scoring.model_file import (load_model, model_from_dict, model_to_dict, save_model,
                                validate_model)
from scoring.reading import LeadTable
from tests.scoring.helpers import table_of

FIXTURE = Path(__file__).parent / "data" / "model_v1.json"


def base(**over):
    data = {"format": "leadbench-model", "version": 1, "name": "M", "threshold": 10,
            "rules": [{"name": "Senior", "group": "fit", "points": 15,
                       "when": {"column": "title", "op": "contains_any", "value": ["vp", "chief"]}}]}
    data.update(over)
    return data


def test_shipped_version_1_fixture_loads_and_round_trips(tmp_path):
    model = load_model(FIXTURE)
    assert model.name == "B2B SaaS starter" and len(model.rules) == 14
    assert model.rules[6].decay == Decay("last_activity", 90)
    assert model.tagged("source") == "lead_source"
    save_model(model, tmp_path / "again.json")
    assert load_model(tmp_path / "again.json") == model
    assert json.loads((tmp_path / "again.json").read_text())["format"] == "leadbench-model"


def test_compound_conditions_and_unknown_keys_survive_a_round_trip():
    data = base(owner="Dana", rules=[{
        "name": "Student or competitor", "kind": "disqualify", "note": {"why": "policy"},
        "when": {"any": [{"column": "title", "op": "contains", "value": "student"},
                         {"not": {"column": "email", "op": "ends_with", "value": "@acme.com"}}]}}])
    model = model_from_dict(data)
    assert model.rules[0].when == Compound("any", (
        Condition("title", "contains", "student"),
        Compound("not", (Condition("email", "ends_with", "@acme.com"),))))
    out = model_to_dict(model)
    assert out["owner"] == "Dana" and out["rules"][0]["note"] == {"why": "policy"}
    assert model_from_dict(out) == model


@pytest.mark.parametrize(("change", "message"), [
    ({"format": "something"}, "not a Leadbench model"),
    ({"version": 2}, "newer Leadbench"),
    ({"version": "one"}, "unknown model version"),
    ({"threshold": "high"}, "threshold must be a number"),
    ({"rules": [{"name": "R", "points": 1, "when": {"column": "a", "op": "looks_like", "value": 1}}]},
     'Rule "R", field \'op\': unknown operator'),
    ({"rules": [{"name": "R", "points": "ten", "when": {"column": "a", "op": "is_empty"}}]},
     'Rule "R", field \'points\''),
    ({"rules": [{"name": "R", "kind": "maybe", "when": {"column": "a", "op": "is_empty"}}]},
     'Rule "R", field \'kind\''),
    ({"rules": [{"name": "R", "group": "vibes", "when": {"column": "a", "op": "is_empty"}}]},
     "unknown group 'vibes'"),
    ({"rules": [{"name": "R", "when": {"column": "a", "op": "between", "value": 5}}]},
     "two values"),
    ({"rules": [{"name": "R", "when": {"column": "a", "op": "matches", "value": "(unclosed"}}]},
     "not a valid regular expression"),
    ({"rules": [{"name": "R", "when": {"column": "a", "op": "in"}}]}, "needs a value"),
    ({"rules": [{"name": "R", "when": {"op": "eq", "value": 1}}]}, "no column"),
])
def test_errors_name_the_rule_and_field(change, message):
    with pytest.raises(ModelError, match=message.replace("(", r"\(")):
        model_from_dict(base(**change))


def test_invalid_json_says_where(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"format": "leadbench-model",\n "version": 1,,}')
    with pytest.raises(ModelError, match=r"bad.json is not valid JSON \(line 2"):
        load_model(path)


def test_validate_against_a_list_names_missing_columns_and_wrong_types():
    table = table_of({"title": ["VP", "Analyst"], "size": [1, 2]})
    model = model_from_dict(base(rules=[
        {"name": "Senior", "points": 1, "when": {"column": "title", "op": "contains", "value": "vp"}},
        {"name": "Gone", "points": 1, "when": {"column": "country", "op": "eq", "value": "US"}},
        {"name": "Odd", "points": 1, "when": {"column": "size", "op": "contains", "value": "1"}},
        {"name": "Fading", "points": 1, "when": {"column": "title", "op": "not_empty"},
         "decay": {"date_column": "size", "half_life_days": 30}},
    ]))
    problems = validate_model(model, table)
    assert len(problems) == 3
    assert problems[0].startswith('Rule "Gone", field \'column\': column \'country\' is not in')
    assert "Odd" in problems[1] and "Fading" in problems[2]
    assert isinstance(table, LeadTable)


def test_save_is_atomic_and_keeps_the_old_file_on_failure(tmp_path, monkeypatch):
    path = tmp_path / "m.json"
    save_model(model_from_dict(base()), path)
    before = path.read_text()
    # a text that cannot be encoded fails half-way through writing the temporary file
    monkeypatch.setattr("scoring.model_file.model_to_json", lambda m: '{"name": "\ud800"}')
    with pytest.raises(UnicodeEncodeError):
        save_model(model_from_dict(base()), path)
    assert path.read_text() == before and len(list(tmp_path.iterdir())) == 1


@pytest.mark.parametrize("name", ["b2b_saas", "ecommerce", "agency"])
def test_starter_templates_load(name):
    model = load_model(FIXTURE.parents[3] / "resources" / "models" / f"{name}.json")
    assert model.rules and model.description and any(r.is_gate for r in model.rules)

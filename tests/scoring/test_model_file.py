"""The model file: round trips, unknown keys kept, and errors that name the rule and field."""

import json
from datetime import date
from pathlib import Path

import pytest

from scoring.errors import ModelError
from scoring.model.definition import ColumnSettings, Compound, Condition, Decay, Group, Model
from scoring.model.model_file import (load_model, model_from_dict, model_to_dict, save_model,
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
    assert problems[0].startswith('Rule "Gone": column \'country\' is not in')
    assert "Odd" in problems[1] and "Fading" in problems[2]
    assert isinstance(table, LeadTable)


def test_save_is_atomic_and_keeps_the_old_file_on_failure(tmp_path, monkeypatch):
    path = tmp_path / "m.json"
    save_model(model_from_dict(base()), path)
    before = path.read_text()
    # a text that cannot be encoded fails half-way through writing the temporary file
    monkeypatch.setattr("scoring.model.model_file.model_to_json", lambda m: '{"name": "\ud800"}')
    with pytest.raises(UnicodeEncodeError):
        save_model(model_from_dict(base()), path)
    assert path.read_text() == before and len(list(tmp_path.iterdir())) == 1


@pytest.mark.parametrize("name", ["b2b_saas", "ecommerce", "agency"])
def test_starter_templates_load(name):
    model = load_model(FIXTURE.parents[3] / "resources" / "models" / f"{name}.json")
    assert model.rules and model.description and any(r.is_gate for r in model.rules)


def test_unknown_keys_in_groups_columns_and_conditions_survive_a_round_trip(tmp_path):
    data = base(groups={"fit": {"cap": 60, "colour": "teal"}, "engagement": {"cap": None}},
                columns={"Lead Source": {"type": "category", "tag": "source", "note": "CRM"}},
                rules=[{"name": "Senior", "points": 15, "group": "fit",
                        "when": {"all": [{"column": "title", "op": "contains", "value": "vp",
                                          "comment": "from the 2025 workshop"}],
                                 "label": "seniority"}}])
    model = model_from_dict(data)
    assert model.rules[0].when.items[0] == Condition("title", "contains", "vp")   # notes aside
    out = model_to_dict(model)
    assert out["groups"]["fit"] == {"cap": 60, "colour": "teal"}
    assert out["columns"]["Lead Source"] == {"type": "category", "tag": "source", "note": "CRM"}
    assert out["rules"][0]["when"]["label"] == "seniority"
    assert out["rules"][0]["when"]["all"][0]["comment"] == "from the 2025 workshop"
    save_model(model, tmp_path / "m.json")
    assert model_to_dict(load_model(tmp_path / "m.json")) == out
    # changing a column's tag in the window keeps the file's notes about that column
    edited = model.with_column_settings("Lead Source", ColumnSettings(type="category"))
    assert model_to_dict(edited)["columns"]["Lead Source"] == {"type": "category", "note": "CRM"}


def test_the_issue_example_loads_with_every_kind_and_writes_in_a_stable_order(tmp_path):
    data = {"format": "leadbench-model", "version": 1, "name": "B2B SaaS starter",
            "description": "Starter", "threshold": 50,
            "groups": {"fit": {"cap": 60}, "engagement": {"cap": None}},
            "columns": {"Lead Source": {"type": "category", "tag": "source"}},
            "missing_values": ["Select"],
            "rules": [
                {"name": "Senior title", "group": "fit", "points": 15,
                 "when": {"column": "job_title", "op": "contains_any",
                          "value": ["vp", "director", "chief"]}},
                {"name": "Asked for a demo", "group": "engagement", "points": 30,
                 "when": {"column": "demo_requested", "op": "is_true"},
                 "decay": {"date_column": "last_activity", "half_life_days": 30}},
                {"name": "Old", "group": "fit", "points": -5, "enabled": False,
                 "when": {"column": "job_title", "op": "is_empty"}},
                {"name": "Target country", "kind": "require",
                 "when": {"column": "country", "op": "in", "value": ["US", "CA", "GB"]}},
                {"name": "Student or competitor", "kind": "disqualify",
                 "when": {"any": [{"column": "job_title", "op": "contains", "value": "student"},
                                  {"column": "email", "op": "ends_with",
                                   "value": "@competitor.com"}]}}]}
    model = model_from_dict(data)
    assert [r.kind for r in model.rules] == ["score", "score", "score", "require", "disqualify"]
    assert model.rules[2].enabled is False and model.rules[2].points == -5
    assert model.group("fit").cap == 60 and model.group("engagement").cap is None
    assert model.missing_values == ("Select",) and model.description == "Starter"
    save_model(model, tmp_path / "m.json")
    text = (tmp_path / "m.json").read_text()
    assert json.loads(text) == data                       # nothing lost, nothing added
    assert list(json.loads(text)) == list(data)           # keys in the documented order
    assert text.startswith('{\n  "format": "leadbench-model",\n  "version": 1,')


@pytest.mark.parametrize(("change", "message"), [
    ({"groups": {"fit": {"cap": "lots"}}}, "the cap of group 'fit' must be a number"),
    ({"rules": [{"name": "R", "points": 1, "when": {"column": "a", "op": "is_empty"},
                 "decay": {"date_column": "d", "half_life_days": 0}}]},
     'Rule "R", field \'half_life_days\''),
    ({"rules": [{"name": "R", "points": 1, "enabled": "yes",
                 "when": {"column": "a", "op": "is_empty"}}]}, 'Rule "R", field \'enabled\''),
    ({"rules": [{"name": "R", "points": 1}]}, 'Rule "R", field \'when\''),
    ({"rules": [{"points": 1, "when": {"column": "a", "op": "is_empty"}}]}, "rule 1 has no name"),
    ({"rules": [{"name": "R", "when": {"not": [{"column": "a", "op": "is_empty"}] * 2}}]},
     "'not' takes exactly one condition"),
    ({"rules": [{"name": "R", "when": {"column": "a", "op": "within_days", "value": [3]}}]},
     "single number"),
    ({"columns": {"a": {"type": "colour"}}}, "unknown type 'colour'"),
    ({"missing_values": "Select"}, "missing_values must be a list"),
])
def test_more_errors_name_the_rule_and_field(change, message):
    with pytest.raises(ModelError, match=message.replace("(", r"\(")):
        model_from_dict(base(**change))


def test_a_file_error_keeps_the_rule_and_field_for_the_window(tmp_path):
    path = tmp_path / "m.json"
    data = base(rules=[{"name": "R", "points": "x", "when": {"column": "a", "op": "is_empty"}}])
    path.write_text(json.dumps(data))
    with pytest.raises(ModelError, match=r"^m.json: Rule \"R\", field 'points'") as info:
        load_model(path)
    assert (info.value.rule, info.value.field) == ("R", "points")


def test_validate_against_column_names_only():
    model = model_from_dict(base(rules=[
        {"name": "Senior", "points": 1, "when": {"column": "title", "op": "contains", "value": "v"}},
        {"name": "Fading", "points": 1, "when": {"column": "title", "op": "not_empty"},
         "decay": {"date_column": "seen", "half_life_days": 30}},
    ]))
    assert validate_model(model, ["title", "seen"]) == []
    assert validate_model(model, ["seen"]) == [
        'Rule "Senior": column \'title\' is not in this lead list; pick another '
        "column or switch the rule off",
        'Rule "Fading": column \'title\' is not in this lead list; pick another '
        "column or switch the rule off"]
    assert validate_model(model, ["title"]) == [
        'Rule "Fading": its decay date column \'seen\' is not in this lead list; pick another date '
        "column or remove the decay"]


def test_the_all_features_fixture_is_written_back_byte_for_byte(tmp_path):
    fixture = FIXTURE.with_name("model_v1_all_features.json")
    model = load_model(fixture)
    assert [r.kind for r in model.rules][-2:] == ["require", "disqualify"]
    assert model.rules[4].enabled is False and model.rules[4].extra == (("owner", "Dana"),)
    assert model.group("intent") == Group("intent", 20.0, (("colour", "teal"),))
    save_model(model, tmp_path / "again.json")
    assert (tmp_path / "again.json").read_text() == fixture.read_text()


def test_the_scoring_date_round_trips_and_a_bad_one_names_the_field():
    model = Model(name="Dated").with_as_of(date(2018, 3, 3))
    data = model_to_dict(model)
    assert data["as_of"] == "2018-03-03"
    assert model_from_dict(data).as_of == date(2018, 3, 3)
    assert "as_of" not in model_to_dict(Model())
    with pytest.raises(ModelError, match="as_of must be a date like"):
        model_from_dict({**data, "as_of": "last week"})

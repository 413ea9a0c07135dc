"""The model's analysis settings (spend, outcome mapping, stage order, band edges) in the file."""

import json
from pathlib import Path

import pytest

from scoring.errors import ModelError
from scoring.model.definition import AnalysisSettings, Model
from scoring.model.model_file import (load_model, model_from_dict, model_to_dict, model_to_json,
                                      save_model)

DATA = Path(__file__).parent / "data"


def base(**over):
    data = {"format": "leadbench-model", "version": 1, "name": "M", "threshold": 10, "rules": []}
    data.update(over)
    return data


FULL = {"spend": {"Paid Search": 12000, "Events": 850.5}, "won_values": ["Yes", 1, True],
        "stage_order": ["SQL", "Opportunity", "Customer"], "fit_bands": [15, 30, 45],
        "engagement_bands": [10, 20.5, 40]}


def test_every_setting_round_trips_through_the_file(tmp_path):
    model = model_from_dict(base(analysis=FULL))
    a = model.analysis
    assert a.spend == (("Paid Search", 12000.0), ("Events", 850.5))
    assert a.spend_of() == {"Paid Search": 12000.0, "Events": 850.5}
    assert a.won_values == ("Yes", 1, True)
    assert a.stage_order == ("SQL", "Opportunity", "Customer")
    assert a.fit_bands == (15.0, 30.0, 45.0) and a.engagement_bands == (10.0, 20.5, 40.0)
    save_model(model, tmp_path / "m.json")
    again = load_model(tmp_path / "m.json")
    assert again == model
    written = json.loads((tmp_path / "m.json").read_text())
    assert written["analysis"] == FULL                     # whole numbers written as integers
    assert list(written)[-1] == "analysis"                 # after the rules


def test_default_settings_are_left_out_and_old_files_load_unchanged():
    assert "analysis" not in model_to_dict(Model())
    assert model_from_dict(base()).analysis == AnalysisSettings()
    assert model_from_dict(base(analysis={})).analysis.is_default
    for name in ("model_v1.json", "model_v1_all_features.json"):
        text = (DATA / name).read_text()
        model = model_from_dict(json.loads(text))
        assert model.analysis.is_default
        assert "analysis" not in model_to_dict(model)
    fixture = DATA / "model_v1_all_features.json"
    assert model_to_json(load_model(fixture)) == fixture.read_text()


def test_only_the_settings_given_are_written():
    model = Model().with_analysis(stage_order=("SQL",))
    assert model_to_dict(model)["analysis"] == {"stage_order": ["SQL"]}
    ticked_nothing = Model().with_analysis(won_values=())
    assert model_to_dict(ticked_nothing)["analysis"] == {"won_values": []}
    assert model_from_dict(model_to_dict(ticked_nothing)).analysis.won_values == ()


def test_unknown_keys_inside_analysis_survive_a_round_trip():
    model = model_from_dict(base(analysis={"spend": {"Ads": 5}, "currency": "EUR",
                                           "notes": {"by": "Dana"}}))
    out = model_to_dict(model)["analysis"]
    assert out == {"spend": {"Ads": 5}, "currency": "EUR", "notes": {"by": "Dana"}}
    assert "currency" not in model_to_dict(model)          # not mistaken for a model-level key


def test_with_analysis_is_an_immutable_edit():
    model = Model()
    edited = model.with_analysis(spend=(("Ads", 10.0),))
    assert model.analysis.spend == () and edited.analysis.spend == (("Ads", 10.0),)
    assert edited != model and edited.rules == model.rules


@pytest.mark.parametrize("analysis, field, message", [
    ([1, 2], "analysis", "must be an object"),
    ({"spend": [["Ads", 5]]}, "analysis.spend", "object of source value and amount"),
    ({"spend": {"Ads": "lots"}}, "analysis.spend", "spend on 'Ads' must be a number"),
    ({"spend": {"Ads": True}}, "analysis.spend", "must be a number"),
    ({"spend": {"Ads": -5}}, "analysis.spend", "0 or more"),
    ({"spend": {" ": 5}}, "analysis.spend", "no source value"),
    ({"won_values": "Yes"}, "analysis.won_values", "list of the outcome values"),
    ({"won_values": [{"a": 1}]}, "analysis.won_values", "list of the outcome values"),
    ({"stage_order": "SQL"}, "analysis.stage_order", "list of stage values"),
    ({"stage_order": ["SQL", " sql"]}, "analysis.stage_order", "only once"),
    ({"fit_bands": [1, 2, 3, 4]}, "analysis.fit_bands", "one to three numbers"),
    ({"fit_bands": [1, "2", 3]}, "analysis.fit_bands", "must be a number"),
    ({"engagement_bands": [30, 20, 40]}, "analysis.engagement_bands", "must go up: 30, 20, 40"),
    ({"engagement_bands": [20, 20, 40]}, "analysis.engagement_bands", "must go up"),
])
def test_bad_settings_name_the_field(analysis, field, message):
    with pytest.raises(ModelError) as info:
        model_from_dict(base(analysis=analysis))
    assert info.value.field == field
    assert message in str(info.value) and f"'{field}'" in str(info.value)


def test_an_empty_stage_order_is_kept_apart_from_no_order():
    assert Model().analysis.stage_order is None
    none_ticked = model_from_dict(base(analysis={"stage_order": []}))
    assert none_ticked.analysis.stage_order == () and not none_ticked.analysis.is_default
    assert model_to_dict(none_ticked)["analysis"] == {"stage_order": []}

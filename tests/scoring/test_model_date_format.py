"""A column's date format in the model file: written, read back, old files without it, bad values."""

import json

import pytest

from scoring.errors import ModelError
from scoring.model.definition import ColumnSettings, Model
from scoring.model.model_file import load_model, model_from_dict, model_to_dict, save_model


def test_the_format_round_trips_beside_type_and_tag(tmp_path):
    model = Model().with_column_settings("Created", ColumnSettings(type="datetime", tag="created",
                                                                   format="DD/MM/YYYY HH:mm"))
    path = tmp_path / "m.json"
    save_model(model, path)
    assert json.loads(path.read_text())["columns"] == {
        "Created": {"type": "datetime", "tag": "created", "format": "DD/MM/YYYY HH:mm"}}
    assert load_model(path).column_settings("Created").format == "DD/MM/YYYY HH:mm"


def test_a_model_without_formats_loads_as_before():
    model = model_from_dict({"format": "leadbench-model", "version": 1, "name": "old",
                             "columns": {"Created": {"type": "date"}}, "rules": []})
    assert model.column_settings("Created") == ColumnSettings(type="date")
    assert "format" not in model_to_dict(model)["columns"]["Created"]


@pytest.mark.parametrize("bad", [5, "", ["DD"], "   "])
def test_a_format_that_is_not_a_text_is_refused_by_name(bad):
    with pytest.raises(ModelError, match="format of column 'Created'"):
        model_from_dict({"format": "leadbench-model", "version": 1,
                         "columns": {"Created": {"type": "date", "format": bad}}, "rules": []})

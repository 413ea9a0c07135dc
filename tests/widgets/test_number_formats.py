"""Number formats in the widgets: the format dialog's preview, the Columns panel's "Numbers"
row and currency, the explanation's numbers, and the export's "CSV for Excel in German"."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from scoring.evaluate.engine import Scorer
from scoring.evaluate.explain import explain_lead
from scoring.model.definition import Compound, Condition, Model, Rule
from scoring.reading import load_leads
from scoring.reading.numbers import NumberFormat
from scoring.reading.profiling import profile_table
from widgets.columns_panel import ColumnsPanel
from widgets.explain_panel import ExplainPanel
from widgets.export_options import ExportOptionsForm
from widgets.lead_table_model import LeadTableModel
from widgets.number_format_dialog import NumberFormatDialog

EUROPEAN = Path(__file__).parents[1] / "scoring" / "data" / "numbers" / "european.csv"


def read_column(dialog) -> list[str]:
    table = dialog.preview.table
    return [table.item(r, 1).text() for r in range(table.rowCount())]


def test_the_preview_reads_the_values_with_the_chosen_marks(qtbot):
    dialog = NumberFormatDialog("employees", ["1.200", "250.000", "45", "3,5"], NumberFormat(",", "."))
    qtbot.addWidget(dialog)
    assert read_column(dialog) == ["1,200", "250,000", "45", "3.5"]
    assert "All 4 values" in dialog.preview.summary.text()
    preview = dialog.preview
    preview.decimal_combo.setCurrentIndex(preview.decimal_combo.findData("."))
    preview.decimal_combo.activated.emit(preview.decimal_combo.currentIndex())
    # the thousands mark cannot stay "." when "." is the decimal mark: it becomes ","
    assert preview.marks() == (".", ",")
    assert read_column(dialog) == ["1.2", "250", "45", "not a number in this format"]
    assert "1 of these 4 values are not numbers" in preview.summary.text()
    assert dialog.ok_button.isEnabled()
    dialog.accept()
    assert dialog.marks() == (".", ",")


def test_the_dialog_shows_the_guess_and_can_go_back_to_detecting(qtbot):
    dialog = NumberFormatDialog("price", ["1.200"], NumberFormat(".", ","), set_by_user=(",", "."),
                                note="read “1.200” as 1.2: nothing else in the file shows which mark it uses")
    qtbot.addWidget(dialog)
    assert dialog.preview.marks() == (",", ".")                  # what the user set, not the guess
    assert dialog.note.text().startswith("Read “1.200” as 1.2") and not dialog.note.isHidden()
    assert dialog.detect_button.isEnabled()
    dialog.detect_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.marks() is None


def test_a_column_never_read_as_numbers_can_still_be_previewed(qtbot):
    dialog = NumberFormatDialog("code", ["12 pieces", "7"], None)
    qtbot.addWidget(dialog)
    assert "did not read this column as numbers" in dialog.findChild(type(dialog.note), "numberFormatDetected").text()
    assert read_column(dialog) == ["not a number in this format", "7"]
    assert not dialog.detect_button.isEnabled()


def test_the_columns_panel_shows_currency_percent_and_asks_for_a_number_format(qtbot):
    panel = ColumnsPanel()
    qtbot.addWidget(panel)
    panel.set_profiles(profile_table(load_leads(EUROPEAN)))
    rows = {panel.tree.topLevelItem(i).text(0): panel.tree.topLevelItem(i) for i in range(6)}
    assert rows["Budget"].text(1) == "Number · €" and rows["Rabatt"].text(1) == "Number · %"
    panel.select_column("Budget")
    assert panel.number_label.text() == "decimal comma, thousands “.” · in €"
    assert "From -€ 750.50 to € 20,000" in panel.summary.text()
    assert panel.top_values.item(0, 0).text().startswith("€ ")
    panel.set_number_marks({"Budget": (",", ".")})
    assert panel.number_label.text().endswith("· set by you")
    assert panel.format_button.isEnabled() and panel.number_button.isHidden()
    with qtbot.waitSignal(panel.numberFormatRequested) as signal:
        panel.format_button.click()              # for a number column, Format… sets its marks
    assert signal.args == ["Budget"]
    panel.select_column("Firma")                 # a text column can be read as numbers
    assert not panel.number_button.isHidden() and not panel.format_button.isEnabled()
    with qtbot.waitSignal(panel.numberFormatRequested) as signal:
        panel.number_button.click()
    assert signal.args == ["Firma"]
    panel.select_column("Mitarbeiter")
    assert "read “1.200” as 1200" in panel.note.text()


def test_the_explanation_says_the_numbers_in_the_columns_currency(qtbot):
    table = load_leads(EUROPEAN)
    model = Model(threshold=10, rules=(
        Rule("Big budget", Condition("Budget", "gte", 1000), 20),
        Rule("Discount", Compound("any", (Condition("Rabatt", "gt", 0.1), Condition("Firma", "eq", "x"))), 5),
        Rule("Not small", Compound("not", (Condition("Mitarbeiter", "lt", 50),)), 5)))
    result = Scorer(table).score(model)
    panel = ExplainPanel()
    qtbot.addWidget(panel)
    panel.set_explanation(explain_lead(result, 0, table))
    text = panel.text()
    assert "Big budget +20 — Budget € 1,500 ≥ € 1,000" in text
    assert "Discount +5 — Rabatt 12.5% > 10%" in text
    assert "• Not small +5\n" in text + "\n"              # a "not" says nothing it cannot prove
    assert "Budget € 1,500 ≥ € 1,000" in panel.browser.toPlainText()


def test_csv_for_excel_in_german_sets_semicolons_and_decimal_commas(qtbot):
    form = ExportOptionsForm(["a", "b"], ["a"], {"mql": 1, "all": 2})
    qtbot.addWidget(form)
    form.set_format("csv")
    assert not form.german_check.isHidden()
    form.german_check.setChecked(True)
    csv = form.options().csv
    assert (csv.delimiter, csv.decimal, csv.bom) == (";", ",", True) and csv.excel_german
    assert not form.delimiter_combo.isEnabled()
    form.german_check.setChecked(False)
    assert form.options().csv.decimal == "." and form.delimiter_combo.isEnabled()
    form.set_format("xlsx")
    assert form.german_check.isHidden()


def test_the_lead_table_shows_amounts_in_their_currency_and_percentages_as_percent(qtbot, qtmodeltester):
    table = load_leads(EUROPEAN)
    model = LeadTableModel()
    model.set_frame(table.frame, table.types, table.number_formats)
    qtmodeltester.check(model)
    column = {model.headerData(c, Qt.Orientation.Horizontal): c for c in range(model.columnCount())}
    texts = lambda name: [model.display_text(r, column[name]) for r in range(model.rowCount())]  # noqa: E731
    assert texts("Rabatt") == ["12.5%", "5%", "0.75%", "", "100%"]
    assert texts("Budget") == ["€ 1,500.00", "€ 20,000.00", "-€ 750.50", "", "€ 0.99"]
    assert texts("Umsatz")[0] == "1,234.56"
    model.set_search("12.5%")
    assert model.rowCount() == 1 and model.display_text(0, column["Name"]) == "Anna Schmidt"
    model.set_search("€ 20,000.00")
    assert model.rowCount() == 1 and model.display_text(0, column["Name"]) == "Bernd Weber"

"""The sheet picker starts on the sheet with the biggest table."""

from app.sheet_dialog import SheetDialog
from scoring.reading.sheet_reader import SheetInfo


def test_the_picker_preselects_the_biggest_table_and_greys_out_empty_sheets(qtbot):
    sheets = [SheetInfo("Read me", 3, 1), SheetInfo("Empty", 0, 0), SheetInfo("Leads", 9241, 37),
              SheetInfo("Lookup", 40, 3)]
    dialog = SheetDialog("export.xlsx", sheets)
    qtbot.addWidget(dialog)
    assert dialog.selected_sheet() == "Leads"
    texts = [dialog.sheet_list.item(i).text() for i in range(dialog.sheet_list.count())]
    assert texts[2] == "Leads    (9,241 rows)" and texts[1] == "Empty    (empty)"
    assert not dialog.sheet_list.item(1).flags() & dialog.sheet_list.item(1).flags().ItemIsEnabled

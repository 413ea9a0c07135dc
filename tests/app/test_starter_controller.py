"""The empty rule list offers a starting model from the outcome column, shows its back-test and
takes it as one undoable step."""

from PySide6.QtWidgets import QDialog

from tests.conftest import SAMPLE


def _open_without_rules(qtbot, window):
    window.open_file(str(SAMPLE))                    # a new window's model has no rules
    qtbot.waitUntil(lambda: window.doc.result is not None, timeout=20000)
    assert not window.doc.model.rules and window.doc.model.tagged("outcome") == "converted"


def test_suggest_show_the_back_test_accept_and_undo(qtbot, window):
    _open_without_rules(qtbot, window)
    button = window.rule_list.starter_button
    assert button.isVisible() and button.text() == "Suggest a starting model from “converted”"
    with qtbot.waitSignal(window.starter.dialogOpened, timeout=30000) as opened:
        button.click()
    dialog = opened.args[0]
    figures = dialog.figures.text()
    assert "Fitted on 3,500 of 5,000 leads; measured on the other 1,500" in figures
    assert "ROC AUC" in figures and "precision" in figures and "recall" in figures
    assert "lifecycle_stage" in dialog.left_out.text() and "restate" in dialog.left_out.text()
    rules = window.starter.last.model.rules
    assert dialog.rules.rowCount() == len(rules) and dialog.rules.item(0, 0).text() == rules[0].name
    before = window.doc.undo_stack.count()
    dialog.use_button.click()
    assert window.doc.model.rules == rules
    assert window.doc.model.threshold == window.starter.last.model.threshold
    assert window.doc.undo_stack.count() == before + 1
    assert window.doc.undo_stack.undoText() == "Use the suggested starting model"
    assert not window.rule_list.starter_button.isVisible()        # rules now: no offer
    qtbot.waitUntil(lambda: window.doc.result.model.rules == rules, timeout=10000)
    assert window.doc.result.n_mql == window.starter.last.mqls      # as the dialog said
    window.doc.undo_stack.undo()
    assert not window.doc.model.rules and window.rule_list.starter_button.isVisible()


def test_cancel_keeps_the_empty_model(qtbot, window):
    _open_without_rules(qtbot, window)
    with qtbot.waitSignal(window.starter.dialogOpened, timeout=30000) as opened:
        window.rule_list.starter_button.click()
    opened.args[0].reject()
    assert opened.args[0].result() == QDialog.DialogCode.Rejected
    assert not window.doc.model.rules and window.doc.undo_stack.count() == 0


def test_no_offer_without_an_outcome_or_with_rules(qtbot, window):
    assert not window.rule_list.starter_button.isVisible()         # no list
    window.actions.open_sample.trigger()                            # the starter template has rules
    qtbot.waitUntil(lambda: window.doc.result is not None, timeout=20000)
    assert window.doc.model.rules and not window.rule_list.starter_button.isVisible()


def test_an_untagged_outcome_is_guessed_from_its_header(qtbot, window):
    from scoring.model.definition import ColumnSettings, Model
    window.doc.open_model(Model(columns=(("lead_source", ColumnSettings(tag="source")),)), None)
    window.open_file(str(SAMPLE))
    qtbot.waitUntil(lambda: window.doc.result is not None, timeout=20000)
    assert window.doc.model.tagged("outcome") is None                 # the model tags no outcome
    assert window.rule_list.starter_button.text() == "Suggest a starting model from “converted”"
    with qtbot.waitSignal(window.starter.dialogOpened, timeout=30000) as opened:
        window.rule_list.starter_button.click()
    opened.args[0].use_button.click()
    assert window.doc.model.tagged("outcome") == "converted" and window.doc.model.rules
    assert window.doc.model.tagged("source") == "lead_source"

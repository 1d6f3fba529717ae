"""The write and action dialogs guide a field engineer: the parameter type and default follow
the chosen method, the effect is said in plain words, and the value field shows an example
for the chosen type. Each test drives the real modal dialog from a timer."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
)

from workbench.protocol.cosem import Obis, ObjectListEntry
from workbench.ui import dialogs

DISCONNECT = ObjectListEntry(70, 0, Obis.parse("0-0:96.3.10.255"), {}, {})
CLOCK = ObjectListEntry(8, 0, Obis.parse("0-0:1.0.0.255"), {}, {})


def _answer(inspect, accept: bool = False) -> None:
    """Run ``inspect(dialog)`` on the modal dialog once it is open, then close it."""
    def check() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            QTimer.singleShot(10, check)
            return
        inspect(dialog)
        dialog.accept() if accept else dialog.reject()
    QTimer.singleShot(0, check)


def _fields(dialog: QDialog) -> tuple[list[QComboBox], QLineEdit, str]:
    labels = " ".join(label.text() for label in dialog.findChildren(QLabel))
    return dialog.findChildren(QComboBox), dialog.findChild(QLineEdit), labels


def test_disconnect_method_defaults_to_integer_zero_and_says_what_it_does(qtbot) -> None:
    seen = {}

    def inspect(dialog: QDialog) -> None:
        (method, kind), value, labels = _fields(dialog)
        seen.update(method=method.currentData(), kind=kind.currentText(), value=value.text(),
                    labels=labels)

    _answer(inspect)
    assert dialogs.ask_method(None, DISCONNECT) is None  # cancelled: nothing to send
    assert seen["method"] == 1 and seen["kind"] == "i8" and seen["value"] == "0"
    assert "customer loses power" in seen["labels"]


def test_clock_shift_time_switches_the_parameter_to_long_seconds(qtbot) -> None:
    seen = {}

    def inspect(dialog: QDialog) -> None:
        (method, kind), value, _labels = _fields(dialog)
        method.setCurrentIndex(method.findData(6))  # shift_time
        seen.update(kind=kind.currentText(), value=value.text(),
                    placeholder=value.placeholderText(), labels=_fields(dialog)[2])
        method.setCurrentIndex(method.findData(3))  # back to adjust_to_minute
        seen.update(back=(kind.currentText(), value.text()))

    _answer(inspect)
    dialogs.ask_method(None, CLOCK)
    assert seen["kind"] == "i16" and seen["value"] == ""
    assert "300" in seen["placeholder"] and "seconds" in seen["labels"]
    assert seen["back"] == ("i8", "0")


def test_action_confirmation_names_the_method_and_its_effect(qtbot, monkeypatch) -> None:
    questions: list[str] = []

    def refuse(_parent, title, text, *_args):
        questions.append(f"{title}: {text}")
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", refuse)
    _answer(lambda _d: None, accept=True)

    assert dialogs.ask_method(None, DISCONNECT) is None  # refused at the confirmation
    assert len(questions) == 1
    assert "remote_disconnect (method 1)" in questions[0]
    assert "Disconnect control 0-0:96.3.10.255" in questions[0]
    assert "customer loses power" in questions[0]


def test_write_value_field_shows_an_example_for_the_chosen_type(qtbot) -> None:
    seen = {}

    def inspect(dialog: QDialog) -> None:
        (kind,), value, _labels = _fields(dialog)
        seen["datetime"] = (kind.currentText(), value.placeholderText())
        kind.setCurrentText("bool")
        seen["bool"] = value.placeholderText()
        seen["width"] = dialog.width()
        seen["button"] = [b.text() for b in dialog.findChildren(QPushButton)]

    _answer(inspect)
    assert dialogs.ask_value(None, CLOCK, 2) is None
    assert seen["datetime"][0] == "datetime" and "now" in seen["datetime"][1]
    assert seen["bool"] == "true or false"
    assert seen["width"] >= 460  # the examples are not cut off
    assert "Write…" in seen["button"]

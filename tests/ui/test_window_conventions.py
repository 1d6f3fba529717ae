"""Desktop conventions: the window fits the screen it opens on and remembers its layout per
screen, Edit and Help menus (F1 guide, shortcut list), tooltips on every control of the
connection panel, the banner and the status strip, a logical tab order, and dialog errors
in the dialog's words (never Python's exception text or command-line syntax)."""

from __future__ import annotations

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QGroupBox,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from workbench.profiles import ProfileStore
from workbench.protocol.cosem import Obis, ObjectListEntry
from workbench.ui import dialogs, values
from workbench.ui.main_window import MainWindow
from workbench.ui.screen import screen_key

CLOCK = ObjectListEntry(8, 0, Obis.parse("0-0:1.0.0.255"), {}, {})


def test_the_window_fits_the_screen_and_its_layout_is_kept_per_screen(qtbot, tmp_path,
                                                                      null_keyring):
    ini = str(tmp_path / "layout.ini")

    def window() -> MainWindow:
        made = MainWindow(settings_store=QSettings(ini, QSettings.Format.IniFormat),
                          profile_store=ProfileStore(tmp_path / "p"), recordings=None)
        qtbot.addWidget(made)
        made.show()
        return made

    first = window()
    area = QGuiApplication.primaryScreen().availableGeometry()
    assert area.contains(first.frameGeometry()) or area.contains(first.geometry())
    assert first.width() >= area.width() * 0.8  # uses the room it has
    first.resize(first.width() - 40, first.height() - 30)
    size = first.size()
    first.close()
    saved = QSettings(ini, QSettings.Format.IniFormat)
    assert saved.value(f"{screen_key(QGuiApplication.primaryScreen())}/geometry") is not None

    second = window()
    assert second.size() == size  # restored on the same screen
    second.close()


def test_menus_follow_desktop_conventions(make_window, qtbot):
    window = make_window()
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&Meter", "&View", "&Help"]
    help_actions = window.menuBar().actions()[4].menu().actions()
    guide = next(a for a in help_actions if "guide" in a.text())
    assert guide.shortcut().toString() == "F1"
    guide.trigger()
    opened = [d.windowTitle() for d in window.findChildren(QDialog) if d.isVisible()]
    assert opened == ["User guide"]
    rows = dict((command, keys) for keys, command in __import__(
        "workbench.ui.menus", fromlist=["shortcut_rows"]).shortcut_rows(window))
    assert rows["Connect"] == "Ctrl+K" and rows["Cancel"] == "Esc" and rows["Copy"] == "Ctrl+C"
    for dialog in window.findChildren(QDialog):
        dialog.close()


def _controls(widget: QWidget) -> list[QWidget]:
    kinds = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox)
    found = [w for w in widget.findChildren(QWidget) if isinstance(w, kinds)
             and not isinstance(w.parentWidget(), QAbstractSpinBox | QComboBox)]
    found += [g for g in widget.findChildren(QGroupBox) if g.isCheckable()]
    return found


def test_every_control_of_the_panel_banner_and_status_has_a_tooltip(make_window):
    window = make_window()
    missing = [f"{type(w).__name__} {getattr(w, 'text', lambda: '')()!r}"
               for part in (window.connection, window.banner, window.status_strip)
               for w in _controls(part) if not w.toolTip()]
    assert not missing, missing
    assert "stops" in window.connection.disconnect_button.toolTip()


def test_tab_order_goes_through_the_form_then_to_the_tabs(make_window):
    window = make_window()
    panel = window.connection
    chain, widget = [], panel.host_edit
    for _ in range(60):
        chain.append(widget)
        widget = widget.nextInFocusChain()
    order = [panel.host_edit, panel.port_spin, panel.serial_edit, panel.client_combo,
             panel.password_edit, panel.timeout_spin, panel.connect_button,
             panel.disconnect_button, panel.probe_button]
    positions = [chain.index(w) for w in order]
    assert positions == sorted(positions), positions
    assert chain[chain.index(panel.probe_button) + 1] is window.tabs


def test_bad_values_are_explained_in_the_dialogs_words(qtbot, monkeypatch):
    for kind, text in (("i8", "abc"), ("i8", "300"), ("u16", "-1"), ("octets", "0x0G"),
                       ("datetime", "tomorrow"), ("bool", "maybe"), ("f32", "1,5")):
        try:
            values.parse_value(kind, text)
        except ValueError as exc:
            message = str(exc)
        else:
            raise AssertionError(f"{kind} {text!r} was accepted")
        assert "int()" not in message and "invalid literal" not in message, message
        assert "TYPE:VALUE" not in message and "could not convert" not in message, message
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        dialog.findChild(QComboBox).setCurrentText("i8")
        dialog.findChild(QLineEdit).setText("abc")
        dialog.accept()

    QTimer.singleShot(0, fill)
    assert dialogs.ask_value(None, CLOCK, 7) is None
    assert warnings == ["Not a valid value: “abc” is not a whole number (e.g. 300, -5 or "
                        "0x1F)."]

"""Small dialogs: About (with bundled components and licenses), reports, and the write and
action editors, which always ask for confirmation before anything is sent to a meter."""

from __future__ import annotations

from importlib import metadata

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from workbench import __version__
from workbench.protocol.classes import CLASSES, class_name
from workbench.protocol.obis import obis_name
from workbench.ui import meter_io

__all__ = ["about", "ask_method", "ask_value", "bundled_components", "show_report"]

COMPONENTS = ("PySide6-Essentials", "shiboken6", "pyqtgraph", "numpy", "keyring", "platformdirs")


def bundled_components() -> list[tuple[str, str, str]]:
    """(name, version, license) of the shipped third-party packages, from their metadata."""
    rows = []
    for name in COMPONENTS:
        try:
            meta = metadata.metadata(name)
        except metadata.PackageNotFoundError:
            continue
        licence = meta.get("License-Expression") or meta.get("License") or ""
        if not licence or "\n" in licence or len(licence) > 100:  # a whole license text
            classifiers = [c.split("::")[-1].strip() for c in meta.get_all("Classifier") or []
                           if c.startswith("License ::")]
            licence = ", ".join(classifiers) or "see package"
        rows.append((name, meta["Version"], licence))
    return rows


def about(parent: QWidget) -> None:
    rows = "".join(f"<tr><td>{n}</td><td>{v}</td><td>{lic}</td></tr>"
                   for n, v, lic in bundled_components())
    QMessageBox.about(parent, "About DLMS Workbench", (
        f"<h3>DLMS Workbench {__version__}</h3>"
        "<p>Diagnostic workbench for DLMS/COSEM meters. MIT licensed.</p>"
        "<p>Qt for Python (PySide6) is used under the LGPL v3; its source is available from "
        "the Qt Company. The full license texts are installed beside the application, in "
        "the <i>licenses</i> folder.</p>"
        f"<table cellspacing='6'><tr><th>Component</th><th>Version</th><th>License</th></tr>"
        f"{rows}</table>"))


def show_report(parent: QWidget, title: str, text: str) -> None:
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    view = QPlainTextEdit(text)
    view.setReadOnly(True)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(view)
    layout.addWidget(buttons)
    dialog.resize(640, 400)
    dialog.open()


def ask_value(parent: QWidget, entry, attribute: int):
    """Ask for a typed value for ``entry``'s ``attribute``; confirm; return Data or None."""
    spec = CLASSES.get(entry.class_id)
    attr = next((a for a in spec.attributes if a.index == attribute), None) if spec else None
    name = attr.name if attr else f"attribute {attribute}"
    dialog = QDialog(parent)
    dialog.setWindowTitle("Write attribute")
    kind = QComboBox()
    kind.addItems(meter_io.VALUE_KINDS)
    kind.setCurrentText(meter_io.kind_for_type_hint(attr.type_hint if attr else ""))
    text = QLineEdit()
    text.setPlaceholderText("value, e.g. 300, 2026-11-26T12:00:00, 0A0B0C")
    form = QFormLayout()
    form.addRow("Object", QLabel(f"{obis_name(entry.obis) or ''} {entry.obis}"))
    form.addRow("Attribute", QLabel(f"{attribute} · {name}"
                                    + (f" ({attr.type_hint})" if attr else "")))
    form.addRow("Type", kind)
    form.addRow("Value", text)
    if not _run_form(dialog, form):
        return None
    try:
        value = meter_io.parse_value(kind.currentText(), text.text())
    except ValueError as exc:
        QMessageBox.warning(parent, "Write attribute", f"Not a valid value: {exc}")
        return None
    question = (f"Write {meter_io.format_value(value)} to {entry.obis} attribute {attribute} "
                f"({name}) of {class_name(entry.class_id)}?\n\nThis changes the meter.")
    return value if _confirm(parent, "Confirm write", question) else None


def ask_method(parent: QWidget, entry):
    """Ask which method to call and with which parameter; confirm; return (index, Data)."""
    spec = CLASSES.get(entry.class_id)
    methods = [(m.index, m.name) for m in spec.methods] if spec else []
    if not methods:
        QMessageBox.information(parent, "Action", "This object has no methods.")
        return None
    dialog = QDialog(parent)
    dialog.setWindowTitle("Call method")
    combo = QComboBox()
    for index, name in methods:
        combo.addItem(f"{index} · {name}", index)
    kind = QComboBox()
    kind.addItems(meter_io.VALUE_KINDS)
    kind.setCurrentText("i8")  # the disconnect and clock methods take integer(0)
    text = QLineEdit("0")
    form = QFormLayout()
    form.addRow("Object", QLabel(f"{obis_name(entry.obis) or ''} {entry.obis}"))
    form.addRow("Method", combo)
    form.addRow("Parameter type", kind)
    form.addRow("Parameter", text)
    if not _run_form(dialog, form):
        return None
    try:
        param = meter_io.parse_value(kind.currentText(), text.text())
    except ValueError as exc:
        QMessageBox.warning(parent, "Call method", f"Not a valid parameter: {exc}")
        return None
    question = (f"Call {combo.currentText()} on {entry.obis} with "
                f"{meter_io.format_value(param)}?\n\nThis acts on the meter.")
    return (combo.currentData(), param) if _confirm(parent, "Confirm action", question) else None


def _run_form(dialog: QDialog, form: QFormLayout) -> bool:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    layout.addWidget(buttons)
    return dialog.exec() == QDialog.DialogCode.Accepted


def _confirm(parent: QWidget, title: str, question: str) -> bool:
    answer = QMessageBox.question(parent, title, question,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes

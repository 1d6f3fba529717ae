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
from workbench.protocol.axdr import Data
from workbench.protocol.cosem import (
    CLASSES,
    InterfaceClass,
    MethodSpec,
    ObjectListEntry,
    class_name,
    obis_name,
)
from workbench.ui import meter_io, values

__all__ = ["about", "ask_method", "ask_value", "bundled_components", "confirm", "show_report"]

COMPONENTS = ("PySide6-Essentials", "shiboken6", "pyqtgraph", "numpy", "keyring", "platformdirs",
              "cryptography", "cffi", "pycparser", "pyserial")


def bundled_components() -> list[tuple[str, str, str]]:
    """(name, version, license) of the shipped third-party packages, from their metadata."""
    rows = []
    for name in COMPONENTS:
        try:
            meta = metadata.metadata(name)
        except metadata.PackageNotFoundError:
            continue
        licence = (meta.get_all("License-Expression") or meta.get_all("License") or [""])[0]
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


def show_report(parent: QWidget, title: str, text: str) -> QDialog:
    """A read-only text report (non-modal, so the engineer can keep it open while retrying)."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    view = QPlainTextEdit(text)
    view.setReadOnly(True)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(view)
    layout.addWidget(buttons)
    dialog.resize(720, 420)
    dialog.open()
    return dialog


EXAMPLES = {
    "datetime": "2026-11-26T12:00:00, or now", "octets": "hex bytes, e.g. 0A0B0C",
    "bool": "true or false", "text": "plain text", "utf8": "plain text",
    "bits": "bits, e.g. 10110000", "f32": "e.g. 230.5", "f64": "e.g. 230.5",
    "null": "(no value needed)",
}
"""Placeholder per value kind; integers get ``e.g. 300``."""

METHOD_EFFECTS = {
    (70, 1): "Opens the supply relay: the customer loses power.",
    (70, 2): "Closes the relay, or arms it so the customer can reconnect with the button "
             "(depends on control_mode).",
    (8, 1): "Rounds the meter clock to the nearest quarter hour.",
    (8, 2): "Rounds the meter clock to the nearest measuring period.",
    (8, 3): "Rounds the meter clock to the nearest minute.",
    (8, 4): "Sets the clock to the preset time (set it first with method 5).",
    (8, 6): "Moves the meter clock by this many seconds (−900 to 900; negative = back).",
}
"""Plain-language effect of the methods a field engineer calls most, by (class, method)."""


def example_for(kind: str) -> str:
    return EXAMPLES.get(kind, "a whole number, e.g. 300")


def ask_value(parent: QWidget | None, entry: ObjectListEntry, attribute: int) -> Data | None:
    """Ask for a typed value for ``entry``'s ``attribute``; confirm; return Data or None."""
    spec = CLASSES.get(entry.class_id)
    attr = spec.attribute(attribute) if spec else None
    name = attr.name if attr else f"attribute {attribute}"
    dialog = QDialog(parent)
    dialog.setWindowTitle("Write attribute")
    kind = _kind_combo(values.kind_for_type_hint(attr.type_hint if attr else ""))
    text = QLineEdit()
    _follow_kind(kind, text)
    form = QFormLayout()
    form.addRow("Object", _object_label(entry))
    form.addRow("Attribute", QLabel(f"{attribute} · {name}"
                                    + (f" ({attr.type_hint})" if attr else "")))
    form.addRow("Type", kind)
    form.addRow("Value", text)
    text.setFocus()
    if not _run_form(dialog, form, "Write…"):
        return None
    value = _parsed(parent, "Write attribute", "value", kind, text)
    if value is None:
        return None
    question = (f"Write {meter_io.format_value(value)} to {entry.obis} attribute {attribute} "
                f"({name}) of {class_name(entry.class_id)}?\n\nThis changes the meter.")
    return value if confirm(parent, "Confirm write", question) else None


def ask_method(parent: QWidget | None,
               entry: ObjectListEntry) -> tuple[int, Data] | None:
    """Ask which method to call and with which parameter; confirm; return (index, Data).

    The parameter type and default follow the chosen method's declared parameter
    (integer 0 for disconnect and the clock adjustments, long seconds for shift_time).
    """
    spec = CLASSES.get(entry.class_id)
    if spec is None or not spec.methods:
        QMessageBox.information(parent, "Action", "This object has no methods.")
        return None
    dialog = QDialog(parent)
    dialog.setWindowTitle("Call method")
    combo = QComboBox()
    for method in spec.methods:
        combo.addItem(f"{method.index} · {method.name}", method.index)
    effect = QLabel()
    effect.setWordWrap(True)
    kind = _kind_combo("i8")
    text = QLineEdit()
    _follow_kind(kind, text)

    def method_chosen() -> None:
        method = _method(spec, combo.currentData())
        effect.setText(METHOD_EFFECTS.get((entry.class_id, method.index), "")
                       + f"\nParameter: {method.param_hint or 'none'}")
        kind.setCurrentText(values.kind_for_type_hint(method.param_hint))
        text.setText("0" if method.param_hint.endswith("(0)") else "")

    combo.currentIndexChanged.connect(method_chosen)
    method_chosen()
    form = QFormLayout()
    form.addRow("Object", _object_label(entry))
    form.addRow("Method", combo)
    form.addRow("", effect)
    form.addRow("Parameter type", kind)
    form.addRow("Parameter", text)
    if not _run_form(dialog, form, "Call…"):
        return None
    param = _parsed(parent, "Call method", "parameter", kind, text)
    if param is None:
        return None
    method = _method(spec, combo.currentData())
    question = (f"Call {method.name} (method {method.index}) of "
                f"{obis_name(entry.obis) or class_name(entry.class_id)} {entry.obis} with "
                f"{meter_io.format_value(param)}?\n\n"
                f"{METHOD_EFFECTS.get((entry.class_id, method.index), '')}\n"
                "This acts on the meter.")
    return (method.index, param) if confirm(parent, "Confirm action", question) \
        else None


def _method(spec: InterfaceClass, index: int) -> MethodSpec:
    """The method the combo box offers (it lists only the class's own methods)."""
    method = spec.method(index)
    assert method is not None, f"method {index} comes from the class's own list"
    return method


def _kind_combo(current: str) -> QComboBox:
    kind = QComboBox()
    kind.addItems(values.VALUE_KINDS)
    kind.setCurrentText(current)
    kind.setToolTip("The DLMS data type sent (i8 = integer, i16 = long, u16 = long-unsigned, …)")
    return kind


def _follow_kind(kind: QComboBox, text: QLineEdit) -> None:
    """Keep the value field's example in step with the chosen type."""
    def update() -> None:
        text.setPlaceholderText(example_for(kind.currentText()))
    kind.currentTextChanged.connect(update)
    update()


def _object_label(entry: ObjectListEntry) -> QLabel:
    return QLabel(f"{obis_name(entry.obis) or ''} {entry.obis}")


def _parsed(parent: QWidget | None, title: str, what: str, kind: QComboBox,
            text: QLineEdit) -> Data | None:
    """The typed value as Data, or None after telling the user why it is not valid."""
    try:
        return values.parse_value(kind.currentText(), text.text())
    except ValueError as exc:
        QMessageBox.warning(parent, title, f"Not a valid {what}: {exc}.")
        return None


def _run_form(dialog: QDialog, form: QFormLayout, ok_text: str) -> bool:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    layout.addWidget(buttons)
    dialog.setMinimumWidth(460)  # room for the examples and the method's effect
    return dialog.exec() == QDialog.DialogCode.Accepted


def confirm(parent: QWidget | None, title: str, question: str) -> bool:
    """Ask before anything reaches the meter; the safe answer (No) is the default."""
    answer = QMessageBox.question(parent, title, question,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes

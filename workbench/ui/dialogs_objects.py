"""Meter → Object by OBIS…: read, write or plot any attribute typed by hand.

Why: some meters cannot send their object list (a slow link, a firmware bug, a client not
allowed to read it) or leave objects out of it, and then the object tree has nothing to
click. The engineer knows the OBIS code and the class from the meter's documentation; this
dialog sends the same requests the tree would (a GET, a confirmed SET, a live-plot series)
for that (class, OBIS, attribute), and shows the answer in the meter's units.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from workbench.protocol.cosem import CLASSES, Obis, ObjectListEntry, obis_name
from workbench.protocol.errors import ProtocolError
from workbench.ui import dialogs
from workbench.ui.messages import AttributeReading, AttributeRef

__all__ = ["PLOTTABLE_CLASSES", "ObisDialog"]

PLOTTABLE_CLASSES = frozenset({3, 4, 5})
"""Registers: their attribute 2 scaled by attribute 3 is what the live plot polls."""


class ObisDialog(QDialog):
    """OBIS, class and attribute typed by hand; Read, Write… and Add to live plot."""

    read_requested = Signal(object)  # AttributeRef
    write_requested = Signal(object, object)  # AttributeRef, Data (confirmed)
    plot_requested = Signal(object)  # (class_id, obis_text, label)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Object by OBIS")
        self._connected = False
        self._write_reason = "Connect first."
        self._build()
        self._on_class_changed()

    def _build(self) -> None:
        self.obis_edit = QLineEdit("1-0:32.7.0.255")
        self.obis_edit.setToolTip("A-B:C.D.E.F, e.g. 1-0:32.7.0.255 (voltage L1)")
        self.obis_edit.textChanged.connect(self._update)
        self.name_label = QLabel()
        self.class_combo = QComboBox()
        for class_id, spec in sorted(CLASSES.items()):
            self.class_combo.addItem(f"{class_id} · {spec.name}", class_id)
        self.class_combo.setCurrentIndex(self.class_combo.findData(3))
        self.class_combo.currentIndexChanged.connect(self._on_class_changed)
        self.attribute_spin = QSpinBox()
        self.attribute_spin.setRange(1, 255)
        self.attribute_spin.setValue(2)
        self.attribute_spin.valueChanged.connect(self._update)
        self.attribute_label = QLabel()
        self.value_label = QLabel("Not read yet.")
        self.value_label.setWordWrap(True)
        form = QFormLayout()
        form.addRow("OBIS", self.obis_edit)
        form.addRow("", self.name_label)
        form.addRow("Class", self.class_combo)
        form.addRow("Attribute", self.attribute_spin)
        form.addRow("", self.attribute_label)
        form.addRow("Value", self.value_label)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self._buttons())
        self.setMinimumWidth(460)

    def _buttons(self) -> QDialogButtonBox:
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(self.reject)
        self.read_button = _add(box, "Read", self._read)
        self.write_button = _add(box, "Write…", self._write)
        self.plot_button = _add(box, "Add to live plot", self._plot)
        self.read_button.setDefault(True)
        return box

    # ------------------------------------------------------------------ state
    def target(self) -> AttributeRef | None:
        """What the form names, or None while the OBIS code is not valid."""
        try:
            obis = Obis.parse(self.obis_edit.text().strip())
        except (ProtocolError, ValueError):
            return None
        return AttributeRef(int(self.class_combo.currentData()), str(obis),
                            self.attribute_spin.value())

    def set_session(self, associated: bool, write_refused: str = "") -> None:
        """Read and plot need an association; Write also a client allowed to write."""
        self._connected = associated
        self._write_reason = write_refused if associated else "Connect first."
        self._update()

    def show_readings(self, readings: tuple[AttributeReading, ...]) -> None:
        """Show the answer for the attribute the form names (others are not ours)."""
        target = self.target()
        for r in readings:
            if target is not None and (r.class_id, r.obis, r.attribute) == (
                    target.class_id, target.obis, target.index):
                self.value_label.setText(r.text if r.ok else f"Not read: {r.text}")
                self.value_label.setToolTip(f"raw: {r.raw}")

    def _on_class_changed(self) -> None:
        spec = CLASSES.get(int(self.class_combo.currentData()))
        if spec is not None and spec.attributes:
            self.attribute_spin.setMaximum(max(a.index for a in spec.attributes))
        self._update()

    def _update(self) -> None:
        target = self.target()
        spec = CLASSES.get(int(self.class_combo.currentData()))
        attr = spec.attribute(self.attribute_spin.value()) if spec else None
        self.attribute_label.setText(f"{attr.name} ({attr.type_hint})" if attr else "")
        self.name_label.setText(obis_name(Obis.parse(target.obis)) or "" if target
                                else "Not an OBIS code: type A-B:C.D.E.F")
        why = ("Type a valid OBIS code." if target is None
               else "" if self._connected else "Connect first.")
        _allow(self.read_button, not why, why, "Read this attribute now")
        write_why = why or self._write_reason
        _allow(self.write_button, not write_why, write_why, "Write a typed value (asks first)")
        plot_why = why or ("" if target and target.class_id in PLOTTABLE_CLASSES
                           and target.index == 2 else "Only a register's value (class 3, 4 "
                           "or 5, attribute 2) can be plotted.")
        _allow(self.plot_button, not plot_why, plot_why, "Poll it on the Live values tab")

    # ------------------------------------------------------------------ actions
    def _read(self) -> None:
        target = self.target()
        if target is not None:
            self.value_label.setText("Reading…")
            self.read_requested.emit(target)

    def _write(self) -> None:
        target = self.target()
        if target is None:
            return
        entry = ObjectListEntry(target.class_id, 0, Obis.parse(target.obis), {}, {})
        value = dialogs.ask_value(self, entry, target.index)
        if value is not None:
            self.write_requested.emit(target, value)

    def _plot(self) -> None:
        target = self.target()
        if target is not None:
            label = obis_name(Obis.parse(target.obis)) or target.obis
            self.plot_requested.emit((target.class_id, target.obis, label))


def _add(box: QDialogButtonBox, text: str, slot: Callable[[], None]) -> QPushButton:
    button = box.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
    button.clicked.connect(slot)
    return button


def _allow(button: QPushButton, enabled: bool, why_not: str, tip: str) -> None:
    button.setEnabled(enabled)
    button.setToolTip(tip if enabled else why_not)

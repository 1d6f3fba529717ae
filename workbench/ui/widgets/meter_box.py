"""The Meter box: what the meter itself said, kept current while connected.

The clock line is replaced at every read (on connect, at each keepalive and after any
clock write), with its drift stated no finer than the clock and the round trip allow. The
idle time-out says where it comes from; tolerated deviations from the standard are
listed, in the warning colour, so a quirk that was accepted is never silent.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QWidget

from workbench.session.clock import ClockReading
from workbench.ui import theme
from workbench.ui.messages import MeterIdentity
from workbench.ui.meter_clock import DRIFT_WARNING_S, drift_text

__all__ = ["MeterBox"]

_ROWS = (("serial", "Serial"), ("device", "Device"), ("clock", "Clock"), ("link", "Link"),
         ("idle", "Idle drop"), ("warnings", "Warnings"))


class MeterBox(QGroupBox):
    """Serial, device, clock with drift, link parameters, idle time-out, warnings."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Meter", parent)
        form = QFormLayout(self)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.labels: dict[str, QLabel] = {}
        for key, title in _ROWS:
            value = QLabel("—")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.labels[key] = value
            form.addRow(title, value)
        self.labels["warnings"].setStyleSheet(f"color: {theme.warning_colour()};")
        self.labels["clock"].setToolTip("Read at connect, at every keepalive and after any "
                                        "clock write; drift is meter minus this PC")
        self.clear()

    def clear(self) -> None:
        for label in self.labels.values():
            label.setText("—")
        self.labels["clock"].setStyleSheet("")
        self._show_warnings(())

    def show_identity(self, identity: MeterIdentity) -> None:
        self.labels["serial"].setText(identity.serial or "—")
        self.labels["device"].setText(identity.device_name or "—")
        self.labels["link"].setText(identity.association or "—")
        if identity.idle_timeout_s is not None:
            self.show_idle(identity.idle_timeout_s, identity.idle_from_meter)
        self._show_warnings(identity.warnings)

    def show_idle(self, seconds: float, from_meter: bool) -> None:
        where = ("from the meter's IEC HDLC setup" if from_meter
                 else "assumed: the meter does not say")
        self.labels["idle"].setText(f"after {seconds:.0f} s of silence ({where})")

    def show_clock(self, reading: ClockReading) -> None:
        at = reading.pc.strftime("%H:%M:%S")
        self.labels["clock"].setText(f"{reading.meter}\n{drift_text(reading)} (read {at})")
        far = reading.drift is not None and abs(reading.drift) > DRIFT_WARNING_S
        self.labels["clock"].setStyleSheet(f"color: {theme.warning_colour()};" if far else "")

    def text(self, key: str) -> str:
        return self.labels[key].text()

    def _show_warnings(self, warnings: tuple[str, ...]) -> None:
        label = self.labels["warnings"]
        label.setText("\n".join(f"⚠ {w}" for w in warnings) or "—")
        form = self.layout()
        if isinstance(form, QFormLayout):
            form.setRowVisible(label, bool(warnings))

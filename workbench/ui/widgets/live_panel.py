"""Live values tab: the stacked plots plus the controls an engineer needs around them.

Polling period, Start/Stop, pause/resume of the drawing, export, and which registers are
polled. The series list is kept here (not in the worker) so that adding a register from
the browser's context menu, or removing one, changes the next GET-with-list the worker sends.

Why polling follows the tab: every poll is a request on the meter link, and its frames
fill the frame log; an engineer reading a profile or browsing objects does not want them.
So the worker polls only while a session is open, polling is started, and the Live tab is
on screen — or "Keep polling in other tabs" is ticked, to keep recording a series while
working elsewhere. This widget alone decides, and says it to the worker with one number:
the period (0 = stopped), sent only when it changes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from workbench.ui.messages import PollTarget
from workbench.ui.meter_io import DEFAULT_POLL_SERIES
from workbench.ui.widgets.live_plot import LivePlotWidget

__all__ = ["LivePanel"]

POWER_UNITS = frozenset({"W", "var", "VA", "kW", "kvar", "kVA"})


class LivePanel(QWidget):
    """Live plots with period, Start/Stop, export and the list of polled registers."""

    period_changed = Signal(int)  # milliseconds, 0 = stopped
    series_changed = Signal(object)  # tuple[PollTarget, ...]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series: list[PollTarget] = list(DEFAULT_POLL_SERIES)
        self._session_open = False
        self._sent_period = 0
        self.plot = LivePlotWidget()
        self.plot.remove_requested.connect(self.remove_register)
        self.pause_button = self.plot.pause_button
        self._build()
        self._points = 0
        self._samples = 0
        self._last_time = 0.0

    def _build(self) -> None:
        self.period_spin = QSpinBox()
        self.period_spin.setRange(100, 60_000)  # 10 Hz at most: one GET-with-list each
        self.period_spin.setSingleStep(250)
        self.period_spin.setValue(1000)
        self.period_spin.setSuffix(" ms")
        self.period_spin.setToolTip("One GET-with-list of all plotted registers per period")
        self.period_spin.valueChanged.connect(lambda _v: self._update_polling())
        self.start_button = QPushButton("Stop")
        self.start_button.setCheckable(True)
        self.start_button.setChecked(True)
        self.start_button.toggled.connect(self._on_start_toggled)
        self.background_box = QCheckBox("Keep polling in other tabs")
        self.background_box.setToolTip("Go on recording the series while another tab is shown "
                                       "(its frames go on filling the frame log)")
        self.background_box.toggled.connect(lambda _v: self._update_polling())
        self.state_label = QLabel()
        self.state_label.setToolTip("Whether the meter is being polled now, and why not")
        png = _button("Export PNG…", "Save the plots as an image", self._export_png)
        csv_button = _button("Export CSV…", "Save every sample as time, series, value, unit",
                             self._export_csv)
        self.count_label = QLabel()
        self.count_label.setToolTip("Polls answered since the plot was started")
        bar = QHBoxLayout()
        for widget in (QLabel("Poll every"), self.period_spin, self.start_button,
                       self.background_box, self.state_label):
            bar.addWidget(widget)
        bar.addWidget(self.count_label, 1)
        bar.addWidget(png)
        bar.addWidget(csv_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.plot, 1)
        self._on_start_toggled(True)

    # ------------------------------------------------------------------ public
    def period_ms(self) -> int:
        return self.period_spin.value()

    def polling_period(self) -> int:
        """What the worker was last told: the period in ms, or 0 when it must not poll."""
        return self._sent_period

    def set_session_open(self, is_open: bool) -> None:
        """The window says when a session exists (associated once, until Disconnect)."""
        self._session_open = is_open
        self._update_polling()

    def add_register(self, class_id: int, obis: str, name: str) -> None:
        """Poll one more register (from the browser's context menu)."""
        if not any(s.obis == obis for s in self.series):
            self.series.append(PollTarget(name, class_id, obis))
            self.series_changed.emit(tuple(self.series))

    def remove_register(self, name: str) -> None:
        """Stop polling a series and take it off the plots (its close button or menu)."""
        self.series = [s for s in self.series if s.name != name]
        self.plot.remove_series(name)
        self.series_changed.emit(tuple(self.series))

    def add_point(self, name: str, t: float, value: float, unit: str) -> None:
        if not any(s.name == name for s in self.series):
            return  # a sample already on its way when the series was removed
        if name not in self.plot.series_names():
            self.plot.add_series(name, unit, axis=_axis_for(unit))
        self.plot.add_point(name, t, value)
        self._points += 1
        if t != self._last_time:  # one poll brings one point per series at the same time
            self._last_time = t
            self._samples += 1
            self.count_label.setText(f"  {self._samples} samples")

    def mark_gap(self, t: float) -> None:
        self.plot.mark_gap(t)

    def point_count(self) -> int:
        return self._points

    # ------------------------------------------------------------------ polling
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._update_polling()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._update_polling()

    def _on_start_toggled(self, running: bool) -> None:
        self.start_button.setText("Stop" if running else "Start")
        self.start_button.setToolTip("Stop polling the meter (the samples are kept)" if running
                                     else "Poll the plotted registers again")
        self._update_polling()

    def _why_not(self) -> str:
        if not self._session_open:
            return "not connected"
        if not self.start_button.isChecked():
            return "stopped"
        if not self.isVisible() and not self.background_box.isChecked():
            return "paused while another tab is shown"
        return ""

    def _update_polling(self) -> None:
        why_not = self._why_not()
        period = 0 if why_not else self.period_spin.value()
        self.state_label.setText(f"({why_not})" if why_not else "polling")
        if period != self._sent_period:
            self._sent_period = period
            self.period_changed.emit(period)

    def _export_png(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export plot", "live.png", "PNG (*.png)")
        if path:
            self.plot.export_png(path)

    def _export_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export samples", "live.csv", "CSV (*.csv)")
        if path:
            self.plot.export_csv(path)


def _button(text: str, tip: str, slot: Callable[[], object]) -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    button.clicked.connect(slot)
    return button


def _axis_for(unit: str) -> str:
    return "Power (W · var · VA)" if unit in POWER_UNITS else unit

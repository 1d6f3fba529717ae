"""Live values tab: the stacked plots plus the controls an engineer needs around them.

Polling period, pause/resume, export, and which registers are polled. The series list
is kept here (not in the worker) so that adding a register from the browser's context
menu changes the next GET-with-list the worker sends.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from workbench.ui.meter_io import DEFAULT_POLL_SERIES
from workbench.ui.widgets.live_plot import LivePlotWidget

__all__ = ["LivePanel"]

POWER_UNITS = frozenset({"W", "var", "VA", "kW", "kvar", "kVA"})


class LivePanel(QWidget):
    """Live plots with period, export and the list of polled registers."""

    period_changed = Signal(int)  # milliseconds, 0 = stopped
    series_changed = Signal(object)  # tuple[(name, class_id, obis), ...]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series: list[tuple[str, int, str]] = list(DEFAULT_POLL_SERIES)
        self.plot = LivePlotWidget()
        self.period_spin = QSpinBox()
        self.period_spin.setRange(100, 60_000)  # 10 Hz at most: one GET-with-list each
        self.period_spin.setSingleStep(250)
        self.period_spin.setValue(1000)
        self.period_spin.setSuffix(" ms")
        self.period_spin.setToolTip("One GET-with-list of all plotted registers per period")
        self.period_spin.valueChanged.connect(self._emit_period)
        self.pause_button = self.plot.pause_button
        png = QPushButton("Export PNG…")
        png.clicked.connect(self._export_png)
        csv_button = QPushButton("Export CSV…")
        csv_button.clicked.connect(self._export_csv)
        self.count_label = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Poll every"))
        bar.addWidget(self.period_spin)
        bar.addWidget(self.count_label, 1)
        bar.addWidget(png)
        bar.addWidget(csv_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.plot, 1)
        self._points = 0
        self._samples = 0
        self._last_time = 0.0

    def period_ms(self) -> int:
        return self.period_spin.value()

    def add_register(self, class_id: int, obis: str, name: str) -> None:
        """Poll one more register (from the browser's context menu)."""
        if any(o == obis for _n, _c, o in self.series):
            return
        self.series.append((name, class_id, obis))
        self.series_changed.emit(tuple(self.series))

    def add_point(self, name: str, t: float, value: float, unit: str) -> None:
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

    def _emit_period(self) -> None:
        self.period_changed.emit(self.period_spin.value())

    def _export_png(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export plot", "live.png", "PNG (*.png)")
        if path:
            self.plot.export_png(path)

    def _export_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export samples", "live.csv", "CSV (*.csv)")
        if path:
            self.plot.export_csv(path)


def _axis_for(unit: str) -> str:
    return "Power (W · var · VA)" if unit in POWER_UNITS else unit

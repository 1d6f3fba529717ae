"""Python's cyclic garbage collector, run on the GUI thread only.

Why: a reference cycle holding Qt objects (a closed dialog, a window's menus and their
lambdas) may be collected by whichever thread happens to allocate when a collection is due
— the session worker, or the built-in simulated meter's threads. Qt destructors then run on
that thread; one that waits for a Qt lock while the GUI thread holds it and waits for the
interpreter lock deadlocks the whole program (seen in the test suite: the simulator's
connection thread collecting an old window's menu while the GUI thread deleted another
object — both waited for ever, even the test timeout's thread). So automatic collection is
switched off and a timer on the GUI thread collects instead, generation by generation,
when the allocation counts pass the thresholds, as the interpreter itself would have.

It also keeps collections out of big reads' hot paths: what exists once the window is built
is frozen out of every later pass (Qt, pyqtgraph and numpy's start-up objects), and the
first-generation threshold is large (bench/ui.py: longest GUI stall during a 60-day
profile read 50–65 ms without this, 22–26 ms with it).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

__all__ = ["GuiThreadCollector"]

THRESHOLDS = (20_000, 50, 50)
INTERVAL_MS = 250


class GuiThreadCollector(QObject):
    """Owns garbage collection while it lives; :meth:`stop` gives it back to Python."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        gc.collect()
        gc.freeze()
        gc.set_threshold(*THRESHOLDS)
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.collect)
        self._timer.start()

    def collect(self) -> int:
        """Collect the generations whose counts passed their thresholds; return how many
        objects were freed (0 when nothing was due)."""
        counts = gc.get_count()
        if counts[0] <= THRESHOLDS[0]:
            return 0
        generation = 2 if counts[2] > THRESHOLDS[2] else 1 if counts[1] > THRESHOLDS[1] else 0
        return gc.collect(generation)

    def stop(self) -> None:
        """Collect once more here, on the GUI thread, and let Python collect again."""
        self._timer.stop()
        gc.collect()
        gc.enable()

"""The application's garbage collection runs on the GUI thread only (workbench.ui.gc_guard)."""

from __future__ import annotations

import gc
import threading
import weakref

from workbench.ui.gc_guard import GuiThreadCollector


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_cycles_are_collected_by_the_gui_thread_timer_not_by_other_threads(qtbot) -> None:
    gc.enable()  # as in the application before the window exists
    collector = GuiThreadCollector()
    try:
        assert not gc.isenabled(), "automatic collection must be off while it runs"
        cycle = _Cycle()
        alive = weakref.ref(cycle)
        del cycle

        def allocate_elsewhere() -> None:  # a worker allocating: it must not collect
            junk = [[i] for i in range(50_000)]
            del junk

        worker = threading.Thread(target=allocate_elsewhere)
        worker.start()
        worker.join()
        assert alive() is not None, "another thread collected the cycle"
        kept = [[i] for i in range(30_000)]  # allocations past the first threshold
        qtbot.waitUntil(lambda: alive() is None, timeout=5000)  # the GUI thread's timer
        assert len(kept) == 30_000
    finally:
        collector.stop()
    assert gc.isenabled()

"""Fixtures for driving the real MainWindow against a real simulated meter over loopback TCP.

The window gets a throwaway QSettings ini and ProfileStore in ``tmp_path`` and a null
keyring, so a test run never touches the user's layout, profiles or passwords. Tests of
the window and the worker fail on any Qt warning (wrong-thread timers, "QThread:
Destroyed while thread is still running", ...), except the offscreen plugin's harmless
propagateSizeHints notice.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator

import keyring
import keyring.core
import pytest
from keyring.backends.null import Keyring as NullKeyring

from tests.helpers import running_meter
from workbench.profiles import ProfileStore
from workbench.simulator.server import MeterServer

LLS_PASSWORD = "2222222222"
WAIT_MS = 15_000  # a hang guard, not a speed target: CI shares 2 cores
"""Upper bound of every wait on the window (the simulator answers in milliseconds)."""

_STRICT_MODULES = ("test_main_window", "test_window_")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Window and worker tests fail on Qt warnings (the ini options belong to pyproject)."""
    for item in items:
        if item.path.parent.name == "ui" and item.path.stem.startswith(_STRICT_MODULES):
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            item.add_marker(pytest.mark.qt_log_ignore("This plugin does not support "
                                                      "propagateSizeHints"))


@pytest.fixture
def meter() -> Iterator[MeterServer]:
    with running_meter(password=LLS_PASSWORD) as server:
        yield server


@pytest.fixture
def null_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any keyring call in the test goes to a backend that stores nothing."""
    monkeypatch.setattr(keyring.core, "_keyring_backend", NullKeyring())


@pytest.fixture(autouse=True)
def _collect_on_the_gui_thread(qapp) -> Iterator[None]:
    """Cyclic garbage with Qt objects in it is collected here, on the GUI thread, never by
    a simulator or worker thread (see workbench.ui.gc_guard: such a collection deadlocked
    the suite); the application does the same with a GuiThreadCollector."""
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        gc.enable()


@pytest.fixture
def make_window(qtbot, tmp_path, null_keyring) -> Iterator[Callable[..., object]]:
    """Factory for shown MainWindows with throwaway settings; shut down after the test."""
    from PySide6.QtCore import QSettings

    from workbench.ui.main_window import MainWindow

    windows = []

    def make(**kwargs) -> MainWindow:
        ini = tmp_path / f"settings-{len(windows)}.ini"
        kwargs.setdefault("recordings", tmp_path / "recordings")
        window = MainWindow(settings_store=QSettings(str(ini), QSettings.Format.IniFormat),
                            profile_store=ProfileStore(tmp_path / "profiles"), **kwargs)
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.shutdown()
        assert not window.thread_.isRunning(), "the session thread outlived the window"


class WindowDriver:
    """What an engineer does with the window, in test vocabulary; every wait is bounded.

    Status and failures are recorded from the window's GUI-thread signals (never waiting on
    worker-thread signals, see the Qt recipe).
    """

    def __init__(self, window, qtbot) -> None:
        self.window, self.qtbot = window, qtbot
        self.statuses: list = []
        self.failures: list = []
        window.status_shown.connect(self.statuses.append)
        window.failure_shown.connect(self.failures.append)

    @property
    def state(self):
        from workbench.ui.messages import LinkState

        return self.statuses[-1].state if self.statuses else LinkState.DISCONNECTED

    def wait(self, check: Callable[[], object], timeout: int = WAIT_MS) -> None:
        """Wait until ``check`` is truthy, or returns None without raising (it may assert,
        to say what was missing when the time is up)."""

        def passed() -> bool:
            result = check()
            return True if result is None else bool(result)

        self.qtbot.waitUntil(passed, timeout=timeout)

    def click_connect(self, meter: MeterServer, client: int = 16, password: str = "") -> None:
        host, port = meter.address
        self.window.connection.set_endpoint(host, port)
        self.window.connection.set_client(client, password)
        self.window.connection.connect_button.click()

    def connect(self, meter: MeterServer, client: int = 16, password: str = "") -> None:
        """Connect and wait for the association and the filled object tree."""
        from workbench.ui.messages import LinkState

        self.click_connect(meter, client, password)

        def associated_with_objects() -> None:
            assert not self.failures, f"connect failed: {self.failures}"
            assert self.state is LinkState.ASSOCIATED, f"state is {self.state}"
            assert self.window.browser.model.rowCount() > 0, "object tree still empty"

        self.wait(associated_with_objects)

    def select(self, obis: str) -> None:
        assert self.window.browser.select_obis(obis), f"{obis} is not in the object tree"

    def value_text(self, attribute: int) -> str:
        table = self.window.browser.table
        for row in range(table.rowCount()):
            if table.item(row, 0).text() == str(attribute):
                item = table.item(row, 2)
                return item.text() if item is not None else ""
        raise AssertionError(f"attribute {attribute} is not in the attribute table")

    def select_attribute(self, attribute: int) -> None:
        table = self.window.browser.table
        rows = [r for r in range(table.rowCount()) if table.item(r, 0).text() == str(attribute)]
        assert rows, f"attribute {attribute} is not in the attribute table"
        table.selectRow(rows[0])

    def read_all(self, obis: str, attribute: int = 2) -> str:
        """Select ``obis``, press Read all, return the text shown for ``attribute``."""
        self.select(obis)
        self.window.browser.read_all_button.click()
        self.wait(lambda: self.value_text(attribute))
        return self.value_text(attribute)


@pytest.fixture
def driver(make_window, qtbot) -> WindowDriver:
    return WindowDriver(make_window(), qtbot)

"""The menu bar: File, Edit, Meter, View, Help, with the shortcuts a desktop user expects.

Meter actions are enabled only when they can run; a disabled one says why in its tooltip
(menus show tooltips here), so Ctrl+K on an open session does nothing instead of silently
reconnecting, and the reason is one hover away.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu

from workbench.session.settings import PUBLIC_CLIENT
from workbench.ui.messages import LinkState

__all__ = ["PUBLIC_READ_ONLY", "MeterActions", "build_menus", "shortcut_rows"]

PUBLIC_READ_ONLY = ("The public client (16) is read-only: connect as client 32 or 1 with the "
                    "LLS password to write, call methods or set the clock.")


@dataclass(frozen=True)
class MeterActions:
    """The actions whose availability follows the session."""

    connect: QAction
    disconnect: QAction
    cancel: QAction
    probe: QAction
    read: QAction
    read_all: QAction
    sync_clock: QAction

    def follow(self, state: LinkState, client: int, busy: bool) -> None:
        """Enable what can run now; a disabled action's tooltip says why."""
        is_open = state is not LinkState.DISCONNECTED
        associated = state is LinkState.ASSOCIATED
        _allow(self.connect, not is_open, "Disconnect first: a session is open or opening.")
        _allow(self.probe, not is_open, "Disconnect first: the probe opens its own connections.")
        _allow(self.disconnect, is_open, "Not connected.")
        _allow(self.cancel, busy, "Nothing is running.")
        for action in (self.read, self.read_all):
            _allow(action, associated, "Connect first.")
        _allow(self.sync_clock, associated and client not in (0, PUBLIC_CLIENT),
               PUBLIC_READ_ONLY if associated else "Connect first.")


def _allow(action: QAction, enabled: bool, why_not: str) -> None:
    action.setEnabled(enabled)
    action.setToolTip(action.statusTip() if enabled else f"{action.statusTip()} — {why_not}")


Shortcut = QKeySequence | QKeySequence.StandardKey | str | None


def _action(menu: QMenu, text: str, shortcut: Shortcut, slot: Callable[[], object],
            tip: str) -> QAction:
    action = QAction(text, menu)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.setToolTip(tip)
    action.setStatusTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    menu.addAction(action)
    return action


def build_menus(window: QMainWindow, slots: dict[str, Callable[[], object]],
                docks: list[QDockWidget]) -> MeterActions:
    """Fill ``window``'s menu bar; ``slots`` maps each command name to what it runs."""
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    _action(file_menu, "&Open capture…", QKeySequence.StandardKey.Open, slots["open"],
            "Open a saved .wbcap or .pcapng capture")
    _action(file_menu, "&Save capture…", QKeySequence.StandardKey.Save, slots["save"],
            "Save the frame log (passwords masked)")
    file_menu.addSeparator()
    _action(file_menu, "&Quit", QKeySequence.StandardKey.Quit, slots["quit"], "Close the window")
    edit = bar.addMenu("&Edit")
    # Shown, not bound: each view handles Ctrl+C itself (the frame log copies frames as
    # hex), and a window-wide binding would make the key ambiguous there.
    _action(edit, "&Copy\tCtrl+C", None, slots["copy"],
            "Copy the selection of the focused table, tree or text")
    _action(edit, "&Find in frame log…", QKeySequence.StandardKey.Find, slots["find"],
            "Filter the frame log by summary, note or hex bytes")
    actions = _meter_menu(bar.addMenu("&Meter"), slots)
    view = bar.addMenu("&View")
    for dock in docks:
        view.addAction(dock.toggleViewAction())
    help_menu = bar.addMenu("&Help")
    _action(help_menu, "&User guide", QKeySequence.StandardKey.HelpContents, slots["guide"],
            "A short guide to the window (F1)")
    _action(help_menu, "&Keyboard shortcuts", None, slots["shortcuts"],
            "Every shortcut of the window")
    _action(help_menu, "&About DLMS Workbench", None, slots["about"],
            "Version, licence and bundled components")
    for menu in bar.findChildren(QMenu):
        menu.setToolTipsVisible(True)
    return actions


def _meter_menu(meter: QMenu, slots: dict[str, Callable[[], object]]) -> MeterActions:
    actions = MeterActions(
        connect=_action(meter, "&Connect", "Ctrl+K", slots["connect"],
                        "Connect with the settings of the Connection panel"),
        disconnect=_action(meter, "&Disconnect", "Ctrl+Shift+K", slots["disconnect"],
                           "Close the session, stopping anything in progress"),
        cancel=_action(meter, "C&ancel", "Esc", slots["cancel"],
                       "Stop what the session is doing now"),
        probe=_action(meter, "&Probe", None, slots["probe"],
                      "Find the physical address and clients the meter answers"),
        read=_action(meter, "&Read selected", "F5", slots["read"],
                     "Read the selected attribute"),
        read_all=_action(meter, "Re&fresh all attributes", "Ctrl+R", slots["read_all"],
                         "Read every attribute of the selected object"),
        sync_clock=_action(meter, "&Sync meter clock…", None, slots["sync_clock"],
                           "Set the meter clock to this PC's time, showing the drift "
                           "before and after"),
    )
    meter.insertSeparator(actions.probe)
    meter.insertSeparator(actions.read)
    return actions


def shortcut_rows(window: QMainWindow) -> list[tuple[str, str]]:
    """(shortcut, command) for every menu action that has one, in menu order."""
    rows = []
    for menu in window.menuBar().findChildren(QMenu):
        for action in menu.actions():
            text, _tab, shown = action.text().partition("\t")
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText) or shown
            if keys:
                rows.append((keys, text.replace("&", "").rstrip("…")))
    return rows

"""OBIS object browser: the association's objects grouped by kind, and one object's attributes.

The tree is rebuilt from the object list the worker sends after associating. Selecting an
object lists its attributes (names from the interface-class tables) with the access rights
this association has; reading fills in values as an engineer reads them (OBIS codes,
dates, enum names, scaled values with units; see ``value_text``), the raw value in the
tooltip, and the time it was read. A profile's buffer is never read into a cell: its rows
go to the profile view, with progress and Cancel.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from workbench.protocol.cosem import CLASSES, class_name, obis_group, obis_name
from workbench.ui.messages import AttributeReading

__all__ = ["ObjectBrowser"]

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
NUMERIC_CLASSES = frozenset({3, 4, 5})
PROFILE_CLASS = 7
BUFFER_ATTRIBUTE = 2
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class ObjectBrowser(QWidget):
    """Tree of objects + attribute table + Read / Read all / Write / Action buttons."""

    read_requested = Signal(object)  # tuple[(class_id, obis_text, attribute), ...]
    write_requested = Signal(object)  # ObjectListEntry, attribute index
    action_requested = Signal(object)  # ObjectListEntry
    plot_requested = Signal(object)  # (class_id, obis_text, label)
    profile_requested = Signal(object)  # ObjectListEntry
    whole_profile_requested = Signal(object)  # ObjectListEntry whose buffer is to be read

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entries: dict[str, object] = {}
        self._write_reason = "Connect first."
        self._build()

    def _build(self) -> None:
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._build_tree())
        splitter.addWidget(self._build_detail())
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([470, 460])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self._update_buttons()

    def _build_tree(self) -> QTreeView:
        self.model = QStandardItemModel(0, 3, self)
        self.model.setHorizontalHeaderLabels(["Object", "OBIS", "Class"])
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.tree.selectionModel().currentChanged.connect(self._on_current_changed)
        self.tree.doubleClicked.connect(lambda _i: self._read_selected(all_attributes=True))
        self.tree.installEventFilter(self)
        self.tree.setToolTip("The association's objects by kind. Enter or double-click reads "
                             "every attribute; right-click for more.")
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(0, 250)
        return self.tree

    def _build_detail(self) -> QWidget:
        self.title = QLabel("No object selected")
        self.title.setStyleSheet("font-weight: bold;")
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["#", "Attribute", "Value", "Access", "Read at"])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setToolTip("Attributes of the selected object; hover a value for the raw "
                              "data as received")
        th = self.table.horizontalHeader()
        th.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for col in (0, 1, 3, 4):
            th.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        detail = QWidget()
        dl = QVBoxLayout(detail)
        dl.setContentsMargins(0, 0, 0, 0)
        dl.addWidget(self.title)
        dl.addWidget(self.table, 1)
        dl.addLayout(self._build_buttons())
        return detail

    def _build_buttons(self) -> QHBoxLayout:
        self.read_button = _button("Read", "Read the selected attribute (F5)",
                                   lambda: self._read_selected(all_attributes=False))
        self.read_all_button = _button("Read all", "Read every readable attribute of this object "
                                       "(a profile's rows go to the Profile view) (Enter)",
                                       lambda: self._read_selected(all_attributes=True))
        self.write_button = _button("Write…", "", self._write_selected)
        self.action_button = _button("Action…", "", self._action_selected)
        self.profile_button = _button("Open profile", "Read this profile by time range",
                                      self._open_profile)
        buttons = QHBoxLayout()
        for b in (self.read_button, self.read_all_button, self.write_button, self.action_button,
                  self.profile_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        return buttons

    # ------------------------------------------------------------------ public
    def set_objects(self, entries) -> None:
        """Rebuild the tree from ``ObjectListEntry`` values, grouped by kind."""
        self.model.removeRows(0, self.model.rowCount())
        self._entries = {}
        groups: dict[str, QStandardItem] = {}
        for entry in sorted(entries, key=lambda e: (obis_group(e.obis), str(e.obis))):
            group = obis_group(entry.obis)
            if group not in groups:
                groups[group] = QStandardItem(group)
                groups[group].setEditable(False)
                self.model.appendRow([groups[group], _item(""), _item("")])
            groups[group].appendRow(self._row(entry))
            self._entries[str(entry.obis)] = entry
        self.tree.expandAll()
        self._update_buttons()

    def set_write_allowed(self, allowed: bool, reason: str = "") -> None:
        """Enable Write/Action, or disable them with ``reason`` shown as the tooltip."""
        self._write_reason = "" if allowed else reason
        self._update_buttons()

    def show_readings(self, readings: tuple[AttributeReading, ...]) -> None:
        """Put read values into the attribute table when they belong to the shown object."""
        entry = self.current_entry()
        for reading in readings:
            if entry is None or reading.obis != str(entry.obis):
                continue
            row = self._row_of_attribute(reading.attribute)
            if row is None:
                continue
            value = QTableWidgetItem(reading.text)
            value.setToolTip(f"raw: {reading.raw}")
            if not reading.ok:
                value.setForeground(Qt.GlobalColor.red)
            self.table.setItem(row, 2, value)
            stamp = dt.datetime.fromtimestamp(reading.time).strftime("%H:%M:%S")
            self.table.setItem(row, 4, QTableWidgetItem(stamp))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in the object tree reads the selected object, as a double-click does."""
        if watched is self.tree and event.type() == QEvent.Type.KeyPress \
                and event.key() in ENTER_KEYS and self.current_entry() is not None:
            self._read_selected(all_attributes=True)
            return True
        return super().eventFilter(watched, event)

    def current_entry(self):
        index = self.tree.currentIndex()
        if not index.isValid():
            return None
        return self.model.itemFromIndex(index.siblingAtColumn(0)).data(ENTRY_ROLE)

    def select_obis(self, obis_text: str) -> bool:
        """Select the object with this OBIS (for tests and the command palette)."""
        for item in self._walk():
            entry = item.data(ENTRY_ROLE)
            if entry is not None and str(entry.obis) == obis_text:
                self.tree.setCurrentIndex(item.index())
                return True
        return False

    # ------------------------------------------------------------------ internals
    def _row(self, entry) -> list[QStandardItem]:
        name = obis_name(entry.obis) or str(entry.obis)
        first = _item(name)
        first.setData(entry, ENTRY_ROLE)
        first.setToolTip(f"{name}\n{entry.obis} · {class_name(entry.class_id)} v{entry.version}")
        kind = _item(f"{entry.class_id} {class_name(entry.class_id)}")
        return [first, _item(str(entry.obis)), kind]

    def _walk(self):
        for r in range(self.model.rowCount()):
            group = self.model.item(r, 0)
            for c in range(group.rowCount()):
                yield group.child(c, 0)

    def _on_current_changed(self, *_args) -> None:
        entry = self.current_entry()
        self.table.setRowCount(0)
        if entry is None:
            self.title.setText("No object selected")
            self._update_buttons()
            return
        spec = CLASSES.get(entry.class_id)
        self.title.setText(f"{obis_name(entry.obis) or entry.obis} — {entry.obis} · "
                           f"{class_name(entry.class_id)} (class {entry.class_id}, "
                           f"version {entry.version})")
        attributes = spec.attributes if spec else ()
        indices = sorted(set(entry.attribute_access) | {a.index for a in attributes})
        names = {a.index: a.name for a in attributes}
        self.table.setRowCount(len(indices))
        for row, index in enumerate(indices):
            access = entry.attribute_access.get(index)
            self.table.setItem(row, 0, _cell(str(index)))
            self.table.setItem(row, 1, _cell(names.get(index, f"attribute {index}")))
            self.table.setItem(row, 2, _cell(""))
            self.table.setItem(row, 3, _cell(_access_text(access)))
            self.table.setItem(row, 4, _cell(""))
        self._update_buttons()

    def _row_of_attribute(self, attribute: int) -> int | None:
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).text() == str(attribute):
                return row
        return None

    def _selected_attribute(self) -> int | None:
        row = self.table.currentRow()
        if row < 0:
            return 2 if self.table.rowCount() > 1 else None
        return int(self.table.item(row, 0).text())

    def _read_selected(self, all_attributes: bool) -> None:
        entry = self.current_entry()
        if entry is None:
            return
        if all_attributes:
            attrs = [int(self.table.item(r, 0).text()) for r in range(self.table.rowCount())]
            attrs = [a for a in attrs if _readable(entry.attribute_access.get(a))]
        else:
            attrs = [a for a in [self._selected_attribute()] if a is not None]
        if entry.class_id == PROFILE_CLASS and BUFFER_ATTRIBUTE in attrs:
            attrs = [a for a in attrs if a != BUFFER_ATTRIBUTE]
            self._route_buffer(entry)
        if attrs:
            self.read_requested.emit(tuple((entry.class_id, str(entry.obis), a) for a in attrs))

    def _route_buffer(self, entry) -> None:
        """A profile's rows are read in the profile view (thousands of rows, minutes over
        GPRS: they need progress and Cancel, not one table cell)."""
        row = self._row_of_attribute(BUFFER_ATTRIBUTE)
        if row is not None:
            self.table.setItem(row, 2, _cell("→ rows in the Profile view"))
        self.whole_profile_requested.emit(entry)

    def _write_selected(self) -> None:
        entry, attribute = self.current_entry(), self._selected_attribute()
        if entry is not None and attribute is not None:
            self.write_requested.emit((entry, attribute))

    def _action_selected(self) -> None:
        entry = self.current_entry()
        if entry is not None:
            self.action_requested.emit(entry)

    def _open_profile(self) -> None:
        entry = self.current_entry()
        if entry is not None and entry.class_id == PROFILE_CLASS:
            self.profile_requested.emit(entry)

    def _context_menu(self, pos) -> None:
        entry = self.current_entry()
        if entry is None:
            return
        menu = QMenu(self)
        menu.addAction("Read all", lambda: self._read_selected(all_attributes=True))
        if entry.class_id in NUMERIC_CLASSES:
            label = obis_name(entry.obis) or str(entry.obis)
            plot = QAction("Add to live plot", menu)
            plot.triggered.connect(
                lambda: self.plot_requested.emit((entry.class_id, str(entry.obis), label)))
            menu.addAction(plot)
        if entry.class_id == PROFILE_CLASS:
            menu.addAction("Open profile view", self._open_profile)
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    def _update_buttons(self) -> None:
        entry = self.current_entry()
        has = entry is not None
        self.read_button.setEnabled(has)
        self.read_all_button.setEnabled(has)
        writable = has and not self._write_reason
        self.write_button.setEnabled(writable)
        self.action_button.setEnabled(writable and bool(getattr(entry, "method_access", None)))
        reason = self._write_reason or ("Select an object first." if not has else "")
        self.write_button.setToolTip(reason or "Write the selected attribute (asks to confirm)")
        self.action_button.setToolTip(reason or "Call a method of this object (asks to confirm)")
        self.profile_button.setEnabled(has and entry.class_id == PROFILE_CLASS)


def _button(text: str, tip: str, slot) -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    button.clicked.connect(slot)
    return button


def _item(text: str) -> QStandardItem:
    item = QStandardItem(text)
    item.setEditable(False)
    return item


def _cell(text: str) -> QTableWidgetItem:
    return QTableWidgetItem(text)


def _readable(access) -> bool:
    return access is None or int(access) in (1, 3, 4, 6)


def _access_text(access) -> str:
    if access is None:
        return "?"
    return getattr(access, "label", None) or access.name.replace("_", "-").lower()

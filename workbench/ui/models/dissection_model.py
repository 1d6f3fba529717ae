"""A frame's dissection tree as a Qt tree model: an adapter over ``protocol.dissect.Node``.

Each index's internal pointer is the Node itself (kept alive by ``self._roots``), and a
parent table built once per frame answers ``parent()`` in one lookup; trees are a few
hundred nodes at most, so building it is cheap.

Secret nodes (the LLS password) show ``(hidden)`` in the value column until
:meth:`set_show_secrets` is turned on; then the actual bytes, taken from the frame.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from workbench.framelog import HIDDEN, secret_spans
from workbench.protocol.fields import Node, lookup

__all__ = ["DissectionModel", "deepest_path_at"]

AnyIndex = QModelIndex | QPersistentModelIndex
_ERROR_COLOR = QColor("#c62828")


def deepest_path_at(roots: list[Node], offset: int) -> list[Node]:
    """Path from a root to the deepest node whose span covers byte ``offset`` ([] if none).

    Children are in byte order but may overlap (bit fields sharing one byte); the first
    child covering the byte wins, as in Wireshark.
    """
    path: list[Node] = []
    nodes = roots
    while True:
        hit = next((n for n in nodes if n.length > 0 and n.offset <= offset < n.end), None)
        if hit is None:
            return path
        path.append(hit)
        nodes = hit.children


class DissectionModel(QAbstractItemModel):
    """Columns: field name, value, offset, length. ``SpanRole`` gives ``(offset, length)``."""

    NAME, VALUE, OFFSET, LENGTH = range(4)
    HEADERS = ("Field", "Value", "Offset", "Length")
    SpanRole = Qt.ItemDataRole.UserRole
    NodeRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._roots: list[Node] = []
        self._raw = b""
        self._parents: dict[int, tuple[Node | None, int]] = {}
        self.show_secrets = False

    def set_frame(self, roots: list[Node], raw: bytes) -> None:
        """Show the dissection ``roots`` of the frame bytes ``raw``."""
        self.beginResetModel()
        self._roots, self._raw = list(roots), raw
        self._parents = {}
        self._index_children(None, self._roots)
        self.endResetModel()

    def clear(self) -> None:
        self.set_frame([], b"")

    def _index_children(self, parent: Node | None, children: list[Node]) -> None:
        for row, child in enumerate(children):
            self._parents[id(child)] = (parent, row)
            self._index_children(child, child.children)

    def set_show_secrets(self, show: bool) -> None:
        self.show_secrets = show
        for root in self._roots:
            for node in root.walk():
                if node.secret:
                    index = self.index_of(node, self.VALUE)
                    self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole])

    def roots(self) -> list[Node]:
        return list(self._roots)

    def node(self, index: AnyIndex) -> Node | None:
        return index.internalPointer() if index.isValid() else None

    def index_of(self, node: Node, column: int = 0) -> QModelIndex:
        """The index of ``node`` (which must belong to the current frame)."""
        _, row = self._parents[id(node)]
        return self.createIndex(row, column, node)

    def index_at_offset(self, offset: int) -> QModelIndex:
        """Index of the deepest field covering byte ``offset`` (invalid if none does)."""
        path = deepest_path_at(self._roots, offset)
        return self.index_of(path[-1]) if path else QModelIndex()

    def secret_spans(self) -> list[tuple[int, int]]:
        """``(offset, length)`` of every secret node: what the hex view draws as ``**``."""
        return secret_spans(self._roots)

    # --- Qt model interface -------------------------------------------------------------
    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        siblings = self._children(parent)
        if not (0 <= row < len(siblings) and 0 <= column < len(self.HEADERS)):
            return QModelIndex()
        return self.createIndex(row, column, siblings[row])

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        node = self.node(index)
        if node is None:
            return QModelIndex()
        parent, _ = self._parents[id(node)]
        return QModelIndex() if parent is None else self.index_of(parent)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._children(parent))

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.HEADERS)):
            return self.HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        node = self.node(index)
        if node is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(node, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return node.error or _description(node)
        if role == Qt.ItemDataRole.ForegroundRole and node.error:
            return QBrush(_ERROR_COLOR)
        if role == self.SpanRole:
            return (node.offset, node.length)
        if role == self.NodeRole:
            return node
        return None

    def _children(self, parent: AnyIndex) -> list[Node]:
        node = self.node(parent)
        return self._roots if node is None else node.children

    def _display(self, node: Node, column: int) -> str:
        if column == self.NAME:
            return node.name
        if column == self.VALUE:
            if node.secret:
                return self._revealed(node) if self.show_secrets else HIDDEN
            return node.value or node.error or ""
        return str(node.offset if column == self.OFFSET else node.length)

    def _revealed(self, node: Node) -> str:
        data = self._raw[node.offset:node.end]
        return f'"{data.decode("latin-1")}" ({data.hex(" ")})'


def _description(node: Node) -> str | None:
    """The field registry's sentence for the node's key, with the key (for filters)."""
    field = lookup(node.key) if node.key else None
    return f"{field.description} ({node.key})" if field else node.key or None

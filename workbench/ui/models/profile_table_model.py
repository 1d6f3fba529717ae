"""The rows of a profile read, shown in engineering units with the raw value on hover.

Rows are kept as the meter sent them (raw integers, datetimes, named codes) so that a
scale learnt late, an export or a tooltip always starts from what was received; the
scaled text is computed when a cell is painted, which costs nothing for the rows on screen.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from workbench.ui.profile_reading import ColumnScale

__all__ = ["ProfileTableModel", "cell_text"]

Index = QModelIndex | QPersistentModelIndex
_ALIGN_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class ProfileTableModel(QAbstractTableModel):
    """Append-only table of profile rows (tuples of plain values) and their column scales."""

    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.columns: tuple[str, ...] = ()
        self.scales: tuple[ColumnScale | None, ...] = ()
        self.rows: list[tuple[object, ...]] = []

    def reset(self, columns: tuple[str, ...], scales: tuple[ColumnScale | None, ...] = ()) -> None:
        self.beginResetModel()
        self.columns, self.rows = tuple(columns), []
        self.scales = tuple(scales) or (None,) * len(self.columns)
        self.endResetModel()

    def append(self, rows: tuple[tuple[object, ...], ...]) -> None:
        if not rows:
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self.rows.extend(rows)
        self.endInsertRows()

    def scale(self, column: int) -> ColumnScale | None:
        return self.scales[column] if column < len(self.scales) else None

    def value(self, row: int, column: int) -> object:
        """The cell in engineering units (a float) when its column is scaled, else as read."""
        raw = self.rows[row][column]
        scale = self.scale(column)
        value = scale.value(raw) if scale is not None else None
        return raw if value is None else value

    def text(self, row: int, column: int) -> str:
        """What the table shows (and the CSV export writes) for one cell."""
        raw = self.rows[row][column]
        scale = self.scale(column)
        return scale.text(raw) if scale is not None and scale.value(raw) is not None \
            else cell_text(raw)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and self.scale(column) is not None:
            scale = self.scale(column)
            assert scale is not None
            return f"raw {cell_text(self.rows[row][column])} · scaler {scale.scaler}"
        if role == Qt.ItemDataRole.TextAlignmentRole and self.scale(column) is not None:
            return _ALIGN_RIGHT
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:  # the unit on a second line: narrower
            return self.columns[section].replace(" [", "\n[") if section < len(self.columns) \
                else None
        return str(section + 1)


def cell_text(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return "" if value is None else str(value)

"""Edit → Copy for whatever has the focus: the copy action it carries (the frame log's
"Copy as hex"), its own ``copy()`` (text fields), else the selected cells of a table or
tree as tab-separated lines."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget

__all__ = ["copy_focused", "selected_text"]


def copy_focused(widget: QWidget | None) -> bool:
    """Copy the focused widget's selection to the clipboard; False when it has none."""
    while widget is not None:
        for action in widget.actions():
            if action.shortcut().matches(QKeySequence(QKeySequence.StandardKey.Copy)) \
                    == QKeySequence.SequenceMatch.ExactMatch:
                action.trigger()
                return True
        own = getattr(widget, "copy", None)
        if callable(own):
            own()
            return True
        if isinstance(widget, QAbstractItemView):
            text = selected_text(widget)
            if text:
                QApplication.clipboard().setText(text)
            return bool(text)
        widget = widget.parentWidget()
    return False


def selected_text(view: QAbstractItemView) -> str:
    """Selected cells, one line per row, columns separated by tabs, in view order."""
    selection = view.selectionModel()
    if selection is None:
        return ""
    rows: dict[tuple[int, ...], list[tuple[int, str]]] = {}
    for index in selection.selectedIndexes():
        key = _row_key(index)
        rows.setdefault(key, []).append((index.column(), str(index.data() or "")))
    return "\n".join("\t".join(text for _c, text in sorted(cells))
                     for _k, cells in sorted(rows.items()))


def _row_key(index: QModelIndex) -> tuple[int, ...]:
    """A sortable position of ``index``'s row, parents first (trees are nested)."""
    path = []
    while index.isValid():
        path.append(index.row())
        index = index.parent()
    return tuple(reversed(path))

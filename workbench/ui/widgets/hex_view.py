"""Hex + ASCII view of one frame's bytes, with a highlighted span and clickable bytes.

Painted by hand on a scroll area (rather than a text widget) so that a click maps to a
byte offset exactly, and so secret bytes can be drawn as ``**`` without the real bytes
ever being put into a text document that could be selected and copied.

Layout per row: 4-digit offset, 16 bytes in hex (gap after 8), then the ASCII column.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontDatabase, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

__all__ = ["HexView"]

BYTES_PER_ROW = 16
_OFFSET_CHARS = 6  # "0000  "
_HEX_START = _OFFSET_CHARS
_ASCII_START = _HEX_START + BYTES_PER_ROW * 3 + 2  # hex cells, group gap, separator
_HIGHLIGHT = QColor("#ffe08a")
_SECRET = QColor("#9e9e9e")
_OFFSET_COLOR = QColor("#7a7a7a")
_MARGIN = 6


class HexView(QAbstractScrollArea):
    """Shows bytes; ``highlight(offset, length)`` marks a span; clicks emit ``byte_clicked``."""

    byte_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.setFont(font)
        self._data = b""
        self._span = (0, 0)
        self._secrets: list[tuple[int, int]] = []
        self.show_secrets = False
        self.viewport().setCursor(Qt.CursorShape.IBeamCursor)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)

    # --- content ------------------------------------------------------------------------
    def set_data(self, data: bytes, secret_spans: list[tuple[int, int]] | None = None) -> None:
        """Show ``data``; bytes inside ``secret_spans`` are drawn as ``**``."""
        self._data = bytes(data)
        self._secrets = list(secret_spans or [])
        self._span = (0, 0)
        self._update_scroll()
        self.viewport().update()

    def data(self) -> bytes:
        return self._data

    def set_show_secrets(self, show: bool) -> None:
        self.show_secrets = show
        self.viewport().update()

    def highlight(self, offset: int, length: int) -> None:
        """Mark ``length`` bytes from ``offset`` and scroll them into view."""
        self._span = (offset, max(length, 0))
        if length > 0:
            row = offset // BYTES_PER_ROW
            bar = self.verticalScrollBar()
            if not bar.value() <= row < bar.value() + self._visible_rows():
                bar.setValue(row)
        self.viewport().update()

    def highlighted(self) -> tuple[int, int]:
        return self._span

    def is_masked(self, offset: int) -> bool:
        """True when byte ``offset`` is secret and currently drawn as ``**``."""
        return not self.show_secrets and any(o <= offset < o + n for o, n in self._secrets)

    def cell_text(self, offset: int) -> str:
        """The two characters shown for byte ``offset`` in the hex column."""
        return "**" if self.is_masked(offset) else f"{self._data[offset]:02X}"

    def offset_at(self, point: QPoint) -> int | None:
        """Byte under a viewport position (hex or ASCII column), or None."""
        char_w, line_h = self._cell()
        row = point.y() // line_h + self.verticalScrollBar().value()
        column = (point.x() - _MARGIN + self.horizontalScrollBar().value()) // char_w
        if _HEX_START <= column < _ASCII_START - 2:
            rel = column - _HEX_START
            byte = (rel - (rel >= 24)) // 3 if rel != 24 else None
        elif _ASCII_START <= column < _ASCII_START + BYTES_PER_ROW:
            byte = column - _ASCII_START
        else:
            byte = None
        if byte is None or not 0 <= byte < BYTES_PER_ROW:
            return None
        offset = row * BYTES_PER_ROW + byte
        return offset if offset < len(self._data) else None

    def point_of(self, offset: int) -> QPoint:
        """Centre of the hex cell of byte ``offset`` in viewport coordinates (for tests)."""
        char_w, line_h = self._cell()
        row = offset // BYTES_PER_ROW - self.verticalScrollBar().value()
        col = self._hex_column(offset % BYTES_PER_ROW)
        x = _MARGIN + col * char_w - self.horizontalScrollBar().value() + char_w
        return QPoint(x, row * line_h + line_h // 2)

    # --- Qt overrides -------------------------------------------------------------------
    def sizeHint(self) -> QSize:
        char_w, line_h = self._cell()
        return QSize(2 * _MARGIN + (_ASCII_START + BYTES_PER_ROW + 1) * char_w
                     + self.verticalScrollBar().sizeHint().width(), 8 * line_h)

    def minimumSizeHint(self) -> QSize:
        char_w, line_h = self._cell()
        return QSize(40 * char_w, 3 * line_h)

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)
        self._update_scroll()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        offset = self.offset_at(event.position().toPoint())
        if offset is not None and event.button() == Qt.MouseButton.LeftButton:
            self.byte_clicked.emit(offset)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        painter.setFont(self.font())
        painter.fillRect(event.rect(), self.palette().base())
        char_w, line_h = self._cell()
        painter.translate(_MARGIN - self.horizontalScrollBar().value(), 0)
        first = self.verticalScrollBar().value()
        rows = -(-len(self._data) // BYTES_PER_ROW)
        for visible, row in enumerate(range(first, min(rows, first + self._visible_rows() + 1))):
            self._paint_row(painter, row, visible * line_h, char_w, line_h)
        painter.end()

    # --- painting -----------------------------------------------------------------------
    def _paint_row(self, painter: QPainter, row: int, y: int, char_w: int, line_h: int) -> None:
        ascent = painter.fontMetrics().ascent()
        text_pen = self.palette().text().color()
        painter.setPen(_OFFSET_COLOR)
        painter.drawText(0, y + ascent, f"{row * BYTES_PER_ROW:04X}")
        start, length = self._span
        for i in range(BYTES_PER_ROW):
            offset = row * BYTES_PER_ROW + i
            if offset >= len(self._data):
                break
            hex_x, ascii_x = self._hex_column(i) * char_w, (_ASCII_START + i) * char_w
            if start <= offset < start + length:
                right_pad = char_w if i != BYTES_PER_ROW - 1 and offset + 1 < start + length else 0
                painter.fillRect(QRect(hex_x, y, 2 * char_w + right_pad, line_h), _HIGHLIGHT)
                painter.fillRect(QRect(ascii_x, y, char_w, line_h), _HIGHLIGHT)
            masked = self.is_masked(offset)
            painter.setPen(_SECRET if masked else text_pen)
            painter.drawText(hex_x, y + ascent, self.cell_text(offset))
            painter.drawText(ascii_x, y + ascent, "*" if masked else _printable(self._data[offset]))

    @staticmethod
    def _hex_column(i: int) -> int:
        return _HEX_START + i * 3 + (1 if i >= 8 else 0)

    def _cell(self) -> tuple[int, int]:
        metrics = self.fontMetrics()
        return max(metrics.horizontalAdvance("0"), 1), max(metrics.height(), 1)

    def _visible_rows(self) -> int:
        return max(self.viewport().height() // self._cell()[1], 1)

    def _update_scroll(self) -> None:
        char_w, _ = self._cell()
        rows = -(-len(self._data) // BYTES_PER_ROW)
        vbar = self.verticalScrollBar()
        vbar.setRange(0, max(rows - self._visible_rows(), 0))
        vbar.setPageStep(self._visible_rows())
        width = 2 * _MARGIN + (_ASCII_START + BYTES_PER_ROW) * char_w
        hbar = self.horizontalScrollBar()
        hbar.setRange(0, max(width - self.viewport().width(), 0))
        hbar.setPageStep(self.viewport().width())


def _printable(byte: int) -> str:
    return chr(byte) if 0x20 <= byte < 0x7F else "·"

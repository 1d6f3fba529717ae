"""Hex view: layout, highlight, click-to-offset, secret masking, screenshot."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.capture.samples import aarq_frame
from workbench.ui.widgets.hex_view import BYTES_PER_ROW, HexView


def make_view(qtbot, data: bytes, secrets=None) -> HexView:
    view = HexView()
    qtbot.addWidget(view)
    view.resize(view.sizeHint())
    view.set_data(data, secrets)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_click_on_each_byte_emits_its_offset(qtbot):
    data = bytes(range(40))
    view = make_view(qtbot, data)
    for offset in (0, 7, 8, 15, 16, 39):
        with qtbot.waitSignal(view.byte_clicked) as blocker:
            qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                             pos=view.point_of(offset))
        assert blocker.args == [offset]


def test_click_outside_bytes_emits_nothing(qtbot):
    view = make_view(qtbot, bytes(20))
    clicked = []
    view.byte_clicked.connect(clicked.append)
    last_row_end = view.point_of(19)
    last_row_end.setX(last_row_end.x() + 30)  # past the last byte of a short row
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=last_row_end)
    below = view.point_of(19)
    below.setY(below.y() + 200)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=below)
    assert clicked == []


def test_highlight_scrolls_into_view(qtbot):
    view = make_view(qtbot, bytes(BYTES_PER_ROW * 200))
    view.highlight(BYTES_PER_ROW * 150 + 3, 4)
    assert view.highlighted() == (BYTES_PER_ROW * 150 + 3, 4)
    top = view.verticalScrollBar().value()
    assert top <= 150 < top + 20


def test_secret_bytes_drawn_masked_until_shown(qtbot, tmp_path):
    raw = aarq_frame()
    start = raw.index(b"2222222222")
    view = make_view(qtbot, raw, [(start, 10)])
    assert [view.cell_text(start + i) for i in range(10)] == ["**"] * 10
    assert view.cell_text(start - 1) == "0A"
    view.set_show_secrets(True)
    assert view.cell_text(start) == "32"
    view.set_show_secrets(False)
    view.highlight(start - 4, 14)
    assert view.grab().save(str(tmp_path / "hex_view.png"))

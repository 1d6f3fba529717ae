"""Frame-log widget: selection ↔ dissection ↔ hex spans, masking, captures, auto-scroll."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication

from tests.capture.samples import PASSWORD, session_records
from workbench.capture import read_wbcap
from workbench.framelog import FrameRecord
from workbench.ui.models.dissection_model import DissectionModel
from workbench.ui.widgets.frame_log import FrameLogWidget

AARQ_ROW = 2


@pytest.fixture
def log(qtbot):
    widget = FrameLogWidget()
    qtbot.addWidget(widget)
    widget.resize(1000, 640)
    widget.append_records(session_records())
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_selecting_a_frame_shows_tree_and_bytes(log, qtbot):
    with qtbot.waitSignal(log.frame_selected) as blocker:
        log.select_row(AARQ_ROW)
    record = session_records()[AARQ_ROW]
    assert blocker.args == [record]
    assert log.hex_view.data() == record.raw
    assert log.dissection.rowCount() >= 1


def test_node_to_bytes_and_byte_to_node(log, qtbot):
    log.select_row(3)
    model = log.dissection
    nodes = [n for root in model.roots() for n in root.walk() if n.length]
    for node in nodes:  # tree node -> highlighted bytes
        log.tree.setCurrentIndex(model.index_of(node))
        assert log.hex_view.highlighted() == (node.offset, node.length)
    for offset in range(len(log.hex_view.data())):  # byte click -> deepest covering node
        qtbot.mouseClick(log.hex_view.viewport(), Qt.MouseButton.LeftButton,
                         pos=log.hex_view.point_of(offset))
        node = model.node(log.tree.currentIndex())
        assert node.offset <= offset < node.end
        assert not any(c.length and c.offset <= offset < c.end for c in node.children)
        assert log.hex_view.highlighted() == (node.offset, node.length)


def test_password_masked_in_view_unless_shown(log, tmp_path):
    log.select_row(AARQ_ROW)
    raw = session_records()[AARQ_ROW].raw
    start = raw.index(PASSWORD)
    assert log.hex_view.is_masked(start) and log.hex_view.cell_text(start + 9) == "**"
    secret = next(n for r in log.dissection.roots() for n in r.walk() if n.secret)
    log.tree.setCurrentIndex(log.dissection.index_of(secret))
    value = log.dissection.index_of(secret, DissectionModel.VALUE)
    assert value.data() == "(hidden)"
    assert log.grab().save(str(tmp_path / "frame_log.png"))
    log.live.secrets_box.setChecked(True)
    assert log.hex_view.cell_text(start) == "32"
    assert "2222222222" in value.data()
    log.live.secrets_box.setChecked(False)
    assert log.hex_view.is_masked(start)


@pytest.mark.parametrize("suffix", [".wbcap", ".pcapng"])
def test_save_masks_and_load_round_trips(log, qtbot, tmp_path, suffix):
    path = tmp_path / f"session{suffix}"
    with qtbot.waitSignal(log.capture_saved) as saved:
        assert log.save_capture(path)
    assert saved.args == [str(path), 5]
    assert PASSWORD not in path.read_bytes()
    assert PASSWORD.hex().upper().encode() not in path.read_bytes()
    with qtbot.waitSignal(log.capture_loaded) as loaded:
        assert log.load_capture(path)
    assert loaded.args == [str(path), 5, 0]
    (opened,) = log.capture_panes()
    assert log.current() is opened and log.tabs.tabText(1) == path.name
    assert [r.direction for r in opened.model.records()] == \
        [r.direction for r in session_records()]
    assert b"*" * 10 in opened.model.record(AARQ_ROW).raw
    assert opened.model.index(AARQ_ROW, 3).data().startswith("I N(S)=0 N(R)=0")
    assert log.model.records() == session_records()  # the live log is untouched


def test_keep_secrets_option(log, tmp_path):
    path = tmp_path / "clear.wbcap"
    assert log.save_capture(path, keep_secrets=True)
    assert read_wbcap(path).records[AARQ_ROW].raw == session_records()[AARQ_ROW].raw


def test_capture_errors_are_signals_not_exceptions(log, qtbot, tmp_path):
    bad = tmp_path / "bad.wbcap"
    bad.write_text("not a capture\n")
    with qtbot.waitSignal(log.capture_failed) as failed:
        assert not log.load_capture(bad)
    assert "not a workbench capture" in failed.args[0]
    assert log.model.rowCount() == 5  # the log was left as it was
    with qtbot.waitSignal(log.capture_failed) as failed:
        assert not log.save_capture(tmp_path / "no-such-dir" / "x.wbcap")
    assert "Could not save" in failed.args[0]


def test_filters_from_the_bar(log, qtbot):
    log.live.direction_combo.setCurrentIndex(log.live.direction_combo.findData("rx"))
    assert log.proxy.rowCount() == 2
    assert log.live.count_label.text() == "2 of 5 frames"
    log.live.direction_combo.setCurrentIndex(0)
    log.live.kind_combo.setCurrentIndex(log.live.kind_combo.findData("SNRM"))
    assert log.proxy.rowCount() == 1
    log.live.kind_combo.setCurrentIndex(0)
    log.live.text_filter.setText("retry")
    qtbot.waitUntil(lambda: log.proxy.rowCount() == 1, timeout=2000)


def test_auto_scroll_only_while_at_bottom(log, qtbot):
    bar = log.table.verticalScrollBar()
    more = [FrameRecord(1.0 + i, "rx", session_records()[1].raw) for i in range(300)]
    log.append_records(more[:150])
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum(), timeout=2000)
    bar.setValue(0)  # the user scrolls up to read
    log.append_records(more[150:])
    qtbot.wait(50)
    assert bar.value() == 0
    bar.setValue(bar.maximum())  # back at the bottom: follow again
    log.append_records(more[:10])
    qtbot.waitUntil(lambda: bar.value() == bar.maximum(), timeout=2000)


def test_filter_change_keeps_the_shown_frame_selected(log, qtbot):
    log.select_row(3)
    selected = []
    log.frame_selected.connect(selected.append)
    log.live.direction_combo.setCurrentIndex(log.live.direction_combo.findData("tx"))
    current = log.table.currentIndex()
    assert log.proxy.mapToSource(current).row() == 3
    assert log.hex_view.data() == session_records()[3].raw
    assert selected == []  # the same frame: no new selection reported
    log.live.direction_combo.setCurrentIndex(log.live.direction_combo.findData("rx"))
    assert not log.table.currentIndex().isValid()  # hidden now...
    assert log.hex_view.data() == session_records()[3].raw  # ...still shown in the detail
    log.live.direction_combo.setCurrentIndex(0)
    assert log.proxy.mapToSource(log.table.currentIndex()).row() == 3
    log.select_row(4)
    assert [r.raw for r in selected] == [session_records()[4].raw]


def test_filter_change_keeps_following_the_newest_frame(log, qtbot):
    bar = log.table.verticalScrollBar()
    log.append_records([FrameRecord(1.0 + i, "rx" if i % 2 else "tx", session_records()[
        1 + i % 2 * 3].raw) for i in range(400)])
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum(), timeout=2000)
    log.live.direction_combo.setCurrentIndex(log.live.direction_combo.findData("rx"))
    qtbot.waitUntil(lambda: bar.value() == bar.maximum() > 0, timeout=2000)
    bar.setValue(0)  # the user scrolls up to read: a filter change leaves them there
    log.live.direction_combo.setCurrentIndex(0)
    qtbot.wait(50)
    assert bar.value() == 0


def test_count_says_searching_until_the_index_catches_up(log, qtbot):
    log.live.text_filter.setText("ua")
    qtbot.waitUntil(lambda: log.proxy.rowCount() == 1, timeout=2000)
    log.append_records([FrameRecord(1.0 + i, "rx", session_records()[1].raw)
                        for i in range(3_000)])  # a capture-sized batch: indexed in slices
    assert log.live.count_label.text().endswith("(searching…)")
    qtbot.waitUntil(lambda: log.proxy.complete, timeout=10_000)
    assert log.live.count_label.text() == "3001 of 3005 frames"


def test_ctrl_c_copies_the_selected_frames_as_hex_password_masked(log, qtbot):
    log.select_row(1)
    log.table.selectionModel().select(
        log.proxy.index(AARQ_ROW, 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    log.table.setFocus()
    qtbot.keyClick(log.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    lines = QGuiApplication.clipboard().text().splitlines()
    ua, aarq = session_records()[1].raw, session_records()[AARQ_ROW].raw
    assert lines[0] == ua.hex(" ").upper()
    assert len(lines[1].split(" ")) == len(aarq) and "** ** **" in lines[1]
    assert PASSWORD.hex(" ").upper() not in lines[1]
    log.live.secrets_box.setChecked(True)
    assert PASSWORD.hex(" ").upper() in log.live.copy_hex()


def test_copy_as_dissection_text_from_the_context_menu(log):
    log.select_row(3)
    (action,) = [a for a in log.table.actions() if a.text() == "Copy as dissection text"]
    action.trigger()
    text = QGuiApplication.clipboard().text()
    assert " tx I N(S)=2 N(R)=1 · get-request-normal 1-1:32.7.0.255 /2" in text.splitlines()[0]
    assert "\n  " in text and "instance-id: 1-1:32.7.0.255" in text


@pytest.mark.parametrize("typed", ["7EA0", "7e a0", "2007 00FF"])
def test_hex_search_with_or_without_spaces(log, qtbot, typed):
    log.live.text_filter.setText(typed)
    expected = sum(bytes.fromhex(typed.replace(" ", "")) in r.raw for r in session_records())
    qtbot.waitUntil(lambda: log.proxy.rowCount() == expected, timeout=2000)
    assert expected > 0


def test_one_click_hides_polling_frames(log):
    log.append_records([FrameRecord(9.0, "tx", session_records()[3].raw, "poll"),
                        FrameRecord(9.1, "rx", session_records()[4].raw, "poll")])
    assert log.proxy.rowCount() == 7
    log.live.polling_box.click()
    assert log.proxy.rowCount() == 5 and log.live.count_label.text() == "5 of 7 frames"


def test_link_drops_and_resumes_are_rows_of_the_live_log(log):
    log.add_marker("link lost: the meter stopped answering", when=10.0)
    log.append_records([FrameRecord(11.0, "tx", session_records()[0].raw)])
    log.add_marker("link resumed", when=12.0)
    summaries = [log.model.index(r, 3).data() for r in range(log.model.rowCount())]
    assert summaries[5] == "⏸ link lost: the meter stopped answering"
    assert summaries[7] == "⏸ link resumed"
    log.live.direction_combo.setCurrentIndex(log.live.direction_combo.findData("rx"))
    assert log.proxy.rowCount() == 4  # the two rx frames and both markers
    log.select_row(5)
    assert log.hex_view.data() == b"" and log.dissection.rowCount() == 0
    assert len(log.model.records()) == 6


def test_an_opened_capture_never_mixes_with_live_frames(log, qtbot, tmp_path):
    path = tmp_path / "visit.wbcap"
    assert log.save_capture(path)
    assert log.load_capture(path)
    log.append_records([FrameRecord(20.0, "rx", session_records()[1].raw)])
    (opened,) = log.capture_panes()
    assert opened.model.rowCount() == 5 and log.model.rowCount() == 6
    assert log.tabs.tabText(0) == "Live" and log.tabs.tabText(1) == "visit.wbcap"
    log.tabs.tabCloseRequested.emit(0)  # the live log cannot be closed
    log.tabs.tabCloseRequested.emit(1)
    assert log.capture_panes() == [] and log.tabs.count() == 1


def test_field_names_fit_and_the_hex_pane_shows_a_whole_frame(log, qtbot):
    log.resize(1366, 330)  # the frame log dock at 1366x768
    log.select_row(AARQ_ROW)
    tree = log.tree
    names = [log.dissection.index_of(n).data() for r in log.dissection.roots()
             for n in r.walk() if tree.visualRect(log.dissection.index_of(n)).isValid()]
    width = max(tree.fontMetrics().horizontalAdvance(n) for n in names)
    assert tree.columnWidth(0) >= width
    rows_shown = log.hex_view.viewport().height() // log.hex_view.fontMetrics().height()
    assert rows_shown >= 8  # a 128-byte frame without scrolling

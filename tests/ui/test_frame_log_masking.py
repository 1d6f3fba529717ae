"""The frame log never shows the LLS password unasked: not in the tooltip, not through the
text filter, not in the tree or the hex view, not in a saved capture; also for AARQs the
dissector rejects (cut short, a trailing byte) and for AARQs split over HDLC segments."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.capture.samples import (
    PASSWORD,
    aarq_info,
    get_frame,
    info_frame,
    rr_frame,
    snrm_frame,
    split_aarq_frames,
    ua_frame,
)
from workbench.framelog import FrameRecord
from workbench.ui.models.dissection_model import DissectionModel
from workbench.ui.models.frame_filter_model import FrameFilterProxy
from workbench.ui.models.frame_log_model import FrameLogModel
from workbench.ui.widgets.frame_log import FrameLogWidget

NON_ASCII = bytes.fromhex("C3A9 00FF 807E 5AE2 8AC0")
TOOLTIP = Qt.ItemDataRole.ToolTipRole

CASES = {  # name: (AARQ frames as sent, password, how many password bytes they carry)
    "truncated": ([info_frame(aarq_info()[:40])], PASSWORD, 7),
    "trailing": ([info_frame(aarq_info(NON_ASCII) + b"\x00")], NON_ASCII, 10),
    "split32": (split_aarq_frames(32), PASSWORD, 10),
    "split48-binary": (split_aarq_frames(48, NON_ASCII), NON_ASCII, 10),
    "split24-3-segments": (split_aarq_frames(24), PASSWORD, 10),
}


def records(aarq: list[bytes]) -> list[FrameRecord]:
    frames = [("tx", snrm_frame()), ("rx", ua_frame())]
    frames += [("tx", raw) for raw in aarq] + [("rx", rr_frame(1)), ("tx", get_frame())]
    return [FrameRecord(1_764_064_800.0 + i, d, raw, "") for i, (d, raw) in enumerate(frames)]


def spaced(data: bytes) -> str:
    return data.hex(" ")


def searchable(model: FrameLogModel, row: int) -> str:
    """What the text filter searches: summary and note, and the bytes (spaced here)."""
    return f"{model.log.search_text(row)} {model.log.hex(row)}"


@pytest.fixture(params=list(CASES))
def case(request):
    return CASES[request.param]


def test_tooltip_and_search_text_mask_the_password(case):
    aarq, password, held = case
    model = FrameLogModel()
    model.append_records(records(aarq))
    model.finish_indexing()
    tips = [model.index(row, 0).data(TOOLTIP) for row in range(model.rowCount())]
    searched = [searchable(model, row) for row in range(model.rowCount())]
    for text in (*tips, *searched):
        assert spaced(password[:3]).lower() not in text.lower()
    assert sum(tip.count("**") for tip in tips) == held  # exactly the password's bytes
    assert sum(text.count("**") for text in searched) == held


def test_show_secrets_reveals_the_tooltip_but_never_the_search_text():
    model = FrameLogModel()
    model.append_records(records(split_aarq_frames(32)))
    model.finish_indexing()
    rows = range(model.rowCount())
    model.set_show_secrets(True)
    assert spaced(PASSWORD[1:4]).upper() in model.index(3, 0).data(TOOLTIP)
    assert "**" not in "".join(model.index(r, 0).data(TOOLTIP) for r in rows)
    assert all(spaced(PASSWORD[:3]) not in searchable(model, r) for r in rows)
    model.set_show_secrets(False)
    assert "** ** **" in model.index(3, 0).data(TOOLTIP)


@pytest.mark.parametrize("typed", ["32 32 32", "2a 2a", "**"])
def test_filter_cannot_confirm_the_password(case, typed):
    aarq, password, _ = case
    model = FrameLogModel()
    model.append_records(records(aarq))
    proxy = FrameFilterProxy(model)
    proxy.set_text(spaced(password[2:5]))
    assert proxy.rowCount() == 0
    proxy.set_text(typed)  # the masked cells are "**", not the byte 2A
    masked_frames = sum(bool(model.log.secret_spans(row)) for row in range(model.rowCount()))
    assert proxy.rowCount() == (typed == "**") * masked_frames


def test_dissection_marks_what_the_parser_could_not(case):
    aarq, _, held = case
    model = FrameLogModel()
    model.append_records(records(aarq))
    found = 0
    for row in range(2, 2 + len(aarq)):
        secret = [n for root in model.log.dissection(row) for n in root.walk() if n.secret]
        assert sorted((n.offset, n.length) for n in secret) == model.log.secret_spans(row)
        found += sum(n.length for n in secret)
    assert found == held


@pytest.fixture
def log(qtbot):
    widget = FrameLogWidget()
    qtbot.addWidget(widget)
    widget.resize(1000, 640)
    return widget


def test_hex_view_and_tree_hide_the_password(log, case):
    aarq, password, held = case
    log.append_records(records(aarq))
    shown = 0
    for row in range(2, 2 + len(aarq)):
        log.select_row(row)
        raw = log.hex_view.data()
        cells = [log.hex_view.cell_text(i) for i in range(len(raw))]
        assert spaced(password[:2]).upper() not in " ".join(cells)
        shown += cells.count("**")
        for root in log.dissection.roots():
            for node in (n for n in root.walk() if n.secret):
                value = log.dissection.index_of(node, DissectionModel.VALUE).data()
                assert value == "(hidden)"
    assert shown == held


@pytest.mark.parametrize("suffix", [".wbcap", ".pcapng"])
def test_saved_capture_holds_no_password(log, case, tmp_path, suffix):
    aarq, password, _ = case
    log.append_records(records(aarq))
    path = tmp_path / f"s{suffix}"
    assert log.save_capture(path)
    data = path.read_bytes().decode("latin-1").lower()
    for form in (password[:4].decode("latin-1").lower(), password[:4].hex()):
        assert form not in data


def test_the_show_secrets_box_reaches_the_table_tooltips(qtbot):
    widget = FrameLogWidget()
    qtbot.addWidget(widget)
    widget.append_records(records(split_aarq_frames(32)))
    widget.model.finish_indexing()
    assert "** ** **" in widget.model.index(3, 0).data(TOOLTIP)
    widget.live.secrets_box.setChecked(True)
    assert spaced(PASSWORD[1:4]).upper() in widget.model.index(3, 0).data(TOOLTIP)
    widget.live.secrets_box.setChecked(False)
    assert "** ** **" in widget.model.index(3, 0).data(TOOLTIP)

"""Frame-log table model, its filter proxy, and the dissection tree model."""

from __future__ import annotations

from itertools import pairwise

import pytest

from tests.capture.samples import (
    aarq_frame,
    get_frame,
    rr_frame,
    session_records,
    snrm_frame,
)
from workbench.framelog import FrameRecord
from workbench.protocol.dissect import dissect
from workbench.protocol.fields import Node
from workbench.ui.models.dissection_model import DissectionModel, deepest_path_at
from workbench.ui.models.frame_filter_model import FrameFilterProxy
from workbench.ui.models.frame_log_model import FrameLogModel


class CountingDissector:
    """The real dissection, counting calls (to prove the model is lazy)."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, raw: bytes) -> list[Node]:
        self.calls += 1
        return dissect(raw)


def many_records(n: int) -> list[FrameRecord]:
    frames = [("tx", get_frame(n_s=i % 8, n_r=(i + 1) % 8)) for i in range(8)]
    frames += [("rx", rr_frame(n_r=i % 8)) for i in range(8)]
    return [FrameRecord(1_764_064_800 + i / 1000, *frames[i % len(frames)]) for i in range(n)]


def test_model_tester_on_log_and_proxy(qtmodeltester):
    model = FrameLogModel()
    model.append_records(session_records())
    qtmodeltester.check(model)
    proxy = FrameFilterProxy(model)
    proxy.set_direction("tx")
    qtmodeltester.check(proxy)


def test_columns_show_time_direction_length_summary():
    model = FrameLogModel()
    records = session_records()
    model.append_records(records)
    row = [model.index(3, c).data() for c in range(4)]
    assert row[0].count(":") == 2 and len(row[0]) == 12  # HH:MM:SS.mmm
    assert row[1] == "→ tx"
    assert row[2] == str(len(records[3].raw))
    assert row[3].startswith("I N(S)=2 N(R)=1 · get-request-normal 1-1:32.7.0.255 /2")
    assert row[3].endswith("[retry 1 after timeout]")
    assert model.index(4, 3).data().startswith("RR N(R)=3")
    assert model.index(0, 1).data() == "→ tx" and model.index(1, 1).data() == "← rx"
    assert model.index(0, 0).data(FrameLogModel.RecordRole) == records[0]


def test_append_is_batched_and_summaries_need_no_dissection(qtbot):
    dissect = CountingDissector()
    model = FrameLogModel(dissect=dissect)
    inserts = []
    model.rowsInserted.connect(lambda parent, first, last: inserts.append((first, last)))
    records = many_records(10_000)
    for start in range(0, len(records), 500):
        model.append_records(records[start:start + 500])
    assert model.rowCount() == 10_000
    assert len(inserts) == 20 and inserts[-1] == (9_500, 9_999)
    assert model.indexed_rows() < 10_000  # big batches are indexed in the background
    qtbot.waitUntil(lambda: model.indexed_rows() == 10_000, timeout=10_000)
    assert model.index(9_999, 3).data().startswith("RR N(R)=7")
    assert dissect.calls == 0  # valid frames are summarised from the decoder fast path
    broken = bytearray(get_frame())
    broken[-2] ^= 0xFF
    model.append_records([FrameRecord(0.0, "rx", bytes(broken))])
    assert model.indexed_rows() == 10_001  # a small batch is indexed as it arrives
    assert dissect.calls == 1  # a bad frame is summarised from its dissection...
    assert "⚠ FCS: HDLC frame: FCS mismatch" in model.index(10_000, 3).data()
    model.log.dissection(10_000)
    assert dissect.calls == 1  # ...whose tree is cached for the detail pane


def test_filter_follows_background_indexing(qtbot):
    model = FrameLogModel()
    proxy = FrameFilterProxy(model)
    proxy.set_kind("RR")
    inserted = []
    proxy.rowsInserted.connect(lambda parent, first, last: inserted.append((first, last)))
    model.append_records(many_records(10_000))
    assert not proxy.complete and proxy.rowCount() < 5_000
    qtbot.waitUntil(lambda: proxy.complete, timeout=10_000)
    assert proxy.rowCount() == 5_000
    assert inserted[0][0] == 0 and inserted[-1][1] == 4_999
    assert all(b[0] == a[1] + 1 for a, b in pairwise(inserted))
    assert {proxy.index(r, 3).data()[:2] for r in range(0, 5_000, 7)} == {"RR"}


def test_direction_filter_needs_no_index():
    model = FrameLogModel()
    model.append_records(many_records(10_000))
    proxy = FrameFilterProxy(model)
    proxy.set_direction("tx")
    assert proxy.complete and proxy.rowCount() == 5_000
    assert model.indexed_rows() < 10_000


def test_max_frames_drops_oldest():
    model = FrameLogModel(max_frames=100)
    records = many_records(250)
    model.append_records(records[:120])
    model.append_records(records[120:])
    assert model.rowCount() == 100
    assert model.record(0) == records[150] and model.record(99) == records[249]


def test_filter_10k_by_direction_kind_and_text():
    model = FrameLogModel()
    model.append_records(many_records(10_000))
    model.finish_indexing()
    proxy = FrameFilterProxy(model)
    assert proxy.rowCount() == 10_000
    proxy.set_direction("rx")
    assert proxy.rowCount() == 5_000
    proxy.set_direction(None)
    proxy.set_kind("I")
    assert proxy.rowCount() == 5_000
    assert all(proxy.index(r, 1).data() == "→ tx" for r in range(0, 5_000, 97))
    proxy.set_kind(None)
    proxy.set_text("n(s)=3")
    assert proxy.rowCount() == 10_000 // 16
    proxy.set_text("RR N(R)=7")
    proxy.set_direction("tx")
    assert proxy.rowCount() == 0
    proxy.set_direction(None)
    assert proxy.rowCount() == 10_000 // 16
    # new frames go through the active filter as they arrive
    model.append_records([FrameRecord(0.0, "rx", rr_frame(n_r=7)),
                          FrameRecord(0.0, "tx", snrm_frame())])
    assert proxy.rowCount() == 10_000 // 16 + 1


def test_bad_frame_kind():
    broken = bytearray(get_frame())
    broken[-2] ^= 0xFF  # FCS no longer matches
    model = FrameLogModel()
    model.append_records([FrameRecord(0.0, "rx", bytes(broken)),
                          FrameRecord(0.0, "tx", get_frame())])
    proxy = FrameFilterProxy(model)
    proxy.set_kind("bad")
    assert proxy.rowCount() == 1
    assert proxy.index(0, 0).data(FrameLogModel.RecordRole).raw == bytes(broken)


# --- dissection model ---------------------------------------------------------------------
@pytest.fixture
def aarq_model():
    raw = aarq_frame()
    model = DissectionModel()
    model.set_frame(dissect(raw), raw)
    return model, raw


def test_model_tester_on_dissection(qtmodeltester, aarq_model):
    qtmodeltester.check(aarq_model[0])


def test_span_role_and_offset_lookup_round_trip(aarq_model):
    model, raw = aarq_model
    for root in model.roots():
        for node in root.walk():
            index = model.index_of(node)
            assert model.data(index, DissectionModel.SpanRole) == (node.offset, node.length)
            assert model.node(model.parent(index)) in (None, *root.walk())
    for offset in range(len(raw)):
        index = model.index_at_offset(offset)
        node = model.node(index)
        assert node is not None, offset
        assert node.offset <= offset < node.end
        assert not any(c.offset <= offset < c.end and c.length for c in node.children)


def test_deepest_path_prefers_first_covering_child():
    leaf_a, leaf_b = Node("a", offset=2, length=1), Node("b", offset=2, length=1)
    root = Node("r", offset=0, length=4, children=[Node("g", offset=1, length=3,
                                                        children=[leaf_a, leaf_b])])
    assert [n.name for n in deepest_path_at([root], 2)] == ["r", "g", "a"]
    assert [n.name for n in deepest_path_at([root], 0)] == ["r"]
    assert deepest_path_at([root], 9) == []


def test_secret_value_hidden_until_shown(aarq_model, qtbot):
    model, _ = aarq_model
    secret = next(n for root in model.roots() for n in root.walk() if n.secret)
    index = model.index_of(secret, DissectionModel.VALUE)
    assert model.data(index) == "(hidden)"
    with qtbot.waitSignal(model.dataChanged):
        model.set_show_secrets(True)
    assert model.data(index).startswith('"2222222222"')
    assert model.secret_spans() == [(secret.offset, 10)]


def test_model_tester_while_frames_arrive_drop_and_filters_change(qtmodeltester, qtbot):
    model = FrameLogModel(max_frames=300)
    proxy = FrameFilterProxy(model)
    proxy.set_text("rr")
    qtmodeltester.check(proxy)  # the tester keeps watching every later change
    records = many_records(1_000)
    for start in range(0, 1_000, 40):
        model.append_records(records[start:start + 40])  # the oldest frames drop out
    kept = records[700:]
    rr_rows = [row for row, r in enumerate(kept) if r.direction == "rx"]  # rx: the RR frames
    assert model.rowCount() == 300 and proxy.rowCount() == len(rr_rows) == 148
    assert [proxy.mapToSource(proxy.index(r, 0)).row() for r in range(148)] == rr_rows
    assert all(proxy.index(r, 3).data().startswith("RR") for r in range(148))
    proxy.set_direction("tx")
    assert proxy.rowCount() == 0
    proxy.set_direction(None)
    proxy.set_kind("I")
    proxy.set_text("")
    assert proxy.rowCount() == 300 - 148
    model.append_records(records[:600])  # a big batch: indexed in the background
    qtbot.waitUntil(lambda: proxy.complete, timeout=5_000)
    kept = (kept + records[:600])[-300:]
    assert model.records() == kept
    assert proxy.rowCount() == sum(r.direction == "tx" for r in kept)
    model.clear()
    assert proxy.rowCount() == 0 and proxy.complete


def test_map_from_source_finds_only_shown_frames():
    model = FrameLogModel()
    model.append_records(many_records(64))
    proxy = FrameFilterProxy(model)
    proxy.set_direction("rx")
    assert proxy.mapFromSource(model.index(8, 2)).row() == 0
    assert proxy.mapFromSource(model.index(8, 2)).column() == 2
    assert not proxy.mapFromSource(model.index(7, 0)).isValid()  # a tx frame: hidden
    assert proxy.mapToSource(proxy.index(31, 0)).row() == 63
    assert not proxy.mapToSource(proxy.index(32, 0)).isValid()

"""The frame log without Qt: storage, index, filters, hex search, markers, masking, text."""

from __future__ import annotations

import pytest

from tests.capture.samples import (
    PASSWORD,
    aarq_frame,
    get_frame,
    rr_frame,
    session_records,
    snrm_frame,
    split_aarq_frames,
    ua_frame,
)
from workbench.framelog import (
    MARKER,
    FrameFilter,
    FrameLog,
    FrameRecord,
    LinkMarker,
    hex_text,
    is_polling,
    tree_text,
)


def indexed(entries) -> FrameLog:
    log = FrameLog()
    log.append(entries)
    log.index_rows(len(log))
    return log


def rows(log: FrameLog, **criteria) -> list[int]:
    return log.matching_rows(FrameFilter(**criteria), 0, len(log))


@pytest.fixture
def session() -> FrameLog:
    """SNRM, UA, AARQ (password), GET (note "retry 1…"), RR; then a polled GET and its RR."""
    polled = [FrameRecord(9.0, "tx", get_frame(n_s=3), "poll"),
              FrameRecord(9.1, "rx", rr_frame(4), "poll, retry 1")]
    return indexed([*session_records(), *polled])


def test_filters_by_direction_kind_and_polling(session):
    assert rows(session) == list(range(7))
    assert rows(session, direction="rx") == [1, 4, 6]
    assert rows(session, kind="I") == [2, 3, 5]
    assert rows(session, kind="RR", direction="rx") == [4, 6]
    assert rows(session, hide_polling=True) == [0, 1, 2, 3, 4]
    assert rows(session, hide_polling=True, kind="RR") == [4]


def test_the_polling_tag_is_the_first_word_of_the_note():
    assert is_polling("poll") and is_polling("poll, retry 2") and is_polling("Keepalive")
    assert not is_polling("") and not is_polling("retry 1") and not is_polling("polling x")


def test_text_matches_summary_and_note(session):
    assert rows(session, text="retry") == [3, 6]
    assert rows(session, text="snrm") == [0]
    assert rows(session, text="get-request-normal 1-1:32.7.0.255") == [3, 5]


@pytest.mark.parametrize("typed", ["7ea0", "7e a0", "7E:A0", "7EA0"])
def test_hex_search_with_or_without_spaces(session, typed):
    assert rows(session, text=typed.lower()) == list(range(7))


def test_hex_search_only_at_byte_boundaries():
    log = indexed([FrameRecord(0.0, "tx", bytes.fromhex("17ea05"))])
    assert rows(log, text="7ea0") == []  # the digits are there, across two bytes
    assert rows(log, text="17ea") == [0] and rows(log, text="ea 05") == [0]


def test_filters_wait_for_the_index():
    log = FrameLog()
    log.append(session_records())
    assert rows(log, direction="tx") == [0, 2, 3]  # needs no index
    with pytest.raises(ValueError, match="not indexed yet"):
        rows(log, kind="I")
    log.index_rows(2)
    assert log.matching_rows(FrameFilter(kind="UA"), 0, 2) == [1]


def test_markers_are_rows_that_pass_every_filter(session):
    session.append([LinkMarker(10.0, "link lost: no answer in 5 s")])
    session.append([FrameRecord(11.0, "tx", snrm_frame())])
    session.index_rows(len(session))
    assert session.kind(7) == MARKER and session.record(7) is None
    assert session.summary(7) == "link lost: no answer in 5 s"
    assert rows(session, direction="rx", kind="RR", hide_polling=True) == [4, 7]
    assert rows(session, text="zzz") == [7]
    assert len(session.records()) == 8  # a saved capture holds frames only
    assert session.dissection(7) == [] and session.hex(7) == ""


def test_password_never_in_search_or_hex_unless_asked():
    log = indexed([FrameRecord(0.0, "tx", raw) for raw in split_aarq_frames(24)])
    spaced, compact = PASSWORD[:3].hex(" "), PASSWORD[:3].hex()
    for row in range(len(log)):
        assert spaced not in log.hex(row) and spaced not in log.search_text(row)
    assert rows(log, text=compact) == []
    assert rows(log, text="**") == [row for row in range(len(log)) if log.secret_spans(row)]
    revealed = " ".join(log.hex(row, masked=False) for row in range(len(log)))
    assert "32 32" in revealed


def test_drop_oldest_keeps_the_index_aligned(session):
    session.max_frames = 4
    assert session.excess() == 3
    session.drop_oldest(3)
    assert len(session) == 4 and session.indexed_rows() == 4
    assert rows(session, kind="RR") == [1, 3] and session.summary(0).startswith("I N(S)=2")


def test_summaries_come_from_the_fast_path_without_dissecting():
    calls = []

    def dissect(raw: bytes):
        calls.append(raw)
        return []

    log = FrameLog(dissect=dissect)
    log.append([FrameRecord(0.0, "tx", raw) for raw in (snrm_frame(), ua_frame(), get_frame())])
    log.index_rows(len(log))
    assert calls == [] and log.kind(2) == "I"
    broken = bytearray(get_frame())
    broken[-2] ^= 0xFF
    log.append([FrameRecord(1.0, "rx", bytes(broken))])
    assert log.kind(3) == "bad" and len(calls) == 1


def test_copy_texts_hide_the_password_unless_shown():
    log = indexed([FrameRecord(0.0, "tx", aarq_frame())])
    raw, spans = aarq_frame(), log.secret_spans(0)
    assert hex_text(bytes([0x7E, 0xA0, 0x0A])) == "7E A0 0A"
    masked = hex_text(raw, spans)
    assert "**" in masked and PASSWORD.hex(" ").upper() not in masked
    assert PASSWORD.hex(" ").upper() in hex_text(raw, spans, show_secrets=True)
    outline = tree_text(log.dissection(0), raw)
    assert "(hidden)" in outline and "2222222222" not in outline
    assert outline.splitlines()[0].startswith("HDLC frame")
    assert any(line.startswith("  ") for line in outline.splitlines())
    assert PASSWORD.hex(" ").upper() in tree_text(log.dissection(0), raw, show_secrets=True)

"""dissect(): one field tree per frame, errors on the failing field, junk as its own node."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.protocol.apdu import GetResponseNormal, encode_apdu
from workbench.protocol.axdr import Data
from workbench.protocol.dissect import dissect
from workbench.protocol.hdlc import (
    LLC_REQUEST,
    LLC_RESPONSE,
    FrameKind,
    HdlcFrame,
    HdlcParameters,
    encode_frame,
    server_address,
    split_info,
)

SNRM = bytes.fromhex("7E A0 07 03 03 93 8C 11 7E")
DISC = bytes.fromhex("7E A0 08 02 03 03 53 09 B1 7E")
GET = encode_frame(HdlcFrame(FrameKind.I, server_address(1, 1234), b"\x21", n_s=2, n_r=3,
                             info=LLC_REQUEST + bytes.fromhex("C0 01 C1 00 03 01 01 20 07 00 FF "
                                                              "02 00")))
UA = encode_frame(HdlcFrame(FrameKind.UA, b"\x21", server_address(1, 1234),
                            info=HdlcParameters(256, 128, 1, 1).encode()))


def names(node):
    return [child.name for child in node.children]


def test_frame_fields_tile_the_frame_in_order():
    (tree,) = dissect(GET)
    assert names(tree) == ["flag", "format", "destination address", "source address",
                           "control", "HCS", "information", "FCS", "flag"]
    ends = [tree.offset]
    for child in tree.children:
        assert child.offset == ends[-1]
        ends.append(child.end)
    assert ends[-1] == len(GET) and tree.length == len(GET)
    assert tree.errors() == []


def test_addresses_control_and_apdu_are_decoded():
    (tree,) = dissect(GET)
    dest = tree.find("destination address")
    assert [(c.name, c.value, c.offset, c.length) for c in dest.children] == [
        ("upper", "1", 3, 2), ("lower", "1234", 5, 2)]
    assert tree.find("N(S)").value == "2" and tree.find("N(R)").value == "3"
    assert tree.find("P/F").value == "1" and tree.find("kind").value == "I"
    assert tree.find("LLC").value.startswith("request")
    assert tree.find("instance-id").value == "1-1:32.7.0.255"
    assert tree.find("instance-id").offset == GET.index(bytes.fromhex("01 01 20 07 00 FF"))


def test_ua_parameters_are_dissected():
    (tree,) = dissect(UA)
    info = tree.find("information")
    assert info.value == "HDLC parameters"
    assert tree.find("max info field TX").value == "256"
    assert tree.find("window RX").value == "1"


def test_bad_fcs_is_an_error_on_the_fcs_node_and_the_apdu_is_still_shown():
    bad = GET[:-3] + bytes([GET[-3] ^ 0x01]) + GET[-2:]
    (tree,) = dissect(bad)
    fcs = tree.find("FCS")
    assert fcs.error and f"at bytes {len(GET) - 3}–{len(GET) - 2}" in fcs.error
    assert tree.find("instance-id") is not None
    assert [n.name for n in tree.errors()] == ["FCS"]


def test_truncated_frame_keeps_fields_read_and_ends_with_an_error_at_the_break():
    (tree,) = dissect(GET[:15])
    assert names(tree)[:6] == ["flag", "format", "destination address", "source address",
                               "control", "HCS"]
    error = tree.children[-1]
    assert error.name == "error" and error.offset == 15 and "frame ends before" in error.error


def test_broken_apdu_gives_an_error_node_inside_the_information_field():
    frame = encode_frame(HdlcFrame(FrameKind.I, b"\x03", b"\x21", info=LLC_RESPONSE + b"\xc4\x01"))
    (tree,) = dissect(frame)
    info = tree.find("information")
    (error,) = [n for n in info.walk() if n.name == "error"]
    assert error.offset >= info.offset and tree.find("FCS").error is None


def test_junk_between_frames_is_its_own_node():
    trees = dissect(b"\x00\x01garbage" + SNRM + DISC)
    assert [t.name for t in trees] == ["junk", "HDLC frame", "HDLC frame"]
    assert (trees[0].offset, trees[0].length) == (0, 9) and trees[0].error
    assert trees[2].offset == 9 + len(SNRM)


def test_segmented_frames_are_marked():
    first = encode_frame(HdlcFrame(FrameKind.I, b"\x03", b"\x21", segmented=True,
                                   info=LLC_RESPONSE + bytes(125)))
    last = encode_frame(HdlcFrame(FrameKind.I, b"\x03", b"\x21", n_s=1, info=bytes(20)))
    trees = dissect(first + last)
    assert "more follows" in trees[0].find("information").value
    assert "last segment" in trees[1].find("information").value
    assert trees[0].find("segmentation").value == "more segments follow"


def test_hcs_error_on_the_hcs_node():
    bad = bytearray(GET)
    bad[9] ^= 0xFF
    tree, *rest = dissect(bytes(bad))
    assert tree.find("HCS").error and "HCS mismatch at bytes 9–10" in tree.find("HCS").error
    # like the live reader, a frame with a bad HCS is not trusted to its announced end
    assert tree.value == "broken frame: HCS mismatch"
    assert [n.name for n in rest] == ["idle flag"]


def _segmented_get_response() -> tuple[bytes, int, int]:
    value = Data.array([Data.struct(Data.u32(i), Data.text("abc")) for i in range(12)])
    info = LLC_RESPONSE + encode_apdu(GetResponseNormal(value))
    parts = split_info(info, 64)
    frames = [encode_frame(HdlcFrame(FrameKind.I, b"\x21", b"\x03", n_s=i, n_r=1,
                                     segmented=i < len(parts) - 1, info=part))
              for i, part in enumerate(parts)]
    return b"".join(frames), len(parts), len(info)


def test_segmented_apdu_is_reassembled_and_its_fields_point_into_the_frames():
    wire, count, size = _segmented_get_response()
    trees = dissect(wire)
    assert [t.name for t in trees] == ["HDLC frame"] * count + ["reassembled APDU"]
    whole = trees[-1]
    assert whole.value == f"{size} bytes from {count} frames"
    assert whole.errors() == [] and whole.find("LLC").offset == 8  # after 7E A8 xx 21 03 cc HCS
    texts = [n for n in whole.walk() if n.name == "value" and n.value == "'abc'"]
    assert len(texts) == 12
    assert all(wire[n.offset:n.end] == b"abc"[:n.length] and n.length for n in texts)
    assert "reassembled from 3 frames" in trees[count - 1].find("information").value


@settings(max_examples=300)
@given(st.binary(max_size=200))
def test_any_bytes_dissect_without_exception_inside_the_data(data):
    for tree in dissect(data):
        for node in tree.walk():
            assert node.offset >= 0 and node.end <= len(data)


@given(st.lists(st.sampled_from([SNRM, DISC, GET, UA, b"\x00junk"]), max_size=6))
def test_concatenated_frames_each_get_one_tree(parts):
    trees = dissect(b"".join(parts))
    assert len(trees) == len(parts) - sum(1 for p, q in pairwise(parts) if p == q == b"\x00junk")


@settings(max_examples=500)
@given(st.binary(max_size=120), st.sampled_from([LLC_REQUEST, LLC_RESPONSE]),
       st.sampled_from([b"", b"\xc0", b"\xc4", b"\x60", b"\x61", b"\xc1", b"\xc5", b"\xc7"]))
def test_any_apdu_bytes_in_a_valid_frame_dissect_without_exception(body, llc, tag):
    frame = encode_frame(HdlcFrame(FrameKind.I, b"\x03", b"\x21", info=llc + tag + body))
    (tree,) = dissect(frame)
    assert tree.find("FCS").error is None and tree.find("LLC") is not None

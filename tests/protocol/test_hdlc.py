"""HDLC frames, addresses and parameters: round trips, spans, and byte-exact errors."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.protocol.errors import ChecksumError, DecodeError, EncodeError, ProtocolError
from workbench.protocol.fields import Recorder
from workbench.protocol.hdlc import (
    FrameKind,
    HdlcAddress,
    HdlcFrame,
    HdlcParameters,
    client_address,
    crc16_bytes,
    decode_address,
    decode_frame,
    encode_address,
    encode_frame,
    fast_decode,
    parse_frame,
    physical_from_serial,
    server_address,
    split_info,
)

SNRM = bytes.fromhex("7E A0 07 03 03 93 8C 11 7E")

# -- addresses ---------------------------------------------------------------------------


def test_server_address_four_bytes_for_logical_1_physical_1234():
    assert server_address(1, 1234, 4) == bytes.fromhex("00 02 12 A5")
    assert decode_address(bytes.fromhex("00 02 12 A5")) == HdlcAddress(1, 1234, 4)


@pytest.mark.parametrize(("args", "raw"), [
    ((1, None, 1), "03"),
    ((1, 1, 2), "02 03"),
    ((0x3FFF, 0x3FFF, 4), "FE FE FE FF"),
    ((16, None, 1), "21"),
])
def test_encode_decode_address(args, raw):
    assert encode_address(*args) == bytes.fromhex(raw)
    assert decode_address(bytes.fromhex(raw)) == HdlcAddress(*args)


def test_client_address_is_one_byte_sap():
    assert client_address(16) == b"\x21" and client_address(1) == b"\x03"


def test_physical_from_serial():
    assert physical_from_serial("000019001234") == 1234
    assert physical_from_serial(19005678) == 5678
    with pytest.raises(EncodeError, match="4 digits"):
        physical_from_serial("ABC-XY")


@pytest.mark.parametrize(("args", "match"), [
    ((1, 1234, 2), "does not fit in 2 byte"),
    ((1, 5, 1), "no lower"),
    ((1, 1, 3), "1, 2 or 4"),
])
def test_encode_address_rejects(args, match):
    with pytest.raises(EncodeError, match=match):
        encode_address(*args)


@pytest.mark.parametrize("raw", ["02", "03 02", "02 02 02 02", "02 02 03"])
def test_decode_address_rejects_misplaced_end_bits_and_3_bytes(raw):
    with pytest.raises(DecodeError):
        decode_address(bytes.fromhex(raw))


# -- frames ------------------------------------------------------------------------------

addresses = st.sampled_from([
    b"\x03", b"\x21", server_address(1, 17, 2), server_address(1, 1234), server_address(5, 9999),
])


@st.composite
def frames(draw):
    kind = draw(st.sampled_from(list(FrameKind)))
    info = b""
    if kind in (FrameKind.I, FrameKind.UI, FrameKind.SNRM, FrameKind.UA, FrameKind.FRMR):
        info = draw(st.binary(max_size=300))
    return HdlcFrame(
        kind, draw(addresses), draw(addresses), draw(st.booleans()),
        draw(st.integers(0, 7)) if kind is FrameKind.I else 0,
        draw(st.integers(0, 7)) if kind in (FrameKind.I, FrameKind.RR, FrameKind.RNR) else 0,
        draw(st.booleans()) if kind in (FrameKind.I, FrameKind.UI) else False, info)


@given(frames())
def test_any_frame_round_trips(frame):
    raw = encode_frame(frame)
    assert decode_frame(raw) == frame
    assert ((raw[1] & 7) << 8 | raw[2]) == len(raw) - 2


@given(st.binary(max_size=64))
def test_decode_frame_of_any_bytes_returns_or_raises_protocol_error(data):
    try:
        frame = decode_frame(data)
    except ProtocolError as exc:
        assert exc.offset is None or 0 <= exc.offset <= len(data)
    else:
        assert frame.warnings or encode_frame(frame) == data


def test_one_stray_byte_between_header_and_fcs_is_rejected():
    body = bytes.fromhex("A0 08 03 21 10")
    raw = b"\x7e" + body + b"\x00" + crc16_bytes(body + b"\x00") + b"\x7e"
    with pytest.raises(DecodeError, match="length field too small"):
        decode_frame(raw)


@given(frames(), st.data())
def test_single_byte_corruption_is_caught(frame, data):
    raw = bytearray(encode_frame(frame))
    i = data.draw(st.integers(0, len(raw) - 1))
    raw[i] ^= data.draw(st.integers(1, 255))
    with pytest.raises(ProtocolError):
        decode_frame(bytes(raw))


@pytest.mark.parametrize(("kind", "control"), [
    (FrameKind.SNRM, 0x93), (FrameKind.UA, 0x73), (FrameKind.DISC, 0x53), (FrameKind.DM, 0x1F),
    (FrameKind.FRMR, 0x97), (FrameKind.UI, 0x13), (FrameKind.RR, 0x31), (FrameKind.RNR, 0x35),
])
def test_control_bytes(kind, control):
    n_r = 1 if kind in (FrameKind.RR, FrameKind.RNR) else 0
    assert HdlcFrame(kind, b"\x03", b"\x21", n_r=n_r).control == control


def test_i_frame_control_packs_ns_nr_pf():
    frame = HdlcFrame(FrameKind.I, b"\x03", b"\x21", pf=True, n_s=3, n_r=5, info=b"x")
    assert frame.control == (5 << 5) | 0x10 | (3 << 1)


def test_frame_without_info_has_no_hcs():
    frame = decode_frame(SNRM)
    assert frame.kind is FrameKind.SNRM and frame.info == b""
    assert len(encode_frame(frame)) == 9


def test_fcs_error_names_bytes_got_and_expected():
    bad = SNRM[:6] + b"\x11\x8c\x7e"
    with pytest.raises(ChecksumError) as info:
        decode_frame(bad)
    assert str(info.value) == "HDLC frame: FCS mismatch at bytes 6–7: got 11 8C, expected 8C 11"
    assert (info.value.offset, info.value.length) == (6, 2)


def test_hcs_error_names_its_bytes():
    raw = bytearray(encode_frame(HdlcFrame(FrameKind.I, b"\x03", b"\x21", info=b"\xe6\xe6\x00")))
    raw[6] ^= 0xFF
    frame, problems = parse_frame(bytes(raw))
    assert frame.info == b"\xe6\xe6\x00"
    assert [p.message for p in problems] == ["HCS mismatch", "FCS mismatch"]  # FCS covers HCS
    assert problems[0].offset == 6


@pytest.mark.parametrize(("raw", "match"), [
    ("7F A0 07 03 03 93 8C 11 7E", "opening flag missing at byte 0: got 7F"),
    ("7E B0 07 03 03 93 8C 11 7E", "not HDLC frame format type 3 at byte 1"),
    ("7E A0 07 03 03 93 8C 11 7F", "closing flag missing at byte 8"),
    ("7E A0 07 03 03 97 8C 11", "frame ends before the closing flag"),
    ("7E A0 07 02 02 02 02", "destination address has no end bit"),
    ("7E A0 07 03 03 0B 8C 11 7E", "unknown control field at byte 5: got 0B"),
    ("7E A0 05 03 03 93 8C 11 7E", "frame length below the minimum"),
])
def test_structural_errors_name_the_byte(raw, match):
    with pytest.raises(DecodeError, match=match):
        decode_frame(bytes.fromhex(raw))


def test_encode_rejects_oversized_and_invalid_frames():
    with pytest.raises(EncodeError, match="11-bit length"):
        encode_frame(HdlcFrame(FrameKind.I, b"\x03", b"\x21", info=bytes(2040)))
    with pytest.raises(EncodeError, match="no information field"):
        HdlcFrame(FrameKind.RR, b"\x03", b"\x21", info=b"x")
    with pytest.raises(EncodeError, match="cannot be segmented"):
        HdlcFrame(FrameKind.SNRM, b"\x03", b"\x21", segmented=True)
    with pytest.raises(EncodeError, match="dest address"):
        HdlcFrame(FrameKind.RR, b"\x02", b"\x21")


def test_recorder_spans_cover_every_byte_of_an_i_frame():
    raw = encode_frame(HdlcFrame(FrameKind.I, server_address(1, 1234), b"\x21", n_s=1, n_r=2,
                                 info=b"\xe6\xe6\x00\xc0\x01\xc1"))
    rec = Recorder("HDLC frame")
    decode_frame(raw, rec)
    root = rec.finish()
    leaves = [(n.offset, n.length) for n in root.children]
    assert leaves == [(0, 1), (1, 2), (3, 4), (7, 1), (8, 1), (9, 2), (11, 6), (17, 2), (19, 1)]
    assert root.find("N(S)").value == "1" and root.find("N(R)").value == "2"
    assert root.find("destination address").value.startswith("upper 1 (logical), lower 1234")


# -- parameters and segmentation -----------------------------------------------------------


def test_parameters_default_when_absent():
    assert HdlcParameters.decode(b"") == HdlcParameters(128, 128, 1, 1)
    assert HdlcParameters.decode(bytes.fromhex("81 80 03 07 01 03")) == HdlcParameters(
        window_tx=3)


def test_parameters_accept_1_to_4_byte_values():
    field = bytes.fromhex("81 80 13 05 02 01 00 06 04 00 00 02 00 07 01 02 08 04 00 00 00 01")
    assert HdlcParameters.decode(field) == HdlcParameters(256, 512, 2, 1)


@given(st.integers(1, 2030), st.integers(1, 2030), st.integers(1, 7), st.integers(1, 7))
def test_parameters_round_trip(a, b, c, d):
    params = HdlcParameters(a, b, c, d)
    assert HdlcParameters.decode(params.encode()) == params


@pytest.mark.parametrize(("raw", "match"), [
    ("81 81 00", "must start 81 80"),
    ("81 80 03 05 05 80", "bad parameter length"),
    ("81 80 02 05 00", "bad parameter length"),
    ("81 80 03 05 02 01", "bad parameter length"),
])
def test_parameter_errors(raw, match):
    with pytest.raises(DecodeError, match=match):
        HdlcParameters.decode(bytes.fromhex(raw))


@given(st.binary(max_size=40))
def test_parameters_of_any_bytes_return_or_raise_protocol_error(data):
    try:
        params = HdlcParameters.decode(data)
    except ProtocolError as exc:
        assert exc.offset is None or 0 <= exc.offset < len(data)
    else:
        assert isinstance(params, HdlcParameters)


def test_split_info():
    assert split_info(bytes(300), 128) == [bytes(128), bytes(128), bytes(44)]
    assert split_info(b"", 128) == [b""]
    with pytest.raises(EncodeError):
        split_info(b"x", 0)


@given(frames(), st.data())
def test_fast_decoder_agrees_with_the_careful_one(frame, data):
    raw = bytearray(encode_frame(frame))
    if data.draw(st.booleans()):
        i = data.draw(st.integers(0, len(raw) - 1))
        raw[i] = data.draw(st.integers(0, 255))
    raw = bytes(raw[:data.draw(st.integers(0, len(raw)))] if data.draw(st.booleans()) else raw)
    fast = fast_decode(raw)
    try:
        careful, problems = parse_frame(raw)
    except ProtocolError:
        careful, problems = None, ["structural"]
    # the fast path takes exactly the frames the careful one reads without a problem or a
    # tolerated deviation (those go the careful way, which names them)
    assert fast == (careful if not problems and not careful.warnings else None)
    assert fast is None or fast.warnings == ()


@pytest.mark.oracle
@given(st.integers(0, 7), st.integers(0, 7), st.booleans(), st.booleans(),
       st.binary(min_size=1, max_size=200), st.integers(1, 0x3FFF), st.integers(1, 0x7F))
def test_frames_match_dlms_cosem_byte_for_byte(n_s, n_r, segmented, pf, info, physical, sap):
    from dlms_cosem.hdlc import address, frames  # independent implementation (MIT)

    server = address.HdlcAddress(1, physical, "server", extended_addressing=True)
    client = address.HdlcAddress(sap, None, "client")
    ours_dest, ours_src = server_address(1, physical), client_address(sap)
    theirs = [
        frames.InformationFrame(server, client, info, send_sequence_number=n_s,
                                receive_sequence_number=n_r, segmented=segmented, final=pf),
        frames.ReceiveReadyFrame(server, client, receive_sequence_number=n_r),
        frames.SetNormalResponseModeFrame(server, client),
        frames.DisconnectFrame(server, client),
    ]
    ours = [
        HdlcFrame(FrameKind.I, ours_dest, ours_src, pf, n_s, n_r, segmented, info),
        HdlcFrame(FrameKind.RR, ours_dest, ours_src, n_r=n_r),
        HdlcFrame(FrameKind.SNRM, ours_dest, ours_src),
        HdlcFrame(FrameKind.DISC, ours_dest, ours_src),
    ]
    for their, our in zip(theirs, ours, strict=True):
        assert encode_frame(our) == their.to_bytes()
        assert decode_frame(their.to_bytes()) == our

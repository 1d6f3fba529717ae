"""The frames printed in the Microstar vendor notes (microstar-dlms-notes.es.md, sections 6 and 9).

The complete frames there (SNRM, DISC) carry correct CRCs and decode. Two examples do not
add up, and the tests below say by how much, using our encoder as the referee:

* the UA "7E A0 1E 03 03 73 ..." next to the parameter list "05 02 00 80 ...": a length of 0x1E
  only fits when max-info is written in one byte, ``05 01 80``;
* the voltage GET "7E A0 1E 03 03 10 ... C0 01 C1 00 01 01 01 20 07 00 FF 02 00": the length
  is 5 too large for the addressing it shows, and it asks for class 1 (Data) where the notes'
  own table lists 1-1:32.7.0 as a class 3 Register.
"""

from __future__ import annotations

from workbench.protocol.apdu import decode_apdu
from workbench.protocol.cosem import CLASSES, Obis
from workbench.protocol.hdlc import (
    LLC_REQUEST,
    FrameKind,
    HdlcAddress,
    HdlcFrame,
    HdlcParameters,
    decode_address,
    decode_frame,
    encode_frame,
    server_address,
)

NOTES_SNRM = "7E A0 07 03 03 93 8C 11 7E"
NOTES_DISC = "7E A0 08 02 03 03 53 09 B1 7E"
NOTES_UA_START = bytes.fromhex("7E A0 1E 03 03 73")
NOTES_PARAMS = "05 02 00 80  06 02 00 80  07 04 00 00 00 01  08 04 00 00 00 01"
NOTES_GET_START = bytes.fromhex("7E A0 1E 03 03 10")
NOTES_GET_APDU = bytes.fromhex("C0 01 C1 00 01 01 01 20 07 00 FF 02 00")


def _length_field(raw: bytes) -> int:
    return ((raw[1] & 0x07) << 8) | raw[2]


def test_snrm_one_byte_server_address_is_logical_1_only():
    frame = decode_frame(bytes.fromhex(NOTES_SNRM))
    assert frame.kind is FrameKind.SNRM and frame.pf and frame.info == b""
    assert decode_address(frame.dest) == HdlcAddress(upper=1, lower=None, size=1)
    assert decode_address(frame.src) == HdlcAddress(upper=1, lower=None, size=1)  # client 1


def test_disc_two_byte_server_address():
    frame = decode_frame(bytes.fromhex(NOTES_DISC))
    assert frame.kind is FrameKind.DISC
    assert decode_address(frame.dest) == HdlcAddress(upper=1, lower=1, size=2)
    assert frame.src == b"\x03"


def test_examples_re_encode_byte_for_byte():
    for text in (NOTES_SNRM, NOTES_DISC):
        raw = bytes.fromhex(text)
        assert encode_frame(decode_frame(raw)) == raw


def _ua(info: bytes) -> bytes:
    return encode_frame(HdlcFrame(FrameKind.UA, b"\x03", b"\x03", info=info))


def test_ua_length_a0_1e_fits_one_byte_max_info_not_the_listed_two_byte_form():
    listed = bytes.fromhex(NOTES_PARAMS)
    as_listed = _ua(bytes((0x81, 0x80, len(listed))) + listed)
    ours = _ua(HdlcParameters().encode())  # writes "05 01 80" and "06 01 80"
    assert ours.startswith(bytes.fromhex("81 80 12 05 01 80 06 01 80"), 8)
    assert ours[:6] == NOTES_UA_START  # length 0x1E: the notes' UA used the 1-byte form
    assert _length_field(as_listed) == 0x20 != 0x1E  # 2 bytes longer with "05 02 00 80"
    # both spellings mean the same thing, so the values themselves are right
    assert decode_frame(as_listed).info != decode_frame(ours).info
    assert (HdlcParameters.decode(decode_frame(as_listed).info)
            == HdlcParameters.decode(decode_frame(ours).info) == HdlcParameters())


def _get_frame(dest: bytes) -> bytes:
    return encode_frame(HdlcFrame(FrameKind.I, dest, b"\x03", info=LLC_REQUEST + NOTES_GET_APDU))


def test_voltage_get_length_is_5_bytes_too_long_for_its_addressing():
    ours = _get_frame(b"\x03")
    assert ours[:6] == NOTES_GET_START[:1] + bytes.fromhex("A0 19") + NOTES_GET_START[3:]
    assert _length_field(NOTES_GET_START) - _length_field(ours) == 5
    # nor does any other server address form give 0x1E: 2 bytes -> 0x1A, 4 bytes -> 0x1C
    other_lengths = {size: _length_field(_get_frame(server_address(1, 17, size)))
                     for size in (2, 4)}
    assert other_lengths == {2: 0x1A, 4: 0x1C}


def test_voltage_get_names_class_1_where_a_register_is_class_3():
    request = decode_apdu(NOTES_GET_APDU)
    assert request.descriptor.obis == Obis.parse("1-1:32.7.0.255")
    assert request.descriptor.class_id == 1 and CLASSES[1].name == "Data"
    assert CLASSES[3].name == "Register"  # what the notes' own OBIS table says it is

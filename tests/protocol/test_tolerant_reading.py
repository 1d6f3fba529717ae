"""Tolerant reading: a real meter's deviation with one clear meaning is read, with a warning
in the dissection and in the ``warnings`` list; what cannot be read stays a DecodeError."""

from __future__ import annotations

import pytest

from workbench.protocol.apdu import (
    ActionOutcome,
    ActionResponseNormal,
    ActionResponseWithList,
    ActionResult,
    BlockCollector,
    GetResponseNormal,
    GetResponseWithDatablock,
    decode_apdu,
)
from workbench.protocol.axdr import (
    CosemDate,
    CosemDateTime,
    CosemTime,
    Data,
    DataType,
    as_datetime,
    decode_data,
    encode_data,
    format_data,
)
from workbench.protocol.dissect import dissect
from workbench.protocol.errors import DecodeError
from workbench.protocol.fields import Recorder
from workbench.protocol.hdlc import LLC_RESPONSE, FrameKind, HdlcFrame, encode_frame

NEVER_SET = bytes(12)
#: 2024-03-05 10:00:00, weekday Tuesday, deviation -60, status 0 — then one field spoiled
GOOD = bytes.fromhex("07E8 03 05 02 0A 00 00 00 FFC4 00")


def _spoil(offset: int, value: bytes) -> bytes:
    return GOOD[:offset] + value + GOOD[offset + len(value):]


@pytest.mark.parametrize("raw, text", [
    (NEVER_SET, "invalid date-time (all zero: never set)"),
    (_spoil(2, b"\x00"), "invalid date-time (month 0): 2024-**-05 Tue 10:00:00 UTC+01:00"),
    (_spoil(3, b"\x00"), "invalid date-time (day 0): 2024-03-** Tue 10:00:00 UTC+01:00"),
    (_spoil(4, b"\x00"), "invalid date-time (weekday 0): 2024-03-05 10:00:00 UTC+01:00"),
    (_spoil(9, (900).to_bytes(2, "big", signed=True)),
     "invalid date-time (deviation 900): 2024-03-05 10:00:00"),
    (_spoil(9, (-900).to_bytes(2, "big", signed=True)),
     "invalid date-time (deviation -900): 2024-03-05 10:00:00"),
])
def test_out_of_range_date_time_reads_as_invalid(raw: bytes, text: str) -> None:
    with pytest.raises(DecodeError):
        CosemDateTime.decode(raw)  # the strict form still refuses
    stamp = CosemDateTime.decode(raw, strict=False)
    assert str(stamp) == text and stamp.invalid and stamp.encode() == raw
    tagged, _ = decode_data(b"\x19" + raw)
    assert tagged == Data.datetime(stamp)
    assert as_datetime(Data.octets(raw)) == stamp  # the 12-byte octet-string form too
    assert encode_data(tagged) == b"\x19" + raw


def test_weekday_and_deviation_alone_still_give_the_instant() -> None:
    assert CosemDateTime.decode(_spoil(4, b"\x00"), strict=False).to_datetime().hour == 10
    assert CosemDateTime.decode(NEVER_SET, strict=False).never_set


def test_date_and_time_values_are_tolerant_too() -> None:
    date = CosemDate.decode(bytes.fromhex("07E8 00 05 02"), strict=False)
    time = CosemTime.decode(bytes.fromhex("18 00 00 00"), strict=False)
    assert str(date) == "invalid date (month 0): 2024-**-05 Tue"
    assert str(time) == "invalid time (hour 24): **:00:00"
    assert decode_data(b"\x1B" + time.encode())[0] == Data.time(time)


def test_random_twelve_bytes_are_not_taken_for_a_date_time() -> None:
    raw = bytes.fromhex("07E8 2F 05 02 63 00 00 00 FFC4 00")  # month 47, hour 99
    with pytest.raises(DecodeError, match="month must be"):
        as_datetime(Data.octets(raw))
    assert format_data(Data.octets(raw)) == "0x" + raw.hex().upper()


def test_a_profile_with_never_set_stamps_reads_whole_and_warns_once() -> None:
    rows = [Data.struct(Data(DataType.DATE_TIME, CosemDateTime.decode(stamp, strict=False)),
                        Data.u32(i)) for i, stamp in enumerate([GOOD, NEVER_SET, NEVER_SET])]
    apdu = b"\xC4\x01\xC1\x00" + encode_data(Data.array(rows))
    warnings: list[str] = []
    response = decode_apdu(apdu, warnings=warnings)
    assert isinstance(response, GetResponseNormal) and response.result == Data.array(rows)
    assert warnings == ["get-response: 2 date/time values out of range, read as unspecified; "
                        "first: invalid date-time (all zero: never set)"]
    rec = Recorder("APDU")
    decode_apdu(apdu, rec)
    marked = rec.finish().warnings()
    assert [n.offset for n in marked] == [apdu.index(NEVER_SET) - 1,
                                          apdu.rindex(NEVER_SET) - 1]
    assert marked[0].warning == "invalid date-time (all zero: never set); read as unspecified"
    assert marked[0].error is None


def test_never_set_octet_string_is_marked_in_the_dissection() -> None:
    apdu = b"\xC4\x01\xC1\x00" + encode_data(Data.struct(Data.octets(NEVER_SET), Data.u8(1)))
    frame = encode_frame(HdlcFrame(FrameKind.I, b"\x21", b"\x03", info=LLC_RESPONSE + apdu))
    (tree,) = dissect(frame)
    (marked,) = tree.warnings()
    assert marked.key == "axdr.octet_string" and "never set" in marked.warning
    assert not tree.errors()


def test_action_response_without_the_optional_byte_reads_with_a_warning() -> None:
    warnings: list[str] = []
    rec = Recorder("APDU")
    response = decode_apdu(bytes.fromhex("C7 01 C1 01"), rec, warnings=warnings)
    assert response == ActionResponseNormal(ActionResult.HARDWARE_FAULT)
    assert warnings == ["action-response: the return-parameters presence byte is missing "
                        "after the action-result (a known server deviation, e.g. gurux); "
                        "read as no return parameters"]
    (node,) = rec.finish().warnings()
    assert node.key == "expert.warning" and node.offset == 4
    listed = decode_apdu(bytes.fromhex("C7 03 C1 02 00 00 00"))  # the last one cut short
    assert listed == ActionResponseWithList((ActionOutcome(ActionResult.SUCCESS),) * 2)


def test_what_cannot_be_read_is_still_an_error_with_the_bytes() -> None:
    with pytest.raises(DecodeError, match="bad presence flag for return-parameters at byte 4: "
                                          "got 0x07"):
        decode_apdu(bytes.fromhex("C7 01 C1 00 07"))


def test_block_transfer_result_collects_the_same_warnings() -> None:
    raw = encode_data(Data.array([Data(DataType.DATE_TIME,
                                       CosemDateTime.decode(NEVER_SET, strict=False))]))
    collector = BlockCollector()
    collector.feed(GetResponseWithDatablock(True, 1, raw))
    warnings: list[str] = []
    collector.result(warnings=warnings)
    assert warnings == ["GET-Response-with-datablock: 1 date/time value out of range, read as "
                        "unspecified; first: invalid date-time (all zero: never set)"]

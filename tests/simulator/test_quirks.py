"""Quirk modes over real loopback TCP: each deviation is sent exactly as documented, and the
rest of the meter stays standard."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from tests.helpers import running_meter
from tests.simulator.wire import WireClient
from workbench.protocol.apdu import (
    ActionRequestNormal,
    AttributeDescriptor,
    DataAccessResult,
    ExceptionResponse,
    InitiateResponse,
    MethodDescriptor,
    SetRequestNormal,
    SetRequestWithDatablock,
    SetRequestWithFirstDatablock,
    SetResponseDatablock,
    SetResponseLastDatablock,
    encode_apdu,
    range_access,
)
from workbench.protocol.axdr import CosemDateTime, Data, encode_data
from workbench.protocol.hdlc import FrameKind, FrameReader, FrameReceived, HdlcParameters
from workbench.simulator import blocks
from workbench.simulator.quirks import NEVER_SET

PASSWORD = b"2222222222"
PROFILE = AttributeDescriptor(7, "1-0:99.1.0.255", 2)
EVENTS = AttributeDescriptor(7, "0-0:99.98.0.255", 2)
NAME = AttributeDescriptor(1, "0-0:42.0.0.255", 2)  # read-only for every client
RECONNECT = MethodDescriptor(70, "0-0:96.3.10.255", 2)
FIXED = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC).timestamp()


def _ua(quirks: tuple[str, ...]) -> bytes:
    """The information field of the meter's UA to a plain SNRM, read off the wire."""
    with running_meter(quirks=quirks) as server, WireClient(server.address) as client:
        client.link.connect()
        client.send(client.link.data_to_send())
        reader, frames = FrameReader(), []
        while not frames:
            frames = [e for e in reader.feed(client.recv_some(time.monotonic() + 5))
                      if isinstance(e, FrameReceived)]
    assert frames[0].frame.kind is FrameKind.UA  # HCS and FCS still check out
    return frames[0].frame.info


def test_ua_group_length_zero_is_the_only_change() -> None:
    honest, quirky = _ua(()), _ua(("ua-group-length-zero",))
    assert honest[:3] == bytes((0x81, 0x80, len(honest) - 3))
    assert quirky == honest[:2] + b"\x00" + honest[3:]
    assert quirky.hex(" ").upper().startswith("81 80 00 05 01 80 06 01 80 07 04")


def _rows(descriptor: AttributeDescriptor, quirks: tuple[str, ...], access=None) -> list:
    with running_meter(quirks=quirks, time_source=lambda: FIXED, history_days=3) as server, \
            WireClient(server.address) as client:
        client.associate()
        return client.get(descriptor, access).value


def test_invalid_datetime_leaves_one_profile_row_a_day_never_set() -> None:
    start = dt.datetime(2026, 2, 27, tzinfo=dt.UTC)
    access = range_access(start, start + dt.timedelta(days=2) - dt.timedelta(minutes=15))
    honest = _rows(PROFILE, (), access)
    quirky = _rows(PROFILE, ("invalid-datetime",), access)
    assert len(honest) == len(quirky) == 192
    changed = [i for i, (a, b) in enumerate(zip(honest, quirky, strict=True)) if a != b]
    assert changed == [40, 136]  # 10:00 on each day
    for i in changed:
        assert quirky[i].value[0].value == NEVER_SET
        assert quirky[i].value[1:] == honest[i].value[1:]  # the energies are untouched
    assert CosemDateTime.decode(honest[40].value[0].value).hour == 10


def test_invalid_datetime_breaks_event_times_by_deviation_and_day() -> None:
    honest, quirky = _rows(EVENTS, ()), _rows(EVENTS, ("invalid-datetime",))
    assert len(honest) == len(quirky) >= 6
    for index, (a, b) in enumerate(zip(honest, quirky, strict=True)):
        good, bad = a.value[0].value, b.value[0].value
        if index % 3 == 1:
            assert bad == good[:9] + b"\x03\x84" + good[11:]  # deviation +900 min
        elif index % 3 == 2:
            assert bad == good[:3] + b"\x00\x00" + good[5:]  # day 0, weekday 0
        else:
            assert bad == good
        assert b.value[1] == a.value[1]  # the event code is untouched


@pytest.mark.parametrize(("quirks", "expected"), [
    ((), "c7 01 c1 00 00"),
    (("action-no-optional",), "c7 01 c1 00"),
], ids=["standard", "action-no-optional"])
def test_action_response_optional_byte(quirks: tuple[str, ...], expected: str) -> None:
    with running_meter(quirks=quirks) as server, \
            WireClient(server.address, client_sap=32) as client:
        client.associate(PASSWORD)
        answer = client.raw_request(encode_apdu(ActionRequestNormal(RECONNECT)))
    assert answer.hex(" ") == expected


def test_action_no_optional_refusal_matches_gurux_bytes() -> None:
    """A refused method call answers exactly the bytes of the issue: C7 01 C1 03 (the
    public client may not call it: read-write-denied), without the trailing 00."""
    with running_meter(quirks=("action-no-optional",)) as server, \
            WireClient(server.address) as client:
        client.associate()
        answer = client.raw_request(encode_apdu(ActionRequestNormal(RECONNECT)))
    assert answer.hex(" ") == "c7 01 c1 03"


@pytest.fixture
def small(request):
    with running_meter(quirks=("small-pdu",)) as server, \
            WireClient(server.address, client_sap=32) as client:
        client.aare = client.associate(PASSWORD)
        yield client


def test_small_pdu_announces_256(small) -> None:
    initiate = small.aare.user_information
    assert isinstance(initiate, InitiateResponse) and initiate.max_pdu_size == 256


def test_small_pdu_refuses_a_long_set_normal(small) -> None:
    response = small.request(SetRequestNormal(NAME, Data.octets(bytes(770))))
    assert response == ExceptionResponse(1, 4)  # service-not-allowed, pdu-too-long


def test_small_pdu_reassembles_a_785_byte_set_in_datablocks(small) -> None:
    raw = encode_data(Data.octets(bytes(range(256)) * 3 + bytes(13)))
    assert len(raw) == 785
    blocks = [raw[i:i + 200] for i in range(0, len(raw), 200)]
    first = small.request(SetRequestWithFirstDatablock(NAME, False, 1, blocks[0]))
    assert first == SetResponseDatablock(1)
    for number, block in enumerate(blocks[1:-1], start=2):
        assert small.request(SetRequestWithDatablock(False, number, block)) == \
            SetResponseDatablock(number)
    last = small.request(SetRequestWithDatablock(True, len(blocks), blocks[-1]))
    # decoded whole (else type-unmatched), then refused: the name is read-only
    assert last == SetResponseLastDatablock(DataAccessResult.READ_WRITE_DENIED, len(blocks))


def test_a_set_transfer_without_end_is_aborted_at_the_cap(small, monkeypatch) -> None:
    monkeypatch.setattr(blocks, "MAX_TRANSFER", 4096)  # the same rule, fewer round trips
    first = small.request(SetRequestWithFirstDatablock(NAME, False, 1, b"\x09\x82\xff\xff"))
    assert first == SetResponseDatablock(1)
    number, response = 1, first
    while isinstance(response, SetResponseDatablock):
        number += 1
        response = small.request(SetRequestWithDatablock(False, number, bytes(200)))
    assert response == SetResponseLastDatablock(DataAccessResult.LONG_SET_ABORTED, number)
    assert number == 4096 // 200 + 2  # the block passing 4,096 bytes is refused


def test_our_client_connects_through_the_ua_quirk_with_a_warning() -> None:
    with running_meter(quirks=("ua-group-length-zero",), max_info=256) as server, \
            WireClient(server.address, params=HdlcParameters(256, 256, 1, 1)) as client:
        established = client.connect()
    assert established.params.max_info_rx == 256  # the parameters were still read
    assert any("group length" in w for w in established.warnings), established.warnings


def test_our_client_reads_the_invalid_datetime_profile_whole() -> None:
    """The session reads every row; the bad stamps decode as invalid, naming the fields."""
    from workbench.session import ConnectionSettings, DlmsClient

    start = dt.datetime(2026, 2, 27, tzinfo=dt.UTC)
    end = start + dt.timedelta(days=2) - dt.timedelta(minutes=15)
    with running_meter(quirks=("invalid-datetime",), time_source=lambda: FIXED,
                       history_days=3) as server:
        host, port = server.address
        with DlmsClient(ConnectionSettings(host=host, port=port, timeout=3)) as client:
            rows = client.read_profile("1-0:99.1.0.255",
                                       start=CosemDateTime.from_datetime(start, deviation=0),
                                       end=CosemDateTime.from_datetime(end, deviation=0))
            events = client.read_profile("0-0:99.98.0.255")
    assert len(rows) == 192
    stamps = [CosemDateTime.decode(row[0].value, strict=False) for row in rows]
    assert [i for i, s in enumerate(stamps) if s.invalid] == [40, 136]
    assert str(stamps[40]) == "invalid date-time (all zero: never set)"
    event_stamps = [CosemDateTime.decode(row[0].value, strict=False) for row in events]
    assert event_stamps[1].invalid == ("deviation",)
    assert event_stamps[2].invalid == ("day", "weekday")

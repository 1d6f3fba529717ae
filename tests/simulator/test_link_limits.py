"""The meter's HDLC limits (``--max-info``, ``--window``): the UA grants the smaller of what
the SNRM proposes and what the meter supports, and windows > 1 are served both ways."""

from __future__ import annotations

import pytest

from tests.helpers import running_meter
from tests.simulator.wire import WireClient
from workbench.protocol.apdu import (
    AttributeDescriptor,
    DataAccessResult,
    SetRequestNormal,
    SetResponseNormal,
)
from workbench.protocol.axdr import Data
from workbench.protocol.hdlc import HdlcParameters, decode_frame

PROFILE = AttributeDescriptor(7, "1-0:99.1.0.255", 2)
HDLC_SETUP = "0-0:22.0.0.255"


def _frames_from_meter(client: WireClient) -> list[bytes]:
    return list(client.frames_in)


def _propose(max_info: int, window: int) -> HdlcParameters:
    return HdlcParameters(max_info, max_info, window, window)


@pytest.mark.parametrize(("meter_limits", "proposal", "granted"), [
    ((128, 1), None, (128, 1)),  # SNRM without parameters: the standard's defaults
    ((1024, 7), None, (128, 1)),  # a fast meter still answers a plain SNRM with defaults
    ((1024, 7), (2030, 7), (1024, 7)),  # the meter's limit
    ((512, 4), (256, 7), (256, 4)),  # each value the smaller side's
    ((128, 1), (1024, 7), (128, 1)),  # the Microstar default meter
], ids=["defaults", "plain-snrm", "meter-limit", "mixed", "microstar"])
def test_ua_grants_the_minimum_of_both_sides(meter_limits, proposal, granted) -> None:
    max_info, window = meter_limits
    params = _propose(*proposal) if proposal else None
    with running_meter(max_info=max_info, window=window) as server, \
            WireClient(server.address, params=params) as client:
        agreed = client.connect().params
    assert (agreed.max_info_tx, agreed.max_info_rx) == (granted[0], granted[0])
    assert (agreed.window_tx, agreed.window_rx) == (granted[1], granted[1])


def test_window_7_profile_read_arrives_whole_in_full_windows() -> None:
    """A profile answer of many segments comes in windows of 7 I-frames, the P/F bit only on
    the last of each; the client acknowledges once per window."""
    with running_meter(max_info=256, window=7, max_pdu_size=0xFFFF, history_days=7) as server, \
            WireClient(server.address, params=_propose(256, 7), timeout=10) as client:
        client.associate()
        sent_before = _frames_from_meter(client)
        rows = client.get(PROFILE)
        frames = _frames_from_meter(client)[len(sent_before):]
    assert isinstance(rows, Data) and len(rows.value) >= 7 * 96
    i_frames = [decode_frame(f) for f in frames if decode_frame(f).kind.name == "I"]
    assert len(i_frames) > 14
    assert all(len(f.info) <= 256 for f in i_frames)
    finals = [n for n, f in enumerate(i_frames) if f.pf]
    assert finals[:3] == [6, 13, 20]  # one poll/final per window of 7


def test_window_4_request_in_segments_is_received(caplog) -> None:
    """A SET request longer than the frame arrives as segments in windows of 4; the meter
    reassembles it and answers (the value is refused as read-only, which proves it was
    decoded whole)."""
    value = Data.octets(bytes(range(256)) * 3)
    with running_meter(max_info=64, window=4, max_pdu_size=2048) as server, \
            WireClient(server.address, client_sap=32, params=_propose(64, 4)) as client:
        client.associate(b"2222222222")
        response = client.request(SetRequestNormal(
            AttributeDescriptor(1, "0-0:42.0.0.255", 2), value))
    assert isinstance(response, SetResponseNormal)
    assert response.result is DataAccessResult.READ_WRITE_DENIED


def test_hdlc_setup_object_shows_the_meter_limits() -> None:
    with running_meter(max_info=512, window=3) as server, \
            WireClient(server.address) as client:
        client.associate()
        values = [client.get(AttributeDescriptor(23, HDLC_SETUP, a)).value for a in (3, 4, 5, 6)]
    assert values == [3, 3, 512, 512]

"""What the association says about the link, and requests sized by it: the wrapper has no
HDLC frames, so only the PDU bounds a request there; HLS is named as HLS, not as public."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from tests.interop.keys import METER_SECURITY, SERIAL, credentials, tcp_meter
from workbench.protocol.apdu import AttributeDescriptor
from workbench.protocol.axdr import Data
from workbench.session import ConnectionSettings, DlmsClient, FrameRecord
from workbench.session.settings import Secret
from workbench.simulator.config import DEFAULT_PASSWORD, MeterConfig
from workbench.simulator.wrapper_server import WrapperMeterServer

DST_BEGIN = AttributeDescriptor(8, "0-0:1.0.0.255", 5)  # an octet-string the meter stores
BIG = Data.octets(bytes(range(256)) * 60)  # 15,360 bytes: far past the HDLC meter's 8 KiB


@contextlib.contextmanager
def big_pdu_wrapper() -> Iterator[WrapperMeterServer]:
    config = MeterConfig(serial=SERIAL, max_pdu_size=16384)
    with WrapperMeterServer(config, security=METER_SECURITY) as server:
        yield server


def test_a_wrapper_request_of_15_kib_is_served_in_one_piece() -> None:
    with big_pdu_wrapper() as meter:
        settings = ConnectionSettings(port=meter.address[1], transport="wrapper", timeout=3,
                                      client=32, password=Secret(DEFAULT_PASSWORD))
        frames: list[FrameRecord] = []
        with DlmsClient(settings, observers=[frames.append]) as client:
            assert client.max_request == client.max_pdu == 16384  # no 2,027-byte "frame"
            client.set(DST_BEGIN, BIG)
            assert client.get(DST_BEGIN) == BIG
    sets = [f.raw[8:] for f in frames if f.direction == "tx" and f.raw[8:9] == b"\xc1"]
    assert [(len(s) > 15_360, s[1]) for s in sets] == [(True, 1)]  # one SET-Request-Normal


def test_under_hls_requests_leave_room_for_the_ciphering() -> None:
    with big_pdu_wrapper() as meter:
        settings = ConnectionSettings(port=meter.address[1], transport="wrapper", timeout=3,
                                      client=48, hls=credentials())
        with DlmsClient(settings) as client:
            assert client.max_request == client.max_pdu == 16384 - 21
    with tcp_meter() as meter:  # HDLC: one 128-byte frame, less LLC and ciphering
        settings = ConnectionSettings(port=meter.address[1], client=48, timeout=3,
                                      hls=credentials())
        with DlmsClient(settings) as client:
            assert client.max_request == 128 - 3 - 21


def test_the_association_summary_names_hls_and_the_wrapper() -> None:
    with tcp_meter(wrapper=True) as meter:
        settings = ConnectionSettings(port=meter.address[1], transport="wrapper", timeout=3,
                                      client=48, hls=credentials())
        with DlmsClient(settings) as client:
            assert client.info is not None
            text = client.info.describe()
    assert text == ("client 48 (HLS-GMAC (suite 0, ciphered)); PDU 512 bytes; "
                    "IEC 62056-47 wrapper, no HDLC")
    assert client.info.authenticated
    with tcp_meter() as meter:
        settings = ConnectionSettings(port=meter.address[1], timeout=3)
        with DlmsClient(settings) as client:
            assert client.info is not None
            assert client.info.describe().startswith("client 16 (public, no password); ")
            assert "HDLC info 128/128 bytes, window 1/1" in client.info.describe()

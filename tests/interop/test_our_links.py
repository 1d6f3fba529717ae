"""Our client against the simulated meter on every link: serial, optical, wrapper, HLS-GMAC.

Real parts only: pseudo-terminals joined by a software null modem for the serial lines,
loopback sockets for TCP and the wrapper, the real simulator with HLS-GMAC for client 48.
"""

from __future__ import annotations

import pytest

from tests.interop.keys import SERIAL, credentials, serial_meter, tcp_meter
from workbench.protocol.apdu import AttributeDescriptor
from workbench.protocol.cosem import Obis
from workbench.security import SecurityContext
from workbench.session import (
    AssociationRejected,
    ConnectionSettings,
    DlmsClient,
    FrameRecord,
    ProtocolFailure,
)
from workbench.session.credentials import FRAME_COUNTER

ENERGY = AttributeDescriptor(3, Obis(1, 1, 1, 8, 0, 255), 2)


@pytest.mark.parametrize("optical", [False, True], ids=["serial", "optical"])
@pytest.mark.parametrize("hls", [False, True], ids=["public", "hls-gmac"])
def test_serial_lines_read_the_meter(optical: bool, hls: bool) -> None:
    with serial_meter(optical=optical) as (device, _meter):
        settings = ConnectionSettings(transport="optical" if optical else "serial",
                                      device=device, timeout=3, client=48 if hls else 16,
                                      hls=credentials() if hls else None)
        with DlmsClient(settings) as client:
            assert client.read_clock().year >= 2024
            assert isinstance(client.get(ENERGY).value, int)


def test_the_optical_identification_is_kept_for_the_user() -> None:
    from workbench.session.transports import TransportMaker

    with serial_meter(optical=True) as (device, _meter):
        settings = ConnectionSettings(transport="optical", device=device, timeout=3)
        maker = TransportMaker(settings)
        with DlmsClient(settings, transport_factory=maker) as client:
            client.read_clock()
        assert maker.identification is not None
        assert maker.identification.describe() == (
            f"MSR meter 'MS3P{SERIAL}', offers 9600 baud, mode E (HDLC)")


@pytest.mark.parametrize("hls", [False, True], ids=["public", "hls-gmac"])
def test_the_wrapper_carries_apdus_without_hdlc(hls: bool) -> None:
    frames: list[FrameRecord] = []
    with tcp_meter(wrapper=True) as meter:
        settings = ConnectionSettings(port=meter.address[1], transport="wrapper", timeout=3,
                                      client=48 if hls else 16,
                                      hls=credentials() if hls else None)
        with DlmsClient(settings, observers=[frames.append]) as client:
            assert len(client.object_list()) > 10
    assert frames and all(f.raw[:2] == b"\x00\x01" for f in frames if f.note != "stale")
    assert not any(f.raw[:1] == b"\x7e" for f in frames)  # no HDLC anywhere


def test_hls_ciphers_every_apdu_and_keeps_the_counter_across_reconnects() -> None:
    frames: list[FrameRecord] = []
    with tcp_meter() as meter:
        settings = ConnectionSettings(port=meter.address[1], client=48, timeout=3,
                                      hls=credentials())
        client = DlmsClient(settings, observers=[frames.append])
        client.connect()
        client.get(ENERGY)
        first = meter.security_state.client_counter
        client.close()
        client.connect()  # a reconnect: no second counter read, the counter goes on
        client.get(ENERGY)
        client.close()
        assert meter.security_state.client_counter > first > 0
    hls_apdus = [f.raw[14:-3] for f in frames  # 4-byte server address; client 48 = 0x61
                 if f.direction == "tx" and f.raw[7:8] == b"\x61" and len(f.raw) > 20]
    assert {p[0] for p in hls_apdus} >= {0x60, 0xC8, 0xCB}  # AARQ, glo-get, glo-action
    assert not {p[0] for p in hls_apdus} & {0xC0, 0xC1, 0xC3}  # nothing in clear

def test_the_counter_is_read_from_the_frame_counter_object_first() -> None:
    with tcp_meter() as meter:
        meter.security_state.client_counter = 5000  # another tool used the meter before us
        settings = ConnectionSettings(port=meter.address[1], client=48, timeout=3,
                                      hls=credentials())
        with DlmsClient(settings) as client:
            client.read_clock()
        assert meter.security_state.client_counter > 5000
        with DlmsClient(ConnectionSettings(port=meter.address[1], timeout=3)) as public:
            assert public.get(AttributeDescriptor(1, FRAME_COUNTER, 2)).value == (
                meter.security_state.client_counter)


def test_wrong_keys_are_refused_with_a_hint_about_the_keys() -> None:
    with tcp_meter() as meter:
        settings = ConnectionSettings(port=meter.address[1], client=48, timeout=3, retries=0,
                                      hls=credentials(auth=bytes(16)))
        with pytest.raises(AssociationRejected) as info:
            DlmsClient(settings).connect()
        assert "keys" in info.value.hint


def test_a_replayed_answer_is_refused() -> None:
    """The meter sends the same ciphered answer twice: the second one is a replay."""
    with tcp_meter() as meter:
        settings = ConnectionSettings(port=meter.address[1], client=48, timeout=3,
                                      hls=credentials())
        with DlmsClient(settings) as client:
            context: SecurityContext = client._secure.context  # type: ignore[union-attr]
            old = context.peer_counter
            assert old is not None
            context.peer_counter = old + 1000  # as if this answer had been seen already
            with pytest.raises(ProtocolFailure, match="did not increase"):
                client.get(ENERGY)


@pytest.mark.parametrize("hls", [False, True], ids=["public", "hls-gmac"])
def test_the_object_list_names_the_frame_counter_when_hls_is_offered(hls: bool) -> None:
    with tcp_meter() as meter:
        settings = ConnectionSettings(port=meter.address[1], timeout=3, client=48 if hls else 16,
                                      hls=credentials() if hls else None)
        with DlmsClient(settings) as client:
            listed = {entry.obis: entry for entry in client.object_list()}
    counter = listed[FRAME_COUNTER]
    assert (counter.class_id, counter.version) == (1, 0)
    assert counter.can_read(2) and not counter.attribute_access[2].can_write


def test_a_meter_without_hls_does_not_list_a_frame_counter() -> None:
    from tests.helpers import running_meter

    with running_meter() as meter, DlmsClient(
            ConnectionSettings(port=meter.address[1], timeout=3)) as client:
        assert FRAME_COUNTER not in {entry.obis for entry in client.object_list()}

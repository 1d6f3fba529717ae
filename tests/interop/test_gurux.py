"""Oracle: gurux-dlms (independent, GPL, test-only) against our simulated meter and back.

gurux builds and parses every frame and does its own AES-GCM; we only move bytes over
loopback sockets. If our HLS-GMAC steps, the ciphering or the wrapper misread the standard,
gurux fails to associate, to authenticate or to decipher.
"""

from __future__ import annotations

import pytest

from tests.interop.keys import AUTH_KEY, BLOCK_KEY, CLIENT_TITLE, tcp_meter

gurux = pytest.importorskip("gurux_dlms")

from gurux_dlms import GXDLMSException  # noqa: E402
from gurux_dlms.objects import GXDLMSClock, GXDLMSRegister  # noqa: E402

from tests.gurux_session import GuruxSession, frame_counter, hls_client  # noqa: E402

KEYS = (CLIENT_TITLE, AUTH_KEY, BLOCK_KEY)

pytestmark = pytest.mark.oracle


@pytest.mark.parametrize("wrapper", [False, True], ids=["hdlc", "wrapper"])
@pytest.mark.parametrize("hls", [False, True], ids=["public", "hls-gmac"])
def test_gurux_client_reads_our_meter(wrapper: bool, hls: bool) -> None:
    with tcp_meter(wrapper=wrapper) as meter:
        peer = (hls_client(meter.address, KEYS, wrapper=wrapper) if hls else
                GuruxSession(meter.address, 16, wrapper=wrapper))
        first = peer.client.ciphering.invocationCounter
        try:
            peer.associate()
            clock = peer.read(GXDLMSClock("0.0.1.0.0.255"), 2)
            energy = peer.read(GXDLMSRegister("1.1.1.8.0.255"), 2)
        finally:
            peer.close()
        assert clock is not None and clock.value.year >= 2024
        assert isinstance(energy, int)
        if hls:  # gurux's counter went up by every ciphered request it sent
            assert meter.security_state.client_counter >= first + 2


def test_gurux_with_wrong_keys_is_refused_by_our_meter() -> None:
    with tcp_meter() as meter:
        peer = hls_client(meter.address, KEYS)
        peer.client.ciphering.authenticationKey = bytearray(16)
        try:
            with pytest.raises((GXDLMSException, ValueError, AssertionError)):
                peer.associate()
        finally:
            peer.close()
        assert meter.security_state.client_counter == frame_counter(meter.address)


def test_gurux_finds_the_frame_counter_in_our_object_list_over_hls() -> None:
    from gurux_dlms.objects import GXDLMSAssociationLogicalName

    with tcp_meter() as meter:
        peer = hls_client(meter.address, KEYS)
        try:
            peer.associate()
            objects = peer.read(GXDLMSAssociationLogicalName("0.0.40.0.0.255"), 2)
        finally:
            peer.close()
    listed = {(int(o.objectType), o.logicalName) for o in objects}  # type: ignore[attr-defined]
    assert (1, "0.0.43.1.0.255") in listed

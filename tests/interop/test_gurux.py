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
from gurux_dlms.objects import GXDLMSClock, GXDLMSData, GXDLMSRegister  # noqa: E402

from tests.gurux_session import GuruxSession  # noqa: E402

pytestmark = pytest.mark.oracle


def _peer(address: tuple[str, int], *, wrapper: bool, hls: bool) -> GuruxSession:
    """gurux's client as a user configures it: client 48 with our keys, or the public one."""
    keys = (CLIENT_TITLE, AUTH_KEY, BLOCK_KEY) if hls else None
    return GuruxSession(address, 48 if hls else 16, wrapper=wrapper, hls=keys)


def _frame_counter(address: tuple[str, int], wrapper: bool) -> int:
    """What a gurux user does first: read the frame counter over the public client."""
    public = _peer(address, wrapper=wrapper, hls=False)
    try:
        public.associate()
        return int(public.read(GXDLMSData("0.0.43.1.0.255"), 2))
    finally:
        public.close()


@pytest.mark.parametrize("wrapper", [False, True], ids=["hdlc", "wrapper"])
@pytest.mark.parametrize("hls", [False, True], ids=["public", "hls-gmac"])
def test_gurux_client_reads_our_meter(wrapper: bool, hls: bool) -> None:
    with tcp_meter(wrapper=wrapper) as meter:
        counter = _frame_counter(meter.address, wrapper) if hls else 0
        peer = _peer(meter.address, wrapper=wrapper, hls=hls)
        if hls:
            peer.client.ciphering.invocationCounter = counter + 1
        try:
            peer.associate()
            clock = peer.read(GXDLMSClock("0.0.1.0.0.255"), 2)
            energy = peer.read(GXDLMSRegister("1.1.1.8.0.255"), 2)
        finally:
            peer.close()
        assert clock is not None and clock.value.year >= 2024
        assert isinstance(energy, int)
        if hls:  # gurux's counter went up by every ciphered request it sent
            assert meter.security_state.client_counter >= counter + 3


def test_gurux_with_wrong_keys_is_refused_by_our_meter() -> None:
    with tcp_meter() as meter:
        counter = _frame_counter(meter.address, False)
        peer = _peer(meter.address, wrapper=False, hls=True)
        peer.client.ciphering.authenticationKey = bytearray(16)
        peer.client.ciphering.invocationCounter = counter + 1
        try:
            with pytest.raises((GXDLMSException, ValueError, AssertionError)):
                peer.associate()
        finally:
            peer.close()
        assert meter.security_state.client_counter == counter  # nothing was accepted


def test_gurux_finds_the_frame_counter_in_our_object_list_over_hls() -> None:
    from gurux_dlms.objects import GXDLMSAssociationLogicalName

    with tcp_meter() as meter:
        counter = _frame_counter(meter.address, False)
        peer = _peer(meter.address, wrapper=False, hls=True)
        peer.client.ciphering.invocationCounter = counter + 1
        try:
            peer.associate()
            objects = peer.read(GXDLMSAssociationLogicalName("0.0.40.0.0.255"), 2)
        finally:
            peer.close()
    listed = {(o.objectType, o.logicalName) for o in objects}  # type: ignore[attr-defined]
    assert (1, "0.0.43.1.0.255") in {(int(t), name) for t, name in listed}

"""Oracle: gurux-dlms (independent, GPL, test-only) against our simulated meter and back.

gurux builds and parses every frame and does its own AES-GCM; we only move bytes over
loopback sockets. If our HLS-GMAC steps, the ciphering or the wrapper misread the standard,
gurux fails to associate, to authenticate or to decipher.
"""

from __future__ import annotations

import socket
import time

import pytest

from tests.interop.keys import AUTH_KEY, BLOCK_KEY, CLIENT_TITLE, tcp_meter

gurux = pytest.importorskip("gurux_dlms")

from gurux_dlms import GXByteBuffer, GXDLMSException, GXReplyData  # noqa: E402
from gurux_dlms.enums import Authentication, InterfaceType, Security  # noqa: E402
from gurux_dlms.objects import GXDLMSClock, GXDLMSData, GXDLMSRegister  # noqa: E402
from gurux_dlms.secure import GXDLMSSecureClient  # noqa: E402

pytestmark = pytest.mark.oracle


class GuruxPeer:
    """gurux's secure client over a socket, HDLC or wrapper, every read bounded."""

    def __init__(self, address: tuple[str, int], *, wrapper: bool, hls: bool) -> None:
        server = 1 if wrapper else GXDLMSSecureClient.getServerAddress(1, 1234, 4)
        kind = InterfaceType.WRAPPER if wrapper else InterfaceType.HDLC
        auth = Authentication.HIGH_GMAC if hls else Authentication.NONE
        self.client = GXDLMSSecureClient(True, 48 if hls else 16, server, auth, None, kind)
        if hls:
            cipher = self.client.ciphering
            cipher.security = Security.AUTHENTICATION_ENCRYPTION
            cipher.systemTitle = bytearray(CLIENT_TITLE)
            cipher.authenticationKey = bytearray(AUTH_KEY)
            cipher.blockCipherKey = bytearray(BLOCK_KEY)
        self.wrapper = wrapper
        self.sock = socket.create_connection(address, timeout=3)

    def exchange(self, frames: list[bytes] | bytes | None) -> GXReplyData:
        reply = GXReplyData()
        for frame in [frames] if isinstance(frames, bytes | bytearray) else frames or []:
            self._packet(frame, reply)
        while reply.isMoreData():
            self._packet(self.client.receiverReady(reply), reply)
        return reply

    def _packet(self, frame: bytes, reply: GXReplyData) -> None:
        self.sock.sendall(frame)
        buffer, notify = GXByteBuffer(), GXReplyData()
        deadline = time.monotonic() + 3
        while not self.client.getData(buffer, reply, notify):
            assert time.monotonic() < deadline, "gurux: no complete answer in 3 s"
            chunk = self.sock.recv(4096)
            assert chunk, "meter closed the connection"
            buffer.set(chunk)

    def associate(self) -> None:
        if not self.wrapper:
            self.client.parseUAResponse(self.exchange(self.client.snrmRequest()).data)
        self.client.parseAareResponse(self.exchange(self.client.aarqRequest()).data)
        if self.client.authentication > Authentication.LOW:
            reply = self.exchange(self.client.getApplicationAssociationRequest())
            self.client.parseApplicationAssociationResponse(reply.data)

    def read(self, obj: object, attribute: int) -> object:
        reply = self.exchange(self.client.read(obj, attribute))
        return self.client.updateValue(obj, attribute, reply.value)

    def close(self) -> None:
        self.sock.close()


def _frame_counter(address: tuple[str, int], wrapper: bool) -> int:
    """What a gurux user does first: read the frame counter over the public client."""
    public = GuruxPeer(address, wrapper=wrapper, hls=False)
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
        peer = GuruxPeer(meter.address, wrapper=wrapper, hls=hls)
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
        peer = GuruxPeer(meter.address, wrapper=False, hls=True)
        peer.client.ciphering.authenticationKey = bytearray(16)
        peer.client.ciphering.invocationCounter = counter + 1
        try:
            with pytest.raises((GXDLMSException, ValueError, AssertionError)):
                peer.associate()
        finally:
            peer.close()
        assert meter.security_state.client_counter == counter  # nothing was accepted

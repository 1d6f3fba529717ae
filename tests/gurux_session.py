"""gurux-dlms's client (independent, GPL, test-only) driven over a socket: the one helper
the simulator's and the interoperability oracle tests share.

gurux builds and parses every frame (and, under HLS, does its own AES-GCM); this class
only moves bytes, every read bounded by a deadline. Import it only where
``pytest.importorskip("gurux_dlms")`` ran first.
"""

from __future__ import annotations

import socket
import time

from gurux_dlms import GXByteBuffer, GXDLMSClient, GXReplyData
from gurux_dlms.enums import Authentication, InterfaceType, Security
from gurux_dlms.objects import GXDLMSData
from gurux_dlms.secure import GXDLMSSecureClient

__all__ = ["GuruxSession", "frame_counter", "hls_client"]

_WAIT = 3.0


class GuruxSession:
    """gurux's client on HDLC or the wrapper, public, LLS or HLS-GMAC with suite 0.

    Args:
        address: the meter's (host, port).
        client_sap: the client address (16, 32, 48 ...).
        password: the LLS password, if any.
        max_info, window: what gurux's SNRM proposes (HDLC only).
        wrapper: the IEC 62056-47 wrapper instead of HDLC (the meter is logical device 1).
        hls: (client system title, authentication key, block cipher key) for HLS with
            authenticated and encrypted APDUs.
        mechanism: the HLS mechanism with ``hls`` (HLS-GMAC unless told; HLS-SHA256 takes
            ``password`` as its secret).
    """

    def __init__(self, address: tuple[str, int], client_sap: int, password: str | None = None,
                 *, max_info: int = 128, window: int = 1, wrapper: bool = False,
                 hls: tuple[bytes, bytes, bytes] | None = None,
                 mechanism: int = Authentication.HIGH_GMAC) -> None:
        auth = (mechanism if hls else
                Authentication.LOW if password else Authentication.NONE)
        server = 1 if wrapper else GXDLMSClient.getServerAddress(1, 1234, 4)
        kind = InterfaceType.WRAPPER if wrapper else InterfaceType.HDLC
        self.client = GXDLMSSecureClient(True, client_sap, server, auth, password, kind)
        if hls is not None:
            cipher = self.client.ciphering
            cipher.security = Security.AUTHENTICATION_ENCRYPTION
            cipher.systemTitle, cipher.authenticationKey, cipher.blockCipherKey = (
                bytearray(part) for part in hls)
        hdlc = self.client.hdlcSettings  # what the SNRM proposes
        hdlc.maxInfoTX = hdlc.maxInfoRX = max_info
        hdlc.windowSizeTX = hdlc.windowSizeRX = window
        self.wrapper = wrapper
        self.sock = socket.create_connection(address, timeout=_WAIT)

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
        deadline = time.monotonic() + _WAIT
        while not self.client.getData(buffer, reply, notify):
            assert time.monotonic() < deadline, f"gurux: no complete answer in {_WAIT:g} s"
            chunk = self.sock.recv(4096)
            assert chunk, "meter closed the connection"
            buffer.set(chunk)

    def associate(self) -> None:
        """SNRM/UA (HDLC only), AARQ/AARE and, under HLS, the challenge exchange."""
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


def frame_counter(address: tuple[str, int], *, wrapper: bool = False) -> int:
    """What a gurux user does first under HLS: read the meter's frame counter object over
    the public client."""
    public = GuruxSession(address, 16, wrapper=wrapper)
    try:
        public.associate()
        return int(public.read(GXDLMSData("0.0.43.1.0.255"), 2))  # type: ignore[call-overload]
    finally:
        public.close()


def hls_client(address: tuple[str, int], keys: tuple[bytes, bytes, bytes], *,
               wrapper: bool = False, password: str | None = None,
               mechanism: int = Authentication.HIGH_GMAC) -> GuruxSession:
    """gurux's client 48 with ``keys``, its invocation counter just past the meter's frame
    counter (not associated yet: the caller may still change its settings)."""
    counter = frame_counter(address, wrapper=wrapper)
    peer = GuruxSession(address, 48, password, wrapper=wrapper, hls=keys, mechanism=mechanism)
    peer.client.ciphering.invocationCounter = counter + 1
    return peer

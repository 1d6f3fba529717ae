"""A minimal blocking DLMS client for simulator tests: the protocol core over a raw socket.

Deliberately independent of ``workbench.session`` so simulator tests exercise the meter
with nothing but the core's encoders and a socket; every wait is bounded by ``timeout``.
"""

from __future__ import annotations

import socket
import time

from workbench.protocol.apdu import (
    Aare,
    Aarq,
    AttributeDescriptor,
    BlockCollector,
    DataAccessResult,
    GetRequestNormal,
    GetResponseNormal,
    GetResponseWithDatablock,
    Mechanism,
    SelectiveAccess,
    decode_apdu,
    encode_apdu,
)
from workbench.protocol.axdr import Data
from workbench.protocol.hdlc import (
    NEED_DATA,
    ApduReceived,
    BytesSkipped,
    ClientLink,
    Disconnected,
    FrameReader,
    FrameReceived,
    FrameRejected,
    HdlcParameters,
    LinkEstablished,
    server_address,
)


class Silence(AssertionError):
    """The meter said nothing within the timeout."""


class WireClient:
    """Drive a :class:`ClientLink` over TCP to ``address``."""

    def __init__(self, address: tuple[str, int], *, client_sap: int = 16,
                 server: bytes | None = None, timeout: float = 2.0,
                 params: HdlcParameters | None = None) -> None:
        self.sock = socket.create_connection(address, timeout=timeout)
        self.timeout = timeout
        self.link = ClientLink(client_sap, server or server_address(1, 1234), params)
        self.rejected: list[FrameRejected | BytesSkipped] = []
        self.frames_in: list[bytes] = []  # every valid frame the meter sent, in order
        self._reader = FrameReader()

    def close(self) -> None:
        self.sock.close()

    def __enter__(self) -> WireClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def recv_some(self, deadline: float) -> bytes:
        """Bytes from the meter before ``deadline``; b"" when it closed the connection."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise Silence("the meter did not answer in time")
        self.sock.settimeout(remaining)
        try:
            return self.sock.recv(4096)
        except TimeoutError:
            raise Silence("the meter did not answer in time") from None

    def _wait(self, want: type | tuple[type, ...]) -> object:
        deadline = time.monotonic() + self.timeout
        while True:
            event = self.link.next_event()
            for frame in self.link.data_to_send():
                self.sock.sendall(frame)
            if event is NEED_DATA:
                data = self.recv_some(deadline)
                if not data:
                    raise ConnectionError("the meter closed the connection")
                self._record(data)
                self.link.receive_data(data)
            elif isinstance(event, FrameRejected | BytesSkipped):
                self.rejected.append(event)
            elif isinstance(event, want):
                return event
            else:
                raise AssertionError(f"unexpected link event {event!r}")

    def _record(self, data: bytes) -> None:
        self.frames_in += [e.raw for e in self._reader.feed(data) if isinstance(e, FrameReceived)]

    def connect(self) -> LinkEstablished:
        self.link.connect()
        self.send(self.link.data_to_send())
        return self._wait(LinkEstablished)  # type: ignore[return-value]

    def disconnect(self) -> Disconnected:
        self.link.disconnect()
        self.send(self.link.data_to_send())
        return self._wait(Disconnected)  # type: ignore[return-value]

    def send(self, frames: list[bytes]) -> None:
        for frame in frames:
            self.sock.sendall(frame)

    def answer(self) -> object:
        """Wait for the next whole APDU from the meter and decode it."""
        event = self._wait(ApduReceived)
        return decode_apdu(event.apdu)  # type: ignore[attr-defined]

    def raw_request(self, apdu: bytes) -> bytes:
        """Send APDU bytes, return the meter's answer as bytes (for answers our decoder
        may not take)."""
        self.link.send_apdu(apdu)
        self.send(self.link.data_to_send())
        event = self._wait(ApduReceived)
        return event.apdu  # type: ignore[attr-defined,no-any-return]

    def request(self, apdu: object) -> object:
        """Send one APDU object, return the decoded response APDU."""
        self.link.send_apdu(encode_apdu(apdu))
        self.send(self.link.data_to_send())
        return self.answer()

    def associate(self, password: bytes | None = None) -> Aare:
        self.connect()
        mechanism = Mechanism.LLS if password is not None else None
        aare = self.request(Aarq(mechanism=mechanism, password=password))
        assert isinstance(aare, Aare)
        return aare

    def get(self, desc: AttributeDescriptor, access: SelectiveAccess | None = None
            ) -> Data | DataAccessResult:
        """GET one attribute, following datablocks; ``self.blocks`` counts them."""
        response = self.request(GetRequestNormal(desc, access))
        self.blocks = 0
        if isinstance(response, GetResponseNormal):
            return response.result
        collector = BlockCollector()
        while isinstance(response, GetResponseWithDatablock):
            self.blocks += 1
            follow_up = collector.feed(response)
            if follow_up is None:
                return collector.result()
            response = self.request(follow_up)
        raise AssertionError(f"unexpected response {response!r}")

"""A hostile meter for tests: a scripted fake on loopback TCP that sends what no honest meter
would.

A :class:`HostileMeter` listens on 127.0.0.1 (free port) and runs ``script(peer)`` in a
thread for each connection it accepts. The script sees a :class:`Peer`: it can wait for the
client's next frame, answer honestly through a real ``ServerLink`` (UA, AARE ...), or send
raw bytes of its choosing for as long as it likes (a flood, a trickle, endless blocks); every
loop must check :attr:`Peer.stopped`, which turns true when the client hangs up or the test
ends. The peer counts what the client sent (``kinds``), so tests assert bounds on outcome:
how many SNRMs, requests or polls the client spent before giving up.

    with HostileMeter(rr_flood_after_snrm) as meter:
        client = DlmsClient(meter.settings(timeout=0.5))
        with pytest.raises(ProtocolFailure): client.connect()
        assert meter.kinds.count("SNRM") == 1
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

from workbench.protocol.apdu import (
    Aare,
    AssociationResult,
    Conformance,
    InitiateResponse,
    decode_apdu,
    encode_acse,
    encode_apdu,
)
from workbench.protocol.hdlc import (
    NEED_DATA,
    ApduReceived,
    FrameKind,
    FrameReader,
    FrameReceived,
    HdlcFrame,
    ServerLink,
    client_address,
    encode_frame,
    server_address,
)
from workbench.session.settings import ConnectionSettings

__all__ = ["METER", "PUBLIC", "RR_AFTER_SNRM", "HostileMeter", "Peer", "Script"]

METER = server_address(1, 1234)
PUBLIC = client_address(16)
RR_AFTER_SNRM = bytes.fromhex("7EA00A21000212A511694F7E")
"""The issue's reproduction: RR F=1 N(R)=0 from logical 1 / physical 1234 to client 16."""

_SLICE = 0.02


class Peer:
    """One accepted connection, as a script drives it."""

    def __init__(self, sock: socket.socket, stop: threading.Event, kinds: list[str]) -> None:
        self.sock = sock
        self._stop = stop
        self._reader = FrameReader()
        self._pending: list[HdlcFrame] = []
        self.kinds = kinds
        self.link = ServerLink(1, 1234)
        self.sent_frames = 0
        self.closed = False

    @property
    def stopped(self) -> bool:
        """True once the client hung up or the test is over: every script loop checks it."""
        return self.closed or self._stop.is_set()

    def next_frame(self, timeout: float = 5.0) -> HdlcFrame | None:
        """The client's next valid frame (also fed to :attr:`link`), or None (closed/time)."""
        end = time.monotonic() + timeout
        while not self._pending and not self.stopped and time.monotonic() < end:
            chunk = self._recv()
            for event in self._reader.feed(chunk):
                if isinstance(event, FrameReceived):
                    self._pending.append(event.frame)
                    self.kinds.append(_kind(event.frame))
                    self.link.receive_data(event.raw)
        return self._pending.pop(0) if self._pending else None

    def _recv(self) -> bytes:
        try:
            self.sock.settimeout(_SLICE)
            data = self.sock.recv(4096)
        except TimeoutError:
            return b""
        except OSError:
            data = b""
        if not data:
            self.closed = True
        return data

    def send(self, data: bytes) -> None:
        """Write raw bytes; a closed client just ends the script's loops."""
        try:
            self.sock.sendall(data)
            self.sent_frames += 1
        except OSError:
            self.closed = True

    def honest(self, frame: HdlcFrame | None) -> list[bytes]:
        """Let the real server link handle ``frame`` (already fed); send what it answers;
        return the APDUs it delivered."""
        apdus = []
        while (event := self.link.next_event()) is not NEED_DATA:
            if isinstance(event, ApduReceived):
                apdus.append(event.apdu)
        for out in self.link.data_to_send():
            self.send(out)
        return apdus

    def answer(self, apdu: bytes) -> None:
        self.link.send_apdu(apdu)
        for out in self.link.data_to_send():
            self.send(out)

    def associate(self) -> bool:
        """Play an honest meter up to an open association (UA, then an accepted AARE)."""
        while not self.stopped:
            frame = self.next_frame()
            apdus = self.honest(frame)
            for apdu in apdus:
                if apdu[:1] == b"\x60":
                    self.answer(encode_acse(accepted_aare()))
                    return True
        return False

    def request(self) -> bytes | None:
        """Wait for the client's next complete request APDU (acknowledging segments)."""
        while not self.stopped:
            apdus = self.honest(self.next_frame())
            if apdus:
                return apdus[0]
        return None

    def frame(self, kind: FrameKind, **fields: Any) -> bytes:
        """A frame from the meter to the public client (any fields overridden)."""
        values: dict[str, Any] = {"dest": PUBLIC, "src": METER} | fields
        return encode_frame(HdlcFrame(kind, **values))


def _kind(frame: HdlcFrame) -> str:
    return frame.kind.name


def accepted_aare() -> Aare:
    return Aare(AssociationResult.ACCEPTED, 0,
                user_information=InitiateResponse(Conformance(0x00501F), 1024))


Script = Callable[[Peer], None]


class HostileMeter:
    """Runs ``script`` against every connection on a loopback listening socket."""

    def __init__(self, script: Script) -> None:
        self._script = script
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(_SLICE)
        self._threads: list[threading.Thread] = []
        self.kinds: list[str] = []
        self.connections = 0
        self.peers: list[Peer] = []

    @property
    def address(self) -> tuple[str, int]:
        host, port = self._listener.getsockname()[:2]
        return host, port

    def settings(self, **overrides: Any) -> ConnectionSettings:
        host, port = self.address
        values: dict[str, Any] = {"host": host, "port": port, "timeout": 0.5, "retries": 3}
        return ConnectionSettings(**(values | overrides))

    def __enter__(self) -> HostileMeter:
        accept = threading.Thread(target=self._accept, name="hostile-accept", daemon=True)
        accept.start()
        self._threads.append(accept)
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(5)
        self._listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                sock, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            peer = Peer(sock, self._stop, self.kinds)
            self.peers.append(peer)
            thread = threading.Thread(target=self._run, args=(peer,), daemon=True,
                                      name="hostile-script")
            thread.start()
            self._threads.append(thread)

    def _run(self, peer: Peer) -> None:
        with peer.sock, contextlib.suppress(OSError):
            self._script(peer)
            while not peer.stopped:  # the script is done: keep the line open, silent
                peer.next_frame(0.1)


def decoded(apdu: bytes) -> object:
    """The client's request as an APDU object (for scripts that answer by type)."""
    return decode_apdu(apdu)


def encoded(response: object) -> bytes:
    return encode_apdu(response)

"""Channel over real loopback TCP: a damaged frame can end the wait at once, not by timeout."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.helpers import wait_until
from workbench.protocol.hdlc import FrameKind, HdlcFrame, client_address, encode_frame
from workbench.protocol.hdlc import server_address as meter_address
from workbench.session.channel import Channel, FrameBroken
from workbench.session.timing import Deadline
from workbench.session.trace import FrameRecord, Tracer
from workbench.simulator.faults import corrupt_fcs
from workbench.transport.errors import ReadTimeout
from workbench.transport.tcp import TcpTransport

GOOD = encode_frame(HdlcFrame(FrameKind.I, client_address(16), meter_address(1, 1234),
                              info=b"\xe6\xe7\x00\xc4\x01\xc1\x00\x09\x00"))


@contextmanager
def channel_fed(data: bytes) -> Iterator[tuple[Channel, list[FrameRecord]]]:
    """A channel whose peer sends ``data`` and then stays silent (connection kept open).

    ``data`` is all in our receive buffer before the channel reads, so its first read takes
    it whole however TCP cut it up on the way: a test of "a good frame right behind a damaged
    one" must not depend on both landing in one segment.
    """
    with socket.create_server(("127.0.0.1", 0)) as listener:
        transport = TcpTransport(*listener.getsockname()[:2])
        transport.open(2.0)
        peer, _ = listener.accept()
        with peer:
            peer.sendall(data)
            ours = transport._sock  # peeked at only: the bytes stay for the channel
            assert ours is not None
            wait_until(lambda: len(ours.recv(len(data), socket.MSG_PEEK)) == len(data),
                       timeout=5, what=f"all {len(data)} bytes reaching our socket")
            records: list[FrameRecord] = []
            yield Channel(transport, Tracer([records.append]), threading.Event(), 1.0), records
            transport.close()


def test_damaged_frame_ends_the_wait_when_asked():
    with channel_fed(corrupt_fcs(GOOD)) as (channel, records), \
            pytest.raises(FrameBroken, match="FCS mismatch"):
        channel.receive(30.0, Deadline(30.0), stop_on_broken=True)  # long before the 30 s silence
    assert records[0].note.startswith("bad frame: ")


def test_damaged_frame_followed_by_a_good_one_gives_the_good_one():
    with channel_fed(corrupt_fcs(GOOD) + GOOD) as (channel, _):
        assert channel.receive(30.0, Deadline(30.0), stop_on_broken=True) == GOOD


def test_without_the_flag_a_damaged_frame_waits_out_the_silence():
    with channel_fed(corrupt_fcs(GOOD)) as (channel, _), pytest.raises(ReadTimeout):
        channel.receive(0.2, Deadline(30.0))

"""A hostile peer cannot hang the client or make it lie: every case ends in a typed error
that names what happened, within a bound stated in docs/timeouts.md.

Each test scripts a fake meter (tests/hostile.py) over real loopback TCP and asserts the
outcome: the error type, what its message says, and how many frames the client spent
(SNRMs, requests, polls). No test measures speed; the only time limit is the hang guard of
the cancel test, far above the expected stop.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from tests.hostile import RR_AFTER_SNRM, HostileMeter, Peer, accepted_aare, decoded, encoded
from workbench.protocol.apdu import (
    AttributeDescriptor,
    GetRequestNext,
    GetResponseWithDatablock,
    encode_acse,
)
from workbench.protocol.cosem import Obis
from workbench.protocol.hdlc import FrameKind, ServerLink, encode_frame, server_address
from workbench.session.client import DlmsClient
from workbench.session.errors import (
    Cancelled,
    NoResponse,
    ProtocolFailure,
    SessionError,
    WrongAddress,
)

SERIAL = AttributeDescriptor(1, Obis.parse("0-0:96.1.0.255"), 2)


def _flood_after_snrm(peer: Peer) -> None:
    peer.next_frame()
    while not peer.stopped:
        peer.send(RR_AFTER_SNRM)
        time.sleep(0.01)


def _connect_error(script, **settings: object) -> tuple[SessionError, HostileMeter]:
    with HostileMeter(script) as meter, pytest.raises(SessionError) as info:
        DlmsClient(meter.settings(**settings)).connect()
    return info.value, meter


def _read_error(script, **settings: object) -> tuple[ProtocolFailure, DlmsClient, HostileMeter]:
    """Connect, then read the serial number, which must fail: the failure, client and meter."""
    with HostileMeter(script) as meter:
        client = DlmsClient(meter.settings(**settings))
        client.connect()
        with pytest.raises(ProtocolFailure) as info:
            client.get(SERIAL)
    return info.value, client, meter


def test_rr_every_10_ms_after_the_snrm_ends_the_connect_with_the_reason() -> None:
    error, meter = _connect_error(_flood_after_snrm, timeout=0.5, retries=3)
    assert type(error) is ProtocolFailure
    assert "can't handle RR" in error.message and "7E A0 0A 21 00 02 12 A5" in error.message
    assert meter.kinds.count("SNRM") == 1  # what the meter said is said again: not retried
    assert meter.peers[0].sent_frames >= 2  # the flood really reached the client


def test_nothing_at_all_is_silence_blaming_the_address() -> None:
    error, meter = _connect_error(lambda peer: None, timeout=0.2, retries=1)
    assert type(error) is NoResponse
    assert "nothing at all arrived" in error.message and "physical address 1234" in error.message
    assert "physical address" in error.hint
    assert meter.kinds.count("SNRM") == 2  # silence may be a lost frame: tried again


def _garbage(peer: Peer) -> None:
    peer.next_frame()
    peer.send(b"HTTP/1.1 400 Bad Request\r\n\r\n")


def test_bytes_that_are_no_frame_are_shown_and_not_retried() -> None:
    error, meter = _connect_error(_garbage, timeout=0.3, retries=3)
    assert type(error) is ProtocolFailure
    assert "no valid HDLC frame" in error.message
    assert "48 54 54 50" in error.message  # "HTTP", the first bytes, in hex
    assert meter.kinds.count("SNRM") == 1


def _flag_flood(peer: Peer) -> None:
    peer.next_frame()
    while not peer.stopped:
        peer.send(b"\x7e" * 512)
        time.sleep(0.005)


def test_a_flag_flood_ends_within_the_deadline_as_no_frame() -> None:
    error, meter = _connect_error(_flag_flood, timeout=0.3, retries=2)
    assert type(error) is ProtocolFailure and "never formed a valid HDLC frame" in error.message
    assert meter.kinds.count("SNRM") == 1


def _trickle(peer: Peer) -> None:
    peer.next_frame()
    peer.send(b"\x7e\xa0\xff")  # a frame announcing 255 bytes, then one byte at a time
    while not peer.stopped:
        peer.send(b"\xaa")
        time.sleep(0.02)


def test_a_byte_trickle_cannot_stretch_the_wait() -> None:
    error, meter = _connect_error(_trickle, timeout=0.4, retries=2)
    assert isinstance(error, ProtocolFailure | NoResponse)
    assert "7E A0 FF AA" in error.message or "damaged" in error.message
    assert meter.kinds.count("SNRM") <= 3


def _ua_from_5678(peer: Peer) -> None:
    peer.next_frame()
    peer.send(peer.frame(FrameKind.UA, src=server_address(1, 5678)))


def test_a_ua_from_another_physical_address_names_that_address() -> None:
    error, meter = _connect_error(_ua_from_5678, timeout=0.3, retries=3)
    assert isinstance(error, WrongAddress)
    assert error.physical == 5678 and error.logical == 1
    assert "--physical 5678" in error.hint
    assert meter.kinds.count("SNRM") == 1


def _silent_after_ua(peer: Peer) -> None:
    peer.honest(peer.next_frame())  # UA, then nothing


def test_silence_after_the_ua_does_not_blame_the_address() -> None:
    error, _meter = _connect_error(_silent_after_ua, timeout=0.2, retries=0)
    assert type(error) is NoResponse
    assert "went silent after the UA" in error.message
    assert "address is right" in error.hint


def _garbled_aare(peer: Peer) -> None:
    peer.honest(peer.next_frame())
    if peer.request() is not None:  # the AARQ (none when the SNRM called another address)
        peer.answer(b"\x61\x05\xa1\x03\x06\x01")  # an AARE cut in its first field


def test_an_undecodable_aare_is_reported_once_with_its_bytes() -> None:
    error, meter = _connect_error(_garbled_aare, timeout=0.3, retries=3)
    assert type(error) is ProtocolFailure
    assert "the AARE could not be decoded" in error.message and "61 05 A1 03" in error.message
    assert meter.kinds.count("SNRM") == 1  # no reconnect for a deterministic answer


def _flood_after_request(kind: FrameKind):
    def script(peer: Peer) -> None:
        peer.associate()
        peer.request()
        frame = peer.frame(kind, n_r=peer.link._vr)  # well-formed, right sequence number
        while not peer.stopped:
            peer.send(frame)
            time.sleep(0.01)
    return script


@pytest.mark.parametrize("kind", [FrameKind.RR, FrameKind.RNR])
def test_endless_rr_or_rnr_after_a_get_ends_the_read(kind: FrameKind) -> None:
    error, client, meter = _read_error(_flood_after_request(kind), timeout=0.3, retries=2)
    client.close()
    assert "kept sending frames (" in error.message and kind.name in error.message
    assert client.reconnects == 0 and meter.connections == 1
    assert meter.kinds.count("I") == 2  # the AARQ and the one GET request


def _endless_blocks(peer: Peer) -> None:
    peer.associate()
    number = 1
    while not peer.stopped and (apdu := peer.request()) is not None:
        request = decoded(apdu)
        if isinstance(request, GetRequestNext):
            number = request.block_number + 1
        peer.answer(encoded(GetResponseWithDatablock(False, number, b"\x00" * 100)))


def test_endless_non_last_datablocks_stop_at_the_transfer_cap() -> None:
    error, _, meter = _read_error(_endless_blocks, max_transfer=4096)
    message = error.message
    assert "passed 4096 bytes" in message and "without a last block" in message
    # 41 blocks of 100 bytes pass 4096; the AARQ + the GET + 40 GET-Request-next
    assert meter.kinds.count("I") == 1 + 41


def _endless_segments(peer: Peer) -> None:
    peer.associate()
    peer.request()
    link = peer.link
    n_s = link._vs
    while not peer.stopped:
        peer.send(peer.frame(FrameKind.I, n_s=n_s, n_r=link._vr, pf=False, segmented=True,
                             info=b"\xe6\xe7\x00" + b"\xaa" * 110))
        n_s = (n_s + 1) % 8


def test_endless_segments_stop_at_the_largest_apdu_we_accept() -> None:
    error, client, _ = _read_error(_endless_segments, timeout=0.5)
    assert "65535 bytes" in error.message
    assert client.reconnects == 0


def _cancel_while_running(run: Callable[[], object], cancel: Callable[[], object],
                          guard: float) -> None:
    """Run ``run`` in a thread and ``cancel`` it 0.3 s in: the thread must end within
    ``guard`` seconds (a hang guard), having raised Cancelled and nothing else."""
    outcome: list[BaseException] = []

    def target() -> None:
        try:
            run()
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=target)
    worker.start()
    time.sleep(0.3)
    cancel()
    worker.join(guard)
    assert not worker.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], Cancelled)


def test_cancel_from_another_thread_ends_a_flood_at_once() -> None:
    with HostileMeter(_flood_after_request(FrameKind.RR)) as meter:
        client = DlmsClient(meter.settings(timeout=30.0, retries=3))
        client.connect()
        # hang guard 10 s: the timeout alone would allow 150 s
        _cancel_while_running(lambda: client.get(SERIAL), client.cancel, 10)


def _other_address_then_honest(peer: Peer) -> None:
    """Answers the SNRM for 1234 from 5678; associates honestly when called as 5678."""
    frame = peer.next_frame()
    if frame is None:  # the probe's first connection only checks TCP
        return
    if frame.dest == server_address(1, 1234):
        peer.send(peer.frame(FrameKind.UA, src=server_address(1, 5678)))
        return
    peer.link = ServerLink(1, 5678)
    peer.link.receive_data(encode_frame(frame))
    peer.honest(None)
    peer.request()
    peer.answer(encode_acse(accepted_aare()))


def test_probe_follows_an_answer_from_another_address_and_survives_a_garbled_aare() -> None:
    from workbench.session.probe import BAD_ANSWER, OTHER_ADDRESS, SILENT, probe

    with HostileMeter(_other_address_then_honest) as meter:
        report = probe(meter.settings(timeout=0.3), physicals=[1234, 1], clients=[16])
    outcomes = [(a.physical, a.outcome) for a in report.attempts]
    assert outcomes[0] == (1234, OTHER_ADDRESS) and outcomes[1][0] == 5678
    assert report.physical == 5678 and report.working
    with HostileMeter(_garbled_aare) as meter:
        report = probe(meter.settings(timeout=0.3), physicals=[1234, 1], clients=[16])
    assert [a.outcome for a in report.attempts] == [BAD_ANSWER, SILENT]  # the scan went on
    assert "could not be decoded" in report.attempts[0].explanation


def test_probe_cancel_stops_the_running_attempt() -> None:
    from workbench.session.probe import probe

    cancel = threading.Event()
    with HostileMeter(lambda peer: None) as meter:
        # hang guard 8 s: the attempt alone would wait 10 s
        _cancel_while_running(lambda: probe(meter.settings(timeout=10.0), physicals=[1234],
                                            budget=60, cancel=cancel), cancel.set, 8)

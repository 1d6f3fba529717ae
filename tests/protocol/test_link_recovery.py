"""Link-level recovery: a lost frame in either direction is repaired by an RR poll or by
resending the request, with no reconnect, and a repeated request is never delivered twice."""

from __future__ import annotations

import pytest

from tests.helpers import ClientServerPair
from workbench.protocol.errors import LocalProtocolError
from workbench.protocol.hdlc import (
    ApduReceived,
    ClientLink,
    FrameKind,
    FrameRejected,
    HdlcFrame,
    HdlcParameters,
    client_address,
    decode_frame,
    encode_frame,
    server_address,
)

REQUEST = b"\xc1\x01\xc1\x00\x08\x00\x00\x01\x00\x00\xff\x06\x00\x10\x00\x1e"  # an ACTION
RESPONSE = b"\xc7\x01\xc1\x00\x00"
LONG = bytes(range(256)) * 4  # with the LLC header: 9 segments of up to 128 bytes


class LossyPair(ClientServerPair):
    """The pair, with a wire that loses chosen frames (numbered per direction from 1)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.lose: dict[str, set[int]] = {"c>s": set(), "s>c": set()}
        self.sent = {"c>s": 0, "s>c": 0}
        self.lost: list[tuple[str, bytes]] = []

    def arm(self, *, to_server: tuple[int, ...] = (), to_client: tuple[int, ...] = ()) -> None:
        """From now on, lose these frames of each direction (1 = the next one sent)."""
        self.sent = {"c>s": 0, "s>c": 0}
        self.lose = {"c>s": set(to_server), "s>c": set(to_client)}

    def _deliver(self, frames: list[bytes], to, tag: str) -> list:
        kept = []
        for frame in frames:
            self.sent[tag] += 1
            if self.sent[tag] in self.lose[tag]:
                self.lost.append((tag, frame))
            else:
                kept.append(frame)
        return super()._deliver(kept, to, tag)

    def poll(self) -> tuple[list, list]:
        """The client's RR poll, and everything it sets off."""
        self.client.poll()
        return self.run()

    def recover(self, how: str) -> tuple[list, list]:
        """``poll`` or ``retransmit``, and everything it sets off."""
        getattr(self.client, how)()
        return self.run()


def _connected(**kwargs: object) -> LossyPair:
    pair = LossyPair(**kwargs)
    pair.connect()
    return pair


def test_lost_request_is_resent_after_the_polls_rr_names_it():
    pair = _connected()
    pair.arm(to_server=(1,))
    assert pair.request(REQUEST) == ([], [])
    client_events, server_events = pair.poll()
    assert server_events == [ApduReceived(REQUEST)]
    assert client_events == []
    poll_answer = decode_frame(pair.wire[-2][1])
    assert (poll_answer.kind, poll_answer.n_r, poll_answer.pf) == (FrameKind.RR, 0, True)
    resent = decode_frame(pair.wire[-1][1])
    assert resent.kind is FrameKind.I and resent.n_s == 0
    assert pair.wire[-1][1] == pair.lost[0][1]  # byte for byte the frame that was lost
    assert pair.respond(RESPONSE) == [ApduReceived(RESPONSE)]


def test_lost_response_is_resent_by_the_meter_on_poll():
    pair = _connected()
    _, server_events = pair.request(REQUEST)
    assert server_events == [ApduReceived(REQUEST)]
    pair.arm(to_client=(1,))
    assert pair.respond(RESPONSE) == []
    client_events, server_events = pair.poll()
    assert client_events == [ApduReceived(RESPONSE)]
    assert server_events == []  # the request was not delivered again
    assert pair.wire[-1][1] == pair.lost[0][1]


@pytest.mark.parametrize("recover", ["poll", "retransmit"])
def test_repeated_request_is_answered_again_not_executed_twice(recover):
    pair = _connected()
    pair.client.send_apdu(REQUEST)
    first = pair.client.data_to_send()
    _, server_events = pair.run(first)
    pair.arm(to_client=(1,))
    pair.respond(RESPONSE)  # lost
    getattr(pair.client, recover)()
    frames = pair.client.data_to_send()
    if recover == "retransmit":
        assert frames == first
    client_events, server_events = pair.run(frames)
    assert client_events == [ApduReceived(RESPONSE)]
    assert not any(isinstance(e, ApduReceived) for e in server_events)
    if recover == "retransmit":
        assert "repeated I frame N(S)=0: answered again" in server_events[0].reason
    # the exchange after the recovery is numbered as if nothing happened
    _, server_events = pair.request(b"\xc0\x01\xc1")
    assert server_events == [ApduReceived(b"\xc0\x01\xc1")]
    assert pair.respond(b"\xc4\x01\xc1\x00") == [ApduReceived(b"\xc4\x01\xc1\x00")]


@pytest.mark.parametrize("lost", [1, 3, 9])
def test_lost_segment_of_a_long_response_is_resent_on_poll(lost):
    pair = _connected()
    pair.request(REQUEST)
    pair.arm(to_client=(lost,))
    assert pair.respond(LONG) == []
    client_events, _ = pair.poll()
    assert client_events == [ApduReceived(LONG)]
    lost_frame = decode_frame(pair.lost[0][1])
    assert lost_frame.n_s == (lost - 1) % 8 and lost_frame.segmented is (lost < 9)


@pytest.mark.parametrize("recover", ["poll", "retransmit"])
@pytest.mark.parametrize("lost", [1, 3, 9])
def test_lost_segment_of_a_long_request_is_resent(lost, recover):
    pair = _connected()
    pair.arm(to_server=(lost,))
    _, server_events = pair.request(LONG)
    assert server_events == []
    _, server_events = pair.recover(recover)
    assert server_events == [ApduReceived(LONG)]


@pytest.mark.parametrize("recover", ["poll", "retransmit"])
def test_lost_rr_from_the_meter_during_a_long_request(recover):
    pair = _connected()
    pair.arm(to_client=(2,))
    _, server_events = pair.request(LONG)
    assert server_events == [] and pair.kinds("s>c")[-1] is FrameKind.RR
    _, server_events = pair.recover(recover)
    assert server_events[-1] == ApduReceived(LONG)
    if recover == "retransmit":  # the meter saw segment 2 twice and acknowledged it again
        assert "repeated I frame N(S)=1" in server_events[0].reason


def test_lost_rr_from_the_client_during_a_long_response():
    pair = _connected()
    pair.request(REQUEST)
    pair.arm(to_server=(4,))
    assert pair.respond(LONG) == []
    assert decode_frame(pair.lost[0][1]).kind is FrameKind.RR
    client_events, _ = pair.poll()
    assert client_events == [ApduReceived(LONG)]


def test_lost_middle_segment_of_a_window_is_resent_go_back_n():
    params = HdlcParameters(64, 64, 3, 3)
    pair = _connected(client_params=params, server_params=params)
    pair.arm(to_server=(2,))
    _, server_events = pair.request(bytes(400))
    assert server_events[-1] == ApduReceived(bytes(400))
    assert "out of sequence" in server_events[0].reason  # segment 3 came before 2


def test_poll_with_nothing_outstanding_is_answered_rr_and_changes_nothing():
    pair = _connected()
    pair.request(REQUEST)
    pair.respond(RESPONSE)
    client_events, server_events = pair.poll()
    assert (client_events, server_events) == ([], [])
    answer = decode_frame(pair.wire[-1][1])
    assert (answer.kind, answer.n_r, answer.pf) == (FrameKind.RR, 1, True)
    pair.client.retransmit()
    resent = pair.client.data_to_send()
    pair.client.poll()
    assert resent == pair.client.data_to_send()  # nothing of ours to resend: a poll


def test_client_drops_a_late_repeat_of_the_response_without_answering():
    pair = _connected()
    pair.request(REQUEST)
    pair.server.send_apdu(RESPONSE)
    response = pair.server.data_to_send()
    pair.client.receive_data(b"".join(response * 2))
    assert pair.client.next_event() == ApduReceived(RESPONSE)
    repeat = pair.client.next_event()
    assert isinstance(repeat, FrameRejected) and "repeated I frame N(S)=0 ignored" in repeat.reason
    assert pair.client.data_to_send() == []


def test_rr_naming_a_frame_never_sent_is_rejected():
    pair = _connected()
    rr = HdlcFrame(FrameKind.RR, client_address(16), server_address(1, 1234), n_r=5)
    pair.client.receive_data(encode_frame(rr))
    event = pair.client.next_event()
    assert isinstance(event, FrameRejected)
    assert event.reason.startswith("RR carries N(R)=5, expected 0..0")


def test_poll_and_retransmit_need_a_connected_link():
    client = ClientLink(16, server_address(1, 1234))
    with pytest.raises(LocalProtocolError, match="can't handle poll in state DISCONNECTED"):
        client.poll()
    with pytest.raises(LocalProtocolError, match="can't handle retransmit"):
        client.retransmit()

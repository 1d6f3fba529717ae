"""Sample frames shared by the capture and frame-log tests, built with the protocol encoders."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from workbench.framelog import FrameRecord
from workbench.protocol.apdu import Aarq, Mechanism, encode_acse
from workbench.protocol.hdlc import (
    FrameKind,
    HdlcFrame,
    client_address,
    encode_frame,
    server_address,
    split_info,
)

PASSWORD = b"2222222222"
METER = server_address(1, 1234)
CLIENT = client_address(1)
LLC_REQUEST = b"\xe6\xe6\x00"
LLC_RESPONSE = b"\xe6\xe7\x00"
# GET-Request-Normal, invoke-id 0xC1, class 3, 1-1:32.7.0.255, attribute 2, no selector
GET_VOLTAGE = bytes.fromhex("C001C1000301012007 00FF0200")


def aarq_frame(password: bytes = PASSWORD) -> bytes:
    """An AARQ with LLS authentication, as the client sends it (N(S)=0, N(R)=0)."""
    apdu = encode_acse(Aarq(mechanism=Mechanism.LLS, password=password))
    return encode_frame(HdlcFrame(FrameKind.I, METER, CLIENT, info=LLC_REQUEST + apdu))


def aarq_info(password: bytes = PASSWORD) -> bytes:
    """LLC header + AARQ with LLS authentication: an I frame's whole information field."""
    return LLC_REQUEST + encode_acse(Aarq(mechanism=Mechanism.LLS, password=password))


def info_frame(info: bytes, *, n_s: int = 0, segmented: bool = False) -> bytes:
    """A client I frame to the meter carrying ``info`` (any bytes, checks computed)."""
    return encode_frame(HdlcFrame(FrameKind.I, METER, CLIENT, n_s=n_s, segmented=segmented,
                                  info=info))


def split_aarq_frames(max_info: int, password: bytes = PASSWORD) -> list[bytes]:
    """The LLS AARQ as a client sends it to a meter that negotiated ``max_info``.

    N(S) counts modulo 8, as on the wire: a small ``max_info`` needs more than 8 segments.
    """
    parts = split_info(aarq_info(password), max_info)
    return [info_frame(part, n_s=i % 8, segmented=i < len(parts) - 1)
            for i, part in enumerate(parts)]


def snrm_frame() -> bytes:
    return encode_frame(HdlcFrame(FrameKind.SNRM, METER, CLIENT))


def ua_frame() -> bytes:
    return encode_frame(HdlcFrame(FrameKind.UA, CLIENT, METER))


def get_frame(n_s: int = 2, n_r: int = 1) -> bytes:
    return encode_frame(HdlcFrame(FrameKind.I, METER, CLIENT, n_s=n_s, n_r=n_r,
                                  info=LLC_REQUEST + GET_VOLTAGE))


def rr_frame(n_r: int = 3) -> bytes:
    return encode_frame(HdlcFrame(FrameKind.RR, CLIENT, METER, n_r=n_r))


def session_records(start: float = 1_764_064_800.0) -> list[FrameRecord]:
    """A short session: SNRM/UA, AARQ with password, a GET, an RR; with one note."""
    frames = [("tx", snrm_frame(), ""), ("rx", ua_frame(), ""), ("tx", aarq_frame(), ""),
              ("tx", get_frame(), "retry 1\nafter timeout"), ("rx", rr_frame(), "")]
    return [FrameRecord(start + i * 0.125, d, raw, note) for i, (d, raw, note) in enumerate(frames)]


def assert_same_records(got: Sequence[FrameRecord], sent: Sequence[FrameRecord]) -> None:
    """A capture read back holds the frames written: direction, bytes and note exactly,
    the time to the microsecond (both formats store microseconds)."""
    assert [(r.direction, r.raw, r.note) for r in got] == \
        [(r.direction, r.raw, r.note) for r in sent]
    assert [r.time for r in got] == pytest.approx([r.time for r in sent], abs=1e-6)

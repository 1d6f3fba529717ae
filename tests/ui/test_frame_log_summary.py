"""The frame log's fast-path summary says exactly what the dissection-based summary says.

The corpus is a real session against the simulator (association with LLS, GET, GET-with-
list, SET, ACTION, refusals, the object list and a profile in segmented blocks), the vendor
notes' frames, and every one of them damaged: a byte of the APDU changed or cut with the
frame's checksums recomputed (so the APDU decoder meets it), or a byte of the frame changed.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.capture.samples import CLIENT, METER, session_records
from tests.helpers import running_meter
from workbench.framelog import BAD, frame_facts, summarize
from workbench.protocol.apdu import AttributeDescriptor, MethodDescriptor, names
from workbench.protocol.axdr import CosemDateTime, Data
from workbench.protocol.cosem import Obis
from workbench.protocol.dissect import dissect
from workbench.protocol.errors import ProtocolError
from workbench.protocol.hdlc import (
    LLC_REQUEST,
    FrameKind,
    HdlcFrame,
    decode_frame,
    encode_frame,
    parse_frame,
)
from workbench.session.client import DlmsClient
from workbench.session.errors import AccessDenied
from workbench.session.settings import ConnectionSettings, Secret

SERIAL = AttributeDescriptor(1, Obis.parse("0-0:96.1.0.255"), 2)
VOLTAGE = AttributeDescriptor(3, Obis.parse("1-1:32.7.0.255"), 2)
CLOCK = AttributeDescriptor(8, Obis.parse("0-0:1.0.0.255"), 2)
MISSING = AttributeDescriptor(3, Obis.parse("1-1:99.99.9.255"), 2)
SHIFT = MethodDescriptor(8, Obis.parse("0-0:1.0.0.255"), 6)
NOTES_FRAMES = ("7E A0 07 03 03 93 8C 11 7E", "7E A0 08 02 03 03 53 09 B1 7E")


def _settings(address: tuple[str, int], **extra: object) -> ConnectionSettings:
    host, port = address
    return ConnectionSettings(host=host, port=port, timeout=2.0, retries=2, max_info=64,
                              **extra)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def session_frames() -> list[bytes]:
    """Every frame of a varied session with the simulated meter, in order."""
    records: list = []
    with running_meter() as meter:
        with DlmsClient(_settings(meter.address), observers=[records.append]) as client:
            client.get(SERIAL)
            client.get_many([SERIAL, VOLTAGE, CLOCK, MISSING])
            with pytest.raises(AccessDenied):
                client.set(CLOCK, Data.octets(CosemDateTime.from_datetime(
                    dt.datetime(2026, 1, 2, 3, 4, 5)).encode()))
            client.object_list()
            client.read_profile("1-0:99.1.0.255", last=40)
        manager = _settings(meter.address, client=1, password=Secret("2222222222"))
        with DlmsClient(manager, observers=[records.append]) as client:
            client.action(SHIFT, Data.i16(30))
            client.set(CLOCK, Data.octets(CosemDateTime.from_datetime(
                dt.datetime(2026, 1, 2, 3, 4, 5)).encode()))
    return [r.raw for r in records] + [r.raw for r in session_records()] + [
        bytes.fromhex(text) for text in NOTES_FRAMES]


def expected(raw: bytes) -> tuple[str, str]:
    """Kind and summary the way the log showed them before the fast path: by dissection."""
    try:
        frame, problems = parse_frame(raw)
        kind = BAD if problems else frame.kind.name
    except ProtocolError:
        kind = BAD
    return kind, summarize(dissect(raw))


def check(raw: bytes) -> bool:
    """Assert the fast path agrees with the dissection; True when it gave a summary."""
    kind, summary = frame_facts(raw)
    want_kind, want_summary = expected(raw)
    assert kind == want_kind, raw.hex(" ")
    assert summary is None or summary == want_summary, raw.hex(" ")
    return summary is not None


def apdu_variants(raw: bytes) -> list[bytes]:
    """The frame re-encoded with each APDU byte changed, and with the APDU cut short."""
    frame = decode_frame(raw)
    if frame.kind is not FrameKind.I or frame.segmented or len(frame.info) < 4:
        return []
    apdu, out = frame.info[3:], []
    for at in range(len(apdu)):
        for value in {apdu[at] ^ 0xFF, (apdu[at] + 1) & 0xFF}:
            out.append(apdu[:at] + bytes([value]) + apdu[at + 1:])
        out.append(apdu[:at])
    return [encode_frame(HdlcFrame(frame.kind, frame.dest, frame.src, frame.pf, frame.n_s,
                                   frame.n_r, False, frame.info[:3] + body)) for body in out]


def test_session_frames_are_summarised_without_dissection(session_frames):
    assert len(session_frames) > 60
    assert all(check(raw) for raw in session_frames)  # every valid frame takes the fast path
    shown = {frame_facts(raw)[1] for raw in session_frames}
    for words in ("get-request-normal 0-0:96.1.0.255 /2", "get-request-with-list 0-0:96.1.0.255 /2",
                  "get-response-with-datablock", "set-request-normal 0-0:1.0.0.255 /2",
                  "set-response-normal", "action-request-normal 0-0:1.0.0.255 /6", "AARQ",
                  "AARE", "get-request-next", "get-response-with-list"):
        assert any(words in text for text in shown), words


def test_damaged_apdus_agree_with_the_dissection(session_frames):
    variants = {v for raw in dict.fromkeys(session_frames)
                for v in apdu_variants(raw)[:120]}
    assert len(variants) > 1_000
    fast = sum(check(raw) for raw in variants)
    assert 0 < fast < len(variants)  # both paths were exercised


def test_damaged_frames_agree_with_the_dissection(session_frames):
    for raw in dict.fromkeys(session_frames[:40]):
        for at in range(len(raw)):
            check(raw[:at] + bytes([raw[at] ^ 0x5A]) + raw[at + 1:])
        check(raw[:-1])
        check(raw + b"\x7e")
        check(raw + raw)  # two frames in one record: the dissection shows both


@settings(max_examples=300, deadline=None)
@given(tag=st.sampled_from(sorted(names.APDU_TAGS)), body=st.binary(max_size=40),
       segmented=st.booleans())
def test_random_apdus_agree_with_the_dissection(tag, body, segmented):
    info = LLC_REQUEST + bytes([tag]) + body
    check(encode_frame(HdlcFrame(FrameKind.I, METER, CLIENT, n_s=3, n_r=5,
                                 segmented=segmented, info=info)))


def test_kinds_cover_every_frame_kind():
    for kind in (FrameKind.RR, FrameKind.RNR, FrameKind.DISC, FrameKind.DM, FrameKind.UI):
        raw = encode_frame(HdlcFrame(kind, METER, CLIENT, n_r=2 if kind in (
            FrameKind.RR, FrameKind.RNR) else 0))
        assert check(raw) and frame_facts(raw)[0] == kind.name

"""The two-decoder design, held equal: the fast decoders (no recorder) and the recording ones
(dissection) must accept the same bytes with the same result and refuse them with the same
error — for A-XDR Data and for whole APDUs, on valid encodings, their mutations and noise."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.protocol.apdu import decode_apdu, encode_apdu, names
from workbench.protocol.axdr import Data, decode_data, encode_data
from workbench.protocol.errors import ProtocolError
from workbench.protocol.fields import Recorder

from .test_apdu import SAMPLES
from .test_axdr import data_values
from .test_every_apdu import SAMPLES as MORE_SAMPLES


def _outcome(decode: object) -> tuple[str, str]:
    """What a decoder gave, as text: a float32/64 NaN the bytes may hold is not equal to
    itself, so values are compared by their full repr (which names every type and value)."""
    try:
        return "ok", repr(decode())  # type: ignore[operator]
    except ProtocolError as exc:
        return "error", repr((str(exc), exc.offset))


@st.composite
def _mutated(draw: st.DrawFn, valid: bytes) -> bytes:
    raw = bytearray(valid)
    for _ in range(draw(st.integers(0, 3))):
        if raw:
            raw[draw(st.integers(0, len(raw) - 1))] = draw(st.integers(0, 255))
    return bytes(raw[:draw(st.integers(0, len(raw)))] if draw(st.booleans()) else raw)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.binary(max_size=80),
                 data_values().map(encode_data).flatmap(_mutated)))
def test_axdr_fast_and_recording_decoders_agree(raw: bytes) -> None:
    fast = _outcome(lambda: decode_data(raw))
    recorded = _outcome(lambda: decode_data(raw, rec=Recorder("data")))
    assert fast == recorded


_APDUS = [encode_apdu(a) for a in [*SAMPLES, *MORE_SAMPLES]]


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.sampled_from(_APDUS).flatmap(_mutated),
                 st.tuples(st.sampled_from(sorted(names.APDU_TAGS)), st.binary(max_size=40))
                 .map(lambda t: bytes([t[0]]) + t[1])))
def test_apdu_fast_and_recording_decoders_agree(raw: bytes) -> None:
    fast_warnings: list[str] = []
    recorded_warnings: list[str] = []
    fast = _outcome(lambda: decode_apdu(raw, warnings=fast_warnings))
    recorded = _outcome(lambda: decode_apdu(raw, Recorder("APDU"), warnings=recorded_warnings))
    assert fast == recorded and fast_warnings == recorded_warnings


def test_the_pairs_agree_on_every_sample() -> None:
    for raw in _APDUS:
        assert _outcome(lambda r=raw: decode_apdu(r)) == _outcome(  # type: ignore[misc]
            lambda r=raw: decode_apdu(r, Recorder("APDU")))
    value = Data.array([Data.struct(Data.u32(i), Data.octets(bytes(12))) for i in range(20)])
    raw = encode_data(value)
    assert decode_data(raw) == decode_data(raw, rec=Recorder("data")) == (value, len(raw))

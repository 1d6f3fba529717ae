"""What really happened during a wait that did not end well, in the engineer's words.

Every wait of the link driver keeps a :class:`Heard` record of what arrived: bytes, junk,
damaged frames, valid frames the link refused and why, frames from another address. When
the wait fails, :func:`diagnose` turns that record into one typed error naming the real
cause, with the real elapsed time:

* nothing at all arrived → :class:`NoResponse` (a wrong physical address before the UA;
  after the UA or the AARE the address is right and the hint says so);
* only damaged frames → :class:`NoResponse` (a noisy line: retried);
* bytes but no valid frame → :class:`ProtocolFailure`, showing the first bytes;
* a frame from another address → :class:`WrongAddress`, naming that address;
* valid frames the link refused → :class:`ProtocolFailure`, saying why.

The last three are deterministic: repeating the request would get the same answer, so they
are reported once and never retried as if the line were noisy.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import Enum

from workbench.protocol.errors import ProtocolError
from workbench.protocol.hdlc import HdlcAddress, decode_address, decode_frame
from workbench.session.errors import NoResponse, ProtocolFailure, SessionError, WrongAddress

__all__ = ["FIRST_BYTES", "Heard", "Stage", "diagnose", "hex_preview"]

FIRST_BYTES = 16
"""How many of the first bytes heard a message shows."""
_KEPT_REJECTIONS = 4
_NOT_HDLC = ("Something other than a DLMS meter with HDLC answers on this port, or the line "
             "garbles every frame: check the port (3333 on Microstar meters) and the modem.")


class Stage(Enum):
    """How far the connection got: what silence means depends on it."""

    LINK = "link"  # SNRM sent, no UA yet
    ASSOCIATION = "association"  # UA received, AARQ sent
    ASSOCIATED = "associated"


def hex_preview(raw: bytes, limit: int = FIRST_BYTES) -> str:
    """``7E A0 0A …`` (the first ``limit`` bytes, upper case)."""
    text = raw[:limit].hex(" ").upper()
    return text + (" …" if len(raw) > limit else "")


@dataclass
class Heard:
    """Everything that arrived during one wait (one exchange, with its link retries)."""

    started: float = field(default_factory=time.monotonic)
    byte_count: int = 0
    first_bytes: bytes = b""
    frames: int = 0
    junk: int = 0
    damaged: list[str] = field(default_factory=list)
    rejected: list[tuple[bytes, str]] = field(default_factory=list)
    rejected_count: int = 0
    foreign: list[tuple[bytes, str]] = field(default_factory=list)
    kinds: dict[str, int] = field(default_factory=dict)
    cut_by_deadline: bool = False
    """The last wait ended while the peer was still sending (a flood, a trickle)."""
    last_byte_at: float | None = None

    def frame_in(self, kind: str) -> None:
        """A valid frame arrived (whatever the link then makes of it)."""
        self.frames += 1
        self.kinds[kind] = self.kinds.get(kind, 0) + 1

    def bytes_in(self, chunk: bytes) -> None:
        self.last_byte_at = time.monotonic()
        self.byte_count += len(chunk)
        if len(self.first_bytes) < FIRST_BYTES:
            self.first_bytes += chunk[:FIRST_BYTES - len(self.first_bytes)]

    def damaged_frame(self, reason: str) -> None:
        if len(self.damaged) < _KEPT_REJECTIONS:
            self.damaged.append(reason)

    def refused(self, raw: bytes, reason: str, *, foreign: bool = False) -> None:
        """A valid frame the link could not use (``foreign``: addressed from/to others)."""
        self.rejected_count += 1
        kept = self.foreign if foreign else self.rejected
        if len(kept) < _KEPT_REJECTIONS:
            kept.append((raw, reason))

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def active_within(self, seconds: float) -> bool:
        """True when the last byte arrived less than ``seconds`` ago."""
        return self.last_byte_at is not None and time.monotonic() - self.last_byte_at < seconds


def _addresses(raw: bytes) -> tuple[HdlcAddress, HdlcAddress] | None:
    """(source, destination) of a valid frame, or None."""
    try:
        frame = decode_frame(raw)
        return decode_address(frame.src), decode_address(frame.dest)
    except ProtocolError:
        return None


def _wrong_address(heard: Heard, what: str, where: str, seconds: float) -> SessionError:
    raw, reason = heard.foreign[0]
    found = _addresses(raw)
    if found is None:  # cannot happen for a frame the reader accepted; keep a plain text
        return ProtocolFailure(f"{reason}, while waiting for {what}")
    src, dest = found
    physical = src.lower
    text = (f"{reason}, to client {dest.upper}, while we waited {seconds:.1f} s for {what} "
            f"({where}); frame: {hex_preview(raw)}")
    if physical is not None:
        hint = (f"The meter on this port answers as physical address {physical}: use "
                f"--physical {physical} (or a serial ending in {physical:04d}).")
    else:
        hint = f"The meter answers with the 1-byte address {src.upper}: check the address size."
    return WrongAddress(text, hint, logical=src.upper, physical=physical)


def _silence(stage: Stage, what: str, where: str, seconds: float) -> NoResponse:
    if stage is Stage.LINK:
        return NoResponse(f"no answer from the meter: nothing at all arrived in {seconds:.1f} s "
                          f"while waiting for {what} ({where})")
    said = "the UA (the HDLC link is up)" if stage is Stage.ASSOCIATION else "the AARE"
    return NoResponse(
        f"the meter went silent after {said}: nothing arrived in {seconds:.1f} s while "
        f"waiting for {what} ({where})",
        "The address is right, since the meter answered before. Try again; if it keeps "
        "happening, the meter is busy with another client or the line drops frames.")


def _kinds(heard: Heard) -> str:
    return ", ".join(f"{n} {kind}" for kind, n in sorted(heard.kinds.items(),
                                                         key=lambda item: -item[1]))


def diagnose(heard: Heard, *, what: str, where: str, stage: Stage, stalled: bool = False,
             seconds: float | None = None) -> SessionError:
    """The typed error that names what really happened during a wait that failed.

    Args:
        stalled: the exchange's deadline passed while frames kept arriving (as opposed to
            a silence longer than the timeout).
    """
    took = heard.elapsed() if seconds is None else seconds
    if heard.foreign:
        return _wrong_address(heard, what, where, took)
    if stalled and heard.frames and not heard.rejected:
        return ProtocolFailure(
            f"the meter kept sending frames ({_kinds(heard)}) for {took:.1f} s but never "
            f"completed {what}",
            "The meter (or something pretending to be one) does not finish the exchange; "
            "save the trace (--trace, or File → Save capture) and report it.")
    if stalled and heard.byte_count and not heard.frames:
        return ProtocolFailure(
            f"bytes kept arriving ({heard.byte_count} in {took:.1f} s) but never formed a "
            f"valid HDLC frame while we waited for {what}; first bytes: "
            f"{hex_preview(heard.first_bytes)}", _NOT_HDLC)
    if heard.rejected:
        raw, reason = heard.rejected[0]
        return ProtocolFailure(
            f"while we waited for {what}, the meter sent {heard.rejected_count} frame(s) we "
            f"could not use in {took:.1f} s: {reason}; first: {hex_preview(raw)}",
            "The meter's answer breaks IEC 62056-46 in a way we do not accept; save the "
            "trace (--trace, or File → Save capture) and report it.")
    if heard.damaged:
        return NoResponse(
            f"the meter's frame arrived damaged ({heard.damaged[-1]}) while waiting for "
            f"{what}; {took:.1f} s", "The line is noisy: check the modem or cable, or allow "
            "more retries.")
    if heard.byte_count:
        return ProtocolFailure(
            f"{heard.byte_count} byte(s) arrived in {took:.1f} s but no valid HDLC frame, "
            f"while waiting for {what}; first bytes: {hex_preview(heard.first_bytes)}",
            _NOT_HDLC)
    return _silence(stage, what, where, took)

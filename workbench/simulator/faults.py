"""Fault injection: what the simulated meter does wrong on purpose, reproducibly.

Faults act on the frames the meter sends, just before they reach the socket, so the HDLC
link and the association above never know: the client sees exactly what a flaky modem or
a bad meter would produce. Every random choice comes from a per-connection
``random.Random`` seeded from the meter seed and the connection number, so a run with the
same seed and the same client traffic is byte-for-byte repeatable.

Frame counting (for ``drop-frame``, ``truncate``, ``drop-link-after``) counts the frames the
meter sends on one connection, starting at 1.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

__all__ = ["FAULT_HELP", "Fault", "FaultError", "FaultInjector", "Outgoing", "parse_fault"]

FAULT_HELP = """\
fault SPECs (repeat --fault to combine; random choices follow --seed):
  corrupt-fcs:RATE     flip the FCS of each sent frame with probability RATE (0..1)
  drop-frame:N         silently drop every Nth frame the meter sends
  drop-link-after:N    close the TCP connection right after the Nth frame sent
  drop-mid-block       close the connection once a GET-Response-with-datablock that is
                       not the last block has been sent (the client holds a partial value)
  truncate:N           send only the first half of every Nth frame (no closing flag)
  garbage:RATE         with probability RATE, send 1-8 garbage bytes (never 0x7E) before a frame
  slow-bytes:DELAY     send responses one byte at a time, DELAY between bytes (e.g. 2ms, 0.5s)
"""

_RATE_KINDS = {"corrupt-fcs", "garbage"}
_COUNT_KINDS = {"drop-frame", "drop-link-after", "truncate"}
_DELAY_KINDS = {"slow-bytes"}
_FLAG_KINDS = {"drop-mid-block"}
#: Garbage never contains the HDLC flag, so it sits clearly *between* frames.
_GARBAGE_BYTES = bytes(b for b in range(256) if b != 0x7E)


class FaultError(ValueError):
    """A ``--fault`` SPEC that cannot be understood; the message says what is accepted."""


@dataclass(frozen=True, slots=True)
class Fault:
    """One fault: ``kind`` plus its parameter (rate 0..1, frame count, or delay in seconds)."""

    kind: str
    value: float = 0.0

    def __str__(self) -> str:
        if self.kind in _FLAG_KINDS:
            return self.kind
        if self.kind in _DELAY_KINDS:
            return f"{self.kind}:{self.value * 1000:g}ms"
        if self.kind in _COUNT_KINDS:
            return f"{self.kind}:{int(self.value)}"
        return f"{self.kind}:{self.value:g}"


def parse_fault(spec: str | Fault) -> Fault:
    """Parse ``KIND[:VALUE]`` as documented in :data:`FAULT_HELP`.

    Raises:
        FaultError: unknown kind, missing or out-of-range value.
    """
    if isinstance(spec, Fault):
        return spec
    kind, _, raw = spec.strip().partition(":")
    if kind in _FLAG_KINDS:
        if raw:
            raise FaultError(f"fault '{kind}' takes no value, got '{raw}'")
        return Fault(kind)
    if not raw and kind in _RATE_KINDS | _COUNT_KINDS | _DELAY_KINDS:
        raise FaultError(f"fault '{kind}' needs a value: '{kind}:VALUE'")
    if kind in _RATE_KINDS:
        return Fault(kind, _parse_rate(kind, raw))
    if kind in _COUNT_KINDS:
        return Fault(kind, _parse_count(kind, raw))
    if kind in _DELAY_KINDS:
        return Fault(kind, _parse_delay(kind, raw))
    known = ", ".join(sorted(_RATE_KINDS | _COUNT_KINDS | _DELAY_KINDS | _FLAG_KINDS))
    raise FaultError(f"unknown fault '{kind}' in '{spec}'; known faults: {known}")


def _parse_rate(kind: str, raw: str) -> float:
    try:
        rate = float(raw)
    except ValueError:
        raise FaultError(f"fault '{kind}' needs a rate 0..1, got '{raw}'") from None
    if not 0.0 <= rate <= 1.0:
        raise FaultError(f"fault '{kind}' rate must be within 0..1, got {rate:g}")
    return rate


def _parse_count(kind: str, raw: str) -> float:
    if not raw.isdigit() or int(raw) < 1:
        raise FaultError(f"fault '{kind}' needs a whole number of frames ≥ 1, got '{raw}'")
    return float(int(raw))


def _parse_delay(kind: str, raw: str) -> float:
    match = re.fullmatch(r"(\d+(?:\.\d*)?)\s*(ms|s)?", raw)
    if not match:
        raise FaultError(f"fault '{kind}' needs a delay such as 2ms or 0.01s, got '{raw}'")
    number, unit = float(match[1]), match[2] or "ms"
    return number / 1000.0 if unit == "ms" else number


@dataclass(slots=True)
class Outgoing:
    """What the server writes for one response, after the faults had their say.

    Attributes:
        chunks: byte strings to write in order (frames, garbage, half frames).
        delay: seconds to wait before the first byte (the simulated round-trip time).
        byte_delay: seconds between single bytes (slow sender), 0 for one write per chunk.
        close_after: drop the TCP connection once the chunks are written.
    """

    chunks: list[bytes]
    delay: float = 0.0
    byte_delay: float = 0.0
    close_after: bool = False


class FaultInjector:
    """Applies the configured faults to one connection's outgoing frames."""

    def __init__(self, faults: tuple[Fault, ...], *, seed: int, connection: int,
                 rtt_ms: float = 0.0) -> None:
        self._faults = {f.kind: f.value for f in faults}
        self._rng = random.Random(f"faults:{seed}:{connection}")
        self._rtt = rtt_ms / 1000.0
        self._sent = 0

    def shape(self, frames: list[bytes], *, partial_block: bool = False) -> Outgoing:
        """Turn the frames of one response into what actually goes on the wire.

        Args:
            frames: complete HDLC frames (flags included) the link wants to send now.
            partial_block: these frames complete a GET datablock that is not the last one.
        """
        out = Outgoing([], delay=self._rtt, byte_delay=self._faults.get("slow-bytes", 0.0))
        for frame in frames:
            self._sent += 1
            out.chunks.extend(self._shape_frame(frame))
            if self._hits_every("drop-link-after", exact=True):
                out.close_after = True
                break
        if partial_block and "drop-mid-block" in self._faults:
            out.close_after = True
        return out

    def _shape_frame(self, frame: bytes) -> list[bytes]:
        chunks: list[bytes] = []
        if self._chance("garbage"):
            chunks.append(self._garbage())
        if self._hits_every("drop-frame"):
            return chunks
        if self._chance("corrupt-fcs"):
            frame = corrupt_fcs(frame)
        if self._hits_every("truncate"):
            frame = frame[: max(1, len(frame) // 2)]
        chunks.append(frame)
        return chunks

    def _chance(self, kind: str) -> bool:
        rate = self._faults.get(kind)
        return rate is not None and self._rng.random() < rate

    def _hits_every(self, kind: str, *, exact: bool = False) -> bool:
        n = self._faults.get(kind)
        if n is None:
            return False
        return self._sent == int(n) if exact else self._sent % int(n) == 0

    def _garbage(self) -> bytes:
        size = self._rng.randint(1, 8)
        return bytes(self._rng.choice(_GARBAGE_BYTES) for _ in range(size))


def corrupt_fcs(frame: bytes) -> bytes:
    """The frame with its two FCS bytes (just before the closing flag) inverted."""
    if len(frame) < 4:
        return frame
    body = bytearray(frame)
    body[-3] ^= 0xFF
    body[-2] ^= 0xFF
    return bytes(body)

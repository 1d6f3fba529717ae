"""Password masking for saved captures.

The LLS password travels in clear in the AARQ (calling-authentication-value). A capture is
meant to be shared (with a colleague, with the vendor), so by default those bytes are
overwritten with ``*`` (0x2A) before the frame reaches the disk. The frame's HCS and FCS
are then recomputed: a masked capture still decodes cleanly in the workbench and in
Wireshark, it just shows ``**********`` where the password was.

Which bytes are secret is not guessed here: the dissector marks them (``Node.secret``)
during the real parse. A cheap byte test first skips every frame that cannot carry an
AARQ, so saving 100,000 frames does not dissect 100,000 frames.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from workbench.protocol.crc import crc16_bytes
from workbench.protocol.dissect import Node

__all__ = ["MASK_BYTE", "mask_frame", "recompute_checks", "secret_spans"]

MASK_BYTE = 0x2A
"""``*``: what every secret byte becomes in a masked capture."""

_AARQ_START = b"\xe6\xe6\x00\x60"  # LLC request header followed by the AARQ tag
_FLAG = 0x7E

Dissector = Callable[[bytes], list[Node]]


def secret_spans(roots: Iterable[Node]) -> list[tuple[int, int]]:
    """Return ``(offset, length)`` of every node marked secret, anywhere in the trees."""
    return [(n.offset, n.length) for root in roots for n in root.walk()
            if n.secret and n.length > 0]


def mask_frame(raw: bytes, dissect: Dissector | None = None) -> bytes:
    """Return ``raw`` with its secret bytes replaced by ``*`` and its checks recomputed.

    Frames without secrets are returned unchanged (the same object).

    Args:
        raw: one HDLC frame, flags included.
        dissect: the dissector to find secret spans; defaults to the protocol dissector.
    """
    if _AARQ_START not in raw:
        return raw
    if dissect is None:
        from workbench.protocol.dissector import dissect
    spans = secret_spans(dissect(raw))
    if not spans:
        return raw
    masked = bytearray(raw)
    for offset, length in spans:
        masked[offset:offset + length] = bytes([MASK_BYTE]) * length
    return recompute_checks(bytes(masked))


def recompute_checks(frame: bytes) -> bytes:
    """Rewrite the HCS (when there is an information field) and the FCS of one frame.

    A frame that is not a complete, flag-delimited HDLC frame of the length its format
    field announces is returned unchanged: its checks were not valid to begin with.
    """
    if len(frame) < 9 or frame[0] != _FLAG or frame[-1] != _FLAG:
        return frame
    body = bytearray(frame[1:-1])
    if ((body[0] & 0x07) << 8 | body[1]) != len(body):
        return frame
    control = _address_end(body, _address_end(body, 2))
    if control is None or control + 3 > len(body):
        return frame
    hcs = control + 1
    if len(body) > hcs + 2:  # information field present, so the header has its own check
        body[hcs:hcs + 2] = crc16_bytes(body[:hcs])
    body[-2:] = crc16_bytes(body[:-2])
    return bytes([_FLAG]) + bytes(body) + bytes([_FLAG])


def _address_end(body: bytes | bytearray, start: int | None) -> int | None:
    """Index just past an HDLC address starting at ``start`` (its last byte has bit 0 set)."""
    if start is None:
        return None
    for i in range(start, min(start + 4, len(body))):
        if body[i] & 1:
            return i + 1
    return None

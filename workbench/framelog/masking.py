"""Password masking for saved captures, the ``--trace`` output and the frame log.

The LLS password travels in clear in the AARQ (calling-authentication-value). A capture is
meant to be shared (with a colleague, with the vendor), so by default those bytes are
overwritten with ``*`` (0x2A) before the frame reaches the disk. The frame's HCS and FCS
are then recomputed: a masked capture still decodes cleanly in the workbench and in
Wireshark, it just shows ``**********`` where the password was.

Which bytes are secret: in an AARQ the dissector decodes, the nodes it marks
(``Node.secret``) during the real parse. An AARQ it rejects (cut short, a stray byte after
it) or one split over several HDLC segments is read the forgiving way by
:mod:`.password_scan`, which prefers masking too much to leaking. Segments arrive as
separate frames, so a :class:`Masker` keeps the AARQ's segments seen so far, per link
direction; feed it every frame in order. :func:`mask_frame` masks one frame on its own.

A cheap byte test first skips every frame that cannot carry an AARQ, so saving 100,000
frames does not dissect 100,000 frames.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from workbench.protocol.fields import Node
from workbench.protocol.hdlc import crc16_bytes

from .password_scan import AARQ_START, aarq_size, password_spans

__all__ = ["MASK_BYTE", "Dissector", "Masker", "apply_mask", "mask_frame", "recompute_checks",
           "secret_spans"]

MASK_BYTE = 0x2A
"""``*``: what every secret byte becomes in a masked capture."""

_FLAG = 0x7E
_UI = 0x03  # UI control byte without the P/F bit
_SUPERVISORY = 0x01  # RR, RNR: low two bits 01

Dissector = Callable[[bytes], list[Node]]
Span = tuple[int, int]  # (offset, length)


def secret_spans(roots: Iterable[Node]) -> list[Span]:
    """Return ``(offset, length)`` of every node marked secret, anywhere in the trees."""
    return [(n.offset, n.length) for root in roots for n in root.walk()
            if n.secret and n.length > 0]


def mask_frame(raw: bytes, dissect: Dissector | None = None) -> bytes:
    """Return the single frame ``raw`` with its secret bytes masked and its checks recomputed.

    Frames without secrets are returned unchanged (the same object). Without the frames
    before it, a continuation segment of a split AARQ cannot be recognised: use a
    :class:`Masker` for a stream of frames.

    Args:
        raw: one HDLC frame, flags included.
        dissect: the dissector to find secret spans; defaults to the protocol dissector.
    """
    return Masker(dissect).mask(raw)


def apply_mask(raw: bytes, spans: Iterable[Span]) -> bytes:
    """``raw`` with the bytes of ``spans`` set to ``*`` and its checks recomputed."""
    masked = bytearray(raw)
    for offset, length in spans:
        masked[offset:offset + length] = bytes([MASK_BYTE]) * length
    return recompute_checks(bytes(masked)) if masked != raw else raw


class Masker:
    """Masks the password in a stream of frames, including an AARQ split into segments.

    Feed every frame of a session in the order it crossed the wire (both directions):
    a segment's secret bytes depend on the segments before it.

    Args:
        dissect: the dissector used for whole AARQs; defaults to the protocol dissector.
    """

    def __init__(self, dissect: Dissector | None = None) -> None:
        self._dissect = dissect
        self._pending: dict[tuple[bytes, bytes], _SplitAarq] = {}

    def mask(self, raw: bytes) -> bytes:
        """Feed the next frame; return it masked (the same object when nothing is secret)."""
        spans = self.secret_spans(raw)
        return apply_mask(raw, spans) if spans else raw

    __call__ = mask

    def secret_spans(self, raw: bytes) -> list[Span]:
        """Feed the next frame; return ``(offset, length)`` of its secret bytes."""
        if not self._pending and AARQ_START not in raw:
            return []
        head = _Head.parse(raw)
        if head is None:
            return self._loose(raw)
        info = raw[head.info_start:head.info_end]
        split = self._pending.get(head.key)
        if not head.carries_info:
            if split is not None and not head.supervisory:
                del self._pending[head.key]  # SNRM, DISC...: the link starts over
            return []
        # A segment of a split AARQ still short of its announced length continues it, even
        # when its bytes happen to start like an AARQ (a password "E6 E6 00 60").
        starts_aarq = info.startswith(AARQ_START) and (split is None or split.complete)
        if starts_aarq and head.segmented:
            split = self._pending[head.key] = _SplitAarq()
        elif split is None or starts_aarq:
            self._pending.pop(head.key, None)
            return self._whole(raw, head.info_end)
        base = split.place(head.n_s, info)
        if not head.segmented:
            del self._pending[head.key]
        return _clip(password_spans(bytes(split.data)), base, len(info), head.info_start)

    def _whole(self, raw: bytes, end: int) -> list[Span]:
        """A frame that is not part of a split AARQ: the careful parse, else the scan.

        ``end`` is where its information field ends (the FCS is never secret).
        """
        if AARQ_START not in raw:
            return []
        if self._dissect is None:
            from workbench.protocol.dissect import dissect

            self._dissect = dissect
        roots = self._dissect(raw)
        spans = secret_spans(roots)
        # Scan also when the parse found nothing: it skips unknown tags, a damaged AC too.
        if not spans or any(root.errors() for root in roots):
            spans += [s for s in self._loose(raw, end) if s not in spans]
        return spans

    @staticmethod
    def _loose(raw: bytes, end: int | None = None) -> list[Span]:
        """Scan from the AARQ start to ``end``, by default the frame's end (flag spared)."""
        at = raw.find(AARQ_START)
        if at < 0:
            return []
        if end is None:
            end = len(raw) - 1 if raw[-1] == _FLAG else len(raw)
        return _clip(password_spans(raw[at:end]), 0, end - at, at)


def _clip(spans: list[tuple[int, int]], base: int, size: int, at: int) -> list[Span]:
    """The parts of ``(start, end)`` spans inside ``base .. base+size``, as frame spans.

    ``at`` is the frame offset of byte ``base``.
    """
    clipped = []
    for start, end in spans:
        lo, hi = max(start, base), min(end, base + size)
        if hi > lo:
            clipped.append((at + lo - base, hi - lo))
    return clipped


@dataclass
class _SplitAarq:
    """The segments of one split AARQ received so far, joined, and where each one starts."""

    data: bytearray = field(default_factory=bytearray)
    starts: dict[int, int] = field(default_factory=dict)  # N(S) -> offset in data
    last_ns: int | None = None

    @property
    def complete(self) -> bool:
        """Whether every byte the AARQ's length field announced has arrived."""
        size = aarq_size(bytes(self.data[:8]))
        return size is not None and len(self.data) >= size

    def place(self, n_s: int | None, info: bytes) -> int:
        """Add one segment; return its offset in :attr:`data`.

        A resent I frame (the link repeats unacknowledged ones) carries the N(S) of a
        segment already placed, other than the next expected one: it goes back where the
        first copy went, so later offsets stay right.
        """
        expected = None if self.last_ns is None else (self.last_ns + 1) % 8
        if n_s is not None and n_s != expected and n_s in self.starts:
            base = self.starts[n_s]
            self.data[base:base + len(info)] = info
            return base
        base = len(self.data)
        self.data += info
        if n_s is not None:
            self.starts[n_s], self.last_ns = base, n_s
        return base


@dataclass(frozen=True, slots=True)
class _Head:
    """What masking needs from an HDLC header, read without judging the checks."""

    key: tuple[bytes, bytes]  # (destination, source) address bytes: one link direction
    carries_info: bool  # an I or UI frame
    supervisory: bool  # RR, RNR
    n_s: int | None  # I frames only
    segmented: bool
    info_start: int
    info_end: int

    @classmethod
    def parse(cls, raw: bytes) -> _Head | None:
        """The header of a flag-delimited frame; None when it is not one (even roughly)."""
        if len(raw) < 9 or raw[0] != _FLAG or raw[1] & 0xF0 != 0xA0:
            return None
        length = (raw[1] & 0x07) << 8 | raw[2]
        dest_end = _address_end(raw, 3)
        src_end = _address_end(raw, dest_end)
        if src_end is None or src_end >= len(raw):
            return None
        control = raw[src_end]
        is_i = control & 0x01 == 0
        return cls(key=(raw[3:dest_end], raw[dest_end:src_end]),
                   carries_info=is_i or control & 0xEF == _UI,
                   supervisory=control & 0x03 == _SUPERVISORY,
                   n_s=(control >> 1) & 0x07 if is_i else None,
                   segmented=bool(raw[1] & 0x08),
                   info_start=src_end + 3,
                   info_end=max(src_end + 3, min(length - 1, len(raw))))


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

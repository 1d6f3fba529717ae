"""Dissection of captured bytes: one field tree per HDLC frame, down to the APDU's leaves.

This is the explaining path, not the fast one: it finds frames with the same scanner as the
live :class:`~workbench.protocol.hdlc.FrameReader` (so a capture is split exactly as the
session split it), then decodes each one with a :class:`Recorder`. Problems never stop it:

* a bad HCS/FCS becomes an error on that field and the rest of the frame is still shown;
* a frame that breaks in the middle keeps the fields read so far plus an error node at the
  offending byte;
* bytes outside any frame become their own "junk" node, with the reason they were skipped.

Information fields are dissected by what they carry: SNRM/UA parameters, or the LLC header
and an APDU (via :func:`workbench.protocol.apdu.codec.decode_apdu`) when the frame holds a complete
APDU. A segment of a longer APDU is marked as such; after the last segment, a separate
"reassembled APDU" tree dissects the whole APDU, its fields pointing back into the frames.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from workbench.protocol import apdu
from workbench.protocol.errors import ProtocolError
from workbench.protocol.fields import HDLC, LLC, WRAPPER, Field, Node, Recorder
from workbench.protocol.hdlc import (
    LLC_REQUEST,
    LLC_RESPONSE,
    FrameKind,
    HdlcFrame,
    HdlcParameters,
    SegmentKind,
    decode_address,
    find_segment,
    parse_frame,
)
from workbench.protocol.wrapper import HEADER_LENGTH, WRAPPER_VERSION, decode_wrapper

__all__ = ["dissect"]

_LLC = {LLC_REQUEST: "request (E6 E6 00)", LLC_RESPONSE: "response (E6 E7 00)"}
_INFO_KEYS = frozenset((HDLC.INFO.key, HDLC.INFO_SEGMENT.key))


def _node(field: Field, value: str, offset: int, length: int) -> Node:
    return Node(field.label, value, offset, length, key=field.key)


def dissect(data: bytes) -> list[Node]:
    """Split ``data`` into frames (and junk) and return one field tree for each.

    Every node's offset is absolute in ``data``. Never raises for any input. Bytes that are
    whole IEC 62056-47 wrapper PDUs (a session over the wrapper records one per frame) are
    dissected as such; anything else is read as HDLC.
    """
    data = bytes(data)
    if _is_wrapper(data):
        return _wrapper_trees(data)
    nodes: list[Node] = []
    segments = _Segments()
    pos, closing_flag = 0, -1
    while (seg := find_segment(data, pos, eof=True)) is not None:
        if seg.kind is SegmentKind.IDLE and seg.start != closing_flag:
            nodes.append(_node(HDLC.IDLE, "7E", seg.start, 1))
        elif seg.kind is SegmentKind.JUNK and seg.end > seg.start:
            nodes.append(_junk(data, seg.start, seg.end, seg.reason))
        elif seg.kind in (SegmentKind.FRAME, SegmentKind.BAD):
            tree, frame = _frame_tree(data[seg.start:seg.end], seg.start, seg.error)
            nodes.append(tree)
            if frame is not None and (whole := segments.add(frame, tree)) is not None:
                nodes.append(whole)
            closing_flag = seg.end - 1
        pos = seg.resume
    return nodes


class _Segments:
    """Collects the parts of segmented I frames per direction and dissects the whole APDU.

    The reassembled APDU is not contiguous in the capture, so its fields are decoded on the
    joined bytes and then mapped back: each node points at the capture byte where it starts
    (a field that straddles two frames is highlighted in the first one only).
    """

    def __init__(self) -> None:
        self._parts: dict[tuple[bytes, bytes], list[tuple[int, bytes]]] = {}

    def add(self, frame: HdlcFrame, tree: Node) -> Node | None:
        """Note ``frame``'s information; return the reassembled tree after the last segment."""
        key = (frame.dest, frame.src)
        info = next((n for n in tree.children if n.key in _INFO_KEYS), None)
        if info is None or frame.kind not in (FrameKind.I, FrameKind.UI) or tree.errors():
            self._parts.pop(key, None)
            return None
        if frame.segmented:
            self._parts.setdefault(key, []).append((info.offset, frame.info))
            return None
        parts = self._parts.pop(key, None)
        if not parts:
            return None
        parts.append((info.offset, frame.info))
        info.value = f"last segment: APDU reassembled from {len(parts)} frames"
        return _reassembled(parts)


def _reassembled(parts: list[tuple[int, bytes]]) -> Node:
    joined = b"".join(chunk for _, chunk in parts)
    start, (last_at, last) = parts[0][0], parts[-1]
    whole = _node(HDLC.REASSEMBLED, f"{len(joined)} bytes from {len(parts)} frames", start,
                  last_at + len(last) - start)
    llc = _LLC.get(joined[:3])
    if llc is None:
        whole.error = f"reassembled information starts {joined[:3].hex(' ').upper()}, not an LLC"
        return whole
    whole.children.append(_node(LLC.HEADER, llc, 0, 3))
    _attach(whole, "APDU", 3, lambda rec: apdu.decode_apdu(joined[3:], rec))
    spans, rel = [], 0
    for at, chunk in parts:
        spans.append((rel, at, len(chunk)))
        rel += len(chunk)
    for node in whole.children:
        for sub in node.walk():
            _map_back(sub, spans)
    return whole


def _map_back(node: Node, spans: list[tuple[int, int, int]]) -> None:
    """Move ``node`` from an offset in the joined APDU to the capture byte holding it."""
    span = next((sp for sp in spans if node.offset < sp[0] + sp[2]), spans[-1])
    rel, at, length = span  # the last span also takes an error at the very end of the data
    node.length = max(0, min(node.length, rel + length - node.offset))
    node.offset = at + node.offset - rel


def _is_wrapper(data: bytes) -> bool:
    """True when ``data`` is exactly a run of whole wrapper PDUs (HDLC starts with 7E)."""
    pos = 0
    while pos + HEADER_LENGTH <= len(data):
        version, length = data[pos] << 8 | data[pos + 1], data[pos + 6] << 8 | data[pos + 7]
        if version != WRAPPER_VERSION:
            return False
        pos += HEADER_LENGTH + length
    return pos == len(data) and pos > 0


def _wrapper_trees(data: bytes) -> list[Node]:
    nodes, pos = [], 0
    while pos < len(data):
        length = data[pos + 6] << 8 | data[pos + 7]
        pdu = decode_wrapper(data[pos:pos + HEADER_LENGTH + length])
        root = _node(WRAPPER.PDU, f"from wPort {pdu.source} to wPort {pdu.destination}, "
                                  f"{length} bytes of APDU", pos, HEADER_LENGTH + length)
        root.children += [_node(WRAPPER.VERSION, str(WRAPPER_VERSION), pos, 2),
                          _node(WRAPPER.SOURCE, str(pdu.source), pos + 2, 2),
                          _node(WRAPPER.DESTINATION, str(pdu.destination), pos + 4, 2),
                          _node(WRAPPER.LENGTH, str(length), pos + 6, 2)]
        _attach(root, "APDU", pos + HEADER_LENGTH, functools.partial(_decode_apdu, pdu.apdu))
        nodes.append(root)
        pos += HEADER_LENGTH + length
    return nodes


def _decode_apdu(raw: bytes, rec: Recorder) -> object:
    return apdu.decode_apdu(raw, rec)


def _junk(data: bytes, start: int, end: int, reason: str) -> Node:
    count = end - start
    node = _node(HDLC.JUNK, f"{count} byte{'s' * (count != 1)} skipped", start, count)
    node.error = f"not part of any frame: {reason}"
    return node


def _frame_tree(raw: bytes, base: int, scan_error: ProtocolError | None
                ) -> tuple[Node, HdlcFrame | None]:
    rec = Recorder("HDLC frame", base=base)
    try:
        frame, problems = parse_frame(raw, rec)
    except ProtocolError as exc:
        root = _fail(rec, exc)
        root.value = f"broken frame: {scan_error.message}" if scan_error else "broken frame"
        return root, None
    root = rec.finish()
    root.value = _summary(frame) + (" (checksum error)" if problems else "")
    if frame.info:
        info = next(n for n in root.children if n.key == HDLC.INFO.key)
        _dissect_info(frame, info)
    return root, frame


def _summary(frame: HdlcFrame) -> str:
    parts = [frame.kind.name]
    if frame.kind is FrameKind.I:
        parts.append(f"N(S)={frame.n_s}")
    if frame.kind in (FrameKind.I, FrameKind.RR, FrameKind.RNR):
        parts.append(f"N(R)={frame.n_r}")
    parts.append(f"{'P/F' if frame.pf else 'no P/F'}, "
                 f"to [{decode_address(frame.dest)}] from [{decode_address(frame.src)}]")
    if frame.segmented:
        parts.append("segmented")
    return " ".join(parts)


def _dissect_info(frame: HdlcFrame, info: Node) -> None:
    """Fill the information node's children according to what the frame kind carries."""
    if frame.kind in (FrameKind.SNRM, FrameKind.UA):
        info.value = "HDLC parameters"
        _attach(info, "HDLC parameters", info.offset,
                lambda rec: HdlcParameters.decode(frame.info, rec))
        return
    if frame.kind not in (FrameKind.I, FrameKind.UI):
        return
    llc = _LLC.get(frame.info[:3])
    if frame.segmented or llc is None:
        info.value = ("segment of a longer APDU (more follows)" if frame.segmented
                      else "continuation or last segment of a longer APDU")
        info.key = HDLC.INFO_SEGMENT.key
        return
    info.children.append(_node(LLC.HEADER, llc, info.offset, 3))
    info.value = "LLC + APDU"
    _attach(info, "APDU", info.offset + 3, lambda rec: apdu.decode_apdu(frame.info[3:], rec))


def _attach(parent: Node, name: str, offset: int, decode: Callable[[Recorder], object]
            ) -> None:
    """Run ``decode(rec)`` with a recorder at ``offset``; hang its fields (or error) on parent."""
    rec = Recorder(name, base=offset)
    try:
        decode(rec)
        sub = rec.finish()
    except ProtocolError as exc:
        sub = _fail(rec, exc)
    parent.children.extend(sub.children)


def _fail(rec: Recorder, exc: ProtocolError) -> Node:
    """``rec.fail(exc)``, with the error text naming absolute offsets like the nodes do."""
    relative = str(exc)
    root = rec.fail(exc)
    absolute = str(exc.shifted(rec.base))
    for node in root.walk():
        if node.error == relative:
            node.error = node.value = absolute
    return root

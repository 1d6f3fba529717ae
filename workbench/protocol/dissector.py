"""Dissection of captured bytes: one field tree per HDLC frame, down to the APDU's leaves.

This is the explaining path, not the fast one: it finds frames with the same scanner as the
live :class:`~workbench.protocol.hdlc.FrameReader` (so a capture is split exactly as the
session split it), then decodes each one with a :class:`Recorder`. Problems never stop it:

* a bad HCS/FCS becomes an error on that field and the rest of the frame is still shown;
* a frame that breaks in the middle keeps the fields read so far plus an error node at the
  offending byte;
* bytes outside any frame become their own "junk" node, with the reason they were skipped.

Information fields are dissected by what they carry: SNRM/UA parameters, or the LLC header
and an APDU (via :func:`workbench.protocol.apdu.decode_apdu`) when the frame holds a complete
APDU. A segment of a longer APDU is marked as such and shown as raw bytes.
"""

from __future__ import annotations

from . import apdu
from .dissect import Node, Recorder
from .errors import ProtocolError
from .hdlc import (
    LLC_REQUEST,
    LLC_RESPONSE,
    FrameKind,
    HdlcFrame,
    HdlcParameters,
    decode_address,
    parse_frame,
)
from .hdlc_reader import SegmentKind, find_segment

__all__ = ["dissect"]

_LLC = {LLC_REQUEST: "request (E6 E6 00)", LLC_RESPONSE: "response (E6 E7 00)"}


def dissect(data: bytes) -> list[Node]:
    """Split ``data`` into frames (and junk) and return one field tree for each.

    Every node's offset is absolute in ``data``. Never raises for any input.
    """
    data = bytes(data)
    nodes: list[Node] = []
    pos, closing_flag = 0, -1
    while (seg := find_segment(data, pos, eof=True)) is not None:
        if seg.kind is SegmentKind.IDLE and seg.start != closing_flag:
            nodes.append(Node("idle flag", "7E", seg.start, 1, key="hdlc.flag"))
        elif seg.kind is SegmentKind.JUNK and seg.end > seg.start:
            nodes.append(_junk(data, seg.start, seg.end, seg.reason))
        elif seg.kind in (SegmentKind.FRAME, SegmentKind.BAD):
            nodes.append(_frame_tree(data[seg.start:seg.end], seg.start, seg.error))
            closing_flag = seg.end - 1
        pos = seg.resume
    return nodes


def _junk(data: bytes, start: int, end: int, reason: str) -> Node:
    count = end - start
    return Node("junk", f"{count} byte{'s' * (count != 1)} skipped", start, count,
                error=f"not part of any frame: {reason}", key="hdlc.junk")


def _frame_tree(raw: bytes, base: int, scan_error: ProtocolError | None) -> Node:
    rec = Recorder("HDLC frame", base=base)
    try:
        frame, problems = parse_frame(raw, rec)
    except ProtocolError as exc:
        root = _fail(rec, exc)
        root.value = f"broken frame: {scan_error.message}" if scan_error else "broken frame"
        return root
    root = rec.finish()
    root.value = _summary(frame) + (" (checksum error)" if problems else "")
    if frame.info:
        info = next(n for n in root.children if n.key == "hdlc.info")
        _dissect_info(frame, info)
    return root


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
        info.key = "hdlc.info.segment"
        return
    info.children.append(Node("LLC", llc, info.offset, 3, key="llc"))
    info.value = "LLC + APDU"
    _attach(info, "APDU", info.offset + 3, lambda rec: apdu.decode_apdu(frame.info[3:], rec))


def _attach(parent: Node, name: str, offset: int, decode) -> None:
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

"""One-line summaries of dissected frames, for the frame log's summary column.

Pure (no Qt): it reads only the dissection tree, by the dotted keys the decoders record
(``hdlc.control.kind``, ``hdlc.control.ns`` ...), so it shows exactly what the dissector
understood. Example: ``I N(S)=2 N(R)=1 · get-request-normal 1-1:32.7.0.255 /2``.
"""

from __future__ import annotations

from workbench.protocol.dissect import Node
from workbench.protocol.errors import ProtocolError
from workbench.protocol.hdlc import parse_frame

__all__ = ["frame_kind", "summarize"]

_SEPARATOR = " · "


def summarize(roots: list[Node]) -> str:
    """Summary of every frame in ``roots`` (usually one), joined with `` | ``."""
    return " | ".join(_summarize_frame(root) for root in roots) or "(no frame)"


def frame_kind(raw: bytes) -> str:
    """The HDLC frame kind ("I", "RR", "SNRM" ...), or "bad" when the bytes are not exactly
    one valid frame (checks, structure, junk).

    Uses the decoder's fast path (no dissection, ~6 µs), so filtering 100,000 frames by
    kind stays well under a second.
    """
    try:
        frame, problems = parse_frame(raw)
    except ProtocolError:
        return "bad"
    return "bad" if problems else frame.kind.name


def _summarize_frame(root: Node) -> str:
    fields = _first_by_key(root)
    kind = fields.get("hdlc.control.kind")
    parts = []
    if kind is not None:
        counters = [f"{label}={fields[key].value}" for label, key in
                    (("N(S)", "hdlc.control.ns"), ("N(R)", "hdlc.control.nr")) if key in fields]
        parts.append(" ".join([kind.value, *counters]))
    apdu = _apdu_text(fields)
    if apdu:
        parts.append(apdu)
    errors = root.errors()
    if errors:
        parts.append(f"⚠ {errors[0].name}: {errors[0].error}")
    return _SEPARATOR.join(parts) or root.name


def _first_by_key(root: Node) -> dict[str, Node]:
    fields: dict[str, Node] = {}
    for node in root.walk():
        if node.key and node.key not in fields:
            fields[node.key] = node
    return fields


def _apdu_text(fields: dict[str, Node]) -> str:
    """The APDU's name (its CHOICE when it has one), then the OBIS code and /attribute."""
    apdu = fields.get("dlms.apdu")
    if apdu is None:
        return ""
    choice = fields.get("dlms.choice")
    words = [_parenthesised(choice.value) if choice is not None else apdu.name]
    obis = fields.get("dlms.instance_id")
    if obis is not None:
        words.append(obis.value)
    member = fields.get("dlms.attribute_id") or fields.get("dlms.method_id")
    if member is not None:
        words.append(f"/{member.value}")
    return " ".join(words)


def _parenthesised(value: str) -> str:
    """``"1 (get-request-normal)"`` -> ``"get-request-normal"``; other text unchanged."""
    _, sep, rest = value.partition(" (")
    return rest[:-1] if sep and rest.endswith(")") else value

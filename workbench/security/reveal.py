"""Ciphered APDUs shown in clear, when the engineer has the keys: a layer over the dissector.

The dissector (``workbench.protocol.dissect``) stays pure and keyless: it names a ciphered
APDU and its security header. :class:`Revealer` runs it, then, for every frame whose APDU
is glo- or general-glo-ciphered, deciphers the APDU with the keys and hangs the plaintext
tree under the ciphered one ("deciphered APDU"). The plaintext is not in the captured bytes,
so its fields all point at the ciphertext they came from. The same goes for the APDU of an
IEC 62056-47 wrapper PDU, for an APDU the dissector reassembled from segmented frames (its
tree gets the deciphered one; the joined bytes are taken again from the segments'
information fields) and for the glo-initiate request/response an AARQ/AARE carries as user
information (deciphered under that field).

The sender's system title (the IV's fixed part) is learnt from the AARQ's calling-AP-title
and the AARE's responding-AP-title as the frames go by, or given up front; the GCM tag
tells which title fits. Keys never appear in a node: only what they reveal does.
"""

from __future__ import annotations

from workbench.protocol.apdu import Aare, Aarq, decode_apdu
from workbench.protocol.dissect import dissect
from workbench.protocol.errors import ProtocolError
from workbench.protocol.fields import ACSE, HDLC, LLC, WRAPPER, Node, Recorder
from workbench.protocol.wrapper import HEADER_LENGTH

from .ciphered import GENERAL_GLO, PLAIN_TAGS, unprotect_apdu
from .keys import Key, SystemTitle

__all__ = ["DECIPHERED_KEY", "Revealer"]

DECIPHERED_KEY = "security.deciphered"
_ACSE_TAGS = (0x60, 0x61)
_LLC_LENGTH = 3
_INFO_KEYS = (HDLC.INFO.key, HDLC.INFO_SEGMENT.key)


class Revealer:
    """Dissects bytes and deciphers what it can; keeps the system titles it has seen.

    Args:
        block_key, auth_key: the suite-0 keys.
        titles: system titles known in advance (client's and meter's), if any.
    """

    def __init__(self, block_key: Key, auth_key: Key,
                 titles: tuple[SystemTitle, ...] = ()) -> None:
        self._block, self._auth = block_key, auth_key
        self.titles: list[SystemTitle] = list(titles)

    def dissect(self, data: bytes) -> list[Node]:
        """Like :func:`~workbench.protocol.dissect.dissect`, plus the deciphered trees."""
        data = bytes(data)
        trees = dissect(data)
        segments = _Segments(data)
        previous: Node | None = None
        for tree in trees:
            if tree.key == HDLC.REASSEMBLED.key:
                joined = segments.joined(previous, tree)
                if joined is not None:
                    self._reveal(tree, joined, tree.offset, tree.length)
            else:
                segments.note(tree)
                for parent, start, end in _apdus(tree):
                    self._reveal(parent, data[start:end], start, end - start)
            previous = tree
        return trees

    def _reveal(self, parent: Node, apdu: bytes, offset: int, length: int) -> None:
        """Decipher ``apdu`` (which the nodes at ``offset``/``length`` show) under ``parent``."""
        if apdu[:1] in (b"\x60", b"\x61"):
            self._acse(parent, apdu)
        elif apdu[:1] and (apdu[0] in PLAIN_TAGS or apdu[0] == GENERAL_GLO):
            parent.children.append(self._deciphered(apdu, offset, length))

    def _acse(self, parent: Node, apdu: bytes) -> None:
        """Learn the title an AARQ/AARE carries; decipher its glo-initiate user information."""
        try:
            acse = decode_apdu(apdu)
        except ProtocolError:
            return
        raw = (acse.calling_ap_title if isinstance(acse, Aarq) else
               acse.responding_ap_title if isinstance(acse, Aare) else None)
        if raw is not None and len(raw) == 8 and SystemTitle(raw) not in self.titles:
            self.titles.append(SystemTitle(raw))
        info = getattr(acse, "user_information", None)
        node = next((n for n in parent.walk() if n.key == ACSE.USER_INFORMATION.key), None)
        if isinstance(info, bytes) and info[:1] and node is not None and (
                info[0] in PLAIN_TAGS or info[0] == GENERAL_GLO):
            node.children.append(self._deciphered(info, node.offset, node.length))

    def _deciphered(self, apdu: bytes, offset: int, length: int) -> Node:
        node = Node("deciphered APDU", "", offset, length, key=DECIPHERED_KEY)
        failure = "no system title known (no AARQ/AARE seen)"
        candidates: list[SystemTitle | None] = [*self.titles] or [None]
        for title in candidates:
            try:
                got = unprotect_apdu(apdu, title, self._block, self._auth)
            except ProtocolError as exc:
                failure = str(exc)
                continue
            node.value = (f"{len(got.plain)} bytes from {got.system_title}, invocation "
                          f"counter {got.counter} ({got.control.describe()})")
            node.children.extend(_plain_tree(got.plain, offset, length))
            return node
        node.error = f"cannot decipher: {failure}"
        return node


class _Segments:
    """The information fields of segmented frames seen so far, per link direction, so the
    bytes of an APDU the dissector reassembled can be joined again (they are not contiguous
    in the capture, and the reassembled tree keeps only where they came from)."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._spans: dict[bytes, list[tuple[int, int]]] = {}

    def note(self, tree: Node) -> None:
        """Keep a segment's span; a whole APDU in that direction ends any run before it."""
        info = next((n for n in tree.children if n.key in _INFO_KEYS), None)
        if info is None:
            return
        if info.key == HDLC.INFO.key:
            self._spans.pop(self._direction(tree), None)
        else:
            self._spans.setdefault(self._direction(tree), []).append((info.offset, info.length))

    def joined(self, last: Node | None, whole: Node) -> bytes | None:
        """The APDU ``whole`` reassembled (the dissector puts it right after the frame with
        its last segment, ``last``), or None when its segments are not all at hand."""
        if last is None:
            return None
        end = whole.offset + whole.length
        spans = [(at, n) for at, n in self._spans.pop(self._direction(last), [])
                 if whole.offset <= at < end]
        joined = b"".join(self._data[at:at + n] for at, n in spans)
        if not spans or spans[0][0] != whole.offset or len(joined) <= _LLC_LENGTH:
            return None
        return joined[_LLC_LENGTH:]

    def _direction(self, tree: Node) -> bytes:
        """Destination and source address bytes: which way the frame went."""
        return b"".join(self._data[n.offset:n.offset + n.length] for n in tree.children
                        if n.key in (HDLC.DEST.key, HDLC.SRC.key))


def _apdus(tree: Node) -> list[tuple[Node, int, int]]:
    """(the node holding it, start, end) of each whole APDU after an LLC header, or after
    a wrapper header."""
    if tree.key == WRAPPER.PDU.key:
        start, end = tree.offset + HEADER_LENGTH, tree.offset + tree.length
        return [(tree, start, end)] if end > start else []
    found = []
    for node in tree.walk():
        llc = next((c for c in node.children if c.key == LLC.HEADER.key), None)
        end = node.offset + node.length
        if llc is not None and llc.offset + _LLC_LENGTH < end:
            found.append((node, llc.offset + _LLC_LENGTH, end))
    return found


def _plain_tree(plain: bytes, start: int, length: int) -> list[Node]:
    """The plaintext's fields, every one pointing at the ciphertext span."""
    rec = Recorder("APDU", base=0)
    try:
        decode_apdu(plain, rec)
        root = rec.finish()
    except ProtocolError as exc:
        root = rec.fail(exc)
    for sub in root.walk():
        sub.offset, sub.length = start, length
    return root.children

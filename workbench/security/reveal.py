"""Ciphered APDUs shown in clear, when the engineer has the keys: a layer over the dissector.

The dissector (``workbench.protocol.dissect``) stays pure and keyless: it names a ciphered
APDU and its security header. :class:`Revealer` runs it, then, for every frame whose APDU
is glo- or general-glo-ciphered, deciphers the APDU with the keys and hangs the plaintext
tree under the ciphered one ("deciphered APDU"). The plaintext is not in the captured bytes,
so its fields all point at the ciphertext they came from.

The sender's system title (the IV's fixed part) is learnt from the AARQ's calling-AP-title
and the AARE's responding-AP-title as the frames go by, or given up front; the GCM tag
tells which title fits. Keys never appear in a node: only what they reveal does.
"""

from __future__ import annotations

from workbench.protocol.apdu import Aare, Aarq, decode_apdu
from workbench.protocol.dissect import dissect
from workbench.protocol.errors import ProtocolError
from workbench.protocol.fields import HDLC, LLC, Node, Recorder

from .ciphered import GENERAL_GLO, PLAIN_TAGS, unprotect_apdu
from .keys import Key, SystemTitle

__all__ = ["DECIPHERED_KEY", "Revealer"]

DECIPHERED_KEY = "security.deciphered"
_ACSE_TAGS = (0x60, 0x61)


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
        for tree in trees:
            for parent, start, end in _apdus(tree):
                self._reveal(parent, data, start, end)
        return trees

    def _reveal(self, parent: Node, data: bytes, start: int, end: int) -> None:
        apdu = data[start:end]
        if apdu[0] in _ACSE_TAGS:
            self._learn(apdu)
        elif apdu[0] in PLAIN_TAGS or apdu[0] == GENERAL_GLO:
            parent.children.append(self._deciphered(apdu, start))

    def _learn(self, apdu: bytes) -> None:
        try:
            acse = decode_apdu(apdu)
        except ProtocolError:
            return
        raw = (acse.calling_ap_title if isinstance(acse, Aarq) else
               acse.responding_ap_title if isinstance(acse, Aare) else None)
        if raw is not None and len(raw) == 8 and SystemTitle(raw) not in self.titles:
            self.titles.append(SystemTitle(raw))

    def _deciphered(self, apdu: bytes, start: int) -> Node:
        node = Node("deciphered APDU", "", start, len(apdu), key=DECIPHERED_KEY)
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
            node.children.extend(_plain_tree(got.plain, start, len(apdu)))
            return node
        node.error = f"cannot decipher: {failure}"
        return node


def _apdus(tree: Node) -> list[tuple[Node, int, int]]:
    """(the node holding it, start, end) of each whole APDU after an LLC header."""
    found = []
    for node in tree.walk():
        if node.key == HDLC.REASSEMBLED.key:  # its bytes are not contiguous: not here yet
            continue
        llc = next((c for c in node.children if c.key == LLC.HEADER.key), None)
        end = node.offset + node.length
        if llc is not None and llc.offset + 3 < end:
            found.append((node, llc.offset + 3, end))
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

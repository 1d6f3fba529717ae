"""Field trees with byte spans: what every decoder can explain about the bytes it read.

Why a recorder instead of re-encoding: spans are taken during the real parse (offset before
and after each sub-decode), so what the hex view highlights is exactly what the decoder
consumed, including the part of a broken frame decoded before the error.

Decoders take ``rec: Recorder | None``. With ``None`` (the fast path used by the session and
the benchmark) nothing is recorded and the cost is one ``if`` per field.

Decoders record registered fields (:mod:`.registry`): ``rec.item(DLMS.CLASS_ID, ...)`` and
``with rec.subtree(DLMS.DATABLOCK, ...)``; the node gets the field's key and label. A
tolerated deviation is recorded with :meth:`Recorder.warn` (a warning node: the value is
still decoded), a failure with :meth:`Recorder.fail` (an error node: decoding stopped).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field

from workbench.protocol.errors import ProtocolError

from .registry import EXPERT, Field

__all__ = ["Node", "Recorder"]


@dataclass
class Node:
    """One field of a decoded frame.

    Attributes:
        name: short label ("FCS", "invoke-id-and-priority", "[0] double-long-unsigned").
        value: the value as text for people ("0x5E4C (ok)", "230.1 V"), may be "".
        offset: absolute byte offset of the field in the dissected buffer.
        length: number of bytes the field spans (0 for a pure grouping node).
        children: sub-fields, in byte order.
        error: set on the node where decoding failed, or where a check (CRC) failed.
        warning: set where the decoder tolerated a deviation (the value is still decoded).
        secret: True when the bytes are a password or key and must be masked by default.
        key: the registered field key ("hdlc.control.pf", see ``fields.registry``); match
            on this, never on ``name``, which is a label for people and may be reworded.
    """

    name: str
    value: str = ""
    offset: int = 0
    length: int = 0
    children: list[Node] = field(default_factory=list)
    error: str | None = None
    secret: bool = False
    key: str = ""
    warning: str | None = None

    @property
    def end(self) -> int:
        return self.offset + self.length

    def walk(self) -> Iterator[Node]:
        """Yield this node and all descendants, depth first, in byte order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def find(self, name: str) -> Node | None:
        """Return the first descendant (or self) whose name is ``name``."""
        return next((n for n in self.walk() if n.name == name), None)

    def find_key(self, key: str) -> Node | None:
        """Return the first descendant (or self) recorded under field ``key``."""
        return next((n for n in self.walk() if n.key == key), None)

    def errors(self) -> list[Node]:
        return [n for n in self.walk() if n.error]

    def warnings(self) -> list[Node]:
        """Nodes where a deviation was tolerated, in byte order."""
        return [n for n in self.walk() if n.warning]

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready form used by ``workbench decode --json`` and captures."""
        d: dict[str, object] = {"name": self.name, "value": self.value, "offset": self.offset,
                                "length": self.length}
        if self.key:
            d["key"] = self.key
        if self.error:
            d["error"] = self.error
        if self.warning:
            d["warning"] = self.warning
        if self.secret:
            d["secret"] = True
        if self.children:
            d["children"] = [c.to_dict() for c in self.children]
        return d


class Recorder:
    """Builds a :class:`Node` tree while a decoder runs.

    ``base`` is added to every offset, so a nested decoder that works on a slice (an APDU
    inside an HDLC information field) still reports offsets in the outer buffer.
    """

    def __init__(self, root_name: str, base: int = 0) -> None:
        self.base = base
        self.root = Node(root_name, offset=base)
        self._stack: list[Node] = [self.root]

    @property
    def current(self) -> Node:
        return self._stack[-1]

    def item(self, field: Field, offset: int, length: int, value: str = "", *,
             label: str | None = None, secret: bool = False, error: str | None = None) -> Node:
        """Record ``field`` spanning ``length`` bytes at ``offset`` (relative to ``base``).

        ``label`` replaces the field's label as the shown name (an indexed element, "[3]").
        """
        node = Node(field.label if label is None else label, value, self.base + offset,
                    length, key=field.key, secret=secret, error=error)
        self.current.children.append(node)
        return node

    def subtree(self, field: Field, offset: int, value: str = "", *,
                label: str | None = None) -> AbstractContextManager[Node]:
        """Open a sub-tree for ``field`` at ``offset``; its length is fixed when the block ends.

        The end is the furthest byte any child reached, so callers need not track lengths.
        If the block raises, the node is kept (with what was decoded) and the error
        propagates; :meth:`fail` attaches the error node.
        """
        return self._group(field.label if label is None else label, offset, value, field.key)

    def warn(self, message: str, offset: int, length: int = 0) -> Node:
        """Record a tolerated deviation at ``offset``: a warning node, decoding goes on."""
        node = self.item(EXPERT.WARNING, offset, length, message)
        node.warning = message
        return node

    @contextmanager
    def _group(self, name: str, offset: int, value: str, key: str) -> Iterator[Node]:
        node = Node(name, value, self.base + offset, 0, key=key)
        self.current.children.append(node)
        self._stack.append(node)
        try:
            yield node
        finally:
            self._stack.pop()
            self._close(node)

    @staticmethod
    def _close(node: Node) -> None:
        if node.children:
            end = max(c.end for c in node.children)
            node.length = max(node.length, end - node.offset)

    def set_end(self, node: Node, end: int) -> None:
        """Fix a group's end explicitly (relative offset), e.g. when trailing bytes are skipped."""
        node.length = self.base + end - node.offset

    def fail(self, exc: ProtocolError) -> Node:
        """Record ``exc`` as an error node at its offset and return the finished root."""
        offset = exc.offset if exc.offset is not None else self.root.end - self.base
        node = Node(EXPERT.ERROR.label, str(exc), self.base + offset, max(exc.length, 0)
                    if exc.offset is not None else 0, error=str(exc), key=EXPERT.ERROR.key)
        target = self._deepest_open(self.base + offset)
        target.children.append(node)
        self._close(self.root)
        return self.root

    def _deepest_open(self, absolute: int) -> Node:
        node = self.root
        while node.children:
            last = node.children[-1]
            if last.error is None and last.children and last.offset <= absolute:
                node = last
            else:
                break
        return node

    def finish(self) -> Node:
        self._close(self.root)
        return self.root

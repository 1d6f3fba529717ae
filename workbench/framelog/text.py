"""Frames as text to paste: the bytes as hex, the dissection as an indented outline.

What "copy" puts on the clipboard from the frame log, and what a bug report quotes. Secret
bytes stay ``**`` (and secret fields ``(hidden)``) unless the caller asks to show them, as
everywhere else: the clipboard must not become the place a password leaks.
"""

from __future__ import annotations

from collections.abc import Iterable

from workbench.protocol.fields import Node

__all__ = ["HIDDEN", "hex_text", "tree_text"]

HIDDEN = "(hidden)"
"""What a secret field's value shows while secrets are hidden."""


def hex_text(raw: bytes, secrets: Iterable[tuple[int, int]] = (), *,
             show_secrets: bool = False) -> str:
    """``raw`` as spaced upper-case hex; bytes inside ``secrets`` as ``**`` unless shown."""
    cells = [f"{byte:02X}" for byte in raw]
    if not show_secrets:
        for offset, length in secrets:
            cells[offset:offset + length] = ["**"] * len(cells[offset:offset + length])
    return " ".join(cells)


def tree_text(roots: Iterable[Node], raw: bytes, *, show_secrets: bool = False) -> str:
    """The dissection as lines ``name: value``, indented two spaces per level.

    Errors are flagged ``⚠``; a secret field shows its bytes only with ``show_secrets``.
    """
    lines: list[str] = []
    for root in roots:
        _outline(root, raw, show_secrets, 0, lines)
    return "\n".join(lines)


def _outline(node: Node, raw: bytes, show_secrets: bool, depth: int,
             lines: list[str]) -> None:
    value = node.value or ""
    if node.secret:
        value = raw[node.offset:node.end].hex(" ").upper() if show_secrets else HIDDEN
    line = f"{'  ' * depth}{node.name}: {value}" if value else f"{'  ' * depth}{node.name}"
    if node.error:
        line += f"  ⚠ {node.error}"
    lines.append(line)
    for child in node.children:
        _outline(child, raw, show_secrets, depth + 1, lines)

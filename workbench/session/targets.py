"""Attribute references typed by people: ``OBIS``, ``OBIS:ATTR``, ``CLASS/OBIS:ATTR``.

The OBIS code itself contains a colon (``1-1:32.7.0.255``), so the attribute is only split
off when what remains still parses as an OBIS code.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.protocol.cosem import Obis, ObisError

__all__ = ["Target", "TargetError", "parse_target"]


class TargetError(ValueError):
    """Text that is not ``[CLASS/]OBIS[:N]``; the message says which part is wrong."""


@dataclass(frozen=True)
class Target:
    """One attribute (or method) to reach; ``class_id`` None means "look it up"."""

    obis: Obis
    index: int = 2
    class_id: int | None = None

    def __str__(self) -> str:
        prefix = f"{self.class_id}/" if self.class_id is not None else ""
        return f"{prefix}{self.obis}:{self.index}"


def _number(text: str, what: str, whole: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 0xFFFF:
        raise TargetError(f"{what} '{text}' in '{whole}' is not a number")
    return int(text)


def parse_target(text: str, default_index: int = 2) -> Target:
    """Parse ``[CLASS/]OBIS[:N]`` (N: attribute or method number, default ``default_index``).

    Raises:
        TargetError: a bad class id, OBIS code or index.
    """
    whole, class_id = text.strip(), None
    rest = whole
    if "/" in rest:
        head, rest = rest.split("/", 1)
        class_id = _number(head, "class id", whole)
    index = default_index
    head, sep, tail = rest.rpartition(":")
    if sep and tail.isdigit():
        try:
            return Target(Obis.parse(head), _number(tail, "index", whole), class_id)
        except ObisError:
            pass  # the colon belonged to the OBIS code ("1-1:32" is not a code; try it whole)
    try:
        return Target(Obis.parse(rest), index, class_id)
    except ObisError as exc:
        raise TargetError(f"'{rest}' in '{whole}' is not an OBIS code: {exc}") from None

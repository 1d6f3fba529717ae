"""OBIS codes: the six-group names (A-B:C.D.E.F) every COSEM object is addressed by.

Why one value type: OBIS codes arrive as 6 raw bytes inside GET/SET/ACTION descriptors and
object lists, and leave as text typed by people in many spellings (``1-1:32.7.0``,
``1.1.32.7.0.255``, ``0101200700FF`` ...). :class:`Obis` is the single normal form both
sides meet in: frozen, hashable and ordered group by group, so it can key dicts, sort an
object browser and compare equal however it was written.

Naming (:func:`obis_name`, :func:`obis_group`) lives beside it but reads its tables from
:mod:`obis_names`, which holds data only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

from workbench.protocol.errors import DecodeError, LocalProtocolError

from .obis_catalog import (
    ABSTRACT_GROUPS,
    ELECTRICITY_DEMAND_D,
    ELECTRICITY_ENERGY_D,
    EXACT_NAMES,
    PHASE_ANGLE_ENDS,
    PROCESSING,
    QUANTITIES,
)

__all__ = ["Obis", "ObisError", "obis_group", "obis_name"]

_GROUPS = "ABCDEF"
# A-B:C.D.E with an optional sixth group after '.', '*' or '&' (all seen in the wild).
_DASHED = re.compile(
    r"^(?P<A>[^-:]*)-(?P<B>[^:]*):(?P<C>[^.]*)\.(?P<D>[^.]*)\.(?P<E>[^.*&]*)(?:[.*&](?P<F>.*))?$"
)
_HEX = re.compile(r"^[0-9A-Fa-f\s]+$")


class ObisError(LocalProtocolError, ValueError):
    """Text that is not an OBIS code; the message names the offending group."""


@dataclass(frozen=True, order=True, slots=True)
class Obis:
    """An OBIS code A-B:C.D.E.F, each group 0–255.

    Ordering compares A, then B, ... F, so a sorted object list reads like the standard's
    tables. ``str()`` gives the canonical ``A-B:C.D.E.F`` text.

    Raises:
        ObisError: a group is not an int in 0–255.
    """

    a: int
    b: int
    c: int
    d: int
    e: int
    f: int = 255

    def __post_init__(self) -> None:
        for letter, spec in zip(_GROUPS, fields(self), strict=True):
            value = getattr(self, spec.name)
            if type(value) is not int:
                raise ObisError(f"OBIS group {letter} must be an int, got {value!r}")
            if not 0 <= value <= 255:
                raise ObisError(f"OBIS group {letter} '{value}' is out of range 0–255")

    @classmethod
    def parse(cls, text: str | Obis) -> Obis:
        """Read an OBIS code from any usual spelling.

        Accepted: ``1-1:32.7.0.255``, ``1-1:32.7.0*255``, ``1-1:32.7.0`` (F = 255),
        ``1.1.32.7.0.255``, ``0101200700FF`` and ``01 01 20 07 00 FF``. An :class:`Obis`
        is returned unchanged, so callers may pass either.

        Raises:
            ObisError: the text fits none of the forms; the message names the bad group.
        """
        if isinstance(text, Obis):
            return text
        if not isinstance(text, str):
            raise ObisError(f"OBIS code must be text, got {type(text).__name__}")
        stripped = text.strip()
        if not stripped:
            raise ObisError("OBIS code is empty")
        if match := _DASHED.match(stripped):
            parts = [match[g] for g in _GROUPS if match[g] is not None]
        elif "-" in stripped or ":" in stripped:
            raise ObisError(f"OBIS code '{stripped}' is not of the form A-B:C.D.E[.F]")
        elif "." in stripped:
            parts = re.split(r"[.*]", stripped)
            if len(parts) != 6:
                raise ObisError(f"dotted OBIS code '{stripped}' needs 6 groups, got {len(parts)}")
        elif _HEX.match(stripped):
            return cls._parse_hex(stripped)
        else:
            raise ObisError(
                f"'{stripped}' is not an OBIS code",
                expected="A-B:C.D.E.F, A.B.C.D.E.F or 12 hex digits",
            )
        letters = _GROUPS[: len(parts)]
        return cls(*(_group_value(g, part) for g, part in zip(letters, parts, strict=True)))

    @classmethod
    def _parse_hex(cls, text: str) -> Obis:
        digits = "".join(text.split())
        if len(digits) != 12:
            raise ObisError(
                f"hex OBIS code '{text}' has {len(digits)} hex digits, expected 12 (6 bytes)"
            )
        return cls.from_bytes(bytes.fromhex(digits))

    @classmethod
    def from_bytes(cls, data: bytes | bytearray | memoryview) -> Obis:
        """Build from the 6-byte logical-name octet string used on the wire.

        Raises:
            DecodeError: ``data`` is not exactly 6 bytes long.
        """
        raw = bytes(data)
        if len(raw) != 6:
            raise DecodeError(
                "OBIS logical name has the wrong length",
                got=f"{len(raw)} bytes ({raw.hex(' ').upper() or 'empty'})",
                expected="6 bytes",
                what="logical name",
            )
        return cls(*raw)

    def to_bytes(self) -> bytes:
        """The 6-byte logical name as sent on the wire."""
        return bytes(self.groups)

    @property
    def groups(self) -> tuple[int, int, int, int, int, int]:
        """(A, B, C, D, E, F)."""
        return (self.a, self.b, self.c, self.d, self.e, self.f)

    def __str__(self) -> str:
        return f"{self.a}-{self.b}:{self.c}.{self.d}.{self.e}.{self.f}"

    def __repr__(self) -> str:
        return f"Obis('{self}')"


def _group_value(letter: str, part: str) -> int:
    text = part.strip()
    if not text.isdigit() or not text.isascii():
        raise ObisError(f"OBIS group {letter} '{part}' is not a decimal number")
    value = int(text)
    if value > 255:
        raise ObisError(f"OBIS group {letter} '{part}' is out of range 0–255")
    return value


def obis_name(obis: Obis) -> str | None:
    """A human name for an OBIS code, or None when nothing sensible is known.

    Looks up the named objects first (B, the channel, is ignored: the Microstar notes use
    B = 1 where the standard examples use B = 0). Electricity codes (A = 1) without an
    entry get a generic "quantity · processing" label built from the C and D tables.
    A billing-period F (anything but 255) is appended as "(F = n)".
    """
    key = (obis.a, obis.c, obis.d, obis.e)
    name = EXACT_NAMES.get(key)
    if name is None and obis.a == 1:
        name = _electricity_name(obis.c, obis.d, obis.e)
    if name is None:
        return None
    return name if obis.f == 255 else f"{name} (F = {obis.f})"


def _electricity_name(c: int, d: int, e: int) -> str | None:
    if c == 81 and d == 7:
        return _phase_angle_name(e)
    quantity = QUANTITIES.get(c)
    if quantity is None:
        return None
    processing = PROCESSING.get(d)
    if processing is None:
        return quantity if d == 255 else f"{quantity} · D = {d}"
    label = f"{quantity} · {processing}"
    if e == 0:
        return label
    if d in ELECTRICITY_ENERGY_D or d in ELECTRICITY_DEMAND_D:
        return f"{label} · tariff {e}"
    return f"{label} · E = {e}"


def _phase_angle_name(e: int) -> str | None:
    """C = 81, D = 7: E = 10 × reference + target over U(L1..L3) = 0..2, I(L1..L3, N) = 4..7."""
    reference, target = PHASE_ANGLE_ENDS.get(e // 10), PHASE_ANGLE_ENDS.get(e % 10)
    if reference is None or target is None:
        return None
    return f"Phase angle {target} vs {reference}"


def obis_group(obis: Obis) -> str:
    """The object-browser category an OBIS code falls in.

    One of "Instantaneous values", "Energy", "Demand", "Profiles & logs", "Clock",
    "Identification", "Communication", "Association & security", "Control", "Other".
    """
    if obis.c in (98, 99):
        return "Profiles & logs"
    if obis.a == 0:
        return _abstract_group(obis.c, obis.d)
    if obis.a == 1:
        return _electricity_group(obis.c, obis.d)
    return "Other"


def _abstract_group(c: int, d: int) -> str:
    if c == 96:
        return {1: "Identification", 3: "Control"}.get(d, "Other")
    for (low, high), group in ABSTRACT_GROUPS:
        if low <= c <= high:
            return group
    return "Other"


def _electricity_group(c: int, d: int) -> str:
    if c == 0:
        return "Identification" if d == 2 or d == 0 else "Other"
    if c >= 93:
        return "Other"
    if d == 7:
        return "Instantaneous values"
    if d in ELECTRICITY_ENERGY_D:
        return "Energy"
    if d in ELECTRICITY_DEMAND_D:
        return "Demand"
    return "Other"

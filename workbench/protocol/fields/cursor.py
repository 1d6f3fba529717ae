"""A bounded reader for the fixed A-XDR fields of xDLMS APDUs, recording as it reads.

Why a cursor: every APDU decoder reads the same few primitives (unsigned integers, A-XDR
lengths, octet strings, embedded ``Data``). Keeping the bounds check, the error message
(which field, which byte, how many bytes were missing) and the span recording in one
place keeps each APDU decoder a flat list of field reads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext

from workbench.protocol.errors import DecodeError, EncodeError

from .registry import DLMS, Field
from .tree import Node, Recorder

__all__ = ["Cursor", "encode_axdr_length", "uint"]


def uint(value: int, size: int, what: str, *, signed: bool = False) -> bytes:
    """Big-endian integer of ``size`` bytes; EncodeError names ``what`` when out of range."""
    try:
        return value.to_bytes(size, "big", signed=signed)
    except (OverflowError, AttributeError) as exc:
        kind = "signed" if signed else "unsigned"
        raise EncodeError(f"{what} {value!r} does not fit in {size} byte(s) {kind}") from exc


def encode_axdr_length(n: int) -> bytes:
    """A-XDR length / element count: one byte below 0x80, else 0x81..0x84 followed by 1-4
    big-endian bytes. The one encoder of it (``axdr.encode_length`` is this function).

    Raises:
        EncodeError: negative, or more than 4 bytes.
    """
    if n < 0x80:
        if n < 0:
            raise EncodeError(f"length {n} is negative")
        return bytes((n,))
    size = (n.bit_length() + 7) // 8
    if size > 4:
        raise EncodeError(f"length {n} does not fit in 4 bytes")
    return bytes((0x80 | size,)) + n.to_bytes(size, "big")


class Cursor:
    """Reads ``buf[pos:end]`` field by field; each read is recorded in ``rec`` when given.

    ``what`` names the element being decoded in error messages ("GET-Response"). Every read
    names a registered :class:`Field`: its key goes into the tree, its label into the tree
    and into error messages ("block-number truncated"). ``warnings``, when given, collects
    the deviations the decoder tolerated (see :meth:`warn`).
    """

    __slots__ = ("buf", "end", "pos", "rec", "warnings", "what")

    def __init__(self, buf: bytes, pos: int = 0, end: int | None = None,
                 rec: Recorder | None = None, what: str = "APDU",
                 warnings: list[str] | None = None) -> None:
        self.buf = buf
        self.pos = pos
        self.end = len(buf) if end is None else end
        self.rec = rec
        self.what = what
        self.warnings = warnings

    @property
    def remaining(self) -> int:
        return self.end - self.pos

    def error(self, message: str, *, offset: int | None = None, length: int = 1,
              expected: str | None = None, got: str | None = None) -> DecodeError:
        return DecodeError(message, offset=self.pos if offset is None else offset,
                           length=length, expected=expected, got=got, what=self.what)

    def need(self, n: int, name: str) -> None:
        if self.pos + n > self.end:
            raise self.error(f"{name} truncated", expected=f"{n} byte(s)",
                             got=f"{self.remaining} left", length=0)  # no byte to mark

    def note(self, field: Field, start: int, value: str = "", *, secret: bool = False,
             label: str | None = None) -> None:
        """Record ``field`` spanning ``start``..current position."""
        if self.rec is not None:
            self.rec.item(field, start, self.pos - start, value, secret=secret, label=label)

    def warn(self, message: str, start: int | None = None) -> None:
        """A tolerated deviation: added to ``warnings`` (prefixed with ``what``) and recorded
        as a warning node spanning ``start``..current."""
        if self.warnings is not None:
            self.warnings.append(f"{self.what}: {message}")
        if self.rec is not None:
            at = self.pos if start is None else start
            self.rec.warn(message, at, self.pos - at)

    def group(self, field: Field, value: str = "", *, label: str | None = None
              ) -> AbstractContextManager[Node | None]:
        if self.rec is None:
            return nullcontext()
        return self.rec.subtree(field, self.pos, value, label=label)

    def raw(self, n: int, field: Field, value: Callable[[bytes], str] | None = None,
            *, secret: bool = False) -> bytes:
        self.need(n, field.label)
        start, self.pos = self.pos, self.pos + n
        data = self.buf[start:self.pos]
        if self.rec is not None:
            shown = "***" if secret else (value(data) if value else data.hex(" "))
            self.note(field, start, shown, secret=secret)
        return data

    def uint(self, size: int, field: Field, table: Mapping[int, str] | None = None,
             *, signed: bool = False) -> int:
        self.need(size, field.label)
        start, self.pos = self.pos, self.pos + size
        n = int.from_bytes(self.buf[start:self.pos], "big", signed=signed)
        if self.rec is not None:
            shown = f"{n} ({table.get(n, 'unknown')})" if table is not None else str(n)
            self.note(field, start, shown)
        return n

    def u8(self, field: Field, table: Mapping[int, str] | None = None) -> int:
        return self.uint(1, field, table)

    def tag(self, table: Mapping[int, str], field: Field = DLMS.TAG) -> int:
        """The APDU tag byte, recorded as "0xC4 (get-response)"."""
        self.need(1, field.label)
        self.pos += 1
        tag = self.buf[self.pos - 1]
        self.note(field, self.pos - 1, f"0x{tag:02X} ({table.get(tag, 'unknown')})")
        return tag

    def u16(self, field: Field) -> int:
        return self.uint(2, field)

    def u32(self, field: Field) -> int:
        return self.uint(4, field)

    def present(self, flag: Field, what: str) -> bool:
        """An A-XDR OPTIONAL/DEFAULT presence byte for ``what``: 0x00 absent, 0x01 present."""
        flag_value = self.u8(flag)
        if flag_value > 1:
            raise self.error(f"bad presence flag for {what}", offset=self.pos - 1,
                             got=f"0x{flag_value:02X}", expected="0x00 or 0x01")
        return flag_value == 1

    def boolean(self, field: Field) -> bool:
        """An A-XDR BOOLEAN: 0x00 false, anything else true."""
        self.need(1, field.label)
        self.pos += 1
        value = self.buf[self.pos - 1] != 0
        self.note(field, self.pos - 1, str(value).lower())
        return value

    def length(self, field: Field) -> int:
        """An A-XDR length or element count (see :func:`encode_axdr_length`)."""
        start = self.pos
        value = self._length(field.label)
        self.note(field, start, str(value))
        return value

    def _length(self, name: str) -> int:
        self.need(1, name)
        start = self.pos
        first = self.buf[start]
        if first < 0x80:
            self.pos += 1
            return first
        count = first & 0x7F
        if count == 0 or count > 4:
            raise self.error(f"bad {name}", got=f"0x{first:02X}",
                             expected="0x00–0x7F or 0x81–0x84")
        self.need(1 + count, name)
        self.pos += 1 + count
        return int.from_bytes(self.buf[start + 1:self.pos], "big")

    def octets(self, field: Field, *, secret: bool = False) -> bytes:
        """An A-XDR OCTET STRING: length, then that many bytes, recorded as one field."""
        start = self.pos
        n = self._length(f"{field.label} length")
        if self.pos + n > self.end:
            raise self.error(f"{field.label} truncated", offset=start,
                             expected=f"{n} byte(s)", got=f"{self.end - self.pos} left")
        self.pos += n
        data = self.buf[self.pos - n:self.pos]
        if self.rec is not None:
            shown = data[:32].hex(" ") + (" …" if n > 32 else "")
            self.note(field, start, "***" if secret else f"{n} bytes: {shown}", secret=secret)
        return data

    def finish(self) -> None:
        """Insist that every byte was used: trailing bytes mean a misunderstood APDU."""
        if self.pos != self.end:
            raise self.error("unexpected trailing bytes", length=self.end - self.pos,
                             got=self.buf[self.pos:self.end][:16].hex(" "),
                             expected="end of APDU")

    @contextmanager
    def bounded(self, end: int) -> Iterator[Cursor]:
        """Temporarily limit reads to ``end`` (an element nested inside a longer buffer)."""
        outer, self.end = self.end, end
        try:
            yield self
        finally:
            self.end = outer

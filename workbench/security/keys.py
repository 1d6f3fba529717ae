"""Keys and system titles: values that are checked once and never printed.

A key must never reach a log, a capture, a config file or a screenshot, so :class:`Key`
is :class:`Concealed`, as the session's password ``Secret`` is: ``repr``/``str``/formatting
give ``***`` and only :meth:`Key.reveal` hands out the bytes (to the cipher, nowhere else).
"""

from __future__ import annotations

import hmac

__all__ = ["KEY_LENGTH", "SYSTEM_TITLE_LENGTH", "Concealed", "Key", "SystemTitle"]

#: Security suite 0 uses AES-128: 16-byte keys.
KEY_LENGTH = 16
#: A system title is 8 bytes: 3 letters of manufacturer (FLAG id) + 5 unique bytes.
SYSTEM_TITLE_LENGTH = 8


def _from_hex(text: str, what: str, size: int) -> bytes:
    """Bytes from hex text (spaces allowed); ValueError says what was wrong, never the value."""
    cleaned = "".join(text.split())
    try:
        raw = bytes.fromhex(cleaned)
    except ValueError:
        raise ValueError(f"the {what} must be hexadecimal (0-9, A-F)") from None
    if len(raw) != size:
        raise ValueError(f"the {what} must be {size} bytes ({2 * size} hex digits), "
                         f"got {len(raw)} bytes")
    return raw


class Concealed:
    """Bytes that never show themselves: ``repr``/``str``/f-strings all give ``***`` and
    only :meth:`reveal` hands them out. The session's password ``Secret`` and :class:`Key`
    are both this; a subclass sets ``_value`` in its ``__init__`` after checking it.
    """

    __slots__ = ("_value",)
    _value: bytes

    def reveal(self) -> bytes:
        """The bytes, for the one place that sends or uses them (AARQ encoder, cipher)."""
        return self._value

    def __repr__(self) -> str:
        return f"{type(self).__name__}('***')"

    def __str__(self) -> str:
        return "***"

    def __format__(self, spec: str) -> str:
        return "***"

    def __eq__(self, other: object) -> bool:
        """Constant-time, so comparing against a guess does not tell how much of it was right."""
        return isinstance(other, type(self)) and hmac.compare_digest(other._value, self._value)

    def __hash__(self) -> int:
        """The same for every value of a class: a hash of the bytes would be a value derived
        from them anyone could read (and brute-force). Equal values still hash alike, as
        required; nobody keeps enough of them in one set for the collisions to matter."""
        return hash(type(self))


class Key(Concealed):
    """An AES-128 key (authentication or block cipher key) that never shows itself."""

    __slots__ = ()

    def __init__(self, value: bytes) -> None:
        """Keep ``value``; it must be exactly 16 bytes.

        Raises:
            ValueError: wrong length (the message gives the length, not the bytes).
        """
        if len(value) != KEY_LENGTH:
            raise ValueError(f"a key must be {KEY_LENGTH} bytes, got {len(value)}")
        self._value = bytes(value)

    @classmethod
    def from_hex(cls, text: str, what: str = "key") -> Key:
        """Parse 32 hex digits (spaces allowed), e.g. from an environment variable."""
        return cls(_from_hex(text, what, KEY_LENGTH))


class SystemTitle(bytes):
    """The 8-byte system title of a DLMS entity (it is sent in clear; printing it is fine)."""

    def __new__(cls, value: bytes) -> SystemTitle:
        if len(value) != SYSTEM_TITLE_LENGTH:
            raise ValueError(f"a system title must be {SYSTEM_TITLE_LENGTH} bytes, "
                             f"got {len(value)}")
        return super().__new__(cls, value)

    @classmethod
    def from_hex(cls, text: str) -> SystemTitle:
        """Parse 16 hex digits (spaces allowed)."""
        return cls(_from_hex(text, "system title", SYSTEM_TITLE_LENGTH))

    @property
    def manufacturer(self) -> str:
        """The three-letter manufacturer id in the first three bytes, or "" if not letters."""
        head = bytes(self[:3])
        return head.decode("ascii") if head.isalpha() and head.isupper() else ""

    def __str__(self) -> str:
        return self.hex(" ").upper()

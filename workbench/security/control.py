"""The security control byte that heads every ciphered APDU (Green Book 9.2.7.2.4).

Bits 0–3: security suite id; bit 4: authentication applied; bit 5: encryption applied;
bit 6: key set (0 unicast, 1 broadcast); bit 7: compression. Suite 0 with both
protections is ``0x30``; the HLS-GMAC answer carries ``0x10`` (authentication only).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SecurityControl"]


@dataclass(frozen=True, slots=True)
class SecurityControl:
    """One security control byte, field by field."""

    suite: int = 0
    authenticated: bool = True
    encrypted: bool = True
    broadcast_key: bool = False
    compressed: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.suite <= 15:
            raise ValueError(f"security suite must be 0..15, got {self.suite}")

    @classmethod
    def from_byte(cls, value: int) -> SecurityControl:
        """Split a control byte into its fields (any byte is a valid control byte)."""
        return cls(suite=value & 0x0F, authenticated=bool(value & 0x10),
                   encrypted=bool(value & 0x20), broadcast_key=bool(value & 0x40),
                   compressed=bool(value & 0x80))

    @property
    def byte(self) -> int:
        """The control byte as sent."""
        return (self.suite | self.authenticated << 4 | self.encrypted << 5
                | self.broadcast_key << 6 | self.compressed << 7)

    def describe(self) -> str:
        """Plain words for the dissection: "suite 0, authenticated and encrypted, unicast key"."""
        if self.authenticated and self.encrypted:
            how = "authenticated and encrypted"
        elif self.authenticated:
            how = "authenticated only"
        elif self.encrypted:
            how = "encrypted only"
        else:
            how = "no protection"
        key = "broadcast key" if self.broadcast_key else "unicast key"
        extra = ", compressed" if self.compressed else ""
        return f"suite {self.suite}, {how}, {key}{extra}"

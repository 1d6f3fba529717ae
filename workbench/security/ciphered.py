"""Glo-ciphered xDLMS APDUs and the context that numbers them.

A glo-ciphered APDU is the plain APDU's tag mapped to its ``glo-`` tag, an A-XDR length,
then the security header (control byte, 4-byte invocation counter) and the protected
payload. General-glo-ciphering (0xDB) carries the sender's system title in front instead of
relying on the one learnt in the AARQ/AARE; we read both and send the service-specific form.

Why the counter lives here: suite 0 is only safe if an (IV, key) pair is never used twice,
so :class:`SecurityContext` hands out each invocation counter once and refuses to wrap; and
a received counter that does not increase is a replay, refused before decryption.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.protocol.apdu import CIPHERED_TAGS, SecurityControl
from workbench.protocol.axdr import decode_length, encode_length
from workbench.protocol.errors import DecodeError

from .errors import SecurityError
from .gcm import protect, unprotect
from .keys import Key, SystemTitle

__all__ = ["GENERAL_GLO", "GLO_TAGS", "PLAIN_TAGS", "SecurityContext", "protect_apdu",
           "protect_general_apdu", "unprotect_apdu"]

#: plain xDLMS tag → its glo-ciphered tag, from the core's table of ciphered forms (glo- tags
#: are 0x21-0x38 and 0xC8-0xCF; ded- ones, with a dedicated key, are not used here).
GLO_TAGS: dict[int, int] = {plain: tag for tag, plain in CIPHERED_TAGS.items()
                            if plain and (tag < 0x40 or 0xC8 <= tag <= 0xCF)}
#: glo tag → the plain tag it protects.
PLAIN_TAGS: dict[int, int] = {glo: plain for plain, glo in GLO_TAGS.items()}
GENERAL_GLO = 0xDB
_HEADER = 5  # control byte + invocation counter


def protect_apdu(plain: bytes, control: SecurityControl, system_title: SystemTitle,
                 counter: int, block_key: Key, auth_key: Key) -> bytes:
    """Wrap one plain APDU into its glo-ciphered form.

    Raises:
        SecurityError: the APDU's tag has no glo- form.
    """
    if not plain or plain[0] not in GLO_TAGS:
        tag = f"0x{plain[0]:02X}" if plain else "nothing"
        raise SecurityError(f"APDU tag {tag} has no glo-ciphered form")
    payload = protect(control, system_title, counter, block_key, auth_key, plain)
    body = bytes([control.byte]) + counter.to_bytes(4, "big") + payload
    return bytes([GLO_TAGS[plain[0]]]) + encode_length(len(body)) + body


def protect_general_apdu(plain: bytes, control: SecurityControl, system_title: SystemTitle,
                         counter: int, block_key: Key, auth_key: Key) -> bytes:
    """Wrap one plain APDU into general-glo-ciphering (0xDB), the sender's title inside: the
    form to answer a client that asked in it (some clients read no other)."""
    payload = protect(control, system_title, counter, block_key, auth_key, plain)
    body = bytes([control.byte]) + counter.to_bytes(4, "big") + payload
    return (bytes([GENERAL_GLO]) + encode_length(len(system_title)) + bytes(system_title)
            + encode_length(len(body)) + body)


@dataclass(frozen=True, slots=True)
class Unwrapped:
    """What a ciphered APDU carried: the plain APDU and the header it came with."""

    plain: bytes
    control: SecurityControl
    counter: int
    system_title: SystemTitle


def unprotect_apdu(ciphered: bytes, sender_title: SystemTitle | None, block_key: Key,
                   auth_key: Key) -> Unwrapped:
    """Check and decipher a glo- or general-glo-ciphered APDU.

    Args:
        sender_title: the sender's system title learnt in the association; may be None for
            general-glo-ciphering, which carries it.

    Raises:
        SecurityError / DecodeError: not a ciphered APDU we know, truncated, or it does
            not authenticate.
    """
    if not ciphered:
        raise DecodeError("empty ciphered APDU", offset=0)
    pos = 1
    if ciphered[0] == GENERAL_GLO:
        size, pos = decode_length(ciphered, 1, what="system-title length")
        if size != 8 or pos + size > len(ciphered):
            raise DecodeError("general-glo-ciphering system title must be 8 bytes",
                              offset=1, got=str(size))
        sender_title = SystemTitle(ciphered[pos:pos + size])
        pos += size
    elif ciphered[0] not in PLAIN_TAGS:
        raise DecodeError("not a glo-ciphered APDU", offset=0, got=f"tag 0x{ciphered[0]:02X}")
    if sender_title is None:
        raise SecurityError("the sender's system title is unknown (no AARQ/AARE seen)")
    size, pos = decode_length(ciphered, pos, what="ciphered content length")
    end = pos + size
    if end > len(ciphered) or size < _HEADER:
        raise DecodeError("ciphered content is cut short", offset=pos,
                          expected=f"{size} bytes", got=f"{len(ciphered) - pos}")
    control = SecurityControl.from_byte(ciphered[pos])
    counter = int.from_bytes(ciphered[pos + 1:pos + 5], "big")
    plain = unprotect(control, sender_title, counter, block_key, auth_key,
                      ciphered[pos + _HEADER:end])
    if ciphered[0] != GENERAL_GLO and plain[:1] != bytes([PLAIN_TAGS[ciphered[0]]]):
        raise SecurityError(f"glo tag 0x{ciphered[0]:02X} protects an APDU of tag "
                            f"0x{plain[0]:02X}" if plain else "empty plaintext")
    return Unwrapped(plain, control, counter, sender_title)


@dataclass
class SecurityContext:
    """One side's suite-0 state for an association: keys, titles and invocation counters.

    Attributes:
        own_title: our system title (the IV's fixed field for what we send).
        block_key, auth_key: the global unicast encryption key and the authentication key.
        counter: the next invocation counter we will use; read from the meter's frame
            counter object before associating, then only ever increased.
        peer_title: the other side's system title, learnt from the AARQ/AARE.
        peer_counter: the last counter received from the peer (replays are refused).
    """

    own_title: SystemTitle
    block_key: Key
    auth_key: Key
    counter: int = 0
    peer_title: SystemTitle | None = None
    peer_counter: int | None = None
    control: SecurityControl = field(default_factory=SecurityControl)

    def next_counter(self) -> int:
        """Hand out the next invocation counter, once.

        Raises:
            SecurityError: the counter is exhausted (new keys are needed).
        """
        if self.counter > 0xFFFFFFFF:
            raise SecurityError("the invocation counter is exhausted; the keys must be renewed")
        value = self.counter
        self.counter += 1
        return value

    def protect(self, plain: bytes) -> bytes:
        """Cipher one plain APDU for sending."""
        return protect_apdu(plain, self.control, self.own_title, self.next_counter(),
                            self.block_key, self.auth_key)

    def unprotect(self, ciphered: bytes) -> bytes:
        """Check, decipher and return one received APDU; refuses a counter that did not grow."""
        got = unprotect_apdu(ciphered, self.peer_title, self.block_key, self.auth_key)
        if self.peer_counter is not None and got.counter <= self.peer_counter:
            raise SecurityError(f"invocation counter {got.counter} did not increase (last "
                                f"{self.peer_counter}): a replayed or duplicated APDU")
        self.peer_counter = got.counter
        if self.peer_title is None:
            self.peer_title = got.system_title
        return got.plain

"""Ciphered and signed APDUs, read as far as bytes go without keys: the security header
(security control byte, invocation counter, system titles), the ciphertext and its tag.

Why here, keys elsewhere: ``workbench decode`` and the frame log must name a ciphered frame
and show its header — a valid ciphered APDU is not an error — while deciphering needs keys
and a crypto library, which the pure protocol core does not take. ``workbench.security``
builds on these types to decipher (it turns ``CipheredApdu.ciphertext`` + ``auth_tag`` into
the plain APDU, which ``decode_apdu`` then reads).

Wire forms (IEC 62056-5-3 / Green Book 9.2.7):

* glo-/ded- service-specific (0x21 … 0xD7): tag, A-XDR length, security header
  (control byte, invocation counter u32), ciphertext, tag (12 bytes when authenticated);
* general-glo-/general-ded-ciphering (0xDB/0xDC): system-title OCTET STRING first;
* general-ciphering (0xDD): transaction-id, originator- and recipient-system-title,
  date-time, other-information (OCTET STRINGs), key-info OPTIONAL, ciphered content;
* general-signing (0xDF): the same five OCTET STRINGs, content, signature.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.protocol.axdr import encode_length
from workbench.protocol.errors import DecodeError, EncodeError
from workbench.protocol.fields import SECURITY, Cursor, Field, uint

from . import names

__all__ = [
    "AUTH_TAG_SIZE",
    "CIPHERED_TAGS",
    "CipheredApdu",
    "GeneralCiphering",
    "GeneralSigning",
    "KeyInfo",
    "SecurityControl",
]

AUTH_TAG_SIZE = 12  # GCM tag of security suites 0-2
#: (plain, glo-, ded-) tags of every service with a service-specific ciphered form
_SERVICE_FORMS = (
    (0x01, 0x21, 0x41), (0x08, 0x28, 0x48), (0x0E, 0x2E, 0x4E), (0x05, 0x25, 0x45),
    (0x06, 0x26, 0x46), (0x0C, 0x2C, 0x4C), (0x0D, 0x2D, 0x4D), (0x16, 0x36, 0x56),
    (0x18, 0x38, 0x58), (0xC0, 0xC8, 0xD0), (0xC1, 0xC9, 0xD1), (0xC2, 0xCA, 0xD2),
    (0xC3, 0xCB, 0xD3), (0xC4, 0xCC, 0xD4), (0xC5, 0xCD, 0xD5), (0xC7, 0xCF, 0xD7))
#: ciphered tag -> the plain service tag it protects (0 for general-glo/-ded: any APDU)
CIPHERED_TAGS: dict[int, int] = {
    **{glo: plain for plain, glo, _ in _SERVICE_FORMS},
    **{ded: plain for plain, _, ded in _SERVICE_FORMS},
    0xDB: 0, 0xDC: 0,
}
_HEADER = 5  # control byte + invocation counter


@dataclass(frozen=True, slots=True)
class SecurityControl:
    """The security control byte: suite id (bits 0–3), authentication (4), encryption (5),
    key set (6: 0 unicast, 1 broadcast), compression (7)."""

    suite: int = 0
    authenticated: bool = True
    encrypted: bool = True
    broadcast_key: bool = False
    compressed: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.suite <= 15:
            raise EncodeError(f"security suite must be 0..15, got {self.suite}")

    @classmethod
    def from_byte(cls, value: int) -> SecurityControl:
        """Any byte is a valid control byte."""
        return cls(value & 0x0F, bool(value & 0x10), bool(value & 0x20), bool(value & 0x40),
                   bool(value & 0x80))

    @property
    def byte(self) -> int:
        return (self.suite | self.authenticated << 4 | self.encrypted << 5
                | self.broadcast_key << 6 | self.compressed << 7)

    def describe(self) -> str:
        """"suite 0, authenticated and encrypted, unicast key"."""
        how = {(True, True): "authenticated and encrypted", (True, False): "authenticated only",
               (False, True): "encrypted only", (False, False): "no protection"}[
            (self.authenticated, self.encrypted)]
        key = "broadcast key" if self.broadcast_key else "unicast key"
        return f"suite {self.suite}, {how}, {key}" + (", compressed" if self.compressed else "")


@dataclass(frozen=True, slots=True)
class CipheredApdu:
    """A glo-/ded-ciphered APDU or general-glo/-ded-ciphering, not deciphered.

    ``system_title`` is set for general-glo/-ded (0xDB/0xDC) only. ``ciphertext`` is the
    protected APDU as sent (plain text when only authenticated); ``auth_tag`` the last 12
    bytes when authenticated, else b"".
    """

    tag: int
    control: SecurityControl
    invocation_counter: int
    ciphertext: bytes
    auth_tag: bytes = b""
    system_title: bytes | None = None

    @property
    def protects(self) -> str:
        """The service inside: "get-response", or "any APDU" for general ciphering."""
        plain = CIPHERED_TAGS.get(self.tag, 0)
        return names.APDU_TAGS.get(plain, "any APDU") if plain else "any APDU"


@dataclass(frozen=True, slots=True)
class KeyInfo:
    """Key-Info CHOICE: [0] identified-key (key_id), [1] wrapped-key (key_id = kek-id,
    ciphered_key), [2] agreed-key (parameters, ciphered_key)."""

    choice: int
    key_id: int | None = None
    parameters: bytes | None = None
    ciphered_key: bytes | None = None


@dataclass(frozen=True, slots=True)
class GeneralCiphering:
    transaction_id: bytes
    originator: bytes
    recipient: bytes
    date_time: bytes
    other_information: bytes
    key_info: KeyInfo | None
    control: SecurityControl
    invocation_counter: int
    ciphertext: bytes
    auth_tag: bytes = b""


@dataclass(frozen=True, slots=True)
class GeneralSigning:
    transaction_id: bytes
    originator: bytes
    recipient: bytes
    date_time: bytes
    other_information: bytes
    content: bytes
    signature: bytes


# ---- encoding -----------------------------------------------------------------------------

def _octets(raw: bytes) -> bytes:
    return encode_length(len(raw)) + raw


def _content(control: SecurityControl, counter: int, ciphertext: bytes, tag: bytes) -> bytes:
    if len(tag) != (AUTH_TAG_SIZE if control.authenticated else 0):
        raise EncodeError(f"authentication tag of {len(tag)} bytes for {control.describe()}")
    body = bytes([control.byte]) + uint(counter, 4, "invocation counter") + ciphertext + tag
    return _octets(body)


def _key_info(info: KeyInfo | None) -> bytes:
    if info is None:
        return b"\x00"
    head = bytes([1, info.choice])
    if info.choice == 0:
        return head + uint(info.key_id or 0, 1, "key id")
    if info.choice == 1:
        return head + uint(info.key_id or 0, 1, "kek id") + _octets(info.ciphered_key or b"")
    return head + _octets(info.parameters or b"") + _octets(info.ciphered_key or b"")


def _addressing(apdu: GeneralCiphering | GeneralSigning) -> bytes:
    return b"".join(map(_octets, (apdu.transaction_id, apdu.originator, apdu.recipient,
                                  apdu.date_time, apdu.other_information)))


def encode_ciphered(apdu: CipheredApdu | GeneralCiphering | GeneralSigning) -> bytes:
    if isinstance(apdu, GeneralSigning):
        return (b"\xdf" + _addressing(apdu) + _octets(apdu.content) + _octets(apdu.signature))
    content = _content(apdu.control, apdu.invocation_counter, apdu.ciphertext, apdu.auth_tag)
    if isinstance(apdu, GeneralCiphering):
        return b"\xdd" + _addressing(apdu) + _key_info(apdu.key_info) + content
    if apdu.tag not in CIPHERED_TAGS:
        raise EncodeError(f"0x{apdu.tag:02X} is not a ciphered APDU tag")
    title = b"" if apdu.system_title is None else _octets(apdu.system_title)
    if (apdu.system_title is None) != (CIPHERED_TAGS[apdu.tag] != 0):
        raise EncodeError("a system title goes with general-glo/-ded ciphering only")
    return bytes([apdu.tag]) + title + content


# ---- decoding -----------------------------------------------------------------------------

def _read_control(cur: Cursor) -> SecurityControl:
    start = cur.pos
    cur.need(1, SECURITY.CONTROL.label)
    cur.pos += 1
    control = SecurityControl.from_byte(cur.buf[start])
    with cur.group(SECURITY.CONTROL, f"0x{control.byte:02X}: {control.describe()}"):
        for field, value in ((SECURITY.SUITE, str(control.suite)),
                             (SECURITY.AUTHENTICATED, _yes(control.authenticated)),
                             (SECURITY.ENCRYPTED, _yes(control.encrypted)),
                             (SECURITY.KEY_SET, "broadcast" if control.broadcast_key
                              else "unicast"),
                             (SECURITY.COMPRESSED, _yes(control.compressed))):
            if cur.rec is not None:
                cur.rec.item(field, start, 1, value)
    return control


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _read_content(cur: Cursor) -> tuple[SecurityControl, int, bytes, bytes]:
    """Ciphered content: its length, security header, ciphertext and (when authenticated)
    the tag. A valid header with any ciphertext is no error: we just cannot read inside."""
    start = cur.pos
    size = _length(cur, SECURITY.CONTENT_LENGTH)
    if size < _HEADER or size > cur.remaining:
        raise cur.error("ciphered content shorter than its security header" if size < _HEADER
                        else "ciphered content truncated", offset=start,
                        got=f"{size} bytes" if size < _HEADER else f"{cur.remaining} left",
                        expected=f"at least {_HEADER}" if size < _HEADER else f"{size} bytes")
    end = cur.pos + size
    control = _read_control(cur)
    counter = cur.u32(SECURITY.INVOCATION_COUNTER)
    tag_size = AUTH_TAG_SIZE if control.authenticated else 0
    if end - cur.pos < tag_size:
        raise cur.error("authentication tag truncated", offset=cur.pos,
                        got=f"{end - cur.pos} bytes", expected=f"{tag_size} bytes")
    ciphertext = cur.raw(end - cur.pos - tag_size, SECURITY.CIPHERTEXT, _size)
    tag = cur.raw(tag_size, SECURITY.AUTH_TAG) if tag_size else b""
    return control, counter, ciphertext, tag


def _size(raw: bytes) -> str:
    return f"{len(raw)} bytes (not deciphered)"


def _length(cur: Cursor, field: Field) -> int:
    return cur.length(field)


def _summary(cur: Cursor, text: str) -> None:
    if cur.rec is not None:
        cur.rec.current.value = text


def decode_ciphered(cur: Cursor) -> CipheredApdu | GeneralCiphering | GeneralSigning:
    """Read the header of any ciphered or signed APDU at the cursor."""
    tag = cur.tag(names.APDU_TAGS)
    if tag == 0xDD:
        return _general_ciphering(cur)
    if tag == 0xDF:
        return _general_signing(cur)
    title = cur.octets(SECURITY.SYSTEM_TITLE) if CIPHERED_TAGS.get(tag) == 0 else None
    control, counter, ciphertext, auth = _read_content(cur)
    apdu = CipheredApdu(tag, control, counter, ciphertext, auth, title)
    _summary(cur, f"{apdu.protects}, {control.describe()}, invocation counter {counter}, "
                  f"{len(ciphertext)}-byte ciphertext" + (f", {len(auth)}-byte tag" if auth
                                                          else ""))
    return apdu


def _read_addressing(cur: Cursor) -> tuple[bytes, bytes, bytes, bytes, bytes]:
    return (cur.octets(SECURITY.TRANSACTION_ID), cur.octets(SECURITY.ORIGINATOR),
            cur.octets(SECURITY.RECIPIENT), cur.octets(SECURITY.DATE_TIME),
            cur.octets(SECURITY.OTHER_INFORMATION))


def _read_key_info(cur: Cursor) -> KeyInfo | None:
    if not cur.present(SECURITY.KEY_INFO_PRESENT, "key-info"):
        return None
    with cur.group(SECURITY.KEY_INFO):
        choice = cur.u8(SECURITY.KEY_INFO, {0: "identified-key", 1: "wrapped-key",
                                            2: "agreed-key"})
        if choice == 0:
            return KeyInfo(0, cur.u8(SECURITY.KEY_INFO))
        if choice == 1:
            return KeyInfo(1, cur.u8(SECURITY.KEY_INFO), None, cur.octets(SECURITY.KEY_INFO))
        if choice == 2:
            return KeyInfo(2, None, cur.octets(SECURITY.KEY_INFO), cur.octets(SECURITY.KEY_INFO))
    raise DecodeError("bad key-info choice", offset=cur.pos - 1, got=str(choice),
                      expected="0 (identified), 1 (wrapped) or 2 (agreed)", what=cur.what)


def _general_ciphering(cur: Cursor) -> GeneralCiphering:
    addressing = _read_addressing(cur)
    key_info = _read_key_info(cur)
    control, counter, ciphertext, auth = _read_content(cur)
    _summary(cur, f"{control.describe()}, invocation counter {counter}, "
                  f"{len(ciphertext)}-byte ciphertext")
    return GeneralCiphering(*addressing, key_info, control, counter, ciphertext, auth)


def _general_signing(cur: Cursor) -> GeneralSigning:
    addressing = _read_addressing(cur)
    content = cur.octets(SECURITY.CONTENT)
    signature = cur.octets(SECURITY.SIGNATURE)
    _summary(cur, f"{len(content)}-byte content, {len(signature)}-byte signature")
    return GeneralSigning(*addressing, content, signature)

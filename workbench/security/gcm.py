"""AES-GCM-128 protection of one payload, as security suite 0 applies it.

The 12-byte IV is the sender's system title followed by the 4-byte invocation counter, so
the same (key, system title, counter) must never protect two payloads — the
:class:`~workbench.security.ciphered.SecurityContext` guarantees that for what we send.
The additional authenticated data is the control byte and the authentication key, plus the
plaintext itself when only authentication is applied. The tag is cut to 12 bytes.
"""

from __future__ import annotations

import hmac

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from workbench.protocol.apdu import SecurityControl

from .errors import SecurityError
from .keys import Key, SystemTitle

__all__ = ["TAG_LENGTH", "protect", "unprotect"]

#: Suite 0 truncates the GCM tag to 96 bits.
TAG_LENGTH = 12


def _iv(system_title: SystemTitle, counter: int) -> bytes:
    if not 0 <= counter <= 0xFFFFFFFF:
        raise ValueError(f"invocation counter must be 0..4294967295, got {counter}")
    return bytes(system_title) + counter.to_bytes(4, "big")


def _check(control: SecurityControl) -> None:
    if control.suite != 0:
        raise SecurityError(f"security suite {control.suite} is not supported (only suite 0)")
    if control.compressed:
        raise SecurityError("compressed ciphered APDUs are not supported")
    if not control.authenticated and not control.encrypted:
        raise SecurityError("the security control byte applies no protection")


def protect(control: SecurityControl, system_title: SystemTitle, counter: int,
            block_key: Key, auth_key: Key, plaintext: bytes) -> bytes:
    """Return the protected payload: ciphertext (or plaintext) followed by the 12-byte tag.

    With encryption off (authentication only) the payload is sent in clear and only the tag
    is added. ``block_key`` is the global unicast encryption key (EK), ``auth_key`` the
    authentication key (AK).
    """
    _check(control)
    iv = _iv(system_title, counter)
    aad = bytes([control.byte]) + auth_key.reveal()
    if not control.encrypted:
        tag = _gcm_tag(block_key, iv, aad + plaintext)
        return plaintext + tag
    if not control.authenticated:
        raise SecurityError("encryption without authentication is not supported")
    sealed = AESGCM(block_key.reveal()).encrypt(iv, plaintext, aad)
    return sealed[:len(plaintext)] + sealed[len(plaintext):][:TAG_LENGTH]


def unprotect(control: SecurityControl, system_title: SystemTitle, counter: int,
              block_key: Key, auth_key: Key, payload: bytes) -> bytes:
    """Check the tag and return the plaintext.

    Raises:
        SecurityError: the payload is shorter than a tag, or it does not authenticate
            (wrong keys, wrong system title or counter, or damaged bytes).
    """
    _check(control)
    if len(payload) < TAG_LENGTH:
        raise SecurityError(f"ciphered payload of {len(payload)} bytes is shorter than "
                            f"its {TAG_LENGTH}-byte authentication tag")
    body, tag = payload[:-TAG_LENGTH], payload[-TAG_LENGTH:]
    iv = _iv(system_title, counter)
    aad = bytes([control.byte]) + auth_key.reveal()
    if not control.encrypted:
        if not hmac.compare_digest(_gcm_tag(block_key, iv, aad + body), tag):
            raise SecurityError(_FAILED)
        return body
    return _decrypt(block_key, iv, body, tag, aad)


_FAILED = ("authentication tag does not match: wrong authentication or block cipher key, "
           "wrong system title, or damaged bytes")


def _decrypt(key: Key, iv: bytes, body: bytes, tag: bytes, aad: bytes) -> bytes:
    """GCM decryption with a 12-byte tag (the AESGCM helper only takes 16-byte tags)."""
    decryptor = Cipher(algorithms.AES(key.reveal()),
                       modes.GCM(iv, tag, min_tag_length=TAG_LENGTH)).decryptor()
    decryptor.authenticate_additional_data(aad)
    try:
        return decryptor.update(body) + decryptor.finalize()
    except InvalidTag:
        raise SecurityError(_FAILED) from None


def _gcm_tag(key: Key, iv: bytes, aad: bytes) -> bytes:
    """GMAC: the GCM tag of an empty plaintext over ``aad``, cut to 12 bytes."""
    return AESGCM(key.reveal()).encrypt(iv, b"", aad)[:TAG_LENGTH]


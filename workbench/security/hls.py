"""HLS-GMAC and HLS-SHA256 (authentication mechanisms 5 and 6): challenges and answers.

In the AARQ each side sends a random challenge (client: CtoS, in the
calling-authentication-value; meter: StoC, in the AARE). After the AARE the client proves
it holds the keys by calling ``reply_to_HLS_authentication`` on the current association
object with f(StoC), and the meter answers with f(CtoS). For suite 0:

    f(challenge) = SC || IC || GMAC(EK; IV = sender title || IC; AAD = SC || AK || challenge)

with SC = 0x10 (authentication only), IC the sender's invocation counter and the GMAC tag cut
to 12 bytes. For mechanism 6 each side hashes the shared HLS secret with both system titles
and both challenges, its own title and the challenge it answers first:

    f(StoC) = SHA-256(secret || title C || title S || StoC || CtoS)   (the client's)
    f(CtoS) = SHA-256(secret || title S || title C || CtoS || StoC)   (the meter's)

(the Green Book's construction, the one gurux-dlms implements), so an answer cannot be
replayed to another peer or for another pair of challenges.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from workbench.protocol.apdu import SecurityControl

from .errors import SecurityError
from .gcm import TAG_LENGTH, protect
from .keys import Key, SystemTitle

__all__ = ["gmac_answer", "make_challenge", "sha256_answer", "verify_gmac_answer",
           "verify_sha256_answer"]

_AUTH_ONLY = SecurityControl(authenticated=True, encrypted=False)
_ANSWER_LENGTH = 1 + 4 + TAG_LENGTH


def make_challenge(size: int = 16) -> bytes:
    """A fresh random challenge of 8..64 bytes (the standard's bounds)."""
    if not 8 <= size <= 64:
        raise ValueError(f"an HLS challenge must be 8..64 bytes, got {size}")
    return os.urandom(size)


def gmac_answer(challenge: bytes, sender_title: SystemTitle, counter: int,
                block_key: Key, auth_key: Key) -> bytes:
    """f(challenge) as the sender computes it: SC || IC || 12-byte GMAC tag."""
    sealed = protect(_AUTH_ONLY, sender_title, counter, block_key, auth_key, challenge)
    return bytes([_AUTH_ONLY.byte]) + counter.to_bytes(4, "big") + sealed[len(challenge):]


def verify_gmac_answer(answer: bytes, challenge: bytes, sender_title: SystemTitle,
                       block_key: Key, auth_key: Key) -> int:
    """Check the peer's f(our challenge); return the invocation counter it used.

    Raises:
        SecurityError: malformed, or the tag does not match (wrong keys or system title).
    """
    if len(answer) != _ANSWER_LENGTH or answer[0] != _AUTH_ONLY.byte:
        raise SecurityError(f"HLS-GMAC answer must be {_ANSWER_LENGTH} bytes starting with "
                            f"0x10, got {len(answer)} bytes")
    counter = int.from_bytes(answer[1:5], "big")
    expected = gmac_answer(challenge, sender_title, counter, block_key, auth_key)
    if not hmac.compare_digest(expected, answer):
        raise SecurityError("the HLS-GMAC answer does not match: the meter and we do not "
                            "share the same authentication and block cipher keys "
                            "(or the system title is wrong)")
    return counter


def sha256_answer(secret: bytes, sender_title: SystemTitle, receiver_title: SystemTitle,
                  answered: bytes, own_challenge: bytes) -> bytes:
    """f(challenge) for HLS-SHA256, as the sender computes it (32 bytes).

    Args:
        secret: the HLS secret both sides share.
        answered: the peer's challenge being answered; own_challenge: the one we sent.
    """
    digest = hashlib.sha256(secret + bytes(sender_title) + bytes(receiver_title)
                            + answered + own_challenge)
    return digest.digest()


def verify_sha256_answer(answer: bytes, secret: bytes, sender_title: SystemTitle,
                         receiver_title: SystemTitle, our_challenge: bytes,
                         their_challenge: bytes) -> None:
    """Check the peer's f(our challenge) for HLS-SHA256.

    Raises:
        SecurityError: it does not match (another secret, or wrong system titles).
    """
    expected = sha256_answer(secret, sender_title, receiver_title, our_challenge,
                             their_challenge)
    if not hmac.compare_digest(expected, answer):
        raise SecurityError("the HLS-SHA256 answer does not match: the meter and we do not "
                            "share the same HLS secret (or a system title is wrong)")

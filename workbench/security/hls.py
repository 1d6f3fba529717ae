"""HLS-GMAC (authentication mechanism 5): challenges and their answers.

In the AARQ each side sends a random challenge (client: CtoS, in the
calling-authentication-value; meter: StoC, in the AARE). After the AARE the client proves
it holds the keys by calling ``reply_to_HLS_authentication`` on the current association
object with f(StoC), and the meter answers with f(CtoS). For suite 0:

    f(challenge) = SC || IC || GMAC(EK; IV = sender title || IC; AAD = SC || AK || challenge)

with SC = 0x10 (authentication only), IC the sender's invocation counter and the GMAC tag cut
to 12 bytes.
"""

from __future__ import annotations

import hmac
import os

from workbench.protocol.apdu import SecurityControl

from .errors import SecurityError
from .gcm import TAG_LENGTH, protect
from .keys import Key, SystemTitle

__all__ = ["gmac_answer", "make_challenge", "verify_gmac_answer"]

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

"""DLMS security suite 0: AES-GCM-128 ciphering of xDLMS APDUs and HLS-GMAC authentication.

This layer sits between the pure protocol core (stdlib only) and the session: it is pure
too — no sockets, threads or clocks — but needs a well-kept crypto library
(``cryptography``) for AES-GCM, which is why it is not inside ``workbench.protocol``.

* ``keys``     — :class:`Key` (16 bytes that never show themselves, a :class:`Concealed`
  like the session's password) and :class:`SystemTitle`;
* the security control byte (suite, authentication, encryption, key set) is the core's
  :class:`~workbench.protocol.apdu.SecurityControl`;
* ``gcm``      — protect/unprotect one payload with the IV built from system title + counter;
* ``ciphered`` — glo-ciphered APDUs (plain tag ↔ glo tag), and :class:`SecurityContext`,
  which numbers every APDU it protects with an invocation counter that only grows;
* ``hls``      — HLS challenges and their answers f(challenge): GMAC (mechanism 5)
  and SHA-256 (mechanism 6).
"""

from __future__ import annotations

from workbench.protocol.apdu import SecurityControl

from .ciphered import (
    GENERAL_GLO,
    GLO_TAGS,
    PLAIN_TAGS,
    SecurityContext,
    protect_apdu,
    protect_general_apdu,
    unprotect_apdu,
)
from .errors import SecurityError
from .gcm import protect, unprotect
from .hls import (
    gmac_answer,
    make_challenge,
    sha256_answer,
    verify_gmac_answer,
    verify_sha256_answer,
)
from .keys import Concealed, Key, SystemTitle

__all__ = [
    "GENERAL_GLO",
    "GLO_TAGS",
    "PLAIN_TAGS",
    "Concealed",
    "Key",
    "SecurityContext",
    "SecurityControl",
    "SecurityError",
    "SystemTitle",
    "gmac_answer",
    "make_challenge",
    "protect",
    "protect_apdu",
    "protect_general_apdu",
    "sha256_answer",
    "unprotect",
    "unprotect_apdu",
    "verify_gmac_answer",
    "verify_sha256_answer",
]

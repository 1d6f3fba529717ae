"""Errors of the security layer, in the protocol core's one family.

A ciphered APDU that fails its authentication tag is bytes from the peer that we cannot
accept, so :class:`SecurityError` is a :class:`~workbench.protocol.errors.DecodeError`:
every reader that already catches the core's errors catches these too. Messages never
quote a key.
"""

from __future__ import annotations

from workbench.protocol.errors import DecodeError

__all__ = ["SecurityError"]


class SecurityError(DecodeError):
    """A ciphered APDU or HLS answer that cannot be deciphered or does not authenticate."""

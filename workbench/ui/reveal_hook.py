"""The frame log's dissector: the plain one, or one that deciphers while keys are known.

Why a switchable dissector: the frame log is built once, but the keys arrive with each
connection (HLS-GMAC, typed in the connection panel). While the session's keys are known,
every glo- or general-glo-ciphered APDU gets its deciphered tree hung under the ciphered
one (:class:`~workbench.security.reveal.Revealer`); without keys the log shows what any
capture shows: the security header and the ciphertext. The keys stay in the Revealer's
:class:`~workbench.security.Key` objects; no node, summary or copy holds them.
"""

from __future__ import annotations

from workbench.protocol.dissect import dissect
from workbench.protocol.fields import Node
from workbench.security.reveal import Revealer
from workbench.session.credentials import HlsCredentials

__all__ = ["KeyedDissector"]


class KeyedDissector:
    """A ``bytes -> list[Node]`` dissector for the frame log (GUI thread only)."""

    def __init__(self) -> None:
        self._revealer: Revealer | None = None

    @property
    def deciphering(self) -> bool:
        return self._revealer is not None

    def use(self, hls: HlsCredentials | None) -> None:
        """Decipher with these credentials from now on (None: show ciphertext only)."""
        self._revealer = (None if hls is None else
                          Revealer(hls.block_key, hls.auth_key, (hls.system_title,)))

    def __call__(self, data: bytes) -> list[Node]:
        revealer = self._revealer
        return revealer.dissect(data) if revealer is not None else dissect(data)

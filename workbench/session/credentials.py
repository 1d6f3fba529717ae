"""What an HLS association needs besides the addresses: a system title and two keys.

HLS-GMAC (mechanism 5) proves the keys themselves; HLS-SHA256 (mechanism 6) proves a
shared HLS secret, which travels like the LLS password (``ConnectionSettings.password``,
a ``Secret``, never in the AARQ), the keys still ciphering every APDU.

Kept apart from :mod:`.settings` so the settings stay a plain value and the keys stay in
:class:`~workbench.security.Key` objects, which never print themselves: a
``ConnectionSettings`` in a log, a traceback or a saved profile shows ``Key('***')``.
Keys come only from the environment or a prompt (the CLI) or the OS keyring (the window).
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.protocol.apdu import Mechanism
from workbench.protocol.cosem import Obis
from workbench.security import Key, SystemTitle

__all__ = ["FRAME_COUNTER", "HLS_CLIENT", "HLS_MECHANISMS", "HlsCredentials"]

FRAME_COUNTER = Obis(0, 0, 43, 1, 0, 255)
"""The meter's frame counter object (class 1, attribute 2): the last invocation counter it
received from the HLS client, read over the public association before associating."""

HLS_CLIENT = 48
"""The client SAP many meters reserve for HLS-GMAC with ciphering."""

HLS_MECHANISMS = {Mechanism.HLS_GMAC: "HLS-GMAC", Mechanism.HLS_SHA256: "HLS-SHA256"}
"""The HLS mechanisms we speak, by their names."""


@dataclass(frozen=True)
class HlsCredentials:
    """Security suite 0 material for one client.

    Attributes:
        system_title: our (client) system title, sent in clear in the AARQ.
        auth_key: the authentication key (AK).
        block_key: the global unicast encryption key (EK).
        frame_counter: where the meter keeps the invocation counter it expects next.
        mechanism: HLS-GMAC (the keys prove themselves) or HLS-SHA256 (the HLS secret).
    """

    system_title: SystemTitle
    auth_key: Key
    block_key: Key
    frame_counter: Obis = FRAME_COUNTER
    mechanism: Mechanism = Mechanism.HLS_GMAC

    def __post_init__(self) -> None:
        if self.mechanism not in HLS_MECHANISMS:
            raise ValueError(f"HLS mechanism must be one of "
                             f"{', '.join(HLS_MECHANISMS.values())}, got {self.mechanism!r}")

    @property
    def name(self) -> str:
        """"HLS-GMAC" or "HLS-SHA256"."""
        return HLS_MECHANISMS[self.mechanism]

    def describe(self) -> str:
        """One line for messages: the title only, never a key."""
        return f"{self.name}, system title {self.system_title}"

    def association_words(self) -> str:
        """How an association with these credentials is secured, for its summary line."""
        return f"{self.name} (suite 0, ciphered)"

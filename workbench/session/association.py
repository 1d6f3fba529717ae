"""The AARQ we send and what we make of the AARE: the association half of ``connect()``.

Only LN referencing is proposed (Microstar meters are LN), with mechanism none for the
public client or LLS with the password. A rejection is turned into
:class:`AssociationRejected` with the core's plain-language ``describe_aare`` text and a
hint chosen from the diagnostic, so "authentication failure" tells the user to check the
password, not to read the standard.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.protocol.apdu import (
    Aare,
    Aarq,
    AssociationResult,
    Conformance,
    InitiateRequest,
    InitiateResponse,
    Mechanism,
    describe_aare,
)
from workbench.protocol.hdlc import HdlcParameters
from workbench.session.errors import AssociationRejected
from workbench.session.settings import ConnectionSettings

__all__ = ["AssociationInfo", "build_aarq", "check_aare"]

_NEEDS_PASSWORD = ("This client needs the LLS password: type it in the Password field, or on "
                   "the command line pass --password-env VAR or --password-prompt.")
_HINTS_BY_DIAGNOSTIC = {
    11: "This client does not accept password login; try client 16 without a password.",
    12: _NEEDS_PASSWORD,
    13: ("Check the password (Microstar meters use 10 digits) and that this client takes it; "
         "try clients 32 and 1."),
    14: _NEEDS_PASSWORD,
}


@dataclass(frozen=True)
class AssociationInfo:
    """What was agreed with the meter when the association opened.

    Attributes:
        link: HDLC parameters negotiated by SNRM/UA (seen from the client).
        conformance: services the meter granted.
        max_pdu_size: largest APDU the meter accepts from us (``server-max-receive-pdu-size``).
        dlms_version: the meter's DLMS version.
        client: client SAP used.
        authenticated: True when the association was opened with the LLS password or HLS.
        warnings: deviations from the standard the session tolerated while connecting
            (e.g. a UA with out-of-range parameters), each one plain sentence.
        idle_timeout: seconds of silence after which the meter drops the link.
        idle_timeout_source: ``"meter"`` (read from its IEC HDLC setup object) or
            ``"configured"`` (``ConnectionSettings.idle_timeout``, the object being absent).
        security: how the association was secured beyond the password, in words
            (``"HLS-GMAC (suite 0, ciphered)"``), or "" for none and LLS.
        transport: the settings' transport; over the wrapper ``link`` is a stand-in.
    """

    link: HdlcParameters
    conformance: Conformance
    max_pdu_size: int
    dlms_version: int
    client: int
    authenticated: bool
    warnings: tuple[str, ...] = ()
    idle_timeout: float | None = None
    idle_timeout_source: str = "configured"
    security: str = ""
    transport: str = "tcp"

    def describe(self) -> str:
        auth = self.security or ("LLS" if self.authenticated else "public, no password")
        link = ("IEC 62056-47 wrapper, no HDLC" if self.transport == "wrapper" else
                f"HDLC info {self.link.max_info_tx}/{self.link.max_info_rx} bytes, "
                f"window {self.link.window_tx}/{self.link.window_rx}")
        return f"client {self.client} ({auth}); PDU {self.max_pdu_size} bytes; {link}"


def build_aarq(settings: ConnectionSettings) -> Aarq:
    """The association request for these settings (LN; LLS when a password is set)."""
    if settings.password is None:
        return Aarq(user_information=InitiateRequest())
    return Aarq(mechanism=Mechanism.LLS, password=settings.password.reveal(),
                user_information=InitiateRequest())


def check_aare(aare: Aare, settings: ConnectionSettings, link: HdlcParameters,
               warnings: tuple[str, ...] = ()) -> AssociationInfo:
    """Return the agreement, or raise when the meter refused.

    Raises:
        AssociationRejected: result not accepted, or no InitiateResponse inside.
    """
    info = aare.user_information
    if aare.result != AssociationResult.ACCEPTED or not isinstance(info, InitiateResponse):
        raise AssociationRejected(
            f"the meter refused the association with client {settings.client}: "
            f"{describe_aare(aare)}",
            _HINTS_BY_DIAGNOSTIC.get(aare.diagnostic),
            aare=aare,
        )
    hls = settings.hls
    return AssociationInfo(link=link, conformance=info.conformance,
                           max_pdu_size=info.max_pdu_size, dlms_version=info.dlms_version,
                           client=settings.client,
                           authenticated=settings.password is not None or hls is not None,
                           warnings=warnings, transport=settings.transport,
                           security=hls.association_words() if hls is not None else "")

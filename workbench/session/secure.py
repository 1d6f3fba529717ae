"""HLS-GMAC (mechanism 5) or HLS-SHA256 (mechanism 6) with security suite 0: the
association steps and every APDU after.

The steps, as IEC 62056-5-3 / the DLMS UA Green Book describe them:

1. **Invocation counter.** Before the first association, the meter's frame counter object
   (:data:`~workbench.session.credentials.FRAME_COUNTER`, class 1 attribute 2) is read over
   the public association (client 16, no security): it holds the last counter the meter
   accepted from this client, so ours starts just past it. It then only grows, across
   reconnects too (one :class:`SecureSession` lives as long as its client).
2. **AARQ.** The ciphered LN context, mechanism 5 or 6, our system title as calling-AP-title,
   a fresh random challenge CtoS as calling-authentication-value, and the InitiateRequest
   glo-ciphered (glo-initiate-request) as user information.
3. **AARE.** The meter's system title (responding-AP-title), its challenge StoC, and a
   glo-initiate-response that must decipher and authenticate with the meter's title.
4. **Pass 3/4.** ``reply_to_HLS_authentication`` (ACTION class 15, 0-0:40.0.0.255, method 1)
   with f(StoC); the meter's return value must be f(CtoS). Until it checks, nothing else is
   sent. f is the GMAC of the challenge under the keys (mechanism 5) or the SHA-256 of the
   HLS secret — the settings' password — with both titles and both challenges (mechanism 6);
   see :mod:`workbench.security.hls`.

From then on every request leaves glo-ciphered (authenticated and encrypted) and every answer
must arrive so; an answer whose counter does not grow is a replay and is refused. Only the
exception-response, which a meter sends before it could decipher anything, is accepted in
clear. Keys never leave :class:`~workbench.security.Key`; captures hold the ciphertext.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from workbench.protocol.apdu import (
    Aare,
    Aarq,
    ActionRequestNormal,
    ActionResponseNormal,
    ActionResult,
    ApplicationContext,
    AssociationResult,
    AttributeDescriptor,
    InitiateRequest,
    Mechanism,
    MethodDescriptor,
    decode_apdu,
    describe_aare,
    encode_apdu,
)
from workbench.protocol.axdr import Data
from workbench.protocol.cosem import Obis
from workbench.protocol.errors import ProtocolError
from workbench.security import (
    SecurityContext,
    SystemTitle,
    gmac_answer,
    make_challenge,
    sha256_answer,
    verify_gmac_answer,
    verify_sha256_answer,
)
from workbench.session.credentials import HlsCredentials
from workbench.session.errors import AssociationRejected, ProtocolFailure, ServiceFailed
from workbench.session.settings import PUBLIC_CLIENT, ConnectionSettings
from workbench.session.trace import Tracer
from workbench.transport.base import Transport

if TYPE_CHECKING:
    from workbench.session.client import DlmsClient

__all__ = ["CURRENT_ASSOCIATION", "SecureSession"]

CURRENT_ASSOCIATION = Obis(0, 0, 40, 0, 0, 255)
_REPLY_TO_HLS = MethodDescriptor(15, CURRENT_ASSOCIATION, 1)
_EXCEPTION_RESPONSE = 0xD8
_KEYS_HINT = ("Check the authentication and block cipher keys (--auth-key-env, "
              "--block-key-env) and the client: the meter and we do not share them.")
_SECRET_HINT = ("Check the HLS secret (--password-env, --password-prompt) and the keys "
                "(--auth-key-env, --block-key-env): the meter and we do not share them.")
_CLEAR_HINT = ("The association is ciphered, so every answer must be too; save the trace "
               "and report it if the meter really answers so.")


class SecureSession:
    """One client's suite-0 state and the HLS-GMAC steps; lives as long as its client.

    Args:
        settings: the client's settings (``settings.hls`` must be set; for HLS-SHA256 the
            password is the HLS secret).
        factory: the client's transport factory, for the public frame-counter read.
        tracer: the client's tracer, so the frame-counter read shows in the same log.

    Raises:
        ValueError: HLS-SHA256 without the HLS secret.
    """

    def __init__(self, settings: ConnectionSettings,
                 factory: Callable[[str, int], Transport], tracer: Tracer) -> None:
        assert settings.hls is not None
        if settings.hls.mechanism is Mechanism.HLS_SHA256 and settings.password is None:
            raise ValueError("HLS-SHA256 needs the HLS secret (given as the password)")
        self._settings = settings
        self._creds: HlsCredentials = settings.hls
        self._factory, self._tracer = factory, tracer
        self.context = SecurityContext(settings.hls.system_title, settings.hls.block_key,
                                       settings.hls.auth_key)
        self.counter_read = False
        self._ctos = b""
        self._stoc = b""

    # -- step 1 --------------------------------------------------------------------------

    def prepare(self, make_client: Callable[..., DlmsClient]) -> None:
        """Read the meter's frame counter over the public association, once per session."""
        if self.counter_read:
            return
        public = dataclasses.replace(self._settings, client=PUBLIC_CLIENT, password=None,
                                     hls=None)
        with make_client(public, transport_factory=self._factory,
                         observers=(self._tracer.emit,)) as reader:
            value = reader.get(AttributeDescriptor(1, self._creds.frame_counter, 2))
        if not isinstance(value.value, int) or isinstance(value.value, bool):
            raise ProtocolFailure(f"the frame counter {self._creds.frame_counter} holds "
                                  f"{value}, not a number")
        self.context.counter = max(self.context.counter, value.value + 1)
        self.counter_read = True

    # -- steps 2 and 3 ---------------------------------------------------------------------

    def aarq(self) -> Aarq:
        """The AARQ: ciphered LN context, the HLS mechanism, our title, CtoS,
        glo-initiate-request."""
        self._ctos = make_challenge(16)
        initiate = self.context.protect(encode_apdu(InitiateRequest()))
        return Aarq(context=ApplicationContext.LN_CIPHERED, mechanism=self._creds.mechanism,
                    password=self._ctos, calling_ap_title=bytes(self.context.own_title),
                    user_information=initiate)

    def opened(self, aare: Aare) -> Aare:
        """The AARE with its user information deciphered (StoC and the title kept).

        Raises:
            AssociationRejected: the meter refused (the hint is about the keys).
            ProtocolFailure: no system title or challenge in an accepting AARE, or user
                information that does not decipher.
        """
        if aare.result != AssociationResult.ACCEPTED:
            raise AssociationRejected(f"the meter refused the {self._creds.name} association "
                                      f"with client {self._settings.client}: "
                                      f"{describe_aare(aare)}",
                                      _KEYS_HINT, aare=aare)
        if aare.responding_ap_title is not None:
            self.context.peer_title = _title(aare.responding_ap_title)
        if self.context.peer_title is None or not aare.challenge:
            raise ProtocolFailure(f"the meter accepted {self._creds.name} without sending its "
                                  "system title and challenge (StoC) in the AARE")
        self._stoc = aare.challenge
        if not isinstance(aare.user_information, bytes):
            return aare
        plain = self.unprotect(aare.user_information, "the AARE's user information")
        try:
            return dataclasses.replace(aare, user_information=decode_apdu(plain))  # type: ignore[arg-type]
        except ProtocolError as exc:
            raise ProtocolFailure(f"the AARE's deciphered user information is not an "
                                  f"InitiateResponse: {exc}") from exc

    # -- step 4 ----------------------------------------------------------------------------

    def authenticate(self, client: DlmsClient) -> None:
        """Pass 3/4: send f(StoC), check the meter's f(CtoS).

        Raises:
            AssociationRejected: the meter refused our answer, or its own does not check.
        """
        request = ActionRequestNormal(_REPLY_TO_HLS, Data.octets(self._our_answer()))
        name = self._creds.name
        try:
            answer = client.request(request, f"the {name} authentication (pass 3)")
        except ServiceFailed as exc:
            raise AssociationRejected(f"the meter refused our {name} answer: {exc.message}",
                                      self._hint) from exc
        self._check_pass_4(answer)

    @property
    def _hint(self) -> str:
        return _SECRET_HINT if self._creds.mechanism is Mechanism.HLS_SHA256 else _KEYS_HINT

    def _secret(self) -> bytes:
        assert self._settings.password is not None  # checked in __init__ for SHA-256
        return self._settings.password.reveal()

    def _our_answer(self) -> bytes:
        """f(StoC): the GMAC under the keys, or the SHA-256 with the HLS secret."""
        creds = self._creds
        if creds.mechanism is Mechanism.HLS_SHA256:
            assert self.context.peer_title is not None  # checked in opened()
            return sha256_answer(self._secret(), creds.system_title, self.context.peer_title,
                                 self._stoc, self._ctos)
        return gmac_answer(self._stoc, creds.system_title, self.context.next_counter(),
                           creds.block_key, creds.auth_key)

    def _check_their_answer(self, theirs: bytes) -> None:
        """The meter's f(CtoS) must match; raises SecurityError (a ProtocolError) if not."""
        creds, peer = self._creds, self.context.peer_title
        assert peer is not None  # checked in opened()
        if creds.mechanism is Mechanism.HLS_SHA256:
            verify_sha256_answer(theirs, self._secret(), peer, creds.system_title,
                                 self._ctos, self._stoc)
        else:
            verify_gmac_answer(theirs, self._ctos, peer, creds.block_key, creds.auth_key)

    def _check_pass_4(self, answer: object) -> None:
        if not isinstance(answer, ActionResponseNormal) or answer.result != ActionResult.SUCCESS:
            said = answer.result.describe() if isinstance(answer, ActionResponseNormal) else (
                type(answer).__name__)
            raise AssociationRejected(f"the meter refused our {self._creds.name} answer: "
                                      f"{said}", self._hint)
        value = answer.return_value
        theirs = value.value if isinstance(value, Data) else None
        if not isinstance(theirs, bytes):
            raise AssociationRejected("the meter did not answer our challenge (no f(CtoS) in "
                                      "the reply_to_HLS_authentication result)", self._hint)
        try:
            self._check_their_answer(theirs)
        except ProtocolError as exc:
            raise AssociationRejected(f"the meter's answer to our challenge does not check: "
                                      f"{exc}", self._hint) from exc

    # -- every APDU after --------------------------------------------------------------------

    def protect(self, plain: bytes) -> bytes:
        """A request, glo-ciphered with the next invocation counter."""
        return self.context.protect(plain)

    def unprotect(self, raw: bytes, what: str = "the meter's answer") -> bytes:
        """An answer deciphered and checked (replays refused); an exception-response passes.

        Raises:
            ProtocolFailure: in clear, not authentic, or a counter that did not grow.
        """
        if raw[:1] == bytes([_EXCEPTION_RESPONSE]):
            return raw
        try:
            return self.context.unprotect(raw)
        except ProtocolError as exc:
            hint = _CLEAR_HINT if "not a glo-ciphered" in str(exc) else _KEYS_HINT
            raise ProtocolFailure(f"{what} could not be deciphered: {exc}", hint) from exc


def _title(raw: bytes) -> SystemTitle:
    try:
        return SystemTitle(raw)
    except ValueError as exc:
        raise ProtocolFailure(f"the meter's system title is {len(raw)} bytes, not 8") from exc


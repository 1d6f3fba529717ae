"""HLS-GMAC (mechanism 5) with security suite 0 on one client of the simulated meter, and
HLS-SHA256 (mechanism 6) too when the meter is given an HLS secret.

The meter side of :mod:`workbench.session.secure`: the HLS client (SAP 48 by default, as
many meters) must associate with the ciphered LN context, mechanism 5, its system title
and challenge CtoS, and a glo-initiate-request that deciphers with its title; the AARE
carries the meter's title, its challenge StoC and a glo-initiate-response, diagnostic
"authentication required". Until the client's ``reply_to_HLS_authentication`` (ACTION
0-0:40.0.0.255 method 1) proves f(StoC), nothing else is served; the meter's return value
is f(CtoS). Afterwards every request must arrive glo-ciphered (or general-glo-ciphered)
with an invocation counter above the last one accepted, and every answer leaves ciphered.

The counters belong to the meter, not to a connection (:class:`MeterSecurityState`): the
client's last accepted counter survives reconnects, so a client that starts again from 0
is refused as a replay, as a real meter does. The frame counter object 0-0:43.1.0.255
(class 1, attribute 2) shows that last counter to every client, the public one included,
which is how a client learns where to continue; every association's object list names it.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field, replace
from typing import Any

from workbench.protocol.apdu import (
    Aare,
    Aarq,
    ActionRequestNormal,
    ActionResponseNormal,
    ActionResult,
    ApplicationContext,
    AssociationResult,
    AttributeDescriptor,
    DataAccessResult,
    ExceptionResponse,
    InitiateRequest,
    Mechanism,
    MethodDescriptor,
    SelectiveAccess,
    decode_apdu,
    encode_apdu,
)
from workbench.protocol.axdr import Data
from workbench.protocol.cosem import (
    AttributeAccess,
    Obis,
    ObjectListEntry,
    build_object_list,
)
from workbench.protocol.errors import ProtocolError
from workbench.security import (
    GENERAL_GLO,
    Key,
    SecurityControl,
    SystemTitle,
    gmac_answer,
    make_challenge,
    protect_apdu,
    protect_general_apdu,
    sha256_answer,
    unprotect_apdu,
    verify_gmac_answer,
    verify_sha256_answer,
)
from workbench.simulator.config import MeterConfig
from workbench.simulator.connection import Answerer
from workbench.simulator.handler import KNOWN_CLIENTS, MeterModel, Reply, RequestHandler
from workbench.simulator.objects import Ctx
from workbench.simulator.server import MeterServer

__all__ = ["FRAME_COUNTER", "HLS_CLIENT", "FrameCounterMeter", "MeterSecurity",
           "MeterSecurityState", "SecureHandler", "SecureMeterServer"]

log = logging.getLogger("workbench.simulator")

HLS_CLIENT = 48
FRAME_COUNTER = Obis(0, 0, 43, 1, 0, 255)
_OBJECT_LIST = AttributeDescriptor(15, Obis(0, 0, 40, 0, 0, 255), 2)
_FRAME_COUNTER_ENTRY = ObjectListEntry(
    1, 0, FRAME_COUNTER, {1: AttributeAccess.READ_ONLY, 2: AttributeAccess.READ_ONLY}, {})
_REPLY_TO_HLS = MethodDescriptor(15, Obis(0, 0, 40, 0, 0, 255), 1)
_DIAG_CONTEXT_NOT_SUPPORTED, _DIAG_MECHANISM_NOT_RECOGNISED = 2, 11
_DIAG_AUTHENTICATION_FAILURE, _DIAG_AUTHENTICATION_REQUIRED = 13, 14
_STATE_NOT_ALLOWED, _SERVICE_NOT_POSSIBLE, _SERVICE_DECIPHERING = 1, 1, 5
_EXCEPTION_TAG = 0xD8


@dataclass(frozen=True)
class MeterSecurity:
    """What the meter knows for its HLS client: keys (never logged) and its own title; with
    an HLS ``secret`` it also offers HLS-SHA256 to that client."""

    auth_key: Key
    block_key: Key
    system_title: SystemTitle
    client: int = HLS_CLIENT
    secret: bytes | None = field(default=None, repr=False)

    @property
    def mechanisms(self) -> frozenset[Mechanism]:
        """The HLS mechanisms offered: GMAC always, SHA-256 with a secret."""
        sha = {Mechanism.HLS_SHA256} if self.secret else set()
        return frozenset({Mechanism.HLS_GMAC, *sha})

    @staticmethod
    def title_for(serial: str) -> SystemTitle:
        """"MSR" and the serial's last 10 digits as 5 BCD bytes: unique per meter."""
        return SystemTitle(b"MSR" + bytes.fromhex(serial[-10:].rjust(10, "0")))


@dataclass
class MeterSecurityState:
    """The meter's invocation counters, shared by every connection (thread-safe)."""

    own_counter: int = 1
    client_counter: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def next_own(self) -> int:
        with self._lock:
            value, self.own_counter = self.own_counter, self.own_counter + 1
            return value

    def accept_client(self, counter: int) -> bool:
        """Take a client's counter if it grew (else it is a replay)."""
        with self._lock:
            if counter <= self.client_counter:
                return False
            self.client_counter = counter
            return True


class FrameCounterMeter:
    """The meter model plus the frame counter object (class 1), read-only for everyone."""

    def __init__(self, inner: MeterModel, state: MeterSecurityState) -> None:
        self._inner, self._state = inner, state

    @property
    def config(self) -> MeterConfig:
        return self._inner.config

    def context(self, client_sap: int, management: bool) -> Ctx:
        return self._inner.context(client_sap, management)

    def get(self, desc: AttributeDescriptor, access: SelectiveAccess | None,
            ctx: Ctx) -> Data | DataAccessResult:
        if desc == _OBJECT_LIST:
            return _with_frame_counter(self._inner.get(desc, access, ctx))
        if desc.obis != FRAME_COUNTER:
            return self._inner.get(desc, access, ctx)
        if desc.class_id != 1:
            return DataAccessResult.OBJECT_CLASS_INCONSISTENT
        values = {1: Data.octets(FRAME_COUNTER.to_bytes()),
                  2: Data.u32(self._state.client_counter)}
        return values.get(desc.attribute, DataAccessResult.OBJECT_UNDEFINED)

    def set(self, desc: AttributeDescriptor, value: Data, ctx: Ctx) -> DataAccessResult:
        if desc.obis == FRAME_COUNTER:
            return DataAccessResult.READ_WRITE_DENIED
        return self._inner.set(desc, value, ctx)

    def action(self, desc: MethodDescriptor, param: Data | None,
               ctx: Ctx) -> tuple[ActionResult, Data | None]:
        return self._inner.action(desc, param, ctx)

    def accepts_password(self, given: bytes | None) -> bool:
        return self._inner.accepts_password(given)


def _with_frame_counter(listed: Data | DataAccessResult) -> Data | DataAccessResult:
    """The inner meter's object list with the frame counter object added at its end."""
    if not isinstance(listed, Data) or not isinstance(listed.value, tuple | list):
        return listed
    added = build_object_list([_FRAME_COUNTER_ENTRY]).value
    assert isinstance(added, tuple | list)
    return Data.array([*listed.value, *added])


class SecureHandler(RequestHandler):
    """A connection's request handler that also serves the HLS client, ciphered."""

    def __init__(self, meter: MeterModel, security: MeterSecurity,
                 state: MeterSecurityState) -> None:
        super().__init__(FrameCounterMeter(meter, state))
        self.security, self.state = security, state
        self.known_clients = KNOWN_CLIENTS | {security.client}
        self._client_title: SystemTitle | None = None
        self._ctos = self._stoc = b""
        self._authenticated = self._general = False
        self._mechanism = Mechanism.HLS_GMAC

    def release(self) -> None:
        super().release()
        self._client_title, self._authenticated = None, False

    def handle(self, client_sap: int, apdu: bytes) -> Reply:
        if client_sap != self.security.client or apdu[:1] in (b"\x62", b""):
            return super().handle(client_sap, apdu)
        if apdu[:1] == b"\x60":
            return Reply(encode_apdu(self._associate_hls(client_sap, apdu)))
        if not self.associated or self._client_title is None:
            return super().handle(client_sap, apdu)  # answered: not associated
        self._general = apdu[0] == GENERAL_GLO  # answer in the form asked
        plain = self._decipher(apdu, self._client_title)
        if plain is None:
            return Reply(encode_apdu(ExceptionResponse(_STATE_NOT_ALLOWED,
                                                       _SERVICE_DECIPHERING)))
        if not self._authenticated:
            return self._cipher(Reply(self._pass_3(plain)))
        return self._cipher(super().handle(client_sap, plain))

    # -- association ---------------------------------------------------------------------------

    def _associate_hls(self, client_sap: int, raw: bytes) -> Aare:
        self.release()
        try:
            aarq = decode_apdu(raw)
        except ProtocolError as exc:
            log.warning("HLS client %d: undecodable AARQ: %s", client_sap, exc)
            return Aare(AssociationResult.REJECTED_PERMANENT, _DIAG_CONTEXT_NOT_SUPPORTED)
        assert isinstance(aarq, Aarq)
        refusal = self._refusal(aarq)
        if refusal is not None:
            log.info("HLS client %d refused (diagnostic %d)", client_sap, refusal)
            return Aare(AssociationResult.REJECTED_PERMANENT, refusal,
                        context=aarq.context, mechanism=aarq.mechanism)
        initiate = self._initiate(aarq)
        if initiate is None:
            return Aare(AssociationResult.REJECTED_PERMANENT, _DIAG_AUTHENTICATION_FAILURE,
                        context=aarq.context, mechanism=aarq.mechanism)
        aare = self._associate(client_sap, replace(aarq, user_information=initiate))
        self._client_title = SystemTitle(aarq.calling_ap_title or b"")
        self._ctos, self._stoc = aarq.password or b"", make_challenge(16)
        self._mechanism = aarq.mechanism or Mechanism.HLS_GMAC
        return self._hls_aare(aare)

    def _refusal(self, aarq: Aarq) -> int | None:
        if aarq.context is not ApplicationContext.LN_CIPHERED:
            return _DIAG_CONTEXT_NOT_SUPPORTED
        if aarq.mechanism not in self.security.mechanisms:
            return _DIAG_MECHANISM_NOT_RECOGNISED
        if aarq.calling_ap_title is None or len(aarq.calling_ap_title) != 8:
            return _DIAG_AUTHENTICATION_FAILURE
        if not aarq.password or not 8 <= len(aarq.password) <= 64:
            return _DIAG_AUTHENTICATION_REQUIRED
        if not isinstance(aarq.user_information, bytes):
            return _DIAG_AUTHENTICATION_FAILURE
        return None

    def _initiate(self, aarq: Aarq) -> InitiateRequest | None:
        """The glo-initiate-request deciphered with the client's title, or None."""
        assert aarq.calling_ap_title is not None and isinstance(aarq.user_information, bytes)
        plain = self._decipher(aarq.user_information, SystemTitle(aarq.calling_ap_title))
        try:
            initiate = decode_apdu(plain) if plain is not None else None
        except ProtocolError:
            initiate = None
        if not isinstance(initiate, InitiateRequest):
            log.info("HLS client: the AARQ's user information does not decipher")
            return None
        return initiate

    def _check_aarq(self, client_sap: int, aarq: Aarq, mechanism: Mechanism) -> int | None:
        if client_sap == self.security.client:  # checked by _refusal/_initiate already
            return None
        return super()._check_aarq(client_sap, aarq, mechanism)

    def _hls_aare(self, aare: Aare) -> Aare:
        if aare.result != AssociationResult.ACCEPTED or aare.user_information is None:
            return aare
        info = self._protect(encode_apdu(aare.user_information))
        return replace(aare, diagnostic=_DIAG_AUTHENTICATION_REQUIRED,
                       context=ApplicationContext.LN_CIPHERED,
                       responding_ap_title=bytes(self.security.system_title),
                       challenge=self._stoc, user_information=info)

    def _pass_3(self, plain: bytes) -> bytes:
        """Only reply_to_HLS_authentication is served before the client proved its keys."""
        try:
            request = decode_apdu(plain)
        except ProtocolError:
            request = None
        if not isinstance(request, ActionRequestNormal) or request.descriptor != _REPLY_TO_HLS:
            return encode_apdu(ExceptionResponse(_STATE_NOT_ALLOWED, _SERVICE_NOT_POSSIBLE))
        answer = request.parameters.value if request.parameters is not None else None
        try:
            assert isinstance(answer, bytes)
            self._check_client_answer(answer)
        except (AssertionError, ProtocolError):
            log.info("HLS client: f(StoC) does not check: association refused")
            return encode_apdu(ActionResponseNormal(ActionResult.READ_WRITE_DENIED,
                                                    None, request.invoke))
        self._authenticated = True
        self._assoc.management = True  # type: ignore[union-attr]
        return encode_apdu(ActionResponseNormal(ActionResult.SUCCESS,
                                                Data.octets(self._meter_answer()),
                                                request.invoke))

    def _check_client_answer(self, answer: bytes) -> None:
        """The client's f(StoC) under the association's mechanism; raises if it is wrong."""
        sec, client = self.security, self._client_title
        assert client is not None
        if self._mechanism is Mechanism.HLS_SHA256:
            assert sec.secret is not None
            verify_sha256_answer(answer, sec.secret, client, sec.system_title, self._stoc,
                                 self._ctos)
        else:
            verify_gmac_answer(answer, self._stoc, client, sec.block_key, sec.auth_key)

    def _meter_answer(self) -> bytes:
        """The meter's f(CtoS), proving it holds the same keys or secret."""
        sec, client = self.security, self._client_title
        if self._mechanism is Mechanism.HLS_SHA256:
            assert sec.secret is not None and client is not None
            return sha256_answer(sec.secret, sec.system_title, client, self._ctos, self._stoc)
        return gmac_answer(self._ctos, sec.system_title, self.state.next_own(),
                           sec.block_key, sec.auth_key)

    # -- ciphering -----------------------------------------------------------------------------

    def _decipher(self, raw: bytes, title: SystemTitle) -> bytes | None:
        """A request deciphered, or None (not authentic, in clear, or a replay)."""
        sec = self.security
        try:
            got = unprotect_apdu(raw, title, sec.block_key, sec.auth_key)
        except ProtocolError as exc:
            log.info("HLS client: request refused: %s", exc)
            return None
        if not self.state.accept_client(got.counter):
            log.info("HLS client: invocation counter %d is not above %d: replay refused",
                     got.counter, self.state.client_counter)
            return None
        return got.plain

    def _protect(self, plain: bytes) -> bytes:
        sec = self.security
        wrap = protect_general_apdu if self._general else protect_apdu
        return wrap(plain, SecurityControl(), sec.system_title, self.state.next_own(),
                    sec.block_key, sec.auth_key)

    def _cipher(self, reply: Reply) -> Reply:
        if reply.apdu[:1] == bytes([_EXCEPTION_TAG]):
            return reply
        return Reply(self._protect(reply.apdu), reply.partial_block)


class SecureMeterServer(MeterServer):
    """A :class:`MeterServer` that also offers HLS-GMAC + suite 0 to one client when given
    ``security`` (the serial and wrapper servers build on it, so every transport can)."""

    def __init__(self, config: MeterConfig | None = None, host: str = "127.0.0.1",
                 port: int = 0, *, security: MeterSecurity | None = None,
                 **kwargs: Any) -> None:
        super().__init__(config, host, port, **kwargs)
        self.security = security
        self.security_state = MeterSecurityState()

    def _answerer(self) -> Answerer:
        if self.security is None:
            return super()._answerer()
        return SecureHandler(self.meter, self.security, self.security_state)

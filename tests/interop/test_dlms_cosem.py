"""Oracle: dlms-cosem's client (independent, test-only) reads our meter with HLS-GMAC.

dlms-cosem makes its own AARQ (ciphered LN context, glo-initiate-request), its own
reply_to_HLS_authentication and its own AES-GCM; it checks our f(CtoS) and deciphers our
answers. Over the wrapper and over HDLC on TCP.
"""

from __future__ import annotations

import pytest

from tests.interop.keys import AUTH_KEY, BLOCK_KEY, CLIENT_TITLE, tcp_meter
from workbench.protocol.apdu import AttributeDescriptor
from workbench.session import ConnectionSettings, DlmsClient
from workbench.session.credentials import FRAME_COUNTER

cosem = pytest.importorskip("dlms_cosem")

from dlms_cosem import cosem as cosem_objects  # noqa: E402
from dlms_cosem import enumerations  # noqa: E402
from dlms_cosem.client import DlmsClient as CosemClient  # noqa: E402
from dlms_cosem.exceptions import CommunicationError  # noqa: E402
from dlms_cosem.io import BlockingTcpIO, HdlcTransport, TcpTransport  # noqa: E402
from dlms_cosem.security import HighLevelSecurityGmacAuthentication  # noqa: E402

pytestmark = pytest.mark.oracle

CLOCK = cosem_objects.CosemAttribute(
    interface=enumerations.CosemInterface.CLOCK,
    instance=cosem_objects.Obis(0, 0, 1, 0, 0, 255), attribute=2)


def _counter(port: int, wrapper: bool) -> int:
    """The frame counter, read with our own public client (dlms-cosem leaves it to the user)."""
    settings = ConnectionSettings(port=port, timeout=3,
                                  transport="wrapper" if wrapper else "tcp")
    with DlmsClient(settings) as public:
        value = public.get(AttributeDescriptor(1, FRAME_COUNTER, 2)).value
    assert isinstance(value, int)
    return value


def _read_clock(host: str, port: int, wrapper: bool) -> bytes:
    """One dlms-cosem session reading the clock."""
    io = BlockingTcpIO(host, port, timeout=3)
    transport = (TcpTransport(48, 1, io, timeout=3) if wrapper else
                 HdlcTransport(48, 1, io, server_physical_address=1234, timeout=3,
                               extended_addressing=True))
    client = CosemClient(
        transport=transport, authentication=HighLevelSecurityGmacAuthentication(
            challenge_length=16),
        encryption_key=BLOCK_KEY, authentication_key=AUTH_KEY,
        client_system_title=CLIENT_TITLE,
        client_initial_invocation_counter=_counter(port, wrapper) + 1, timeout=3)
    with client.session() as session:
        return bytes(session.get(CLOCK))


@pytest.mark.parametrize("wrapper", [True, False], ids=["wrapper", "hdlc"])
def test_dlms_cosem_reads_our_meter_over_hls_gmac(wrapper: bool) -> None:
    """dlms-cosem's HDLC reader takes a frame up to the first 7E byte it sees, so a frame
    whose ciphertext or checksum holds a 7E (random challenges and counters: about 1 in 100
    sessions here) is cut short on its side — a frame our parser and gurux read whole. That
    one failure is retried with new challenges, at most twice; anything else fails at once."""
    with tcp_meter(wrapper=wrapper) as meter:
        host, port = meter.address
        for attempt in range(3):
            try:
                raw = _read_clock(host, port, wrapper)
                break
            except CommunicationError:
                if wrapper or attempt == 2:
                    raise
        assert len(raw) == 14 and raw[:1] == b"\x09"  # octet-string, 12-byte date-time
        assert meter.security_state.client_counter > 1

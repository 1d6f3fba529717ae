"""Test keys and the meters every interoperability test talks to (real loopback sockets)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from tests.serial_pair import null_modem
from workbench.protocol.apdu import Mechanism
from workbench.security import Key, SystemTitle
from workbench.session.credentials import HlsCredentials
from workbench.simulator.config import MeterConfig
from workbench.simulator.secure import MeterSecurity, SecureMeterServer
from workbench.simulator.serial_server import SerialMeterServer
from workbench.simulator.wrapper_server import WrapperMeterServer

AUTH_KEY = bytes.fromhex("D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF")
BLOCK_KEY = bytes.fromhex("000102030405060708090A0B0C0D0E0F")
CLIENT_TITLE = bytes.fromhex("5742430000000001")
HLS_SECRET = b"HlsSecret-0042"  # HLS-SHA256's shared secret
SERIAL = "000019001234"
METER_SECURITY = MeterSecurity(Key(AUTH_KEY), Key(BLOCK_KEY), MeterSecurity.title_for(SERIAL),
                               secret=HLS_SECRET)


def credentials(auth: bytes = AUTH_KEY, block: bytes = BLOCK_KEY,
                mechanism: Mechanism = Mechanism.HLS_GMAC) -> HlsCredentials:
    return HlsCredentials(SystemTitle(CLIENT_TITLE), Key(auth), Key(block),
                          mechanism=mechanism)


@contextlib.contextmanager
def tcp_meter(*, wrapper: bool = False) -> Iterator[SecureMeterServer]:
    """The simulated meter offering HLS-GMAC to client 48, on HDLC/TCP or the wrapper."""
    kind = WrapperMeterServer if wrapper else SecureMeterServer
    with kind(MeterConfig(serial=SERIAL), security=METER_SECURITY) as server:
        yield server


@contextlib.contextmanager
def serial_meter(*, optical: bool) -> Iterator[tuple[str, SerialMeterServer]]:
    """(our end's device, the meter) over a software null modem."""
    with null_modem() as (ours, meters):
        server = SerialMeterServer(meters, optical=optical, config=MeterConfig(serial=SERIAL),
                                   security=METER_SECURITY).start()
        try:
            yield ours, server
        finally:
            server.stop()

"""An optical probe pulled out while the session waits for the meter, and plugged back.

A software null modem stands for the probe's cable: our end is unplugged while a GET is on
its way (the cable holds its bytes, so the meter cannot have answered), which must end in
the plain-language error — not "the meter closed the connection" — and must not spin on
the missing device; once the probe is back at the same path, the next call reconnects.
"""

from __future__ import annotations

import threading

import pytest

from tests.interop.keys import METER_SECURITY, SERIAL
from tests.serial_pair import cable
from workbench.protocol.apdu import AttributeDescriptor
from workbench.protocol.cosem import Obis
from workbench.session import (
    ConnectFailed,
    ConnectionSettings,
    DlmsClient,
    FrameRecord,
    LinkLost,
)
from workbench.session.transports import PORT_HINT
from workbench.simulator.config import MeterConfig
from workbench.simulator.serial_server import SerialMeterServer

ENERGY = AttributeDescriptor(3, Obis(1, 1, 1, 8, 0, 255), 2)


@pytest.mark.parametrize(("retries", "error", "reconnects"),
                         [(3, ConnectFailed, 2), (0, LinkLost, 1)], ids=["retries", "no-retry"])
def test_an_unplugged_probe_is_said_plainly_and_the_session_reconnects_when_it_is_back(
        retries: int, error: type[Exception], reconnects: int) -> None:
    """With retries, the reconnect inside the call finds no port (one attempt, no spinning)
    and says why; without, the lost link itself says it."""
    with cable() as modem:
        ours, meters = modem.paths
        meter = SerialMeterServer(meters, optical=True, config=MeterConfig(serial=SERIAL),
                                  security=METER_SECURITY).start()
        request_sent = threading.Event()

        def watch(record: FrameRecord) -> None:
            if record.direction == "tx" and len(record.raw) > 20 and request_sent.is_set():
                modem.hold()  # the GET stays in the cable: no answer can come back ...
                threading.Thread(target=modem.unplug, args=(0,)).start()  # ... and out

        settings = ConnectionSettings(transport="optical", device=ours, timeout=3,
                                      retries=retries)
        client = DlmsClient(settings, observers=[watch])
        try:
            client.connect()
            first = client.get(ENERGY).value
            request_sent.set()
            with pytest.raises(error) as failure:
                client.get(ENERGY)
            request_sent.clear()
            assert str(failure.value) == (  # (sent or waiting: the same words)
                f"the serial port {ours} went away — the optical probe was unplugged or lost "
                "power; plug it back in and connect again")
            assert failure.value.hint == PORT_HINT  # not the host/port or 180 s advice
            modem.plug_in(0)
            assert client.get(ENERGY).value >= first  # reconnected on its own
            assert client.reconnects == reconnects  # (+1 refused while the probe was away)
        finally:
            client.close()
            meter.stop()

"""Values read as an engineer reads them: OBIS codes, dates, enum names, kWh (value_text).

The simulated meter's own objects are read through the real window in
test_values_window.py; here each rule is pinned on the Data the meter sends.
"""

from __future__ import annotations

import datetime as dt

from workbench.protocol.axdr import CosemDateTime, Data, format_data
from workbench.protocol.cosem import Obis, ScaledValue
from workbench.ui.value_text import readable_value, scaled_text

VOLTAGE = Obis.parse("1-1:32.7.0.255")
DISCONNECTOR = Obis.parse("0-0:96.3.10.255")
HDLC_SETUP = Obis.parse("0-0:22.0.0.255")


def test_logical_name_reads_as_obis_not_hex() -> None:
    data = Data.octets(VOLTAGE.to_bytes())
    assert format_data(data) == "0x0101200700FF"  # what the frame log shows
    assert readable_value(3, VOLTAGE, 1, data) == "1-1:32.7.0.255"


def test_capture_objects_list_obis_and_attribute() -> None:
    clock, energy = Obis.parse("0-0:1.0.0.255"), Obis.parse("1-1:1.8.0.255")
    columns = Data.array([
        Data.struct(Data.u16(8), Data.octets(clock.to_bytes()), Data.i8(2), Data.u16(0)),
        Data.struct(Data.u16(3), Data.octets(energy.to_bytes()), Data.i8(2), Data.u16(0)),
    ])
    assert readable_value(7, Obis.parse("1-0:99.1.0.255"), 3, columns) == \
        "[0-0:1.0.0.255 /2 (class 8), 1-1:1.8.0.255 /2 (class 3)]"


def test_clock_time_reads_as_a_date_without_hex() -> None:
    stamp = CosemDateTime.from_datetime(dt.datetime(2026, 11, 24, 13, 5, 7), deviation=0)
    text = readable_value(8, Obis.parse("0-0:1.0.0.255"), 2, Data.octets(stamp.encode()))
    assert text.startswith("2026-11-24") and "13:05:07" in text
    assert "0x" not in text


def test_disconnect_control_and_hdlc_enums_by_name() -> None:
    assert readable_value(70, DISCONNECTOR, 3, Data.enum(0)) == "disconnected (0)"
    assert readable_value(70, DISCONNECTOR, 3, Data.enum(1)) == "connected (1)"
    assert readable_value(70, DISCONNECTOR, 3, Data.enum(2)) == "ready_for_reconnection (2)"
    modes = [readable_value(70, DISCONNECTOR, 4, Data.enum(m)) for m in range(7)]
    assert modes[0] == "none: always connected (0)"
    assert all(text.endswith(f"({m})") and len(text) > 6 for m, text in enumerate(modes))
    assert readable_value(23, HDLC_SETUP, 2, Data.enum(5)) == "9600 baud (5)"
    assert readable_value(23, HDLC_SETUP, 2, Data.enum(9)) == "115200 baud (9)"
    assert readable_value(23, HDLC_SETUP, 2, Data.enum(12)) == "12 (not a standard value)"


def test_printable_octets_read_as_text_and_binary_stays_hex() -> None:
    name = Obis.parse("0-0:42.0.0.255")
    assert readable_value(1, name, 2, Data.octets(b"MS-DLMS 2.04")) == '"MS-DLMS 2.04"'
    title = Data.octets(b"MSR\x00\x01\x02\x03\x04")
    assert readable_value(64, Obis.parse("0-0:43.0.0.255"), 5, title) == "0x4D535200010203" + "04"


def test_energy_in_kwh_and_other_units_as_scaled() -> None:
    assert scaled_text(ScaledValue(85_737_426, 0, 30)) == "85,737.426 kWh"
    assert scaled_text(ScaledValue(2301, -1, 35)) == "230.1 V"

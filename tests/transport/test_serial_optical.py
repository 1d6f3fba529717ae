"""Serial and optical-probe transports over a software null modem (no hardware)."""

from __future__ import annotations

import contextlib
import threading

import pytest

from tests.serial_pair import cable, null_modem
from workbench.protocol.errors import DecodeError
from workbench.protocol.optical import (
    acknowledgement,
    parse_identification,
    sign_on_request,
    with_even_parity,
)
from workbench.transport.errors import (
    ConnectError,
    LinkClosed,
    PortGone,
    PortMissing,
    ReadTimeout,
    TransportError,
)
from workbench.transport.optical import OpticalTransport
from workbench.transport.serial import LineSettings, SerialTransport, available_ports


def _fake_meter(path: str, identification: bytes, seen: list[bytes]) -> threading.Thread:
    """A meter end that answers one sign-on, records the acknowledgement, echoes one line.

    Returns once its port is open: pyserial flushes what arrived before (a sign-on sent
    earlier would be lost, however loaded the machine is)."""
    ready = threading.Event()

    def run() -> None:  # a refused sign-on ends the exchange early: the cable goes away
        with contextlib.suppress(TransportError), \
                SerialTransport(path, LineSettings(300, 8, "N", 1)) as port:
            port.open(2)
            ready.set()
            seen.append(_seven_bits(_read_until(port, b"\n")))
            port.write(with_even_parity(identification), 2)
            seen.append(_seven_bits(_read_until(port, b"\n")))
            port.configure(LineSettings(9600, 8, "N", 1))
            seen.append(_read_until(port, b"~"))
            port.write(b"~ok~", 2)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(10), "the fake meter could not open its end"
    return thread


def _seven_bits(data: bytes) -> bytes:
    assert data == with_even_parity(data), "sent without even parity"
    return bytes(b & 0x7F for b in data)


def _read_until(port: SerialTransport, end: bytes) -> bytes:
    data = b""
    while not data.endswith(end):
        data += port.read(64, 5)
    return data


def test_optical_sign_on_switches_to_the_offered_rate_in_mode_e() -> None:
    seen: list[bytes] = []
    with null_modem() as (ours, meters):
        meter = _fake_meter(meters, b"/MSR5\\2MS3P000019001234\r\n", seen)
        probe = OpticalTransport(ours)
        probe.open(5)
        try:
            assert probe.identification is not None
            assert probe.identification.describe() == (
                "MSR meter 'MS3P000019001234', offers 9600 baud, mode E (HDLC)")
            assert probe.settings == LineSettings(9600, 8, "N", 1)
            probe.write(b"~hdlc~", 2)
            assert _read_until(probe, b"~ok~").endswith(b"~ok~")
        finally:
            probe.close()
        meter.join(5)
    assert seen[:2] == [b"/?!\r\n", b"\x06252\r\n"]


def test_a_meter_without_mode_e_is_named_and_refused() -> None:
    seen: list[bytes] = []
    with null_modem() as (ours, meters):
        _fake_meter(meters, b"/MSR5MS3P1234\r\n", seen)
        with pytest.raises(ConnectError, match="does not offer mode E"):
            OpticalTransport(ours).open(5)


def test_silence_after_the_sign_on_says_where_to_look() -> None:
    with null_modem() as (ours, _meters), pytest.raises(ConnectError, match="optical port"):
        OpticalTransport(ours).open(0.5)


def test_serial_read_times_out_and_a_missing_port_is_a_connect_error() -> None:
    with null_modem() as (ours, _meters):
        with SerialTransport(ours) as port:
            port.open(1)
            with pytest.raises(ReadTimeout):
                port.read(10, 0.1)
        with pytest.raises(LinkClosed):
            port.read(10, 0.1)
    with pytest.raises(ConnectError, match="/dev/does-not-exist"):
        SerialTransport("/dev/does-not-exist").open(1)


def test_ports_are_listed_by_name() -> None:
    ports = available_ports()
    assert all(p.device for p in ports)
    assert ports == sorted(ports, key=lambda p: p.device)


def test_identification_parsing_is_bounded_and_typed() -> None:
    assert parse_identification(b"/ABC6\\2X\r\n").baud == 19200
    for bad in (b"", b"/AB\r\n", b"/ABC9\\2X\r\n", b"/" + b"A" * 100 + b"\r\n", b"hello\r\n"):
        with pytest.raises(DecodeError):
            parse_identification(bad)
    assert bytes(b & 0x7F for b in sign_on_request("1234")) == b"/?1234!\r\n"
    assert acknowledgement("6") == with_even_parity(b"\x06262\r\n") == b"\x06\xb2\x36\xb2\x8d\x0a"


def test_an_unplugged_port_is_said_plainly_and_opens_again_when_back() -> None:
    with cable() as modem:
        ours = modem.paths[0]
        port = SerialTransport(ours)
        port.open(1)
        modem.unplug(0)
        with pytest.raises(PortGone) as gone:
            port.read(10, 1)
        assert str(gone.value) == (
            f"the serial port {ours} went away — the serial adapter was unplugged or lost "
            "power; plug it back in and connect again")
        port.close()
        with pytest.raises(PortMissing, match=f"there is no serial port {ours} — the serial "
                                              "adapter is not plugged in"):
            SerialTransport(ours).open(1)
        modem.plug_in(0)
        with SerialTransport(ours) as again, SerialTransport(modem.paths[1]) as meter:
            again.open(1)
            meter.open(1)
            meter.write(b"back", 1)
            assert _read_until(again, b"back") == b"back"

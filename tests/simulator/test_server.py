"""The meter over real loopback TCP: link setup, addressing, association, lifecycle."""

from __future__ import annotations

import socket
import time

import pytest

from tests.helpers import running_meter
from tests.simulator.wire import Silence, WireClient
from workbench.protocol.apdu import (
    AssociationResult,
    AttributeDescriptor,
    ExceptionResponse,
    GetRequestNormal,
    GetResponseNormal,
)
from workbench.protocol.hdlc import server_address

SERIAL = AttributeDescriptor(1, "0-0:96.1.0.255", 2)


def test_start_listens_and_stop_closes_the_port() -> None:
    # how quickly it does so is bench material, not a unit test's
    with running_meter() as server:
        host, port = server.address
        assert host == "127.0.0.1" and port > 0
        with socket.create_connection((host, port), timeout=2):
            pass
    with pytest.raises(OSError):
        socket.create_connection((host, port), timeout=0.5)


def test_stop_closes_open_connections(meter) -> None:
    with WireClient(meter.address) as client:
        client.connect()
        meter.stop()
        client.sock.settimeout(2)
        assert client.sock.recv(10) == b""


@pytest.mark.parametrize(("serial", "address"), [
    ("000019001234", server_address(1, 1234, 4)),
    ("000019000082", server_address(1, 82, 2)),  # 2-byte form: physical must fit 7 bits
    ("000019001234", server_address(1, None, 1)),
], ids=["4-byte", "2-byte", "1-byte"])
def test_snrm_answered_in_the_address_form_used(serial: str, address: bytes) -> None:
    with running_meter(serial=serial) as server, WireClient(server.address,
                                                             server=address) as client:
        established = client.connect()  # ClientLink checks the UA comes from `address`
        assert established.params.max_info_rx == 128
        assert established.params.window_tx == 1
        # linked but not associated: the meter answers, and refuses the GET
        assert client.request(GetRequestNormal(SERIAL)) == ExceptionResponse(1, 1)


def test_wrong_physical_address_gets_silence(meter) -> None:
    address = server_address(1, 4321)
    with WireClient(meter.address, server=address, timeout=0.5) as client, \
            pytest.raises(Silence):
        client.connect()


def test_unknown_client_sap_gets_silence(meter) -> None:
    with WireClient(meter.address, client_sap=48, timeout=0.5) as client, \
            pytest.raises(Silence):
        client.connect()


def test_public_association_reads_serial(meter) -> None:
    with WireClient(meter.address) as client:
        aare = client.associate()
        assert aare.result is AssociationResult.ACCEPTED
        response = client.request(GetRequestNormal(SERIAL))
        assert isinstance(response, GetResponseNormal)
        assert response.result.value == b"000019001234"


@pytest.mark.parametrize("sap", [32, 1])
def test_lls_with_the_right_password_is_accepted(meter, sap: int) -> None:
    with WireClient(meter.address, client_sap=sap) as client:
        assert client.associate(b"2222222222").result is AssociationResult.ACCEPTED


def test_lls_with_a_wrong_password_is_rejected(meter, caplog) -> None:
    caplog.set_level("INFO", logger="workbench.simulator")
    with WireClient(meter.address, client_sap=32) as client:
        aare = client.associate(b"1111111111")
    assert aare.result is AssociationResult.REJECTED_PERMANENT
    assert aare.diagnostic == 13  # authentication-failure
    assert "client=32 mechanism=LLS rejected" in caplog.text
    assert "1111111111" not in caplog.text and "2222222222" not in caplog.text


def test_management_client_without_password_is_rejected(meter) -> None:
    with WireClient(meter.address, client_sap=32) as client:
        aare = client.associate()
    assert aare.result is AssociationResult.REJECTED_PERMANENT
    assert aare.diagnostic == 14  # authentication-required


def test_idle_connection_is_dropped_no_sooner_than_the_idle_timeout() -> None:
    with running_meter(idle_timeout=0.3) as server, WireClient(server.address) as client:
        started = time.monotonic()  # before our last frame, so the drop is >= 0.3 s after it
        client.connect()
        client.sock.settimeout(3)  # hang guard (10x the idle timeout), not a speed target
        assert client.sock.recv(10) == b""
        assert time.monotonic() - started >= 0.3


def test_several_clients_at_once(meter) -> None:
    logins = [(16, None), (32, b"2222222222"), (16, None), (1, b"2222222222")]
    clients = [WireClient(meter.address, client_sap=sap) for sap, _ in logins]
    try:
        for client, (_, password) in zip(clients, logins, strict=True):
            assert client.associate(password).result is AssociationResult.ACCEPTED
        assert meter.connection_count == 4
        for client in reversed(clients):
            assert client.request(GetRequestNormal(SERIAL)).result.value == b"000019001234"
    finally:
        for client in clients:
            client.close()

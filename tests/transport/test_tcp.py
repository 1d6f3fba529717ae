"""TcpTransport against real loopback sockets: every failure arrives as a typed error."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from workbench.transport import (
    ConnectError,
    LinkClosed,
    ReadTimeout,
    TcpTransport,
    TransportError,
)


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    srv = socket.create_server(("127.0.0.1", 0))
    srv.settimeout(5)
    yield srv
    srv.close()


def _port(srv: socket.socket) -> int:
    return srv.getsockname()[1]


@pytest.fixture
def bound_not_listening() -> Iterator[socket.socket]:
    """A port that refuses connections and stays ours: bound, but never listen()ed.

    A port merely closed after use could be taken by another process before the test
    connects; a bound socket keeps it reserved, and Linux answers a SYN to it with RST.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    yield sock
    sock.close()


def test_round_trip_bytes(listener: socket.socket) -> None:
    def echo() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.sendall(conn.recv(100).upper())

    threading.Thread(target=echo, daemon=True).start()
    with TcpTransport("127.0.0.1", _port(listener)) as t:
        t.open(2)
        t.write(b"abc", 2)
        assert t.read(100, 2) == b"ABC"


def test_refused_connection_is_connect_error(bound_not_listening: socket.socket) -> None:
    t = TcpTransport("127.0.0.1", _port(bound_not_listening))
    with pytest.raises(ConnectError, match="cannot connect to 127\\.0\\.0\\.1") as info:
        t.open(2)
    assert isinstance(info.value.__cause__, ConnectionRefusedError)  # refused, not timed out


@pytest.mark.parametrize("host", ["a..b", "x" * 70 + ".example", "é..x"])
def test_malformed_host_name_is_connect_error_naming_the_host(host: str) -> None:
    with pytest.raises(ConnectError, match="is not a valid host name") as info:
        TcpTransport(host, 3333).open(2)
    assert repr(host) in str(info.value)


@pytest.mark.parametrize("port", [0, 65536, 99999, -1])
def test_port_outside_tcp_range_is_refused_before_the_os_wraps_it(port: int) -> None:
    with pytest.raises(ConnectError, match=f"port {port} is not in 1–65535"):
        TcpTransport("127.0.0.1", port).open(2)


def test_silence_is_read_timeout_and_link_stays_usable(listener: socket.socket) -> None:
    accepted: list[socket.socket] = []
    t = TcpTransport("127.0.0.1", _port(listener))
    t.open(2)
    accepted.append(listener.accept()[0])
    with pytest.raises(ReadTimeout):
        t.read(10, 0.1)
    accepted[0].sendall(b"late")
    assert t.read(10, 2) == b"late"
    t.close()
    accepted[0].close()


def test_peer_close_is_link_closed(listener: socket.socket) -> None:
    t = TcpTransport("127.0.0.1", _port(listener))
    t.open(2)
    conn, _ = listener.accept()
    conn.close()
    with pytest.raises(LinkClosed, match="closed the connection"):
        t.read(10, 2)
    t.close()


def test_use_after_close_is_link_closed_and_close_is_idempotent(listener: socket.socket) -> None:
    t = TcpTransport("127.0.0.1", _port(listener))
    t.open(2)
    t.close()
    t.close()
    with pytest.raises(LinkClosed, match="not open"):
        t.write(b"x", 1)
    with pytest.raises(TransportError):
        t.read(1, 1)


def test_repr_names_peer_and_state(listener: socket.socket) -> None:
    t = TcpTransport("127.0.0.1", _port(listener))
    assert repr(t) == f"<TcpTransport 127.0.0.1:{_port(listener)} closed>"

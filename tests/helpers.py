"""Shared test fixtures: a real simulated meter on loopback TCP."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from workbench.simulator.config import MeterConfig
from workbench.simulator.server import MeterServer


@contextmanager
def running_meter(**config: Any) -> Iterator[MeterServer]:
    """Start a :class:`MeterServer` on 127.0.0.1 with a free port; stop it afterwards.

    Keyword arguments are :class:`MeterConfig` fields (``serial``, ``password``,
    ``idle_timeout``, ``seed``, ``rtt_ms``, ``faults``, ``max_pdu_size``, ``block_size``,
    ``history_days``); ``time_source`` is passed to the server.
    """
    time_source = config.pop("time_source", None)
    extra = {"time_source": time_source} if time_source else {}
    server = MeterServer(MeterConfig(**config), "127.0.0.1", 0, **extra)
    server.start()
    try:
        yield server
    finally:
        server.stop()

"""Simulator test fixtures: a running meter on loopback TCP, stopped after each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers import running_meter
from workbench.simulator.server import MeterServer


@pytest.fixture
def meter() -> Iterator[MeterServer]:
    """A default meter (serial 000019001234, password 2222222222) with a 5 s idle timeout."""
    with running_meter(idle_timeout=5.0) as server:
        yield server

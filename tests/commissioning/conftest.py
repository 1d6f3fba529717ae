"""Commissioning tests read the real simulator over loopback TCP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers import running_meter
from workbench.session.client import DlmsClient
from workbench.session.settings import ConnectionSettings
from workbench.simulator.server import MeterServer


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture
def meter() -> Iterator[MeterServer]:
    with running_meter() as server:
        yield server


@pytest.fixture
def client(meter: MeterServer) -> Iterator[DlmsClient]:
    host, port = meter.address
    with DlmsClient(ConnectionSettings(host=host, port=port, timeout=2.0, retries=2)) as c:
        c.connect()
        yield c

"""CLI tests: a private object cache and the meter password in $METER_PW for every test,
and one simulated meter per test module (real loopback TCP)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import running_meter
from workbench.simulator.server import MeterServer

PASSWORD = "2222222222"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("METER_PW", PASSWORD)


@pytest.fixture(scope="module")
def meter() -> Iterator[MeterServer]:
    with running_meter() as server:
        yield server

"""Session tests run against the real simulator over loopback TCP; the cache lives in tmp."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers import running_meter
from workbench.session.settings import ConnectionSettings, Secret
from workbench.simulator.server import MeterServer

PASSWORD = "2222222222"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture
def meter() -> Iterator[MeterServer]:
    with running_meter() as server:
        yield server


def settings_for(server: MeterServer, **overrides: object) -> ConnectionSettings:
    """Settings reaching ``server`` with short timeouts (tests must never hang)."""
    host, port = server.address
    values: dict[str, object] = {"host": host, "port": port, "timeout": 0.5, "retries": 3}
    values.update(overrides)
    if values.get("password") == "right":
        values["password"] = Secret(PASSWORD)
    return ConnectionSettings(**values)  # type: ignore[arg-type]

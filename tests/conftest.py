"""Test-wide settings: Qt runs offscreen unless a display was provided (pytest-xvfb, Xvfb)."""

import os

import pytest
from hypothesis import settings


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


# Property tests: no wall-clock deadline (2 shared cores), and fixed example sequences
# under CI so a run is reproducible; locally they keep exploring new examples.
settings.register_profile("default", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")

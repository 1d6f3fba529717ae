"""Test-wide settings: Qt runs offscreen unless a display was provided (pytest-xvfb, Xvfb)."""

import os

import pytest


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

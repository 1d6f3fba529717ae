"""The CLI reads the simulated meter over --com --optical, --wrapper and --auth hls-gmac."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.interop.keys import AUTH_KEY, BLOCK_KEY, serial_meter, tcp_meter

ENV = {**os.environ, "WB_AK": AUTH_KEY.hex(), "WB_EK": BLOCK_KEY.hex()}
HLS = ["--auth", "hls-gmac", "--auth-key-env", "WB_AK", "--block-key-env", "WB_EK"]


def _read(*options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workbench", "read", "0-0:1.0.0.255",
                           "--timeout", "3", *options], capture_output=True, text=True,
                          env=ENV, timeout=60, check=False, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("hls", [False, True], ids=["public", "hls-gmac"])
def test_cli_over_the_wrapper(hls: bool) -> None:
    with tcp_meter(wrapper=True) as meter:
        done = _read("--wrapper", "--port", str(meter.address[1]), *(HLS if hls else []))
    assert done.returncode == 0, done.stderr
    assert "0-0:1.0.0.255" in done.stdout


def test_cli_over_the_optical_probe_with_hls() -> None:
    with serial_meter(optical=True) as (device, _meter):
        done = _read("--com", device, "--optical", *HLS)
    assert done.returncode == 0, done.stderr
    assert "optical probe: MSR meter" in done.stderr


def test_cli_refuses_hls_without_keys_and_never_takes_them_as_arguments() -> None:
    done = _read("--auth", "hls-gmac", "--port", "1")
    assert done.returncode == 2 and "--auth-key-env" in done.stderr
    done = _read("--optical")
    assert done.returncode == 2 and "--com DEVICE" in done.stderr

"""``workbench simulate`` as a real process: announces its port, serves, stops on Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from tests.helpers import readline_within
from tests.simulator.wire import WireClient
from workbench.protocol.apdu import AssociationResult
from workbench.protocol.hdlc import HdlcParameters

# Runs the command's own register()/run(), independent of which commands the CLI lists.
_RUNNER = (
    "import argparse, sys\n"
    "from workbench.cli import simulate\n"
    "parser = argparse.ArgumentParser()\n"
    "simulate.register(parser.add_subparsers())\n"
    "args = parser.parse_args(sys.argv[1:])\n"
    "sys.exit(args.func(args))\n"
)
ANNOUNCE_TIMEOUT = 30
"""Hang guard for the child's first line (interpreter start and imports on a loaded CI)."""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT delivery differs on Windows")
def test_simulate_listens_serves_and_stops_on_ctrl_c() -> None:
    env = {**os.environ, "METER_PW": "s3cret-pw"}
    proc = subprocess.Popen(
        [sys.executable, "-c", _RUNNER, "simulate", "--port", "0", "--password-env",
         "METER_PW", "--seed", "3", "--rtt-ms", "1", "--fault", "garbage:0.1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = readline_within(proc.stdout, timeout=ANNOUNCE_TIMEOUT)
        if not line:  # None: nothing within the time; "": the child exited
            proc.kill()
            proc.wait(timeout=10)
            pytest.fail(f"the simulator announced no port within {ANNOUNCE_TIMEOUT} s "
                        f"(exit code {proc.returncode}); stderr: {proc.stderr.read()!r}")
        assert line.startswith("listening on 127.0.0.1:")
        port = int(line.rsplit(":", 1)[1])
        with WireClient(("127.0.0.1", port), client_sap=32) as client:
            assert client.associate(b"s3cret-pw").result is AssociationResult.ACCEPTED
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=10)
    finally:
        proc.kill()
    assert proc.returncode == 0
    assert "client=32 mechanism=LLS accepted" in err
    assert "s3cret-pw" not in err


def test_bad_fault_spec_is_a_usage_error() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", _RUNNER, "simulate", "--fault", "explode:1"],
        capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2
    assert "unknown fault 'explode'" in proc.stderr


def test_help_lists_every_quirk_with_its_description() -> None:
    proc = subprocess.run([sys.executable, "-c", _RUNNER, "simulate", "--help"],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0
    for name in ("ua-group-length-zero", "invalid-datetime", "action-no-optional",
                 "small-pdu"):
        assert f"  {name} " in proc.stdout
    assert "--max-info N" in proc.stdout and "--window N" in proc.stdout
    assert "--max-connections N" in proc.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["--quirk", "sloppy"], "unknown quirk 'sloppy'; known quirks: ua-group-length-zero"),
    (["--max-info", "4096"], "must be within 32..2030, got 4096"),
    (["--window", "0"], "must be within 1..7, got 0"),
    (["--max-connections", "x"], "expected a whole number, got 'x'"),
])
def test_bad_link_or_quirk_option_is_a_usage_error(args: list[str], message: str) -> None:
    proc = subprocess.run([sys.executable, "-c", _RUNNER, "simulate", *args],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2
    assert message in proc.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT delivery differs on Windows")
def test_simulate_grants_its_max_info_and_window() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", _RUNNER, "simulate", "--port", "0", "--max-info", "512",
         "--window", "4", "--quirk", "small-pdu"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = readline_within(proc.stdout, timeout=ANNOUNCE_TIMEOUT)
        assert line and line.startswith("listening on 127.0.0.1:"), proc.stderr
        port = int(line.rsplit(":", 1)[1])
        proposal = HdlcParameters(2030, 2030, 7, 7)
        with WireClient(("127.0.0.1", port), params=proposal) as client:
            agreed = client.connect().params
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=10)
    finally:
        proc.kill()
    assert (agreed.max_info_tx, agreed.window_tx) == (512, 4)
    assert "link: max info 512, window 4, max PDU 256, up to 4 connections; " \
           "quirks: small-pdu" in err

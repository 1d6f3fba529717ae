"""Keys never leave their Key objects: not in captures, logs, --trace, --json, settings.

An HLS-GMAC session against the simulated meter is recorded the way the window records it
(a .wbcap written frame by frame) and decoded with ``workbench decode`` and the keys; every
text and byte that comes out is searched for the keys in every spelling.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from tests.interop.keys import AUTH_KEY, BLOCK_KEY, credentials, tcp_meter
from workbench.capture import CaptureHeader, load_capture, open_writer
from workbench.session import ConnectionSettings, DlmsClient

SPELLINGS = [form for key in (AUTH_KEY, BLOCK_KEY)
             for form in (key, key.hex(), key.hex().upper(), key.hex(" "), key.hex(" ").upper(),
                          key.hex(":"))]


def _leaks(blob: bytes | str) -> list[str]:
    raw = blob.encode("latin-1", "replace") if isinstance(blob, str) else blob
    return [str(form) for form in SPELLINGS
            if (form if isinstance(form, bytes) else form.encode()) in raw]


def _session(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> tuple[Path, str]:
    capture = tmp_path / "hls.wbcap"
    caplog.set_level(logging.DEBUG)
    with tcp_meter() as meter:
        settings = ConnectionSettings(port=meter.address[1], client=48, timeout=3,
                                      hls=credentials())
        writer = open_writer(capture, CaptureHeader.from_settings(settings, created=1.0))
        try:
            with DlmsClient(settings, observers=[writer]) as client:
                client.read_clock()
                client.object_list()
        finally:
            writer.close()
    return capture, repr(settings) + settings.describe() + caplog.text


def test_no_key_in_capture_log_settings_or_decode_output(tmp_path: Path,
                                                         caplog: pytest.LogCaptureFixture
                                                         ) -> None:
    capture, texts = _session(tmp_path, caplog)
    assert not _leaks(capture.read_bytes())
    assert not _leaks(texts)
    env = {"WB_EK": BLOCK_KEY.hex(), "WB_AK": AUTH_KEY.hex(), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-m", "workbench", "decode", "--file", str(capture), "--json",
         "--block-key-env", "WB_EK", "--auth-key-env", "WB_AK"],
        capture_output=True, env=env, timeout=60, check=False)
    assert not _leaks(out.stdout) and not _leaks(out.stderr)
    assert b"deciphered APDU" in out.stdout  # the plaintext tree is there ...
    assert b"get-response" in out.stdout.lower()  # ... and it is the meter's answer


def test_the_capture_keeps_the_ciphertext(tmp_path: Path,
                                          caplog: pytest.LogCaptureFixture) -> None:
    capture, _ = _session(tmp_path, caplog)
    frames = [record.raw for record in load_capture(capture).records]
    apdus = {raw[14] for raw in frames if len(raw) > 20 and raw[7] == 0x61}
    assert apdus & {0xC8, 0xCB}  # glo-get / glo-action requests ...
    assert not apdus & {0xC0, 0xC3}  # ... and no request in clear

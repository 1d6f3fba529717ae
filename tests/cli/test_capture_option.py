"""``--capture FILE`` on the meter commands (issue 13): the frames of the run recorded to a
.wbcap or .pcapng that ``workbench decode --file`` reads, the LLS password masked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import PASSWORD
from workbench.capture import load_capture
from workbench.cli import main
from workbench.simulator.server import MeterServer


def _read_with_capture(meter: MeterServer, path: Path) -> int:
    return main(["read", "0-0:96.1.0.255", "--port", str(meter.address[1]), "--timeout", "1",
                 "--client", "32", "--password-env", "METER_PW", "--capture", str(path)])


def _password_forms() -> list[bytes]:
    raw = PASSWORD.encode()
    return [raw, raw.hex().encode(), raw.hex(" ").encode(), raw.hex().upper().encode(),
            raw.hex(" ").upper().encode()]


@pytest.mark.parametrize("name", ["visit.wbcap", "visit.pcapng"])
def test_read_records_a_capture_that_decode_reads_without_the_password(
        meter: MeterServer, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        name: str) -> None:
    path = tmp_path / name
    assert _read_with_capture(meter, path) == 0
    assert "000019001234" in capsys.readouterr().out
    content = path.read_bytes()
    assert not any(form in content for form in _password_forms())
    capture = load_capture(path, strict=True)
    directions = [r.direction for r in capture.records]
    assert directions[:2] == ["tx", "rx"] and len(directions) >= 8  # SNRM … DISC
    assert capture.header.meta["client"] == 32 and capture.header.meta["auth"] == "lls"
    assert main(["decode", "--file", str(path), "--json"]) == 0
    decoded = capsys.readouterr().out
    assert "AARQ" in decoded and PASSWORD not in decoded
    json.loads(decoded)


def test_a_second_run_replaces_the_capture(meter: MeterServer, tmp_path: Path) -> None:
    path = tmp_path / "again.wbcap"
    assert _read_with_capture(meter, path) == 0
    first = load_capture(path, strict=True)
    assert _read_with_capture(meter, path) == 0
    second = load_capture(path, strict=True)
    assert second.header.created > first.header.created
    assert [r.note for r in second.records].count("SNRM") == 1  # one connection, not two
    assert second.records[0].time > first.records[-1].time


def test_an_unwritable_capture_path_is_a_usage_error(meter: MeterServer, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "missing-folder" / "x.wbcap"
    assert _read_with_capture(meter, path) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot write the capture") and "hint: " in err


def test_probe_records_its_attempts_too(meter: MeterServer, tmp_path: Path) -> None:
    path = tmp_path / "probe.pcapng"
    code = main(["probe", f"127.0.0.1:{meter.address[1]}", "--timeout", "0.5",
                 "--capture", str(path)])
    assert code == 0
    assert len(load_capture(path, strict=True).records) >= 4

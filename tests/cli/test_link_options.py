"""--max-info/--window reach the SNRM and the meter grants them; tolerated deviations show on
stderr (plain or JSON) and never on stdout."""

from __future__ import annotations

import json

import pytest

from tests.helpers import running_meter
from workbench.cli import main


def _read(port: int, *extra: str) -> int:
    return main(["read", "--port", str(port), "--timeout", "1", "0-0:96.1.0.255", *extra])


def test_max_info_and_window_are_proposed_and_granted(capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    with running_meter(max_info=1024, window=7) as meter:
        assert _read(meter.address[1], "--max-info", "1024", "--window", "7", "--trace") == 0
    err = capsys.readouterr().err
    snrm = next(line for line in err.splitlines() if "(SNRM)" in line)
    # parameter group: max info tx/rx 1024 (05/06 02 04 00), window tx/rx 7 (07/08 04 00 00 00 07)
    assert "05 02 04 00 06 02 04 00 07 04 00 00 00 07 08 04 00 00 00 07" in snrm


@pytest.mark.parametrize(("option", "value", "words"), [
    ("--max-info", "31", "max_info must be within 32..2030"),
    ("--max-info", "4096", "max_info must be within 32..2030"),
    ("--window", "0", "window must be within 1..7"),
    ("--window", "8", "window must be within 1..7"),
])
def test_out_of_range_link_options_are_usage_errors(capsys, option, value, words) -> None:
    assert _read(1, option, value) == 2
    assert words in capsys.readouterr().err


@pytest.mark.parametrize("as_json", [False, True])
def test_a_tolerated_ua_deviation_is_a_warning_on_stderr(capsys, tmp_path, monkeypatch,
                                                         as_json: bool) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    with running_meter(quirks=("ua-group-length-zero",)) as meter:
        code = _read(meter.address[1], *(["--json"] if as_json else []))
    out, err = capsys.readouterr()
    assert code == 0
    warnings = [line for line in err.splitlines() if "warning" in line]
    assert warnings, err
    if as_json:
        assert json.loads(warnings[0])["warning"]
        assert json.loads(out)[0]["value"] == "000019001234"  # stdout stays clean JSON
    else:
        assert warnings[0].startswith("warning: ")

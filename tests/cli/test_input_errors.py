"""Bad command-line input: one sentence naming the option, a hint, the right exit code, never a
traceback. None of these reach a meter, except where a real loopback socket is the point."""

from __future__ import annotations

import pytest

from workbench.cli import build_parser, main
from workbench.cli.connection_options import settings_from_args
from workbench.protocol.errors import DecodeError, EncodeError
from workbench.session.client import DlmsClient

OBIS = "0-0:1.0.0.255"


def _one_sentence(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 2, err
    assert lines[0].startswith("error: ") and lines[1].startswith("hint: ")
    assert "Traceback" not in err
    return err


def test_malformed_host_name_is_a_connect_error_naming_the_host(capsys) -> None:
    assert main(["read", "--host", "a..b", "--timeout", "1", OBIS]) == 3
    err = _one_sentence(capsys.readouterr().err)
    assert "'a..b' is not a valid host name" in err


def test_non_latin1_password_is_a_usage_error_that_does_not_quote_it(capsys, monkeypatch) -> None:
    monkeypatch.setenv("PW", "pässwörd€")
    assert main(["read", "--password-env", "PW", OBIS]) == 2
    captured = capsys.readouterr()
    err = _one_sentence(captured.err)
    assert "must be Latin-1 text" in err
    for fragment in ("€", "pässw", "ä", "ö"):
        assert fragment not in captured.err + captured.out


@pytest.mark.parametrize("options,named,allowed", [
    (["--physical", "99999"], "--physical 99999", "0..16383"),
    (["--physical", "-1"], "--physical -1", "0..16383"),
    (["--logical", "99999"], "--logical 99999", "0..16383"),
    (["--client", "300"], "--client 300", "0..127"),
    (["--port", "0"], "--port 0", "1..65535"),
    (["--port", "70000"], "--port 70000", "1..65535"),
])
def test_out_of_range_option_names_itself_and_the_allowed_range(
        capsys, options: list[str], named: str, allowed: str) -> None:
    assert main(["read", *options, OBIS]) == 2
    err = _one_sentence(capsys.readouterr().err)
    assert named in err and allowed in err
    assert "meter sent" not in err


def test_serial_without_digits_is_a_usage_error(capsys) -> None:
    assert main(["read", "--serial", "abc", OBIS]) == 2
    err = _one_sentence(capsys.readouterr().err)
    assert "--serial 'abc'" in err and "4 digits" in err


def test_serial_gives_its_last_four_digits_as_physical_address() -> None:
    args = build_parser().parse_args(["read", "--serial", "000019004321", OBIS])
    assert settings_from_args(args).physical == 4321


def test_nan_timeout_is_a_usage_error(capsys) -> None:
    assert main(["read", "--timeout", "nan", OBIS]) == 2
    assert "timeout" in _one_sentence(capsys.readouterr().err)


def test_a_value_we_cannot_encode_is_a_usage_problem_not_the_meters_fault(
        capsys, monkeypatch) -> None:
    def refuse(self: DlmsClient) -> None:
        raise EncodeError("class id 70000 out of range 0–65535")

    monkeypatch.setattr(DlmsClient, "connect", refuse)
    assert main(["read", OBIS]) == 2
    err = _one_sentence(capsys.readouterr().err)
    assert "this request cannot be built" in err and "70000" in err
    assert "meter sent" not in err


def test_undecodable_bytes_from_the_meter_are_still_reported_as_such(capsys, monkeypatch) -> None:
    def garbled(self: DlmsClient) -> None:
        raise DecodeError("unknown tag", offset=3, got="0xFF")

    monkeypatch.setattr(DlmsClient, "connect", garbled)
    assert main(["read", OBIS]) == 1
    err = _one_sentence(capsys.readouterr().err)
    assert "the meter sent something we could not decode" in err and "byte 3" in err

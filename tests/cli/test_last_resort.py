"""main()'s last resort: an unexpected exception is one line, a hint and exit 70, not a
traceback; Ctrl+C is exit 130."""

from __future__ import annotations

import logging

import pytest

from workbench.cli import decode, main

HEX = "7E A0 07 03 21 93 0F 01 7E"


def _explode(*_args: object, **_kwargs: object) -> object:
    raise RuntimeError("boom\nsecond line")


def _interrupt(*_args: object, **_kwargs: object) -> object:
    raise KeyboardInterrupt


@pytest.fixture
def broken_decode(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the real `decode` command hit an unexpected error deep inside."""
    monkeypatch.delenv("WORKBENCH_DEBUG", raising=False)
    monkeypatch.setattr(decode, "dissector_from_args", lambda _args: _explode)


def test_unexpected_error_is_one_line_and_a_hint_with_exit_70(broken_decode, capsys,
                                                               caplog) -> None:
    with caplog.at_level(logging.DEBUG, logger="workbench.cli"):
        assert main(["decode", HEX]) == 70
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "internal error: RuntimeError: boom second line",
        "hint: this is a bug; run again with WORKBENCH_DEBUG=1 for the traceback, and report it.",
    ]
    assert "Traceback" not in err
    assert any(r.exc_info and r.exc_info[0] is RuntimeError for r in caplog.records)


def test_workbench_debug_prints_the_traceback(broken_decode, capsys, monkeypatch) -> None:
    monkeypatch.setenv("WORKBENCH_DEBUG", "1")
    assert main(["decode", HEX]) == 70
    err = capsys.readouterr().err
    assert err.startswith("internal error: RuntimeError: boom second line\n")
    assert "Traceback (most recent call last)" in err and "_explode" in err


def test_ctrl_c_anywhere_is_exit_130(monkeypatch, capsys) -> None:
    monkeypatch.setattr("workbench.cli.build_parser", _interrupt)
    assert main(["decode", HEX]) == 130
    assert capsys.readouterr().err.strip() == "interrupted"


def test_usage_errors_from_argparse_still_exit_2(capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["read", "--port", "not-a-number"])
    assert info.value.code == 2

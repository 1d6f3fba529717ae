"""Settings never leak the password; every session error carries a hint; timers behave."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from workbench.session import errors
from workbench.session.keepalive import KeepaliveTimer
from workbench.session.retry import Backoff
from workbench.session.settings import ConnectionSettings, Secret

PASSWORD = "2222222222"


def test_secret_never_prints_itself() -> None:
    s = Secret(PASSWORD)
    for text in (repr(s), str(s), f"{s}", f"{s!r}", format(s, "")):
        assert PASSWORD not in text
    assert s.reveal() == PASSWORD.encode()


def test_settings_repr_and_describe_hide_password() -> None:
    settings = ConnectionSettings(client=32, password=Secret(PASSWORD))
    assert PASSWORD not in repr(settings)
    assert PASSWORD not in settings.describe()
    assert "LLS password" in settings.describe()
    assert PASSWORD not in repr(dataclasses.replace(settings, port=1))


def test_secret_refuses_pickling() -> None:
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(Secret(PASSWORD))


def test_plain_string_password_is_wrapped() -> None:
    settings = ConnectionSettings(password=PASSWORD)  # type: ignore[arg-type]
    assert isinstance(settings.password, Secret)


@pytest.mark.parametrize("field,value", [("timeout", 0), ("retries", -1), ("address_size", 3)])
def test_settings_reject_impossible_values(field: str, value: float) -> None:
    with pytest.raises(ValueError, match=field):
        ConnectionSettings(**{field: value})


def test_every_session_error_has_its_own_hint() -> None:
    kinds = [getattr(errors, name) for name in errors.__all__]
    hints = {kind.default_hint for kind in kinds if kind is not errors.SessionError}
    assert len(hints) == len(kinds) - 1
    for kind in kinds:
        err = kind("something failed")
        assert err.hint and err.hint.endswith(".")
        assert str(err) == "something failed"
    assert errors.NoResponse("x", "do y").hint == "do y"


def test_keepalive_timer_follows_injected_clock() -> None:
    now = [100.0]
    timer = KeepaliveTimer(120.0, clock=lambda: now[0])
    assert not timer.due()
    now[0] += 119.0
    assert not timer.due() and timer.remaining() == pytest.approx(1.0)
    now[0] += 1.0
    assert timer.due()
    timer.touch()
    assert not timer.due()
    assert KeepaliveTimer(0, clock=lambda: now[0]).remaining() == float("inf")


def test_backoff_grows_and_caps() -> None:
    assert Backoff(attempts=5, base=0.5, factor=2, cap=3).delays() == [0.5, 1, 2, 3, 3]

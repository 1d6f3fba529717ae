"""Secret: non-Latin-1 text is refused without quoting it; comparison and hash leak nothing."""

from __future__ import annotations

import math
import traceback

import pytest

from workbench.session.settings import ConnectionSettings, Secret

NON_LATIN1 = "pässwörd€"


def test_non_latin1_password_is_a_value_error_that_does_not_quote_it() -> None:
    with pytest.raises(ValueError, match="must be Latin-1 text") as info:
        Secret(NON_LATIN1)
    printed = "".join(traceback.format_exception(info.value))
    for fragment in ("€", "\\u20ac", "pässw", "ä", "20ac"):
        assert fragment not in printed
    assert "UnicodeEncodeError" not in printed


def test_latin1_accents_are_one_byte_each() -> None:
    assert Secret("pässwörd").reveal() == "pässwörd".encode("latin-1")
    assert len(Secret("pässwörd").reveal()) == len("pässwörd")


def test_settings_wrapping_a_non_latin1_string_refuses_it_the_same_way() -> None:
    with pytest.raises(ValueError, match="must be Latin-1 text") as info:
        ConnectionSettings(password=NON_LATIN1)  # type: ignore[arg-type]
    assert "€" not in str(info.value)


def test_equality_follows_the_bytes() -> None:
    assert Secret("2222222222") == Secret(b"2222222222")
    assert Secret("2222222222") != Secret("2222222223")
    assert Secret("2222222222") != Secret("22222222220")
    assert Secret("2222222222") != "2222222222"


def test_hash_is_not_derived_from_the_password_yet_equal_secrets_hash_alike() -> None:
    assert hash(Secret("2222222222")) == hash(Secret("something else"))
    assert hash(Secret("2222222222")) != hash(b"2222222222")
    assert len({Secret("a"), Secret("a"), Secret("b")}) == 2
    assert hash(ConnectionSettings(password=Secret("a"))) == hash(
        ConnectionSettings(password=Secret("a")))


@pytest.mark.parametrize("timeout", [math.nan, math.inf, -1.0, 0.0])
def test_timeout_must_be_a_finite_positive_number(timeout: float) -> None:
    with pytest.raises(ValueError, match="timeout must be a positive number of seconds"):
        ConnectionSettings(timeout=timeout)

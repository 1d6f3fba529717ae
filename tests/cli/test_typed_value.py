"""Typed values typed by people: prefixes, inference from the current type, range checks."""

from __future__ import annotations

import pytest

from workbench.cli.connection_options import UsageError
from workbench.cli.typed_value import parse_typed_value
from workbench.protocol.axdr import CosemDateTime, Data, DataType


@pytest.mark.parametrize(("text", "expected"), [
    ("u16:300", Data.u16(300)),
    ("i8:-5", Data.i8(-5)),
    ("u32:0x10", Data.u32(16)),
    ("octets:0a:0B", Data.octets(b"\x0a\x0b")),
    ("text:hello", Data.text("hello")),
    ("bool:yes", Data.boolean(True)),
    ("enum:2", Data.enum(2)),
    ("null:", Data.null()),
])
def test_prefixed_values(text: str, expected: Data) -> None:
    assert parse_typed_value(text) == expected


def test_datetime_value() -> None:
    value = parse_typed_value("datetime:2026-01-02T03:04:05")
    assert value.type == DataType.DATE_TIME
    assert isinstance(value.value, CosemDateTime) and value.value.minute == 4


def test_bare_value_takes_the_current_type() -> None:
    assert parse_typed_value("300", DataType.LONG_UNSIGNED) == Data.u16(300)
    assert parse_typed_value("abc", DataType.VISIBLE_STRING) == Data.text("abc")


@pytest.mark.parametrize(("text", "current", "message"), [
    ("u8:256", None, "does not fit"),
    ("u16:abc", None, "not a valid long-unsigned"),
    ("300", None, "cannot tell which type"),
    ("octets:zz", None, "not a valid octet-string"),
    ("1", DataType.STRUCTURE, "cannot be typed in"),
])
def test_bad_values_say_what_is_wrong(text: str, current: DataType | None, message: str) -> None:
    with pytest.raises(UsageError, match=message) as info:
        parse_typed_value(text, current)
    assert "TYPE:VALUE" in info.value.hint

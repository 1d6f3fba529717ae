"""DLMS unit table, scaler arithmetic and ScaledValue formatting."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.protocol.axdr import Data, decode_data_exact, encode_data
from workbench.protocol.cosem import (
    UNIT_NAMES,
    UNITS,
    ScaledValue,
    apply_scaler,
    build_scaler_unit,
    parse_scaler_unit,
    unit_name,
    unit_symbol,
)
from workbench.protocol.errors import DecodeError


@pytest.mark.parametrize(
    ("code", "symbol"),
    [
        (1, "a"), (5, "h"), (7, "s"), (8, "°"), (9, "°C"), (13, "m³"), (23, "Pa"),
        (27, "W"), (28, "VA"), (29, "var"), (30, "Wh"), (31, "VAh"), (32, "varh"),
        (33, "A"), (34, "C"), (35, "V"), (38, "Ω"), (44, "Hz"), (52, "K"), (56, "%"),
        (57, "Ah"), (70, "dBm"), (72, "dB"), (254, "other"), (255, ""),
    ],
)
def test_unit_symbols(code: int, symbol: str) -> None:
    assert UNITS[code] == symbol
    assert unit_symbol(code) == symbol


def test_reserved_and_unknown_codes_are_labelled_not_hidden() -> None:
    for code in (0, 58, 59, 68, 69, 200):
        assert code not in UNITS
        assert unit_symbol(code) == f"unit {code}"
        assert unit_name(code) == f"unit {code}"


def test_names_cover_the_same_codes_as_symbols() -> None:
    assert UNIT_NAMES.keys() == UNITS.keys()
    assert unit_name(27) == "active power"
    assert unit_name(255) == "no unit (count)"


@pytest.mark.parametrize(
    ("raw", "scaler", "expected", "kind"),
    [
        (230100, -3, Decimal("230.1"), Decimal),
        (5000, -3, 5, int),
        (12, 3, 12000, int),
        (-4995, -1, Decimal("-499.5"), Decimal),
        (0, -5, 0, int),
        (1, -10, Decimal("1E-10"), Decimal),
        (Decimal("2.5"), 1, 25, int),
    ],
)
def test_apply_scaler_is_exact(raw: int, scaler: int, expected: object, kind: type) -> None:
    result = apply_scaler(raw, scaler)
    assert result == expected
    assert type(result) is kind


def test_float_values_stay_float() -> None:
    result = apply_scaler(230100.0, -3)
    assert isinstance(result, float)
    assert result == 230.1


@given(st.integers(-(2**63), 2**64 - 1), st.integers(-20, 20))
def test_scaler_matches_rational_arithmetic(raw: int, scaler: int) -> None:
    exact = Fraction(raw) * Fraction(10) ** scaler
    result = apply_scaler(raw, scaler)
    assert Fraction(result) == exact
    assert isinstance(result, int) == (exact.denominator == 1)


@pytest.mark.parametrize("bad", [True, None, b"\x01", "12"])
def test_scaler_refuses_non_numbers(bad: object) -> None:
    with pytest.raises(TypeError, match="numbers only"):
        apply_scaler(bad, 0)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (ScaledValue(230100, -3, 35), "230.1 V"),
        (ScaledValue(5000, -1, 27), "500 W"),
        (ScaledValue(123456, 0, 30), "123456 Wh"),
        (ScaledValue(1, -10, 30), "0.0000000001 Wh"),
        (ScaledValue(4999, -2, 44), "49.99 Hz"),
        (ScaledValue(17, 0, 255), "17"),
        (ScaledValue(17, 0, 99), "17 unit 99"),
        (ScaledValue(b"AB", 0, 255), "41 42"),
    ],
)
def test_scaled_value_text(value: ScaledValue, text: str) -> None:
    assert str(value) == text


def test_scaled_value_keeps_its_parts() -> None:
    reading = ScaledValue(230100, -3, 35)
    assert reading.raw == 230100
    assert reading.value == Decimal("230.1")
    assert reading.symbol == "V"


def test_scaler_unit_wire_form_and_round_trip() -> None:
    wire = encode_data(build_scaler_unit(-3, 35))
    assert wire == bytes.fromhex("0202 0FFD 1623")
    assert parse_scaler_unit(decode_data_exact(wire)) == (-3, 35)


def test_scaled_value_from_register_attributes() -> None:
    reading = ScaledValue.from_data(Data.u32(230100), build_scaler_unit(-3, 35))
    assert str(reading) == "230.1 V"
    energy = ScaledValue.from_data(Data.u32(123456), Data.struct(Data.u8(2), Data.u8(30)))
    assert str(energy) == "12345600 Wh"


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (Data.u8(3), "not a scaler_unit: got unsigned"),
        (Data.struct(Data.i8(-3)), "got structure of 1"),
        (Data.struct(Data.octets(b"\xfd"), Data.enum(35)), "scaler is not an integer"),
        (Data.struct(Data.i8(-3), Data.text("V")), "unit is not an integer: got visible-string"),
    ],
)
def test_malformed_scaler_unit(data: Data, fragment: str) -> None:
    with pytest.raises(DecodeError) as info:
        parse_scaler_unit(data)
    assert fragment in str(info.value)
    assert str(info.value).startswith("scaler_unit: ")


@pytest.mark.oracle
def test_unit_codes_agree_with_gurux() -> None:
    from gurux_dlms.enums.Unit import Unit

    gurux_codes = {int(v) for k, v in vars(Unit).items() if k.isupper() and int(v) != 0}
    assert gurux_codes == set(UNITS)

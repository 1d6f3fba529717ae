"""DLMS physical units and scalers: turning a register's raw integer into "230.1 V".

A Register (class 3) reports its value as a plain integer and, separately, its
``scaler_unit`` structure {scaler integer, unit enum}: the real value is
``raw × 10^scaler`` in the unit named by the enum. The unit codes are the Blue Book
"unit" enumeration (codes 58–59 and 68–69 are reserved; 128–174 hold non-SI units).

Why :class:`~decimal.Decimal`: a meter reports 230100 with scaler −3, and people expect
to see exactly 230.1, not 230.10000000000002. :func:`apply_scaler` therefore stays exact:
an ``int`` when the result is whole, otherwise a ``Decimal`` (float inputs, from float32 or
float64 registers, stay float because they were never exact).
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from workbench.protocol.axdr import Data, DataType
from workbench.protocol.errors import DecodeError

__all__ = [
    "ENGINEERING",
    "UNITS",
    "UNIT_NAMES",
    "ScaledValue",
    "apply_scaler",
    "build_scaler_unit",
    "engineering",
    "parse_scaler_unit",
    "unit_name",
    "unit_symbol",
]

Number = int | float | Decimal

# code: (symbol, quantity)
_TABLE: dict[int, tuple[str, str]] = {
    1: ("a", "time (year)"),
    2: ("mo", "time (month)"),
    3: ("wk", "time (week)"),
    4: ("d", "time (day)"),
    5: ("h", "time (hour)"),
    6: ("min", "time (minute)"),
    7: ("s", "time (second)"),
    8: ("°", "phase angle (degree)"),
    9: ("°C", "temperature"),
    10: ("currency", "local currency"),
    11: ("m", "length"),
    12: ("m/s", "speed"),
    13: ("m³", "volume"),
    14: ("m³", "corrected volume"),
    15: ("m³/h", "volume flux"),
    16: ("m³/h", "corrected volume flux"),
    17: ("m³/d", "volume flux per day"),
    18: ("m³/d", "corrected volume flux per day"),
    19: ("l", "volume (litre)"),
    20: ("kg", "mass"),
    21: ("N", "force"),
    22: ("Nm", "energy (newton metre)"),
    23: ("Pa", "pressure"),
    24: ("bar", "pressure"),
    25: ("J", "energy (joule)"),
    26: ("J/h", "thermal power"),
    27: ("W", "active power"),
    28: ("VA", "apparent power"),
    29: ("var", "reactive power"),
    30: ("Wh", "active energy"),
    31: ("VAh", "apparent energy"),
    32: ("varh", "reactive energy"),
    33: ("A", "current"),
    34: ("C", "electrical charge"),
    35: ("V", "voltage"),
    36: ("V/m", "electric field strength"),
    37: ("F", "capacitance"),
    38: ("Ω", "resistance"),
    39: ("Ωm²/m", "resistivity"),
    40: ("Wb", "magnetic flux"),
    41: ("T", "magnetic flux density"),
    42: ("A/m", "magnetic field strength"),
    43: ("H", "inductance"),
    44: ("Hz", "frequency"),
    45: ("1/(Wh)", "active energy meter constant"),
    46: ("1/(varh)", "reactive energy meter constant"),
    47: ("1/(VAh)", "apparent energy meter constant"),
    48: ("V²h", "volt-squared hours"),
    49: ("A²h", "ampere-squared hours"),
    50: ("kg/s", "mass flux"),
    51: ("S", "conductance"),
    52: ("K", "temperature (kelvin)"),
    53: ("1/(V²h)", "volt-squared hour meter constant"),
    54: ("1/(A²h)", "ampere-squared hour meter constant"),
    55: ("1/m³", "volume meter constant"),
    56: ("%", "percentage"),
    57: ("Ah", "ampere-hours"),
    60: ("Wh/m³", "energy per volume"),
    61: ("J/m³", "calorific value, Wobbe"),
    62: ("Mol %", "molar fraction"),
    63: ("g/m³", "mass density"),
    64: ("Pa s", "dynamic viscosity"),
    65: ("J/kg", "specific energy"),
    66: ("g/cm²", "pressure (gram per square centimetre)"),
    67: ("atm", "pressure (atmosphere)"),
    70: ("dBm", "signal strength (dB milliwatt)"),
    71: ("dBµV", "signal strength (dB microvolt)"),
    72: ("dB", "logarithmic unit"),
    128: ("in", "length (inch)"),
    129: ("ft", "length (foot)"),
    130: ("lb", "mass (pound)"),
    131: ("°F", "temperature (Fahrenheit)"),
    132: ("°R", "temperature (Rankine)"),
    133: ("in²", "area (square inch)"),
    134: ("ft²", "area (square foot)"),
    135: ("ac", "area (acre)"),
    136: ("in³", "volume (cubic inch)"),
    137: ("ft³", "volume (cubic foot)"),
    138: ("ac-ft", "volume (acre-foot)"),
    139: ("gal (UK)", "volume (imperial gallon)"),
    140: ("gal (US)", "volume (US gallon)"),
    141: ("lbf", "force (pound-force)"),
    142: ("psi", "pressure (pound-force per square inch)"),
    143: ("lb/ft³", "density"),
    144: ("lb/(ft s)", "dynamic viscosity"),
    145: ("ft²/s", "kinematic viscosity"),
    146: ("BTU", "energy (British thermal unit)"),
    147: ("thm (EU)", "energy (EU therm)"),
    148: ("thm (US)", "energy (US therm)"),
    149: ("BTU/lb", "specific energy"),
    150: ("BTU/ft³", "energy per volume"),
    151: ("ft³", "volume (cubic feet)"),
    152: ("ft/s", "speed"),
    153: ("ft³/s", "volume flux"),
    154: ("ft³/min", "volume flux"),
    155: ("ft³/h", "volume flux"),
    156: ("ft³/d", "volume flux"),
    157: ("ac-ft/s", "volume flux"),
    158: ("ac-ft/min", "volume flux"),
    159: ("ac-ft/h", "volume flux"),
    160: ("ac-ft/d", "volume flux"),
    161: ("gal (UK)", "volume (imperial gallon)"),
    162: ("gal (UK)/s", "volume flux"),
    163: ("gal (UK)/min", "volume flux"),
    164: ("gal (UK)/h", "volume flux"),
    165: ("gal (UK)/d", "volume flux"),
    166: ("gal (US)", "volume (US gallon)"),
    167: ("gal (US)/s", "volume flux"),
    168: ("gal (US)/min", "volume flux"),
    169: ("gal (US)/h", "volume flux"),
    170: ("gal (US)/d", "volume flux"),
    171: ("BTU/s", "power"),
    172: ("BTU/min", "power"),
    173: ("BTU/h", "power"),
    174: ("BTU/d", "power"),
    254: ("other", "other unit"),
    255: ("", "no unit (count)"),
}

UNITS: dict[int, str] = {code: symbol for code, (symbol, _) in _TABLE.items()}
"""Unit code → symbol ("W", "Wh", "V" ...); 255 (count, no unit) maps to ""."""

UNIT_NAMES: dict[int, str] = {code: name for code, (_, name) in _TABLE.items()}
"""Unit code → the quantity it measures, for tooltips ("active power", "voltage" ...)."""


def unit_symbol(code: int) -> str:
    """The symbol for a unit code; unknown codes read "unit 123" so nothing is hidden."""
    return UNITS.get(code, f"unit {code}")


ENGINEERING: dict[int, tuple[str, int]] = {30: ("kWh", 3), 31: ("kVAh", 3), 32: ("kvarh", 3)}
"""Unit code → (unit shown, power of ten divided out): energies read in kWh, not Wh."""


def engineering(value: float, unit: int) -> tuple[float, str]:
    """``value`` in ``unit`` (already scaled) as people read it: 85 700 000 Wh → 85 700 kWh."""
    shown, power = ENGINEERING.get(unit, (unit_symbol(unit), 0))
    return value / 10**power, shown


def unit_name(code: int) -> str:
    """What a unit code measures ("active energy"); unknown codes read "unit 123"."""
    return UNIT_NAMES.get(code, f"unit {code}")


def apply_scaler(value: Number, scaler: int) -> Number:
    """Return ``value × 10^scaler`` without rounding error.

    Args:
        value: the raw register value (int from integer types, float from float32/64).
        scaler: the power of ten from ``scaler_unit`` (a signed byte, −128..127).

    Returns:
        An ``int`` when the result is whole, a ``Decimal`` when an integer or Decimal
        needs a fractional part (230100, −3 → Decimal("230.1")), a ``float`` for floats.

    Raises:
        TypeError: ``value`` is not a number (bool, bytes, None ...); ``scaler`` not an int.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"a scaler applies to numbers only, got {type(value).__name__}")
    if isinstance(scaler, bool) or not isinstance(scaler, int):
        raise TypeError(f"scaler must be an int, got {type(scaler).__name__}")
    if isinstance(value, float):  # divide for negative scalers: one rounding, not two
        return float(value * 10.0**scaler if scaler >= 0 else value / 10.0**-scaler)
    if isinstance(value, int) and scaler >= 0:
        return int(value * 10**scaler)
    exact = Decimal(value).scaleb(scaler)
    if exact == exact.to_integral_value():
        return int(exact)
    return exact.normalize()


_INTEGER_TYPES = frozenset({
    DataType.INTEGER, DataType.LONG, DataType.DOUBLE_LONG, DataType.LONG64, DataType.UNSIGNED,
    DataType.LONG_UNSIGNED, DataType.DOUBLE_LONG_UNSIGNED, DataType.LONG64_UNSIGNED,
    DataType.ENUM,
})


def parse_scaler_unit(data: Data) -> tuple[int, int]:
    """Read a ``scaler_unit`` attribute (Register 3, Extended register 3, Demand register 4).

    Returns:
        (scaler, unit code).

    Raises:
        DecodeError: not a structure of two integers {scaler integer, unit enum}; any
            integer type is accepted for either, since meters are loose about it.
    """
    expected = "structure {scaler integer, unit enum}"
    members = data.value if data.type == DataType.STRUCTURE else None
    if not isinstance(members, tuple) or len(members) != 2:
        count = f" of {len(members)}" if isinstance(members, tuple) else ""
        raise DecodeError("not a scaler_unit", got=f"{data.type.label}{count}",
                          expected=expected, what="scaler_unit")
    scaler, unit = members
    for name, member in (("scaler", scaler), ("unit", unit)):
        if member.type not in _INTEGER_TYPES:
            raise DecodeError(f"{name} is not an integer", got=member.type.label,
                              expected=expected, what="scaler_unit")
    return int(scaler.value), int(unit.value)


def build_scaler_unit(scaler: int, unit: int) -> Data:
    """The ``scaler_unit`` structure as meters send it: {integer, enum}."""
    return Data.struct(Data.i8(scaler), Data.enum(unit))


def _format_value(value: object) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, bytes):
        return value.hex(" ").upper()
    return str(value)


class ScaledValue(NamedTuple):
    """A register reading: raw value, its scaler and unit code, shown as "230.1 V".

    Non-numeric raw values (an octet-string in a Data object, None) are kept and shown
    as they are: the scaler only applies to numbers.
    """

    raw: object
    scaler: int = 0
    unit: int = 255

    @property
    def value(self) -> object:
        """The scaled value (see :func:`apply_scaler`), or ``raw`` when it is not a number."""
        if isinstance(self.raw, bool) or not isinstance(self.raw, int | float | Decimal):
            return self.raw
        return apply_scaler(self.raw, self.scaler)

    @property
    def symbol(self) -> str:
        return unit_symbol(self.unit)

    @classmethod
    def from_data(cls, value: Data, scaler_unit: Data) -> ScaledValue:
        """Join a register's ``value`` (attribute 2) and ``scaler_unit`` (attribute 3).

        Raises:
            DecodeError: ``scaler_unit`` is malformed (see :func:`parse_scaler_unit`).
        """
        return cls(value.value, *parse_scaler_unit(scaler_unit))

    def __str__(self) -> str:
        text = _format_value(self.value)
        return f"{text} {self.symbol}" if self.symbol else text

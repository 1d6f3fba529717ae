"""OBIS parsing, formatting, ordering and naming."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.protocol.cosem import Obis, ObisError, obis_group, obis_name
from workbench.protocol.errors import DecodeError, LocalProtocolError, ProtocolError

byte = st.integers(0, 255)
obis_codes = st.builds(Obis, byte, byte, byte, byte, byte, byte)

VOLTAGE = Obis(1, 1, 32, 7, 0, 255)


@pytest.mark.parametrize(
    "text",
    [
        "1-1:32.7.0.255",
        "1-1:32.7.0*255",
        "1-1:32.7.0&255",
        "1.1.32.7.0.255",
        "0101200700FF",
        "0101200700ff",
        "01 01 20 07 00 FF",
        "1-1:32.7.0",
        "  1-1:32.7.0.255\n",
    ],
)
def test_every_accepted_spelling_gives_the_same_code(text: str) -> None:
    assert Obis.parse(text) == VOLTAGE


def test_short_form_defaults_f_to_255() -> None:
    assert Obis.parse("0-0:96.1.0").f == 255
    assert Obis(0, 0, 96, 1, 0).f == 255


def test_canonical_text_and_bytes() -> None:
    assert str(VOLTAGE) == "1-1:32.7.0.255"
    assert VOLTAGE.to_bytes() == bytes.fromhex("0101200700FF")
    assert repr(VOLTAGE) == "Obis('1-1:32.7.0.255')"


def test_parse_passes_an_obis_through() -> None:
    assert Obis.parse(VOLTAGE) is VOLTAGE


@given(obis_codes)
def test_text_round_trip(code: Obis) -> None:
    assert Obis.parse(str(code)) == code


@given(obis_codes)
def test_bytes_round_trip(code: Obis) -> None:
    assert Obis.from_bytes(code.to_bytes()) == code
    assert Obis.parse(code.to_bytes().hex()) == code


@given(obis_codes, obis_codes)
def test_order_follows_the_groups(x: Obis, y: Obis) -> None:
    assert (x < y) == (x.groups < y.groups)
    assert (x == y) == (hash(x) == hash(y) and x.groups == y.groups)


def test_usable_as_dict_key_and_frozen() -> None:
    table = {Obis.parse("1-1:32.7.0"): "V"}
    assert table[Obis.parse("0101200700FF")] == "V"
    with pytest.raises(AttributeError):
        VOLTAGE.c = 31  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("1-1:320.7.0.255", "OBIS group C '320' is out of range 0–255"),
        ("1-1:32.7.0.256", "OBIS group F '256' is out of range 0–255"),
        ("1-1:32.x.0.255", "OBIS group D 'x' is not a decimal number"),
        ("a-1:32.7.0.255", "OBIS group A 'a'"),
        ("1-1:32.7..255", "OBIS group E ''"),
        ("1.1.32.7.0", "needs 6 groups, got 5"),
        ("1.1.32.7.0.255.1", "needs 6 groups, got 7"),
        ("1-1:32", "A-B:C.D.E[.F]"),
        ("0101200700", "10 hex digits, expected 12"),
        ("hello", "is not an OBIS code"),
        ("", "empty"),
    ],
)
def test_bad_text_names_the_problem(text: str, fragment: str) -> None:
    with pytest.raises(ObisError) as info:
        Obis.parse(text)
    assert fragment in str(info.value)


def test_obis_error_is_both_value_error_and_protocol_error() -> None:
    with pytest.raises(ObisError) as info:
        Obis.parse("1-1:999.7.0")
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, LocalProtocolError)
    assert isinstance(info.value, ProtocolError)


@pytest.mark.parametrize("groups", [(1, 1, 32, 7, 0, 256), (-1, 0, 0, 0, 0, 0)])
def test_constructor_rejects_out_of_range(groups: tuple[int, ...]) -> None:
    with pytest.raises(ObisError, match="out of range"):
        Obis(*groups)


def test_constructor_rejects_non_int() -> None:
    with pytest.raises(ObisError, match="group B must be an int"):
        Obis(1, "1", 32, 7, 0)  # type: ignore[arg-type]


@pytest.mark.parametrize("raw", [b"", b"\x01\x02", bytes(7)])
def test_from_bytes_wrong_length_is_a_decode_error(raw: bytes) -> None:
    with pytest.raises(DecodeError, match=f"got {len(raw)} bytes"):
        Obis.from_bytes(raw)


# --- names ---------------------------------------------------------------------------------

VENDOR_NOTES_OBJECTS = {
    "0-0:96.1.0.255": "Serial number",
    "0-0:42.0.0.255": "COSEM logical device name",
    "0-0:1.0.0.255": "Clock",
    "1-1:32.7.0": "Voltage L1",
    "1-1:31.7.0": "Current L1",
    "1-1:14.7.0": "Supply frequency",
    "1-1:1.7.0": "Active power+",
    "1-1:2.7.0": "Active power−",
    "1-1:3.7.0": "Reactive power+",
    "1-1:4.7.0": "Reactive power−",
    "1-1:9.7.0": "Apparent power",
    "1-1:1.8.0": "Active energy import",
    "1-1:2.8.0": "Active energy export",
    "1-1:3.8.0": "Reactive energy import",
    "1-1:4.8.0": "Reactive energy export",
    "1-1:1.6.0": "Maximum demand active import",
    "1-1:2.6.0": "Maximum demand active export",
    "1-1:1.4.0": "Current demand active import",
    "1-0:99.1.0.255": "Load profile",
    "0-0:99.98.0.255": "Event log",
}

COMMON_OBJECTS = {
    "0-0:40.0.0.255": "Association LN",
    "0-0:41.0.0.255": "SAP assignment",
    "0-0:22.0.0.255": "IEC HDLC setup",
    "0-0:43.0.0.255": "Security setup",
    "0-0:96.3.10.255": "Disconnect control",
    "1-0:0.2.0.255": "Active firmware identifier",
    "1-0:13.7.0.255": "Power factor",
    "1-0:52.7.0.255": "Voltage L2",
    "1-0:72.7.0.255": "Voltage L3",
    "1-0:51.7.0.255": "Current L2",
    "1-0:71.7.0.255": "Current L3",
    "1-0:21.7.0.255": "Active power+ L1",
    "1-0:41.7.0.255": "Active power+ L2",
    "1-0:61.7.0.255": "Active power+ L3",
    "1-0:81.7.4.255": "Phase angle I(L1) vs U(L1)",
    "1-0:81.7.26.255": "Phase angle I(L3) vs U(L3)",
    "1-0:81.7.1.255": "Phase angle U(L2) vs U(L1)",
}


@pytest.mark.parametrize(("text", "fragment"), {**VENDOR_NOTES_OBJECTS, **COMMON_OBJECTS}.items())
def test_known_objects_have_names(text: str, fragment: str) -> None:
    name = obis_name(Obis.parse(text))
    assert name is not None
    assert fragment in name


def test_logical_device_name_records_the_vendor_reading() -> None:
    assert "firmware" in (obis_name(Obis.parse("0-0:42.0.0.255")) or "")


def test_channel_b_does_not_change_the_name() -> None:
    assert obis_name(Obis.parse("1-0:32.7.0")) == obis_name(Obis.parse("1-1:32.7.0"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1-0:1.7.3.255", "Active power+ · instantaneous · E = 3"),
        ("1-0:1.9.0.255", "Active power+ · time integral 2"),
        ("1-0:52.4.0.255", "Voltage L2 · current average (demand) 1"),
        ("1-0:12.35.0.255", "Voltage (any phase) · over limit threshold"),
        (
            "1-0:15.8.2.255",
            "Active power |QI+QIV|+|QII+QIII| · time integral 1 (energy) · tariff 2",
        ),
        ("1-0:1.8.0.101", "Active energy import (+A) (F = 101)"),
    ],
)
def test_generic_electricity_names(text: str, expected: str) -> None:
    assert obis_name(Obis.parse(text)) == expected


@pytest.mark.parametrize("text", ["0-0:200.0.0.255", "7-0:1.0.0.255", "1-0:200.7.0.255"])
def test_unknown_codes_have_no_name(text: str) -> None:
    assert obis_name(Obis.parse(text)) is None


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("1-1:32.7.0", "Instantaneous values"),
        ("1-0:81.7.4.255", "Instantaneous values"),
        ("1-1:1.8.0", "Energy"),
        ("1-1:1.8.3", "Energy"),
        ("1-1:1.6.0", "Demand"),
        ("1-1:1.4.0", "Demand"),
        ("1-0:99.1.0.255", "Profiles & logs"),
        ("0-0:99.98.0.255", "Profiles & logs"),
        ("0-0:1.0.0.255", "Clock"),
        ("0-0:96.1.0.255", "Identification"),
        ("0-0:42.0.0.255", "Identification"),
        ("1-0:0.2.0.255", "Identification"),
        ("0-0:22.0.0.255", "Communication"),
        ("0-0:25.1.0.255", "Communication"),
        ("0-0:40.0.0.255", "Association & security"),
        ("0-0:41.0.0.255", "Association & security"),
        ("0-0:43.0.0.255", "Association & security"),
        ("0-0:96.3.10.255", "Control"),
        ("0-0:10.0.0.255", "Control"),
        ("0-0:96.5.0.255", "Other"),
        ("7-0:1.0.0.255", "Other"),
    ],
)
def test_browser_groups(text: str, group: str) -> None:
    assert obis_group(Obis.parse(text)) == group


@given(obis_codes)
def test_naming_never_fails(code: Obis) -> None:
    name = obis_name(code)
    assert name is None or (isinstance(name, str) and name)
    assert obis_group(code) in {
        "Instantaneous values", "Energy", "Demand", "Profiles & logs", "Clock",
        "Identification", "Communication", "Association & security", "Control", "Other",
    }


@pytest.mark.oracle
@given(obis_codes)
def test_bytes_and_text_agree_with_dlms_cosem(code: Obis) -> None:
    from dlms_cosem.cosem.obis import Obis as OracleObis

    oracle = OracleObis.from_bytes(code.to_bytes())
    assert oracle.to_bytes() == code.to_bytes()
    assert Obis.parse(oracle.to_string()) == code

"""Interface-class tables, access rights, object lists and capture objects."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.protocol.axdr import Data, decode_data_exact, encode_data
from workbench.protocol.cosem import (
    CLASSES,
    AttributeAccess,
    CaptureObject,
    InterfaceClass,
    MethodAccess,
    Obis,
    ObjectListEntry,
    attribute_name,
    build_capture_objects,
    build_object_list,
    class_name,
    method_name,
    parse_capture_objects,
    parse_object_list,
)
from workbench.protocol.errors import DecodeError

# --- class tables ----------------------------------------------------------------------------


def test_the_documented_classes_and_versions_are_present() -> None:
    versions = {cid: c.version for cid, c in CLASSES.items()}
    assert versions == {1: 0, 3: 0, 4: 0, 5: 0, 7: 1, 8: 0, 15: 2, 17: 0, 23: 1, 64: 1, 70: 0}


@pytest.mark.parametrize("cls", CLASSES.values(), ids=lambda c: c.name)
def test_every_class_numbers_attributes_and_methods_from_one(cls: InterfaceClass) -> None:
    assert cls.attributes[0].name == "logical_name"
    assert cls.attributes[0].static
    assert [a.index for a in cls.attributes] == list(range(1, len(cls.attributes) + 1))
    assert [m.index for m in cls.methods] == list(range(1, len(cls.methods) + 1))


@pytest.mark.parametrize(
    ("class_id", "index", "name"),
    [
        (1, 2, "value"),
        (3, 2, "value"), (3, 3, "scaler_unit"),
        (4, 4, "status"), (4, 5, "capture_time"),
        (5, 2, "current_average_value"), (5, 3, "last_average_value"), (5, 4, "scaler_unit"),
        (5, 8, "period"), (5, 9, "number_of_periods"),
        (7, 2, "buffer"), (7, 3, "capture_objects"), (7, 4, "capture_period"),
        (7, 7, "entries_in_use"), (7, 8, "profile_entries"),
        (8, 2, "time"), (8, 3, "time_zone"), (8, 4, "status"), (8, 9, "clock_base"),
        (15, 2, "object_list"), (15, 3, "associated_partners_id"), (15, 7, "secret"),
        (15, 8, "association_status"), (15, 9, "security_setup_reference"),
        (17, 2, "SAP_assignment_list"),
        (23, 2, "comm_speed"), (23, 5, "max_info_field_length_transmit"),
        (23, 8, "inactivity_time_out"), (23, 9, "device_address"),
        (64, 2, "security_policy"), (64, 5, "server_system_title"),
        (70, 2, "output_state"), (70, 3, "control_state"), (70, 4, "control_mode"),
    ],
)
def test_attribute_names(class_id: int, index: int, name: str) -> None:
    assert attribute_name(class_id, index) == name


@pytest.mark.parametrize(
    ("class_id", "index", "name"),
    [
        (3, 1, "reset"), (4, 1, "reset"), (5, 2, "next_period"),
        (7, 1, "reset"), (7, 2, "capture"),
        (8, 1, "adjust_to_quarter"), (8, 6, "shift_time"),
        (15, 1, "reply_to_HLS_authentication"), (15, 2, "change_HLS_secret"),
        (17, 1, "connect_logical_device"),
        (64, 1, "security_activate"),
        (70, 1, "remote_disconnect"), (70, 2, "remote_reconnect"),
    ],
)
def test_method_names(class_id: int, index: int, name: str) -> None:
    assert method_name(class_id, index) == name


def test_static_and_dynamic_attributes() -> None:
    register = CLASSES[3]
    assert register.attribute(2).static is False  # type: ignore[union-attr]
    assert register.attribute(3).static is True  # type: ignore[union-attr]
    assert CLASSES[1].methods == ()
    assert CLASSES[23].methods == ()


def test_unknown_classes_and_indices_still_get_labels() -> None:
    assert class_name(3) == "Register"
    assert class_name(18) == "Image transfer"
    assert class_name(250) == "class 250"
    assert attribute_name(3, 9) == "attribute 9"
    assert attribute_name(250, 2) == "attribute 2"
    assert method_name(1, 1) == "method 1"


# --- access rights ---------------------------------------------------------------------------


def test_attribute_access_values_and_meaning() -> None:
    assert [int(m) for m in AttributeAccess] == list(range(7))
    readable = {m for m in AttributeAccess if m.can_read}
    writable = {m for m in AttributeAccess if m.can_write}
    assert readable == {AttributeAccess(v) for v in (1, 3, 4, 6)}
    assert writable == {AttributeAccess(v) for v in (2, 3, 5, 6)}
    assert [int(m) for m in MethodAccess] == [0, 1, 2]


def test_bit_mapped_modes_are_kept_not_rejected() -> None:
    mode = AttributeAccess(0b1011)  # version 3: read | write | encrypted request
    assert int(mode) == 11
    assert mode.name == "MODE_11"
    assert mode.can_read and mode.can_write
    assert AttributeAccess(11) == mode
    with pytest.raises(ValueError):
        AttributeAccess(256)


# --- object lists ----------------------------------------------------------------------------

REGISTER = ObjectListEntry(
    class_id=3,
    version=0,
    obis=Obis.parse("1-1:32.7.0"),
    attribute_access={1: AttributeAccess.READ_ONLY, 2: AttributeAccess.READ_ONLY,
                      3: AttributeAccess.READ_ONLY},
    method_access={1: MethodAccess.NO_ACCESS},
)
PROFILE = ObjectListEntry(
    class_id=7,
    version=1,
    obis=Obis.parse("1-0:99.1.0.255"),
    attribute_access={1: AttributeAccess.READ_ONLY, 2: AttributeAccess.READ_ONLY,
                      4: AttributeAccess.AUTHENTICATED_READ_AND_WRITE},
    method_access={1: MethodAccess.AUTHENTICATED_ACCESS, 2: MethodAccess.ACCESS},
    access_selectors={2: (1, 2)},
)


def test_object_list_encodes_to_the_standard_layout() -> None:
    expected = bytes.fromhex(
        "0101"  # array, 1 element
        "0204"  # object_list_element: structure of 4
        "120003" "1100" "0906 0101200700FF"  # class 3, version 0, logical name
        "0202"  # access_rights
        "0103"  # attribute_access: 3 items {integer id, enum mode, null selectors}
        "0203 0F01 1601 00" "0203 0F02 1601 00" "0203 0F03 1601 00"
        "0101"  # method_access: 1 item {integer id, enum mode}
        "0202 0F01 1600"
    )
    assert encode_data(build_object_list([REGISTER])) == expected
    assert parse_object_list(decode_data_exact(expected)) == [REGISTER]


def test_object_list_round_trip_through_bytes() -> None:
    wire = encode_data(build_object_list([REGISTER, PROFILE]))
    assert parse_object_list(decode_data_exact(wire)) == [REGISTER, PROFILE]


def test_version_0_boolean_method_access() -> None:
    data = build_object_list([PROFILE], boolean_method_access=True)
    method_items = data.value[0].value[3].value[1].value  # type: ignore[index,union-attr]
    assert [m.value[1] for m in method_items] == [Data.boolean(True), Data.boolean(True)]
    parsed = parse_object_list(data)[0]
    assert parsed.method_access == {1: MethodAccess.ACCESS, 2: MethodAccess.ACCESS}
    assert parsed.attribute_access == PROFILE.attribute_access


def test_lenient_integer_types_are_accepted() -> None:
    entry = Data.struct(
        Data.u32(3), Data.i8(0), Data.octets(bytes.fromhex("0101200700FF")),
        Data.struct(Data.array([Data.struct(Data.u8(2), Data.u8(1), Data.null())]),
                    Data.array([])),
    )
    (parsed,) = parse_object_list(Data.array([entry]))
    assert parsed.class_id == 3
    assert parsed.attribute_access == {2: AttributeAccess.READ_ONLY}
    assert parsed.can_read(2) and not parsed.can_read(3)


byte = st.integers(0, 255)
entries = st.builds(
    ObjectListEntry,
    class_id=st.integers(0, 0xFFFF),
    version=byte,
    obis=st.builds(Obis, byte, byte, byte, byte, byte, byte),
    attribute_access=st.dictionaries(st.integers(1, 127), st.sampled_from(list(AttributeAccess))),
    method_access=st.dictionaries(st.integers(1, 127), st.sampled_from(list(MethodAccess))),
)


@given(st.lists(entries, max_size=5))
def test_object_list_round_trip_property(items: list[ObjectListEntry]) -> None:
    normalised = [
        ObjectListEntry(e.class_id, e.version, e.obis, dict(sorted(e.attribute_access.items())),
                        dict(sorted(e.method_access.items())))
        for e in items
    ]
    wire = encode_data(build_object_list(items))
    assert parse_object_list(decode_data_exact(wire)) == normalised


def _entry(*members: Data) -> Data:
    return Data.array([Data.struct(*members)])


_NAME = Data.octets(bytes.fromhex("0101200700FF"))
_RIGHTS = Data.struct(Data.array([]), Data.array([]))


def _rights(attribute_item: Data | None = None, method_item: Data | None = None) -> Data:
    return Data.struct(Data.array([attribute_item] if attribute_item else []),
                       Data.array([method_item] if method_item else []))


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (Data.octets(b"x"), "object_list has the wrong type: got octet-string, expected array"),
        (Data.array([Data.u16(3)]), "object_list entry 0 has the wrong type: got long-unsigned"),
        (_entry(Data.u16(3), Data.u8(0), _NAME), "object_list entry 0 has 3 members"),
        (_entry(Data.octets(b"\x03"), Data.u8(0), _NAME, _RIGHTS),
         "object_list entry 0: class_id has the wrong type: got octet-string"),
        (_entry(Data.u16(3), Data.null(), _NAME, _RIGHTS), "entry 0: version"),
        (_entry(Data.u16(3), Data.u8(0), Data.octets(b"\x01\x01\x20\x07\x00"), _RIGHTS),
         "object_list entry 0: logical_name has the wrong type: got octet-string, "
         "expected 6 bytes, got 5 bytes"),
        (_entry(Data.u16(3), Data.u8(0), _NAME, Data.null()),
         "object_list entry 0: access_rights has the wrong type: got null-data"),
        (_entry(Data.u16(3), Data.u8(0), _NAME,
                _rights(Data.struct(Data.i8(2), Data.enum(1)))),
         "access_rights.attribute_access[0] has 2 members"),
        (_entry(Data.u16(3), Data.u8(0), _NAME,
                _rights(Data.struct(Data.i8(2), Data.text("r"), Data.null()))),
         "access_rights.attribute_access[0].access_mode has the wrong type: got visible-string"),
        (_entry(Data.u16(3), Data.u8(0), _NAME,
                _rights(Data.struct(Data.i8(2), Data.enum(1), Data.struct()))),
         "attribute_access[0].access_selectors has the wrong type: got structure"),
        (_entry(Data.u16(3), Data.u8(0), _NAME,
                _rights(method_item=Data.struct(Data.i8(1), Data.u16(300)))),
         "access_rights.method_access[0].access_mode has the wrong type: got long-unsigned, "
         "expected MethodAccess 0–255"),
    ],
)
def test_malformed_object_lists_name_entry_and_field(data: Data, fragment: str) -> None:
    with pytest.raises(DecodeError) as info:
        parse_object_list(data)
    assert fragment in str(info.value)
    assert str(info.value).startswith("object list: ")


def test_the_failing_entry_index_is_reported() -> None:
    good = build_object_list([REGISTER]).value[0]  # type: ignore[index]
    bad = Data.struct(Data.u16(3), Data.u8(0), Data.octets(b""), _RIGHTS)
    with pytest.raises(DecodeError, match="object_list entry 2: logical_name"):
        parse_object_list(Data.array([good, good, bad]))


# --- capture objects -------------------------------------------------------------------------

COLUMNS = [
    CaptureObject(8, Obis.parse("0-0:1.0.0.255"), 2),
    CaptureObject(3, Obis.parse("1-1:1.8.0"), 2, 0),
    CaptureObject(4, Obis.parse("1-1:1.6.0"), 5, 1),
]


def test_capture_objects_layout_and_round_trip() -> None:
    wire = encode_data(build_capture_objects(COLUMNS[:1]))
    assert wire == bytes.fromhex("0101 0204 120008 0906 0000010000FF 0F02 120000")
    full = encode_data(build_capture_objects(COLUMNS))
    assert parse_capture_objects(decode_data_exact(full)) == COLUMNS


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (Data.null(), "capture_objects has the wrong type: got null-data"),
        (Data.array([Data.struct(Data.u16(8), _NAME, Data.i8(2))]),
         "capture_objects entry 0 has 3 members"),
        (Data.array([Data.struct(Data.u16(8), _NAME, Data.i8(2), Data.octets(b""))]),
         "capture_objects entry 0: data_index has the wrong type"),
        (Data.array([Data.struct(Data.u16(8), Data.text("clock"), Data.i8(2), Data.u16(0))]),
         "capture_objects entry 0: logical_name has the wrong type: got visible-string"),
    ],
)
def test_malformed_capture_objects(data: Data, fragment: str) -> None:
    with pytest.raises(DecodeError) as info:
        parse_capture_objects(data)
    assert fragment in str(info.value)


@pytest.mark.oracle
def test_gurux_reads_our_object_list_the_same_way() -> None:
    from gurux_dlms import GXByteBuffer, GXDLMSClient

    wire = encode_data(build_object_list([REGISTER, PROFILE]))
    objects = GXDLMSClient(True).parseObjects(GXByteBuffer(wire), True)
    assert len(objects) == 2
    for ours, theirs in zip((REGISTER, PROFILE), objects, strict=True):
        assert int(theirs.objectType) == ours.class_id
        assert theirs.version == ours.version
        assert Obis.parse(theirs.logicalName) == ours.obis
        for index, mode in ours.attribute_access.items():
            assert int(theirs.getAccess(index)) == int(mode)
        for index, mode in ours.method_access.items():
            assert int(theirs.getMethodAccess(index)) == int(mode)

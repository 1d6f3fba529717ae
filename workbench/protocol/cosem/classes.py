"""COSEM interface classes as data: what attribute 2 of a class-3 object is called, and so on.

Why tables: the object browser, the dissector ("attribute 3 (scaler_unit)") and the
simulator all need the same names, indices and types, and the Blue Book defines them as
tables. Each :class:`InterfaceClass` records one version of a class (the current one in
the Blue Book, noted per class below); a meter announces the version it implements in its
object list, and later versions only ever add attributes or methods at the end.

The object-list and capture-object codecs live in :mod:`object_list` and are re-exported
here, so ``from workbench.protocol.cosem.classes import parse_object_list`` works as documented.
"""

from __future__ import annotations

from typing import NamedTuple

from .object_list import (
    AttributeAccess,
    CaptureObject,
    MethodAccess,
    ObjectListEntry,
    build_capture_objects,
    build_object_list,
    parse_capture_objects,
    parse_object_list,
)

__all__ = [
    "CLASSES",
    "CLASS_NAMES",
    "AttributeAccess",
    "AttributeSpec",
    "CaptureObject",
    "InterfaceClass",
    "MethodAccess",
    "MethodSpec",
    "ObjectListEntry",
    "attribute_name",
    "build_capture_objects",
    "build_object_list",
    "class_name",
    "method_name",
    "parse_capture_objects",
    "parse_object_list",
]


class AttributeSpec(NamedTuple):
    """One attribute: its index, Blue Book name, data type (as text) and whether it is static
    (configuration, rarely changes) rather than dynamic (changes as the meter runs)."""

    index: int  # type: ignore[assignment]  # the Blue Book's word; shadows tuple.index
    name: str
    type_hint: str
    static: bool


class MethodSpec(NamedTuple):
    """One method: its index, Blue Book name and the type of its parameter ("" for none)."""

    index: int  # type: ignore[assignment]  # the Blue Book's word; shadows tuple.index
    name: str
    param_hint: str


class InterfaceClass(NamedTuple):
    """One version of a COSEM interface class."""

    class_id: int
    name: str
    version: int
    attributes: tuple[AttributeSpec, ...]
    methods: tuple[MethodSpec, ...]

    def attribute(self, index: int) -> AttributeSpec | None:
        return next((a for a in self.attributes if a.index == index), None)

    def method(self, index: int) -> MethodSpec | None:
        return next((m for m in self.methods if m.index == index), None)


S, D = True, False  # static / dynamic, for the tables below
_LOGICAL_NAME = ("logical_name", "octet-string[6]", S)
_RESET = ("reset", "integer (0)")


def _cls(
    class_id: int,
    name: str,
    version: int,
    attributes: tuple[tuple[str, str, bool], ...],
    methods: tuple[tuple[str, str], ...] = (),
) -> InterfaceClass:
    """Number attributes from 1 (attribute 1 is always logical_name) and methods from 1."""
    return InterfaceClass(
        class_id,
        name,
        version,
        tuple(AttributeSpec(i, *a) for i, a in enumerate((_LOGICAL_NAME, *attributes), 1)),
        tuple(MethodSpec(i, *m) for i, m in enumerate(methods, 1)),
    )


_SCALER_UNIT = ("scaler_unit", "structure {scaler integer, unit enum}", S)

_TABLE = (
    _cls(1, "Data", 0, (("value", "CHOICE", D),)),
    _cls(3, "Register", 0, (("value", "CHOICE", D), _SCALER_UNIT), (_RESET,)),
    _cls(4, "Extended register", 0, (
        ("value", "CHOICE", D),
        _SCALER_UNIT,
        ("status", "CHOICE", D),
        ("capture_time", "octet-string (date-time)", D),
    ), (_RESET,)),
    _cls(5, "Demand register", 0, (
        ("current_average_value", "CHOICE", D),
        ("last_average_value", "CHOICE", D),
        _SCALER_UNIT,
        ("status", "CHOICE", D),
        ("capture_time", "octet-string (date-time)", D),
        ("start_time_current", "octet-string (date-time)", D),
        ("period", "double-long-unsigned (s)", S),
        ("number_of_periods", "long-unsigned", S),
    ), (_RESET, ("next_period", "integer (0)"))),
    _cls(7, "Profile generic", 1, (
        ("buffer", "array of structure (one per captured row)", D),
        ("capture_objects", "array of capture_object_definition", S),
        ("capture_period", "double-long-unsigned (s)", S),
        ("sort_method", "enum", S),
        ("sort_object", "capture_object_definition", S),
        ("entries_in_use", "double-long-unsigned", D),
        ("profile_entries", "double-long-unsigned", S),
    ), (_RESET, ("capture", "integer (0)"))),
    _cls(8, "Clock", 0, (
        ("time", "octet-string (date-time)", D),
        ("time_zone", "long (minutes)", S),
        ("status", "unsigned (clock status)", D),
        ("daylight_savings_begin", "octet-string (date-time)", S),
        ("daylight_savings_end", "octet-string (date-time)", S),
        ("daylight_savings_deviation", "integer (minutes)", S),
        ("daylight_savings_enabled", "boolean", S),
        ("clock_base", "enum", S),
    ), (
        ("adjust_to_quarter", "integer (0)"),
        ("adjust_to_measuring_period", "integer (0)"),
        ("adjust_to_minute", "integer (0)"),
        ("adjust_to_preset_time", "integer (0)"),
        ("preset_adjusting_time", "structure {preset, validity start, validity end}"),
        ("shift_time", "long (seconds)"),
    )),
    # Version 2: attributes 1–11. Version 3 keeps them and only turns the access modes in
    # object_list into bit maps, which this table's consumers do not rely on.
    _cls(15, "Association LN", 2, (
        ("object_list", "array of object_list_element", D),
        ("associated_partners_id", "structure {client SAP integer, server SAP long-unsigned}", S),
        ("application_context_name", "application context name", S),
        ("xDLMS_context_info", "structure", S),
        ("authentication_mechanism_name", "mechanism name", S),
        ("secret", "octet-string", S),
        ("association_status", "enum", D),
        ("security_setup_reference", "octet-string[6]", S),
        ("user_list", "array of structure {user id, user name}", S),
        ("current_user", "structure {user id, user name}", D),
    ), (
        ("reply_to_HLS_authentication", "octet-string"),
        ("change_HLS_secret", "octet-string"),
        ("add_object", "object_list_element"),
        ("remove_object", "object_list_element"),
        ("add_user", "structure {user id, user name}"),
        ("remove_user", "structure {user id, user name}"),
    )),
    _cls(17, "SAP assignment", 0, (
        ("SAP_assignment_list", "array of structure {SAP long-unsigned, logical device name}", S),
    ), (("connect_logical_device", "structure {SAP, logical device name}"),)),
    _cls(23, "IEC HDLC setup", 1, (
        ("comm_speed", "enum (baud rate)", S),
        ("window_size_transmit", "unsigned", S),
        ("window_size_receive", "unsigned", S),
        ("max_info_field_length_transmit", "long-unsigned", S),
        ("max_info_field_length_receive", "long-unsigned", S),
        ("inter_octet_time_out", "long-unsigned (ms)", S),
        ("inactivity_time_out", "long-unsigned (s)", S),
        ("device_address", "long-unsigned", S),
    )),
    _cls(64, "Security setup", 1, (
        ("security_policy", "enum", S),
        ("security_suite", "enum", S),
        ("client_system_title", "octet-string", D),
        ("server_system_title", "octet-string", S),
        ("certificates", "array of certificate_info", S),
    ), (
        ("security_activate", "enum (security policy)"),
        ("key_transfer", "array of key_data"),
        ("key_agreement", "array of key_agreement_data"),
        ("generate_key_pair", "enum (key pair)"),
        ("generate_certificate_request", "enum (key pair)"),
        ("import_certificate", "octet-string"),
        ("export_certificate", "structure (certificate identification)"),
        ("remove_certificate", "structure (certificate identification)"),
    )),
    _cls(70, "Disconnect control", 0, (
        ("output_state", "boolean", D),
        ("control_state", "enum (0 disconnected, 1 connected, 2 ready for reconnection)", D),
        ("control_mode", "enum", S),
    ), (("remote_disconnect", "integer (0)"), ("remote_reconnect", "integer (0)"))),
)

CLASSES: dict[int, InterfaceClass] = {c.class_id: c for c in _TABLE}
"""Full attribute/method tables for the classes the workbench reads and simulates."""

CLASS_NAMES: dict[int, str] = {
    6: "Register activation",
    9: "Script table",
    10: "Schedule",
    11: "Special days table",
    12: "Association SN",
    18: "Image transfer",
    19: "IEC local port setup",
    20: "Activity calendar",
    21: "Register monitor",
    22: "Single action schedule",
    24: "IEC twisted pair setup",
    25: "M-Bus port setup",
    26: "Utility tables",
    27: "Modem configuration",
    28: "Auto answer",
    29: "Auto connect",
    40: "Push setup",
    41: "TCP-UDP setup",
    42: "IPv4 setup",
    43: "MAC address setup",
    44: "PPP setup",
    45: "GPRS modem setup",
    46: "SMTP setup",
    47: "GSM diagnostic",
    48: "IPv6 setup",
    61: "Register table",
    62: "Compact data",
    63: "Status mapping",
    65: "Parameter monitor",
    71: "Limiter",
    72: "M-Bus client",
    **{c.class_id: c.name for c in _TABLE},
}
"""Class id → name, for every class the browser may meet (tables only for :data:`CLASSES`)."""


def class_name(class_id: int) -> str:
    """"Register" for 3; unknown ids read "class 123" so they still show."""
    return CLASS_NAMES.get(class_id, f"class {class_id}")


def attribute_name(class_id: int, index: int) -> str:
    """"scaler_unit" for (3, 3); unknown classes or indices read "attribute 9"."""
    spec = CLASSES[class_id].attribute(index) if class_id in CLASSES else None
    return spec.name if spec else f"attribute {index}"


def method_name(class_id: int, index: int) -> str:
    """"reset" for (3, 1); unknown classes or indices read "method 9"."""
    spec = CLASSES[class_id].method(index) if class_id in CLASSES else None
    return spec.name if spec else f"method {index}"

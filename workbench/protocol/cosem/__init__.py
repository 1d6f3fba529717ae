"""COSEM application model (IEC 62056-6-1/6-2): OBIS codes, interface classes, units.

What a meter *holds*, independent of how the bytes travel: ``obis`` (logical names, parse
and format, names and groups; ``obis_catalog`` is the data behind the names), ``classes``
(interface-class tables with attribute/method names and access rights), ``object_list``
(the association's object_list and a profile's capture_objects), ``units`` (scaler/unit).
Import from here.
"""

from __future__ import annotations

from .classes import (
    CLASS_NAMES,
    CLASSES,
    AttributeAccess,
    AttributeSpec,
    CaptureObject,
    InterfaceClass,
    MethodAccess,
    MethodSpec,
    ObjectListEntry,
    attribute_name,
    build_capture_objects,
    build_object_list,
    class_name,
    method_name,
    parse_capture_objects,
    parse_object_list,
)
from .events import (
    STANDARD_EVENTS,
    STATUS_BITS,
    event_text,
    is_event_code_column,
    is_profile_status,
    status_text,
)
from .obis import (
    Obis,
    ObisError,
    obis_group,
    obis_name,
)
from .object_list import NOT_LISTED, access_text
from .units import (
    ENGINEERING,
    UNIT_NAMES,
    UNITS,
    ScaledValue,
    apply_scaler,
    build_scaler_unit,
    engineering,
    parse_scaler_unit,
    unit_name,
    unit_symbol,
)

__all__ = [
    "CLASSES",
    "CLASS_NAMES",
    "ENGINEERING",
    "NOT_LISTED",
    "STANDARD_EVENTS",
    "STATUS_BITS",
    "UNITS",
    "UNIT_NAMES",
    "AttributeAccess",
    "AttributeSpec",
    "CaptureObject",
    "InterfaceClass",
    "MethodAccess",
    "MethodSpec",
    "Obis",
    "ObisError",
    "ObjectListEntry",
    "ScaledValue",
    "access_text",
    "apply_scaler",
    "attribute_name",
    "build_capture_objects",
    "build_object_list",
    "build_scaler_unit",
    "class_name",
    "engineering",
    "event_text",
    "is_event_code_column",
    "is_profile_status",
    "method_name",
    "obis_group",
    "obis_name",
    "parse_capture_objects",
    "parse_object_list",
    "parse_scaler_unit",
    "status_text",
    "unit_name",
    "unit_symbol",
]

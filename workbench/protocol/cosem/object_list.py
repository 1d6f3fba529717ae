"""The two self-descriptions a meter gives: its object list and a profile's capture objects.

Association LN attribute 2 (``object_list``) lists every object the association may see:
class, version, logical name and access rights per attribute and method. Profile generic
attribute 3 (``capture_objects``) lists which attribute of which object fills each column
of the profile buffer. Both arrive as A-XDR ``Data`` and both are decoded here into plain
records, with a matching builder for the simulator.

Why so tolerant of shapes: meters differ. Association LN version 0 sends method access as
a boolean, later versions as an enum; some send integers where the standard says unsigned.
Any integer type is accepted where an integer is meant. What cannot be read is a
:class:`DecodeError` naming the entry and the field ("object_list entry 3:
access_rights.method_access[0].access_mode ..."), never an IndexError.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple, TypeVar

from workbench.protocol.axdr import Data, DataType, OpenEnum
from workbench.protocol.errors import DecodeError

from .obis import Obis

__all__ = [
    "NOT_LISTED",
    "AttributeAccess",
    "CaptureObject",
    "MethodAccess",
    "ObjectListEntry",
    "access_text",
    "build_capture_objects",
    "build_object_list",
    "parse_capture_objects",
    "parse_object_list",
]

_INTEGERS = frozenset({
    DataType.INTEGER, DataType.LONG, DataType.DOUBLE_LONG, DataType.LONG64,
    DataType.UNSIGNED, DataType.LONG_UNSIGNED, DataType.DOUBLE_LONG_UNSIGNED,
    DataType.LONG64_UNSIGNED, DataType.ENUM,
})


class _OpenEnum(OpenEnum):
    """An access mode; one we have no name for is kept as ``MODE_<n>``.

    Association LN version 3 turned access modes into bit maps (values above 6); those are
    kept exactly, so an object list round-trips and nothing the meter said is lost.
    """

    @classmethod
    def _unnamed(cls, value: int) -> str:
        return f"MODE_{value}"


_E = TypeVar("_E", bound=_OpenEnum)


class AttributeAccess(_OpenEnum):
    """attribute_access_mode of Association LN versions 0–2."""

    NO_ACCESS = 0
    READ_ONLY = 1
    WRITE_ONLY = 2
    READ_AND_WRITE = 3
    AUTHENTICATED_READ_ONLY = 4
    AUTHENTICATED_WRITE_ONLY = 5
    AUTHENTICATED_READ_AND_WRITE = 6

    @property
    def can_read(self) -> bool:
        if self.value > 6:  # version-3 bit map: bit 0 = read
            return bool(self.value & 1)
        return self.value in (1, 3, 4, 6)

    @property
    def can_write(self) -> bool:
        if self.value > 6:  # version-3 bit map: bit 1 = write
            return bool(self.value & 2)
        return self.value in (2, 3, 5, 6)

    @property
    def label(self) -> str:
        """"read-only", "authenticated read and write" …; a version-3 bit map as its rights."""
        if self.value <= 6:
            return self.name.lower().replace("_and_", " and ").replace("_", "-").replace(
                "authenticated-", "authenticated ").replace("no-access", "no access")
        rights = " and ".join(r for r, ok in (("read", self.can_read),
                                               ("write", self.can_write)) if ok)
        return f"{rights or 'no access'} (access mode 0x{self.value:02X})"


class MethodAccess(_OpenEnum):
    """method_access_mode (version 0 sends a boolean: False → NO_ACCESS, True → ACCESS)."""

    NO_ACCESS = 0
    ACCESS = 1
    AUTHENTICATED_ACCESS = 2

    @property
    def label(self) -> str:
        if self.value <= 2:
            return self.name.lower().replace("_", " ")
        return f"access mode 0x{self.value:02X}"


#: What an attribute or method whose rights the meter did not list shows (an empty
#: access_rights array is the meter saying nothing, not "no access").
NOT_LISTED = "not listed"


def access_text(mode: AttributeAccess | MethodAccess | None) -> str:
    """The access right in words, or :data:`NOT_LISTED` for None."""
    return NOT_LISTED if mode is None else mode.label


@dataclass(frozen=True)
class ObjectListEntry:
    """One object_list_element: which object exists and what this association may do with it.

    ``access_selectors`` holds, per attribute, the selective-access selectors the meter
    allows (profile buffers: 1 = by range, 2 = by entry); attributes without any are absent.
    """

    class_id: int
    version: int
    obis: Obis
    attribute_access: dict[int, AttributeAccess]
    method_access: dict[int, MethodAccess]
    access_selectors: dict[int, tuple[int, ...]] = field(default_factory=dict)

    @property
    def rights_listed(self) -> bool:
        """False when the meter sent empty access-rights arrays: it said nothing about
        access, which is not "no access"."""
        return bool(self.attribute_access or self.method_access)

    def attribute_mode(self, attribute: int) -> AttributeAccess | None:
        """The attribute's access mode, or None when the meter did not list it."""
        return self.attribute_access.get(attribute)

    def can_read(self, attribute: int) -> bool:
        """Whether to offer reading it: listed rights decide; without any, we may try."""
        if not self.rights_listed:
            return True
        return self.attribute_access.get(attribute, AttributeAccess.NO_ACCESS).can_read


class CaptureObject(NamedTuple):
    """One column of a profile buffer: attribute ``attribute`` of object (class_id, obis).

    ``data_index`` 0 means the whole attribute; n > 0 picks element n of an array value.
    """

    class_id: int
    obis: Obis
    attribute: int
    data_index: int = 0


# --- reading ---------------------------------------------------------------------------------


def parse_object_list(data: Data) -> list[ObjectListEntry]:
    """Decode Association LN attribute 2.

    Raises:
        DecodeError: the value is not an array of object_list_element; the message names
            the entry index and the field that is wrong.
    """
    entries = _items(data, DataType.ARRAY, "object_list", "array of object_list_element")
    return [_object_entry(item, f"object_list entry {i}") for i, item in enumerate(entries)]


def _object_entry(item: Data, where: str) -> ObjectListEntry:
    class_id, version, name, rights = _members(item, 4, where, "object_list_element")
    fields_in_order = (
        _int(class_id, f"{where}: class_id"),
        _int(version, f"{where}: version"),
        _obis(name, f"{where}: logical_name"),
    )
    return ObjectListEntry(*fields_in_order, *_access_rights(rights, f"{where}: access_rights"))


def _access_rights(
    rights: Data, where: str
) -> tuple[dict[int, AttributeAccess], dict[int, MethodAccess], dict[int, tuple[int, ...]]]:
    attribute_items, method_items = _members(
        rights, 2, where, "structure {attribute_access, method_access}")
    attribute_access: dict[int, AttributeAccess] = {}
    selectors: dict[int, tuple[int, ...]] = {}
    attributes = _items(attribute_items, DataType.ARRAY, f"{where}.attribute_access", "array")
    for i, element in enumerate(attributes):
        index, mode, chosen = _attribute_item(element, f"{where}.attribute_access[{i}]")
        attribute_access[index] = mode
        if chosen:
            selectors[index] = chosen
    methods = _items(method_items, DataType.ARRAY, f"{where}.method_access", "array")
    method_access = dict(
        _method_item(element, f"{where}.method_access[{i}]") for i, element in enumerate(methods)
    )
    return attribute_access, method_access, selectors


def _attribute_item(item: Data, where: str) -> tuple[int, AttributeAccess, tuple[int, ...]]:
    index, mode, selectors = _members(
        item, 3, where, "structure {attribute_id, access_mode, access_selectors}")
    chosen: tuple[int, ...] = ()
    if selectors.type != DataType.NULL_DATA:
        chosen = tuple(
            _int(s, f"{where}.access_selectors[{i}]")
            for i, s in enumerate(_items(selectors, DataType.ARRAY,
                                         f"{where}.access_selectors", "array or null-data"))
        )
    return (_int(index, f"{where}.attribute_id"),
            _mode(AttributeAccess, mode, f"{where}.access_mode"), chosen)


def _method_item(item: Data, where: str) -> tuple[int, MethodAccess]:
    index, mode = _members(item, 2, where, "structure {method_id, access_mode}")
    if mode.type == DataType.BOOLEAN:
        access = MethodAccess.ACCESS if mode.value else MethodAccess.NO_ACCESS
    else:
        access = _mode(MethodAccess, mode, f"{where}.access_mode")
    return _int(index, f"{where}.method_id"), access


def parse_capture_objects(data: Data) -> list[CaptureObject]:
    """Decode Profile generic attribute 3 (also the shape of sort_object, one element).

    Raises:
        DecodeError: not an array of capture_object_definition; names the entry and field.
    """
    entries = _items(data, DataType.ARRAY, "capture_objects", "array of structure")
    return [_capture_object(item, f"capture_objects entry {i}") for i, item in enumerate(entries)]


def _capture_object(item: Data, where: str) -> CaptureObject:
    class_id, name, attribute, data_index = _members(
        item, 4, where, "structure {class_id, logical_name, attribute_index, data_index}")
    return CaptureObject(
        _int(class_id, f"{where}: class_id"),
        _obis(name, f"{where}: logical_name"),
        _int(attribute, f"{where}: attribute_index"),
        _int(data_index, f"{where}: data_index"),
    )


# --- shape checks: every failure names where it happened --------------------------------------


def _what(where: str) -> str:
    return "object list" if where.startswith("object_list") else "capture objects"


def _fail(where: str, item: object, expected: str) -> DecodeError:
    got = item.type.label if isinstance(item, Data) else type(item).__name__
    return DecodeError(f"{where} has the wrong type", got=got, expected=expected,
                       what=_what(where))


def _items(item: Data, kind: DataType, where: str, expected: str) -> tuple[Data, ...]:
    if not isinstance(item, Data) or item.type != kind:
        raise _fail(where, item, expected)
    return item.value  # type: ignore[return-value]


def _members(item: Data, count: int, where: str, expected: str) -> tuple[Data, ...]:
    members = _items(item, DataType.STRUCTURE, where, expected)
    if len(members) != count:
        raise DecodeError(f"{where} has {len(members)} members",
                          expected=f"{count} ({expected})", what=_what(where))
    return members


def _int(item: Data, where: str) -> int:
    if not isinstance(item, Data) or item.type not in _INTEGERS:
        raise _fail(where, item, "an integer")
    return item.value  # type: ignore[return-value]


def _mode(enum: type[_E], item: Data, where: str) -> _E:
    value = _int(item, where)
    try:
        return enum(value)
    except ValueError:
        raise _fail(where, item, f"{enum.__name__} 0–255") from None


def _obis(item: Data, where: str) -> Obis:
    if not isinstance(item, Data) or item.type != DataType.OCTET_STRING:
        raise _fail(where, item, "octet-string of 6 bytes")
    try:
        return Obis.from_bytes(item.value)  # type: ignore[arg-type]
    except DecodeError as exc:
        raise _fail(where, item, f"6 bytes, got {exc.got}") from None


# --- building ---------------------------------------------------------------------------------


def build_object_list(
    entries: Iterable[ObjectListEntry], *, boolean_method_access: bool = False
) -> Data:
    """Encode entries as Association LN attribute 2.

    Args:
        entries: the objects, in the order the meter lists them.
        boolean_method_access: True for the version-0 form (method access as a boolean).
    """
    return Data.array(_entry_data(e, boolean_method_access) for e in entries)


def _entry_data(entry: ObjectListEntry, boolean_methods: bool) -> Data:
    attributes = Data.array(
        Data.struct(Data.i8(index), Data.enum(int(mode)), _selectors(entry, index))
        for index, mode in sorted(entry.attribute_access.items())
    )
    methods = Data.array(
        Data.struct(
            Data.i8(index),
            Data.boolean(mode != MethodAccess.NO_ACCESS) if boolean_methods
            else Data.enum(int(mode)),
        )
        for index, mode in sorted(entry.method_access.items())
    )
    return Data.struct(
        Data.u16(entry.class_id),
        Data.u8(entry.version),
        Data.octets(entry.obis.to_bytes()),
        Data.struct(attributes, methods),
    )


def _selectors(entry: ObjectListEntry, index: int) -> Data:
    chosen = entry.access_selectors.get(index)
    return Data.array(Data.i8(s) for s in chosen) if chosen else Data.null()


def build_capture_objects(columns: Iterable[CaptureObject]) -> Data:
    """Encode capture objects as Profile generic attribute 3."""
    return Data.array(
        Data.struct(
            Data.u16(c.class_id), Data.octets(c.obis.to_bytes()),
            Data.i8(c.attribute), Data.u16(c.data_index),
        )
        for c in columns
    )

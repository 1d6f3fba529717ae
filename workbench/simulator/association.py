"""Who may do what: per-association access rights and the Association LN object (class 15).

Two associations exist, as on Microstar meters: the public client (SAP 16, no
authentication) reads everything but secrets; the management clients (SAP 32 and 1, LLS)
may also write the attributes and call the methods each object lists as allowed. The
object list a client reads is computed from the very same rules the handler enforces.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from workbench.protocol.apdu import Conformance, Mechanism
from workbench.protocol.axdr import BitString, Data
from workbench.protocol.cosem import (
    AttributeAccess,
    MethodAccess,
    Obis,
    ObjectListEntry,
    build_object_list,
)
from workbench.simulator.objects import CosemObject, Ctx

__all__ = [
    "MANAGEMENT_CLIENTS",
    "PUBLIC_CLIENT",
    "SUPPORTED_CONFORMANCE",
    "AssociationLN",
    "attribute_access",
    "method_access",
    "object_list_entry",
]

PUBLIC_CLIENT = 16
MANAGEMENT_CLIENTS = frozenset({32, 1})

#: The services this meter implements (what an AARE may grant).
SUPPORTED_CONFORMANCE = (
    Conformance.BLOCK_TRANSFER_WITH_GET_OR_READ | Conformance.BLOCK_TRANSFER_WITH_SET_OR_WRITE
    | Conformance.MULTIPLE_REFERENCES | Conformance.GET | Conformance.SET
    | Conformance.SELECTIVE_ACCESS | Conformance.ACTION
)

_SECURITY_SETUP = Obis(0, 0, 43, 0, 0, 255)


def attribute_access(obj: CosemObject, attr: int, management: bool) -> AttributeAccess:
    """The access mode of one attribute for the public or the management association."""
    if not 1 <= attr <= obj.attribute_count or attr in obj.hidden:
        return AttributeAccess.NO_ACCESS
    if management and attr in obj.writable:
        return AttributeAccess.READ_AND_WRITE
    return AttributeAccess.READ_ONLY


def method_access(obj: CosemObject, method: int, management: bool) -> MethodAccess:
    """The access mode of one method: only management clients call the allowed ones."""
    if management and method in obj.methods:
        return MethodAccess.ACCESS
    return MethodAccess.NO_ACCESS


def object_list_entry(obj: CosemObject, management: bool) -> ObjectListEntry:
    return ObjectListEntry(
        class_id=obj.class_id, version=obj.version, obis=obj.obis,
        attribute_access={a: attribute_access(obj, a, management)
                          for a in range(1, obj.attribute_count + 1)},
        method_access={m: method_access(obj, m, management)
                       for m in range(1, obj.method_count + 1)},
        access_selectors=dict(obj.selectors))


def _oid_structure(*arcs: int) -> Data:
    """An OID as Association LN v1 writes it: 7 unsigned, the country name a long-unsigned."""
    return Data.struct(*(Data.u16(a) if a > 255 else Data.u8(a) for a in arcs))


def conformance_bits(conformance: Conformance) -> Data:
    """The 24-bit conformance block as an A-XDR bit-string (bit 0 first, as in the AARE)."""
    return Data.bits(BitString(int(conformance).to_bytes(3, "big"), 24))


class AssociationLN(CosemObject):
    """Class 15 version 1: "the current association", seen differently by each client."""

    class_id = 15
    version = 1
    attribute_count = 9
    method_count = 4
    hidden = frozenset({7})  # the LLS secret is never readable

    def __init__(self, obis: Obis, objects: Callable[[], Sequence[CosemObject]],
                 max_pdu_size: int) -> None:
        super().__init__(obis)
        self.objects, self.max_pdu_size = objects, max_pdu_size

    def read(self, attr: int, ctx: Ctx) -> Data:
        mechanism = Mechanism.LLS if ctx.management else Mechanism.NONE
        values = {
            2: lambda: build_object_list(
                object_list_entry(o, ctx.management) for o in self.objects()),
            3: lambda: Data.struct(Data.i8(ctx.client_sap), Data.u16(1)),
            4: lambda: _oid_structure(2, 16, 756, 5, 8, 1, 1),
            5: lambda: Data.struct(conformance_bits(SUPPORTED_CONFORMANCE),
                                   Data.u16(self.max_pdu_size), Data.u16(self.max_pdu_size),
                                   Data.u8(6), Data.i8(0), Data.octets(b"")),
            6: lambda: _oid_structure(2, 16, 756, 5, 8, 2, int(mechanism)),
            8: lambda: Data.enum(2),  # associated
            9: lambda: Data.octets(_SECURITY_SETUP.to_bytes()),
        }
        if attr in values:
            return values[attr]()
        return super().read(attr, ctx)
